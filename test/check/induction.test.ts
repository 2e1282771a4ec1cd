import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack } from '../../src/model/pack.js';
import { compileLemma } from '../../src/lemma/compile.js';
import { LemmaError } from '../../src/lemma/errors.js';
import { loadLemmas } from '../../src/lemma/load.js';
import type { LemmaSpec } from '../../src/lemma/types.js';
import { verifyLemma } from '../../src/check/verify.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import { mergeShards, runShard } from '../../src/check/shard.js';
import type { Outcome } from '../../src/check/outcome.js';
import { checkCertificate } from '../../src/certificate/check.js';
import { reachInvariant } from '../../src/check/box-invariant.js';
import { Rational } from '../../src/numeric/rational.js';

// Issue 24 items 1-2: claims for every start and every t, proved by an inductive invariant or a ranking function.

const model = deriveModel(loadPack('scalar-d2').spec);
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/induction/${name}`, import.meta.url));

// Each fixture is verified once for the whole file (two describes read the slack-certificate fixture; one of its rows
// takes minutes: its plain use obligation goes to Z3 and the reductions).
const verified = new Map<string, Promise<Map<string, Outcome>>>();
function outcomes(file: string): Promise<Map<string, Outcome>> {
  let p = verified.get(file);
  if (!p) verified.set(file, (p = verifyFixture(file)));
  return p;
}

async function verifyFixture(file: string): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  for (const l of await loadLemmas([fixture(file)], model)) {
    if (!l.ok) throw new Error(l.error.message);
    out.set(l.lemma.id, await verifyLemma(model, l.lemma, { seed: 20250304 }));
  }
  return out;
}

/** Every obligation proved, each with a certificate; the region ones re-checked by the independent checker. */
function expectFullyProved(o: Outcome): void {
  expect(o.kind, o.detail).toBe('PROVED');
  expect(o.established).toBe('proved-induction');
  expect(o.obligations!.length).toBeGreaterThan(0);
  for (const ob of o.obligations!) {
    expect(ob.status, `${ob.name}: ${ob.detail}`).toBe('proved');
    expect(ob.certificate).toBeTruthy();
    if (ob.established === 'proved-region') expect(checkCertificate(ob.regionCertificate).ok, ob.name).toBe(true);
  }
}

/** GD on the pack's model in exact rationals from a start, up to n steps: the first step where p >= 99/100. */
function firstStepInTarget(w1: Rational, w2: Rational, eta: Rational, n: number): number | null {
  const target = Rational.fromDecimalString('0.99');
  const one = Rational.fromInt(1);
  for (let t = 0; t <= n; t++) {
    const p = w1.mul(w2);
    if (!p.lt(target)) return t;
    const r = p.sub(one).mul(eta);
    [w1, w2] = [w1.sub(r.mul(w2)), w2.sub(r.mul(w1))];
    // Keep the rationals small: the bound is checked on an orbit rounded to 2^-60 (enough for a sanity check of the count).
    w1 = Rational.fromDouble(w1.toNumber());
    w2 = Rational.fromDouble(w2.toNumber());
  }
  return null;
}

describe('kind invariant', async () => {
  const o = await outcomes('scalar-d2-invariants.json');

  it('is PROVED by initiation, consecution and use, each obligation with a certificate that re-checks', () => {
    const row = o.get('loss-stays-below-its-bound-by-invariant')!;
    expectFullyProved(row);
    expect(row.obligations!.map((x) => x.name)).toEqual(['initiation', 'consecution', 'use']);
    expect(row.detail).toMatch(/every start in the hypotheses and every t >= 0/);
  });

  it('claims the definedness of a partial term one step later (sqrt(1 - p_next) needs 1 - p_next >= 0)', () => {
    const row = o.get('invariant-with-a-square-root')!;
    expectFullyProved(row);
    const consecution = row.obligations!.find((x) => x.name === 'consecution')!;
    expect(consecution.claim).toMatch(/>= 0$/);
    expect(consecution.claim.split('=>')[1]).toMatch(/sqrt\(1 - w1_next \* w2_next\) >= 0|1 - .* >= 0/);
  });

  it('shows a counterexample to induction and falls back to sampling, which refutes a false claim on an orbit', () => {
    const row = o.get('loss-bound-fails-with-steps-too-large-for-the-invariant')!;
    expect(row.kind).toBe('FALSIFIED');
    expect(row.detail).toMatch(/^not proved for every t \(counterexample to induction \(consecution\)/);
    const consecution = row.obligations!.find((x) => x.name === 'consecution')!;
    expect(consecution.status).toBe('refuted');
    expect(Object.keys(consecution.witness!).sort()).toEqual(['eta', 'w1', 'w2']);
    expect(row.counterexample!.step).not.toBeNull();
  });

  it('is FALSIFIED at an exact start outside the invariant (initiation), and at an exact point of the invariant where the statement fails (use)', () => {
    const init = o.get('starts-outside-the-stated-invariant')!;
    expect(init.kind).toBe('FALSIFIED');
    expect(init.detail).toMatch(/^initiation fails/);
    const w = init.counterexample!.witness!;
    const p = Rational.fromDecimalString(w.w1!.split('/')[0]!).div(Rational.fromDecimalString(w.w1!.split('/')[1]!)).mul(Rational.fromDecimalString(w.w2!.split('/')[0]!).div(Rational.fromDecimalString(w.w2!.split('/')[1]!)));
    expect(p.gt(Rational.fromInt(1)), 'the witness start has p > 1, outside the invariant').toBe(true);
    const use = o.get('invariant-too-weak-for-a-tighter-loss-bound')!;
    expect(use.kind).toBe('FALSIFIED');
    expect(use.detail).toMatch(/^use fails/);
    expect(use.obligations!.map((x) => x.status)).toEqual(['proved', 'proved', 'refuted']);
  });
});

/** An exact rational from a witness value ("a/b" or a decimal). */
function exact(x: string): Rational {
  const [a, b] = x.split('/');
  return b === undefined ? Rational.fromDecimalString(a!) : Rational.fromDecimalString(a!).div(Rational.fromDecimalString(b));
}

describe('slack certificates on invariant relations', async () => {
  const o = await outcomes('scalar-d2-slack-certificates.json');

  it('keep their relations by an identity and the signs of its terms: PROVED without those relations in the plain consecution', () => {
    const row = o.get('loss-bound-by-slack-certificates')!;
    expectFullyProved(row);
    expect(row.obligations!.map((x) => x.name)).toEqual(['initiation', 'consecution-identity', 'consecution-term', 'consecution-identity', 'consecution-term', 'consecution-term', 'consecution', 'use']);
    const identities = row.obligations!.filter((x) => x.name === 'consecution-identity');
    expect(identities.map((x) => x.established)).toEqual(['proved-expansion', 'proved-expansion']);
    expect(identities[0]!.claim).toMatch(/=>  1 - p_next == \(\(1 - p\)\*/);
    expect(row.obligations!.filter((x) => x.name === 'consecution-term').every((x) => x.claim.startsWith('w1 >= 0.5 and'))).toBe(true);
    // The certified relations are not asked of the plain consecution (nor anything about p_next).
    expect(row.obligations!.find((x) => x.name === 'consecution')!.claim.split('=>')[1]).not.toMatch(/p_next/);
    expect(row.detail).toMatch(/consecution \(2 relations by their slack certificates: identity and signs on I\), use\)/);
    // The box around I has the relations' decimal ends exactly (no sliver outside I for the region prover to split).
    expect(row.obligations!.find((x) => x.name === 'use')!.claim).toMatch(/\(box w1 in \[0\.5, 2\], w2 in \[0\.5, 2\]\)/);
  });

  it('carry their obligations in the JSON row, each with its certificate', () => {
    const json = JSON.parse(JSON.stringify(o.get('loss-bound-by-slack-certificates')!)) as Outcome;
    const terms = json.obligations!.filter((x) => x.name === 'consecution-term');
    expect(terms.length).toBe(3);
    for (const t of terms) {
      expect(t.established).toBe('proved-region');
      expect(checkCertificate(t.regionCertificate).ok).toBe(true);
    }
    expect(json.obligations!.find((x) => x.name === 'consecution-identity')!.certificate).toBeTruthy();
  });

  it('refuse an identity that does not hold, at an exact point, and fall back to the plain consecution', () => {
    const row = o.get('wrong-certificate-falls-back-to-plain-consecution')!;
    const identity = row.obligations!.find((x) => x.name === 'consecution-identity')!;
    expect(identity.status).toBe('refuted');
    // The missing term eta^2 (1 - p)^2 p is nonzero at the witness: p != 1 and eta != 0.
    const w = identity.witness!;
    expect(exact(w.w1!).mul(exact(w.w2!)).eq(Rational.fromInt(1))).toBe(false);
    expect(exact(w.eta!).eq(Rational.fromInt(0))).toBe(false);
    expect(row.obligations!.find((x) => x.name === 'consecution-term')!.status).toBe('not-attempted');
    expect(row.detail).toMatch(/the slack certificate of "p <= 1" is not used \(consecution-identity refuted/);
    // The set is inductive for these steps: the plain consecution, now claiming p_next <= 1, proves it.
    const plain = row.obligations!.find((x) => x.name === 'consecution')!;
    expect(plain.claim.split('=>')[1]).toMatch(/p_next <= 1/);
    expect(plain.status).toBe('proved');
    expect(row.kind).toBe('PROVED');
  });

  it('leave the row unproved where the certificate is wrong and the set is not kept either, and say both', () => {
    const row = o.get('wrong-certificate-on-a-set-that-is-not-inductive')!;
    expect(row.kind).not.toBe('PROVED');
    expect(row.kind).toBe('FALSIFIED');
    expect(row.detail).toMatch(/^not proved for every t \(counterexample to induction \(consecution\).*the slack certificate of "p <= 1" is not used \(consecution-identity refuted/);
  });

  it('refuse a term that is negative somewhere on I, with an exact point of I where it is', () => {
    const row = o.get('certificate-with-a-negative-term')!;
    const terms = row.obligations!.filter((x) => x.name === 'consecution-term');
    // The negative term is a product: claimed factor by factor first (-eta^2 >= 0 fails), then as a whole (refuted).
    expect(terms.map((x) => x.status)).toEqual(['proved', 'undecided', 'refuted']);
    expect(terms[1]!.detail).toMatch(/^factor by factor fails at .*, so the whole term is claimed next/);
    expect(terms[1]!.claim).toMatch(/=> {2}-eta \^ 2 >= 0 and \(1 - p\) \^ 2 >= 0 and p >= 0$/);
    const w = terms[2]!.witness!;
    const p = exact(w.w1!).mul(exact(w.w2!));
    expect(p.lt(Rational.fromInt(1)) && !p.lt(Rational.fromDecimalString('0.25'))).toBe(true);
    expect(row.detail).toMatch(/not used \(consecution-term refuted: "-eta\^2\*\(1 - p\)\^2\*p >= 0" fails at/);
  });
});

describe('slack certificates on statements (the use obligation)', async () => {
  const o = await outcomes('scalar-d2-slack-certificates.json');

  it('prove a statement tight on I (L_next <= L, equal along p = 1) by its identity and the signs of its terms', () => {
    const row = o.get('loss-monotone-by-a-use-certificate')!;
    expectFullyProved(row);
    const names = row.obligations!.map((x) => x.name);
    expect(names.filter((x) => x.startsWith('use'))).toEqual(['use-identity', 'use-term', 'use']);
    // The certified statement is not asked of the plain use obligation; the other statement is.
    const use = row.obligations!.find((x) => x.name === 'use')!;
    expect(use.claim.split('=>')[1]!.trim()).toBe('L <= 0.29');
    expect(row.obligations!.find((x) => x.name === 'use-identity')!.claim).toMatch(/^every point of the hypotheses {2}=> {2}\(L\) - \(L_next\) == /);
    expect(row.detail).toMatch(/use \(1 statement by its slack certificate: identity and signs on I\)/);
  });

  it('take a weight > 0 on I, proved as an obligation of its own', () => {
    const row = o.get('loss-monotone-by-a-weighted-use-certificate')!;
    expectFullyProved(row);
    expect(row.obligations!.map((x) => x.name).filter((x) => x.startsWith('use'))).toEqual(['use-identity', 'use-weight', 'use-term', 'use']);
    expect(row.obligations!.find((x) => x.name === 'use-identity')!.claim).toMatch(/\(2\) \* \(/);
  });

  it('refuse a weight that is negative on I, with an exact point of I, and put the statement back into the plain use obligation', () => {
    const row = o.get('use-certificate-with-a-weight-of-the-wrong-sign')!;
    const weight = row.obligations!.find((x) => x.name === 'use-weight')!;
    expect(weight.status).toBe('refuted');
    expect(row.obligations!.find((x) => x.name === 'use-identity')!.status).toBe('proved');
    expect(row.obligations!.find((x) => x.name === 'use-term')!.status).toBe('not-attempted');
    expect(row.detail).toMatch(/the slack certificate of the statement "L_next <= L \+ 0.01" is not used \(use-weight refuted/);
    const use = row.obligations!.find((x) => x.name === 'use');
    expect(use!.status).toBe('proved');
    expect(use!.claim.split('=>')[1]).toMatch(/L_next <= L \+ 0.01/);
  });
});

describe('kind leads-to', async () => {
  const o = await outcomes('scalar-d2-leads-to.json');

  it('is PROVED with a contraction factor, with a step bound that real orbits respect', () => {
    const row = o.get('reaches-small-loss-by-ranking-factor')!;
    expectFullyProved(row);
    const bound = Number(/within (\d+) steps/.exec(row.detail)![1]);
    // sup V_0 = 1 - 0.6^2 = 0.64, c <= 1 - 0.4 * 0.01, m = 0.01: the least N with 0.64 c^N < 0.01 is 1038.
    expect(bound).toBe(1038);
    const q = (x: string) => Rational.fromDecimalString(x);
    for (const [w1, w2] of [['0.6', '0.6'], ['0.6', '0.9'], ['0.9', '0.9'], ['0.75', '0.6']] as const) {
      const hit = firstStepInTarget(q(w1), q(w2), q('0.01'), bound + 5);
      expect(hit, `start (${w1}, ${w2})`).not.toBeNull();
      expect(hit!).toBeLessThanOrEqual(bound);
    }
  });

  it('is PROVED with a decrease, and its bound is floor(sup V_0 / d) + 1', () => {
    const row = o.get('reaches-small-loss-by-ranking-decrease')!;
    expectFullyProved(row);
    // 0.64 / (0.01 / 2000) = 128000 (rounded up), + 1.
    expect(row.detail).toMatch(/within 128001 steps/);
  });

  it('falls back to sampling when the ranking step fails, saying which obligation failed and where', () => {
    const row = o.get('ranking-factor-too-small')!;
    expect(row.kind).toBe('VERIFIED');
    expect(row.detail).toMatch(/^not proved for every t \(counterexample to induction \(ranking\)/);
  });

  it('is FALSIFIED where the target set does not imply the statement', () => {
    const row = o.get('target-too-loose-for-the-loss-bound')!;
    expect(row.kind).toBe('FALSIFIED');
    expect(row.detail).toMatch(/^invariant-use fails/);
  });
});

describe('induction lemmas as data', () => {
  const base = (quantifier: Record<string, unknown>): LemmaSpec =>
    ({
      id: 'bad-leads-to',
      title: 't',
      claim: 'D4',
      provenance: 'variant',
      description: 'd',
      expect: 'holds',
      hypotheses: { hyper: { eta: 0.05 }, init: { w1: 0.7, w2: 0.7 } },
      quantifier,
      statement: 'L <= 1',
    }) as unknown as LemmaSpec;
  const problems = (q: Record<string, unknown>) => {
    try {
      compileLemma(base(q), model, 'bad.json');
      return [];
    } catch (e) {
      if (!(e instanceof LemmaError)) throw e;
      return e.problems.map((p) => `${p.field}: ${p.detail}`);
    }
  };

  it('names the field: both decrease and factor, factor without floor, a missing ranking or invariant', () => {
    expect(problems({ kind: 'leads-to', from: 'p <= 1', to: 'p >= 0.99', ranking: '1 - p', decrease: 'eta', factor: '0.5' })).toContain('quantifier.decrease: give exactly one of decrease (V_next <= V - d) and factor (V_next <= c V)');
    expect(problems({ kind: 'leads-to', from: 'p <= 1', to: 'p >= 0.99', ranking: '1 - p', factor: '0.5' })).toContain('quantifier.floor: factor needs floor: a positive lower bound m of V on from minus to');
    expect(problems({ kind: 'leads-to', from: 'p <= 1', to: 'p >= 0.99', decrease: 'eta' }).join('\n')).toMatch(/quantifier.ranking: leads-to needs ranking/);
    expect(problems({ kind: 'invariant' }).join('\n')).toMatch(/quantifier.invariant: invariant needs invariant/);
    expect(problems({ kind: 'invariant', invariant: 'p <= 1', event: 'p >= 0' }).join('\n')).toMatch(/quantifier.event: not a field of invariant/);
    expect(problems({ kind: 'invariant', invariant: 'p <= 1', when: 'p >= 0' })).toEqual([]);
  });

  it('a slack certificate: only on <= or >= relations of kind invariant, with a non-empty list of known terms', () => {
    const kept = (relation: string, k: unknown = ['1 - p']) => ({ kind: 'invariant', invariant: ['w1 >= 0.5', { relation, kept: k }] });
    expect(problems(kept('p < 1')).join('\n')).toMatch(/quantifier.invariant\[1\].relation: a slack certificate needs a relation lhs <= rhs or lhs >= rhs/);
    expect(problems(kept('p == 1')).join('\n')).toMatch(/quantifier.invariant\[1\].relation: a slack certificate needs/);
    expect(problems(kept('p <= 1', [])).join('\n')).toMatch(/quantifier.invariant\[1\].kept: must be a non-empty list of expressions/);
    expect(problems(kept('p <= 1', ['1 - pp'])).join('\n')).toMatch(/quantifier.invariant\[1\].kept\[0\]/);
    expect(problems({ ...kept('p <= 1'), invariant: [{ relation: 'p <= 1', kept: ['1 - p'], terms: [] }] }).join('\n')).toMatch(/not a field of a slack certificate \(its fields: relation, kept, weight\): terms/);
    expect(problems({ kind: 'leads-to', from: 'p <= 1', to: 'p >= 0.99', ranking: '1 - p', decrease: 'eta', invariant: [{ relation: 'p <= 1', kept: ['1 - p'] }] }).join('\n')).toMatch(/quantifier.invariant: a slack certificate \(\{relation, kept\}\) is taken by kind invariant only/);
    expect(problems(kept('p <= 1'))).toEqual([]);
  });

  it('a slack certificate of a statement: names one of the statements, <= or >=, known terms and weight', () => {
    const use = (u: unknown) => ({ kind: 'invariant', invariant: ['w1 >= 0.5'], use: u });
    expect(problems(use([{ relation: 'L <= 1', terms: ['1 - L'] }]))).toEqual([]);
    expect(problems(use([{ relation: 'L  <=  1', terms: ['1 - L'], weight: '2' }]))).toEqual([]);
    expect(problems(use([{ relation: 'L <= 2', terms: ['2 - L'] }])).join('\n')).toMatch(/quantifier.use\[0\].relation: "L <= 2" is not one of the statements/);
    expect(problems(use([{ relation: 'L <= 1', terms: [] }])).join('\n')).toMatch(/quantifier.use\[0\].terms: must be a non-empty list/);
    expect(problems(use([{ relation: 'L <= 1', terms: ['1 - LL'] }])).join('\n')).toMatch(/quantifier.use\[0\].terms\[0\]/);
    expect(problems(use([{ relation: 'L <= 1', terms: ['1 - L'], weight: 'w9' }])).join('\n')).toMatch(/quantifier.use\[0\].weight/);
    expect(problems(use([{ relation: 'L <= 1', kept: ['1 - L'] }])).join('\n')).toMatch(/quantifier.use\[0\]: not a field of a slack certificate \(its fields: relation, terms, weight\): kept/);
    expect(problems(use('L <= 1')).join('\n')).toMatch(/quantifier.use: must be a list of slack certificates/);
    expect(problems({ kind: 'every-step', use: [{ relation: 'L <= 1', terms: ['1 - L'] }] }).join('\n')).toMatch(/quantifier.use: not a field of every-step/);
  });

  it('the set boxes of starts enter reads a certified entry as its relation', () => {
    const l = compileLemma({ ...base({ kind: 'invariant', invariant: ['w1 >= 0.5', { relation: 'p <= 1', kept: ['1 - p'] }], reach: '4' }), id: 'reach-kept' }, model, 'reach.json');
    expect(reachInvariant(l)).toEqual(['w1 >= 0.5', 'p <= 1']);
  });
});

describe('start values in an invariant (X_0: a variable of its own in every claim after initiation)', async () => {
  // The set of scalar-d2-slack-certificates.json's first row (w in [0.5, 2]^2, 0.25 <= p <= 1, both kept by certificates).
  const set = [
    'w1 >= 0.5',
    'w2 >= 0.5',
    'w1 <= 2',
    'w2 <= 2',
    { relation: 'p <= 1', kept: ['(1 - p)*(1 - eta*(w1^2 + w2^2) - eta^2*(1 - p)*p)'] },
    { relation: 'p >= 0.25', kept: ['p - 0.25', 'eta*(1 - p)*(w1^2 + w2^2 + eta*(1 - p)*p)'] },
  ];
  const rise = 'eta*(1 - p)*(w1^2 + w2^2 + eta*(1 - p)*p)';
  const lemma = (id: string, quantifier: Record<string, unknown>, statement: string | string[]) =>
    compileLemma(
      {
        id,
        title: id,
        claim: 'D4',
        provenance: 'variant',
        description: 'start values',
        hypotheses: { hyper: { eta: { min: 0.01, max: 0.1 } }, init: { w1: { min: 0.6, max: 0.9 }, w2: { min: 0.6, max: 0.9 } } },
        quantifier,
        statement,
        steps: 50,
        runs: 4,
        expect: 'holds',
      } as unknown as LemmaSpec,
      model,
      'start.json',
    );
  const [rises, notInductive, wrongStart] = await Promise.all([
    // p never falls below its start: p_next - p_0 = (p - p_0) + eta (1 - p)(...), each term >= 0 on I.
    verifyLemma(model, lemma('p-never-below-its-start', { kind: 'invariant', invariant: [...set, { relation: 'p >= p_0', kept: ['p - p_0', rise] }], use: [{ relation: 'p_next >= p_0', terms: ['p - p_0', rise] }] }, ['p >= p_0', 'p_next >= p_0']), { seed: 1 }),
    // True along these orbits (w1 grows while p < 1) but not inductive alone: where p > 1, w1 falls.
    verifyLemma(model, lemma('w1-never-below-its-start-alone', { kind: 'invariant', invariant: ['w1 >= w1_0'] }, 'w1 >= w1_0'), { seed: 1 }),
    verifyLemma(model, lemma('p-above-its-start-at-the-start', { kind: 'invariant', invariant: [...set, 'p >= p_0 + 0.01'] }, 'p >= p_0'), { seed: 1 }),
  ]);

  it('is PROVED where the set, its certificates and the statement read p_0: every claim after initiation over p_0 as a variable', () => {
    expectFullyProved(rises);
    const initiation = rises.obligations!.find((x) => x.name === 'initiation')!;
    // At the start the state is the start: p_0 reads as p.
    expect(initiation.claim).toMatch(/p >= p(?!_)/);
    expect(initiation.claim).not.toMatch(/p_0|p_start/);
    const identity = rises.obligations!.filter((x) => x.name === 'consecution-identity').map((x) => x.claim);
    expect(identity.some((c) => c.includes('p_0'))).toBe(true);
    // The claims show the start value as the lemma writes it; the region certificates name its variable.
    for (const ob of rises.obligations!) expect(ob.claim).not.toMatch(/_start/);
    const regions = rises.obligations!.filter((x) => x.regionCertificate && JSON.stringify(x.regionCertificate).includes('p_start'));
    expect(regions.length).toBeGreaterThan(0);
    // The statement p >= p_0 is one of I's relations word for word; p_next >= p_0 is by its use certificate.
    expect(rises.obligations!.find((x) => x.name === 'use')!.detail).toBe('each conclusion is one of the premises');
    expect(rises.obligations!.map((x) => x.name)).toContain('use-term');
  });

  it('shows a counterexample to induction where a start-value relation is not inductive, and samples', () => {
    expect(notInductive.kind).toBe('VERIFIED');
    expect(notInductive.detail).toMatch(/counterexample to induction \(consecution\)/);
    const w = notInductive.obligations!.find((x) => x.name === 'consecution')!.witness!;
    // The witness gives the start value too, named as the lemma writes it.
    expect(Object.keys(w)).toEqual(expect.arrayContaining(['w1', 'w2', 'eta', 'w1_0']));
    expect(notInductive.detail).toMatch(/the conclusion "w1_next >= w1_0" fails one step later/);
  });

  it('refutes a start-value relation that fails at the starts (initiation), at an exact start', () => {
    expect(wrongStart.kind).toBe('FALSIFIED');
    expect(wrongStart.obligations!.find((x) => x.name === 'initiation')!.status).toBe('refuted');
  });

  it('does not refute a claim where the use obligation fails at a point with a start value as a variable: the sampled check decides', async () => {
    const o = await verifyLemma(model, lemma('p-half-above-its-start', { kind: 'invariant', invariant: [...set, { relation: 'p >= p_0', kept: ['p - p_0', rise] }] }, 'p >= p_0 + 0.5'), { seed: 1 });
    expect(o.obligations!.find((x) => x.name === 'use')!.status).toBe('refuted');
    expect(o.detail).toMatch(/use fails at .*its start values are variables there, so the point need not lie on an orbit\); sampled instead/);
    // False at every start (p = p_0 there): the sampled check finds it at step 0, on a start it can replay.
    expect(o.kind).toBe('FALSIFIED');
    expect(o.counterexample!.step).toBe(0);
  });

  it('refuses start values for boxes of starts (reach): a box has no one start', async () => {
    const o = await verifyLemma(model, lemma('reach-with-start-values', { kind: 'invariant', invariant: ['w1 >= w1_0'], reach: '4' }, 'w1 >= 0.5'), { seed: 1 });
    expect(o.detail).toMatch(/start values/);
  });
});

describe('induction lemmas in shards', () => {
  it('merge to the unsharded report: the proof and its fallback run as one unit', async () => {
    const files = [fixture('scalar-d2-invariants.json')];
    const opts = { seed: 20250304, budget: 0.5 };
    const strip = (os: Outcome[]) => JSON.stringify(os.map((o) => ({ ...o, timeMs: undefined })));
    const whole = await verifyFiles(model, files, opts);
    const shards = [];
    for (let k = 1; k <= 2; k++) shards.push(JSON.parse(JSON.stringify(await runShard(model, files, { k, n: 2 }, opts))));
    expect(strip((await mergeShards(model, files, shards)).outcomes)).toBe(strip(whole));
    expect(whole.filter((o) => o.kind === 'PROVED').length).toBe(2);
  });
});

describe('a product term claimed factor by factor', async () => {
  // C8 for every t (lemmas/c8-stable-phase-every-t.ts): the use term (E11 E22 - E12^2) (alpha beta2 - 1)^2 vanishes on
  // the minimizer curve inside I, so as a whole it is tight there; factor by factor each is decided at once.
  const minimalist = deriveModel(loadPack('minimalist').spec);
  const file = fileURLToPath(new URL('../../lemmas/c8-stable-phase-every-t.ts', import.meta.url));
  const loaded = (await loadLemmas([file], minimalist)).find((l) => l.ok && l.lemma.id === 'c8-stable-phase-monotone-for-every-t');
  if (!loaded?.ok) throw new Error('c8-stable-phase-monotone-for-every-t did not load');
  const row = await verifyLemma(minimalist, loaded.lemma, { seed: 20250304 });

  it('proves C8 (L_next <= L) for every t from the stable-phase box, every region certificate re-checked', () => {
    expectFullyProved(row);
  });

  it('records the product term as its factors, each >= 0 on I', () => {
    const terms = row.obligations!.filter((x) => x.name === 'use-term');
    expect(terms).toHaveLength(2);
    expect(terms[1]!.claim).toMatch(/=> {2}.* >= 0 and \(alpha \* beta2 - 1\) \^ 2 >= 0$/);
  });
});

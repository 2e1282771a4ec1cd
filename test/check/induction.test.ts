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
import { Rational } from '../../src/numeric/rational.js';

// Issue 24 items 1-2: claims for every start and every t, proved by an inductive invariant or a ranking function.

const model = deriveModel(loadPack('scalar-d2').spec);
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/induction/${name}`, import.meta.url));

async function outcomes(file: string): Promise<Map<string, Outcome>> {
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
    expect(problems({ kind: 'invariant', invariant: 'p <= 1', when: 'p >= 0' }).join('\n')).toMatch(/quantifier.when: not a field of invariant/);
  });

  it('an invariant over start values is not set up as an induction: the row says so and samples', async () => {
    const l = compileLemma({ ...base({ kind: 'invariant', invariant: ['p <= p_0 + 1'] }), id: 'reads-start', steps: 50, runs: 4 }, model, 'start.json');
    const o = await verifyLemma(model, l, { seed: 1 });
    expect(o.kind).toBe('VERIFIED');
    expect(o.detail).toMatch(/^not proved for every t \(no induction proof: quantifier.invariant "p <= p_0 \+ 1" reads start values/);
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

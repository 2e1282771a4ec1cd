/**
 * Issue 24 item 6: the independent re-checker of reachability certificates (src/certificate/reach.ts) on
 * certificates the prover writes (check/reach-certificate.ts, from check/box-reach.ts's leaves), and on
 * tampered copies that must fail: a leaf removed, a leaf's box widened beyond its parent, a statement tightened
 * until it is false at some step, a wrong step expression, a wrong model stated consistently (loss and step), an
 * entered leaf's step moved before its orbits are in the set. Then `eos-check check-certificate` on reach rows.
 * The pack is scalar-d2 (L = (w1 w2 - 1)^2 / 2), whose orbits from below the minimizer curve climb to it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack } from '../../src/model/pack.js';
import { compileLemma, type CompiledLemma } from '../../src/lemma/compile.js';
import type { LemmaSpec } from '../../src/lemma/types.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import { reachUnit, reachUnitCount, summarize, type ReachUnit } from '../../src/check/box-reach.js';
import { invariantRelations, type KeptResult } from '../../src/check/box-invariant.js';
import { reachCertificate, type ReachCertificate } from '../../src/check/reach-certificate.js';
import { checkReachCertificate, PIECES } from '../../src/certificate/reach.js';
import { runCli } from '../support/cli.js';

const model = deriveModel(loadPack('scalar-d2').spec);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const D4 = 'lemmas/scalar-d2/d4-near-the-minimizers-by-step-20-on-boxes.ts';
const D4_ID = 'd4-within-10-percent-of-the-minimizers-from-step-20-on-boxes-d2';

function lemmaOf(statement: string, steps: number, extra: Partial<LemmaSpec> = {}): CompiledLemma {
  const spec: LemmaSpec = {
    id: 'reach-cert',
    title: 't',
    claim: 'D4',
    provenance: 'variant',
    description: 'd',
    hypotheses: { hyper: { eta: { min: 0.05, max: 0.055 } }, init: { w1: { min: 0.6, max: 0.7 }, w2: { min: 0.6, max: 0.7 } } },
    quantifier: { kind: 'every-step' },
    statement,
    steps,
    runs: 4,
    expect: 'holds',
    ...extra,
  };
  return compileLemma(spec, model, 'reach.test.ts');
}

/** The certificate of a lemma's boxes, decided by the prover's engine directly (a stub for the set's obligations). */
function certify(lemma: CompiledLemma, budget: number, set?: { relations: string[]; kept: boolean }): ReachCertificate {
  const invariant = set ? invariantRelations(model, lemma, set.relations) : undefined;
  const units: ReachUnit[] = Array.from({ length: reachUnitCount(lemma) }, (_, u) =>
    reachUnit(model, lemma, u, { budget, invariant, use: set !== undefined, kept: set?.kept ?? false, admits: () => true, certify: () => null }),
  );
  const kept: KeptResult | null = set ? { status: set.kept ? 'proved' : 'not-proved', obligations: [], detail: '', kept: set.kept, use: true } : null;
  const summary = summarize(units, budget, lemma.steps, set?.relations ?? null, set?.kept ?? false, lemma.quantifier.kind === 'invariant');
  return reachCertificate(model, lemma, units, kept, summary);
}

function expectFail(c: unknown, path: string, message: RegExp, maxFailures = 1): void {
  const r = checkReachCertificate(c, { maxFailures });
  expect(r.ok).toBe(false);
  expect(r.failures.map((f) => `${f.path}: ${f.message}`).join('\n')).toMatch(new RegExp(`(^|\\n)${path}: .*${message.source}`));
}

/** GD on scalar-d2 in float64 (for margins far above rounding). */
function orbit(w1: number, w2: number, eta: number, n: number): [number, number] {
  for (let t = 0; t < n; t++) {
    const r = eta * (w1 * w2 - 1);
    [w1, w2] = [w1 - r * w2, w2 - r * w1];
  }
  return [w1, w2];
}

describe('a PROVED reach row (lemmas/scalar-d2/d4-near-the-minimizers-by-step-20-on-boxes.ts) re-checked', async () => {
  const [row] = await verifyFiles(model, [D4], { seed: 3, only: D4_ID });
  const cert = (row as unknown as { reachCertificate: ReachCertificate }).reachCertificate;

  it('the row carries its certificate, and every leaf is re-established', () => {
    expect(row!.kind, row!.detail).toBe('PROVED');
    expect(row!.established).toBe('proved-reach');
    expect(row!.certificate).toMatch(/reachCertificate \(eos-check-reach\/1\)/);
    expect(cert.format).toBe('eos-check-reach/1');
    expect(cert.fractions).toEqual({ proved: '1', upToT: '1', outside: '0' });
    expect(cert.step.w1).toMatch(/eta/);
    const r = checkReachCertificate(cert);
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.leaves).toBe(cert.leaves.length);
    expect(r.states).toEqual({ proved: cert.leaves.length });
    // Every leaf enclosed through T = 40 (steps 0..40), with no set to rely on.
    expect(r.boxSteps).toBeGreaterThanOrEqual(41 * cert.leaves.length);
    expect(r.relies).toEqual([]);
  });

  it('a leaf removed: the leaves no longer tile the box', () => {
    const c = clone(cert);
    c.leaves.splice(3, 1);
    expectFail(c, 'certificate', /add up to 15\/16, not 1: they do not tile/);
    // The proved fraction the certificate states is no longer the leaves' either.
    expect(checkReachCertificate(c).failures.map((f) => f.message).join('\n')).toMatch(/the proved leaves are 15\/16 of the volume/);
  });

  it("a leaf's box widened beyond its parent", () => {
    const c = clone(cert);
    const leaf = c.leaves[0]!;
    const [lo, hi] = leaf.box.w1!.split('..');
    expect([lo, hi]).toEqual(['1/2', '21/40']);
    leaf.box.w1 = `2/5..${hi}`;
    expectFail(c, leaf.path, /are not the two halves of one range at its midpoint/);
    // Its box also sticks out of the hypothesis box, which the joined tree shows too.
    const d = clone(cert);
    d.leaves[0]!.box.eta = '9/100..1/10';
    expectFail(d, d.leaves[0]!.path, /differ in 2 coordinates/);
  });

  it('a statement tightened until it is false at some step (p >= 0.95: the slowest orbit has p = 0.935 at step 20)', () => {
    expect(orbit(0.5, 0.5, 0.09, 20)[0] ** 2).toBeLessThan(0.95);
    const c = clone(cert);
    c.statements[0] = { text: 'p >= 0.95', rel: '>=', lhs: '(w1 * w2)', rhs: '(19/20)' };
    expectFail(c, c.leaves[0]!.path, /proved leaf: at step 2\d "p >= 0\.95" is false on the whole enclosure while every premise holds/);
  });

  it('a claim false on the true orbit from a corner of the box by 1e-6 (float64 is good to about 1e-14 there) is not re-established', () => {
    // Mutation check: without the mean-value remainder R |G| in the zonotope step, the checker accepts this claim.
    const [a, b] = orbit(0.5, 0.5, 0.09, 20);
    const c = clone(cert);
    c.when = [{ text: 't == 20', rel: '==', lhs: 't', rhs: '20' }];
    c.statements = [{ text: 'p >= p20 + 1e-6', rel: '>=', lhs: '(w1 * w2)', rhs: String(a * b + 1e-6) }];
    const r = checkReachCertificate(c, { maxFailures: 1 });
    expect(r.ok).toBe(false);
    expect(r.failures[0]!.path).toBe(cert.leaves[0]!.path);
    expect(r.failures[0]!.message).toMatch(/^proved leaf: at step 20 "p >= p20 \+ 1e-6" is (not shown|false)/);
  });

  it('a wrong step expression (eta replaced by 2 eta) is not the GD step of the loss', () => {
    const c = clone(cert);
    c.step.w1 = c.step.w1!.replace('eta', '(2 * eta)');
    expectFail(c, 'certificate', /the step of w1 is not w1 - eta dL\/dw1 of the loss "1\/2 \* \(w1 \* w2 - 1\)\^2"/);
  });

  it('a wrong model stated consistently (loss and step 10 times steeper: eta S near 2): the orbits do not stay near the curve', () => {
    const c = clone(cert);
    c.model.loss = '5 * (w1 * w2 - 1)^2';
    for (const p of ['w1', 'w2'] as const) c.step[p] = c.step[p]!.replace('(eta *', '((10 * eta) *');
    const r = checkReachCertificate(c, { maxFailures: 1 });
    expect(r.ok).toBe(false);
    expect(r.failures[0]!.path).not.toBe('certificate');
    expect(r.failures[0]!.message).toMatch(/^proved leaf: /);
  });

  it('malformed certificates are failures of the whole, not exceptions', () => {
    expectFail({ ...cert, format: 'nope' }, 'certificate', /format is "nope"/);
    const c = clone(cert);
    c.statements[0]!.lhs = 'S';
    expectFail(c, 'certificate', /reads "S", which this checker does not enclose/);
    const d = clone(cert);
    d.fractions.proved = '1/2';
    expectFail(d, 'certificate', /the proved leaves are 1 of the volume inside the where relations, the certificate says 1\/2/);
  });
});

describe('leaves that entered an invariant set, outside leaves, premises', () => {
  // The set of d4-loss-never-exceeds-its-bound-from-a-box-d2 and the box of lemmas/scalar-d2/d4-reach-from-a-wider-box.ts.
  const kept = ['w1 >= 0.5', 'w2 >= 0.5', 'w1 <= 2', 'w2 <= 2', 'p <= 1', 'p >= 0.25'];
  const inKept = (w1: number, w2: number) => w1 >= 0.5 && w2 >= 0.5 && w1 <= 2 && w2 <= 2 && w1 * w2 <= 1 && w1 * w2 >= 0.25;
  const wider = lemmaOf('L <= 0.5', 200, {
    hypotheses: { hyper: { eta: { min: 0.05, max: 0.1 } }, init: { w1: { min: 0.4, max: 0.9 }, w2: { min: 0.4, max: 0.9 } } },
    quantifier: { kind: 'invariant', invariant: kept, reach: '64' },
  });
  const cert = certify(wider, 64, { relations: kept, kept: true });

  it('entered leaves: the statement before the step, the set at it; the leaves rely on consecution and use', () => {
    expect(cert.leaves.every((l) => l.state === 'entered')).toBe(true);
    expect(cert.fractions.proved).toBe('1');
    const r = checkReachCertificate(cert);
    expect(r.failures).toEqual([]);
    expect(r.relies).toEqual(['consecution', 'use']);
    // The set not proved kept: an entered leaf claims nothing for the later steps (the builder makes it open).
    const notKept = certify(wider, 64, { relations: kept, kept: false });
    expect(notKept.leaves.every((l) => l.state === 'open')).toBe(true);
    const c = clone(cert);
    c.invariant!.kept = false;
    expectFail(c, c.leaves[0]!.path, /entered leaf: an entered leaf, but the certificate's set is not proved both kept and implying the statement/);
  });

  it("an entered leaf's step moved to one where some of its orbits are still outside the set", () => {
    // The leaf holding the corner w = (0.4, 0.4), eta = 0.05: its float orbit leaves the set's complement last.
    const c = clone(cert);
    const leaf = c.leaves.find((l) => l.box.w1!.startsWith('2/5..') && l.box.w2!.startsWith('2/5..') && l.box.eta!.startsWith('1/20..'))!;
    let early = leaf.step! - 1;
    while (early > 0 && inKept(...orbit(0.4, 0.4, 0.05, early))) early--;
    expect(inKept(...orbit(0.4, 0.4, 0.05, early))).toBe(false);
    expect(early).toBeGreaterThan(0);
    leaf.step = early;
    expectFail(c, leaf.path, new RegExp(`entered leaf: at step ${early} the enclosure is not shown inside the set`));
  });

  it("outside leaves fail a where relation everywhere; an inside leaf claimed outside does not", () => {
    const lemma = lemmaOf('L <= 0.5', 30, {
      hypotheses: { hyper: { eta: { min: 0.05, max: 0.055 } }, init: { w1: { min: 0.6, max: 0.7 }, w2: { min: 0.6, max: 0.7 } }, where: ['w1_0 + w2_0 <= 1.25'] },
    });
    const c = certify(lemma, 64);
    expect(c.fractions.outside).toBe('1/4');
    expect(c.leaves.filter((l) => l.state === 'outside').length).toBeGreaterThan(0);
    expect(checkReachCertificate(c).failures).toEqual([]);
    const bad = clone(c);
    const k = bad.leaves.findIndex((l) => l.state === 'proved' && l.box.w1!.startsWith('3/5..'));
    bad.leaves[k]!.state = 'outside';
    // Every failure, not the first only: the outside share the certificate states no longer adds up either.
    expectFail(bad, bad.leaves[k]!.path, /outside leaf: no where relation is shown false on the box/, Infinity);
    expectFail(bad, 'certificate', /the outside leaves are \d+\/\d+ of the box, the certificate says 1\/4/, Infinity);
  });

  it('left leaves: every orbit fails an along hypothesis at the step, the statement holds before', () => {
    const lemma = lemmaOf('L <= 0.5', 60, {
      hypotheses: { hyper: { eta: { min: 0.05, max: 0.055 } }, init: { w1: { min: 0.6, max: 0.7 }, w2: { min: 0.6, max: 0.7 } }, along: ['p <= 0.8'] },
    });
    const c = certify(lemma, 64);
    expect(c.leaves.every((l) => l.state === 'left' && l.step! > 10)).toBe(true);
    expect(checkReachCertificate(c).failures).toEqual([]);
    // Moved to step 5, where p <= 0.8 still holds on every orbit (p_0 <= 0.49, p climbs by less than 0.05 a step).
    const bad = clone(c);
    bad.leaves[2]!.step = 5;
    expectFail(bad, bad.leaves[2]!.path, /left leaf: at step 5 no along hypothesis is shown to fail on the enclosure, where they all hold$/);
  });

  it('premises: a when relation, and an event from whose first possible step the statement is asserted', () => {
    const when = certify(lemmaOf('L <= 0.05', 30, { quantifier: { kind: 'every-step', when: 'p >= 0.8' } }), 64);
    expect(when.fractions.proved).toBe('1');
    expect(checkReachCertificate(when).failures).toEqual([]);
    // Without its premise the claim is false at the start (p_0 <= 0.49 gives L >= 0.13).
    const noWhen = clone(when);
    noWhen.when = [];
    expectFail(noWhen, noWhen.leaves[0]!.path, /at step 0 "L <= 0\.05" is false on the whole enclosure while every premise holds/);
    const after = certify(lemmaOf('L <= 0.2', 30, { quantifier: { kind: 'eventually', event: 'p >= 0.5', from: 'T_event' } }), 64);
    expect(after.kind).toBe('after-event');
    expect(after.fractions.proved).toBe('1');
    expect(checkReachCertificate(after).failures).toEqual([]);
    // An event that holds from the start asserts the statement at step 0, where it fails for p_0 < 0.3675.
    const early = clone(after);
    early.event = { text: 'p >= 0.3', rel: '>=', lhs: '(w1 * w2)', rhs: '(3/10)' };
    expect(checkReachCertificate(early, { maxFailures: 1 }).ok).toBe(false);
  });
});

describe('eos-check check-certificate on reach rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eos-reach-cert-'));
  const [row] = await verifyFiles(model, [D4], { seed: 3, only: D4_ID });
  const write = (name: string, outcomes: unknown[]) => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify({ model: { name: 'scalar-d2', loss: model.spec.loss }, outcomes }));
    return f;
  };

  it('exit 0 with one "ID / reach" line; exit 1 when the certificate or the row disagrees', async () => {
    const good = await runCli(['check-certificate', write('good.json', [row])]);
    expect(good.code, good.out).toBe(0);
    expect(good.out).toMatch(new RegExp(`^${D4_ID} / reach: ok, 16 leaves re-established \\(proved fraction 1 through T = 40; 16 boxes enclosed, \\d+ box-steps\\) \\(\\d+ ms\\)$`));
    const tampered = clone(row) as unknown as { reachCertificate: ReachCertificate };
    tampered.reachCertificate.leaves.pop();
    const bad = await runCli(['check-certificate', write('bad.json', [tampered]), '--id', D4_ID]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(new RegExp(`^${D4_ID} / reach: FAILED, \\d+ failures in 15 leaves; first at certificate: the leaves' volumes`));
    // The certificate holds, but the row says more than it proves.
    const overstated = clone(row) as unknown as { reach: { fractions: { proved: string } }; reachCertificate: ReachCertificate; kind: string };
    overstated.reachCertificate.leaves[0]!.state = 'open';
    overstated.reachCertificate.fractions.proved = overstated.reachCertificate.fractions.upToT = '15/16';
    const o = await runCli(['check-certificate', write('over.json', [overstated])]);
    expect(o.code).toBe(1);
    expect(o.out).toMatch(/FAILED, 3 failures in 16 leaves; first at row: the row's reach\.fractions\.proved is "1", the certificate's "15\/16"/);
    // The certificate holds on its own box, but the row's lemma states a wider one.
    const wider = clone(row) as unknown as { lemma: { definition: { hypotheses: { init: { w1: { max: number } } } } } };
    wider.lemma.definition.hypotheses.init.w1.max = 0.7;
    const w = await runCli(['check-certificate', write('wider.json', [wider])]);
    expect(w.code).toBe(1);
    expect(w.out).toMatch(/first at row: the lemma's w1 ranges over \[1\/2, 7\/10\], the certificate's box over \["1\/2","3\/5"\]/);
    const otherLoss = JSON.stringify({ model: { loss: '(w1 * w2 - 1)^2' }, outcomes: [row] });
    writeFileSync(join(dir, 'loss.json'), otherLoss);
    expect((await runCli(['check-certificate', join(dir, 'loss.json')])).out).toMatch(/first at row: the report's model has the loss "\(w1 \* w2 - 1\)\^2"/);
  });

  it("entered leaves: the row must have the set's obligations proved; the line names them", async () => {
    const kept = ['w1 >= 0.5', 'w2 >= 0.5', 'w1 <= 2', 'w2 <= 2', 'p <= 1', 'p >= 0.25'];
    const lemma = lemmaOf('L <= 0.5', 200, {
      hypotheses: { hyper: { eta: { min: 0.05, max: 0.1 } }, init: { w1: { min: 0.4, max: 0.9 }, w2: { min: 0.4, max: 0.9 } } },
      quantifier: { kind: 'invariant', invariant: kept, reach: '64' },
    });
    const cert = certify(lemma, 64, { relations: kept, kept: true });
    const reach = { fractions: { proved: '1', upToT: '0', outside: '0' }, horizon: 200 };
    const ob = (name: string, status: string) => ({ name, status, established: status === 'proved' ? 'proved-z3' : null, regionCertificate: null });
    const base = { id: 'entered', kind: 'PROVED', statement: ['L <= 0.5'], reach, reachCertificate: cert };
    const ok = await runCli(['check-certificate', write('entered.json', [{ ...base, obligations: [ob('consecution', 'proved'), ob('use', 'proved')] }])]);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toMatch(/^entered \/ reach: ok, \d+ leaves re-established \(proved fraction 1 for every t, 0 through T = 200; .*\); relies on the set's obligations consecution \(proved-z3: not re-checked here\), use \(proved-z3: not re-checked here\)/);
    const missing = await runCli(['check-certificate', write('missing.json', [{ ...base, obligations: [ob('consecution', 'undecided'), ob('use', 'proved')] }])]);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/first at row: leaves rely on the set's consecution obligation, which the row has undecided/);
  });

  it('help check-certificate names the reach certificates and the checker\'s own budget', async () => {
    const h = await runCli(['help', 'check-certificate']);
    expect(h.out).toMatch(/reachCertificate/);
    expect(h.out).toContain(`at most ${PIECES} boxes per leaf`);
  });
});

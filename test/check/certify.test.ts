/**
 * Counterexamples re-established on the true orbit (issue 16): a catalogue counterexample is certified
 * on the certified enclosure of the true GD orbit from its exact start, and a violation that only the
 * computed orbit has (a float64 rounding fixed point) is certified to be an artefact and is not FALSIFIED.
 */
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import { loadLemmas } from '../../src/lemma/load.js';
import { certifyViolation } from '../../src/check/certify.js';
import { compileLemma } from '../../src/lemma/compile.js';
import { loadPack } from '../../src/model/pack.js';
import { readFileSync } from 'node:fs';
import type { ModelSpec } from '../../src/model/spec.js';
import { defineLemma, type LemmaSpec } from '../../src/lemma/types.js';
import { verifyLemma } from '../../src/check/verify.js';
import type { DerivedModel } from '../../src/symbolic/derive.js';
import type { Counterexample } from '../../src/check/outcome.js';

const model = deriveModel(minimalistModel);

describe('the true orbit of a counterexample', () => {
  it('certifies the violation of a false catalogue claim at its step, with the precision used', async () => {
    const [o] = await verifyFiles(model, ['lemmas/c8-eos-phase-ends.ts'], { seed: 20250304, only: 'c8-loss-decreases-at-every-step' });
    expect(o!.kind).toBe('FALSIFIED');
    const c = o!.counterexample!;
    expect(c.trueOrbit!.certified).toBe(true);
    expect(c.trueOrbit!.step).toBe(c.step);
    expect(c.trueOrbit!.bits).toBeGreaterThanOrEqual(128);
    expect(c.trueOrbit!.text).toBe(`violated on the true orbit at step ${c.step} (certified, ${c.trueOrbit!.bits} bits)`);
  });

  it('a violation of the stalled computed orbit only is a certified rounding artefact: UNDECIDED, not FALSIFIED', async () => {
    const [o] = await verifyFiles(model, ['test/fixtures/soundness/stalled-artefact.ts'], { seed: 1 });
    expect(o!.kind, o!.detail).toBe('UNDECIDED');
    expect(o!.stalledTrajectories).toBe(1);
    expect(o!.diagnosis).toMatchObject({ reason: 'rounding-artefact', step: 50 });
    expect(o!.detail).toMatch(/holds at step 50 \(certified\)/);
  });

  it('says why when it cannot certify a divergence the enclosure does not show; a flow-limit counterexample is certified at the enclosed limit', async () => {
    const [l] = await loadLemmas(['test/fixtures/soundness/stalled-artefact.ts'], model);
    if (!l!.ok) throw l!.error;
    const ce = { hyper: { eta: 0.1, lambda1: 1, lambda2: 1 }, init: { alpha: 1, beta1: 0, beta2: 1.0000000000000002 }, step: 3, statement: '(trajectory exists)', lhs: null, rhs: null, confirmedExactly: false, what: '', seed: 1, path: '0', command: '', trueOrbit: null };
    // This orbit converges: at step 3 no parameter is beyond 10^100, so the claimed divergence is not certified.
    expect(certifyViolation(model, l!.lemma, ce).text).toMatch(/^not certified on the true orbit: the true orbit's enclosure at step 3 does not show the divergence/);
    const flow = { ...l!.lemma, quantifier: { kind: 'flow-limit' } } as unknown as typeof l.lemma;
    // A flow-limit lemma has no orbit: its counterexample is re-established at the enclosed gradient-flow limit
    // from the exact start (L < L_0 fails at the start itself).
    const r = certifyViolation(model, flow, { ...ce, statement: 'L < L_0' });
    expect(r.certified).toBe(true);
    expect(r.text).toMatch(/true gradient-flow limit/);
  });

  it('certifies a within window (the trigger step) and a divergence (a parameter beyond 10^100) on the true orbit', async () => {
    const catapult = deriveModel(loadPack('catapult-n2').spec);
    const file = 'lemmas/catapult-n2/k4-catapult-regime.ts';
    // Seed 2: a window certified at the ladder's first precision, and a divergence by a parameter (at the default seed
    // the draws reach one whose window needs 512 bits, and one whose loss leaves the double range first).
    const [w] = await verifyFiles(catapult, [file], { seed: 2, only: 'k4-n2-catapult-loss-rises-at-some-step' });
    expect(w!.kind).toBe('FALSIFIED');
    expect(w!.counterexample!.trueOrbit!.text).toBe(`violated on the true orbit at step ${w!.counterexample!.step} (certified, 128 bits)`);
    const [d] = await verifyFiles(catapult, [file], { seed: 2, only: 'k4-n2-catapult-with-nonzero-target-converges' });
    expect(d!.counterexample!.statement).toBe('(trajectory exists)');
    expect(d!.counterexample!.trueOrbit!.text).toMatch(new RegExp(`^diverges on the true orbit by step ${d!.counterexample!.step}: \\|[uv][12]\\| > 10\\^100 \\(certified, \\d+ bits\\)$`));
  });

  it('carries T_event from the event on: an eventually claim whose window starts at T_event, and a tightness figure that reads it', async () => {
    const [e] = await verifyFiles(model, ['lemmas/c12-stable-set.ts'], { seed: 20250304, only: 'c12-gradient-nearly-orthogonal-to-top-eigenvector' });
    expect(e!.kind).toBe('FALSIFIED');
    expect(e!.counterexample!.trueOrbit!.certified, e!.counterexample!.trueOrbit!.text).toBe(true);
    // The worst case's figure on the true orbit encloses the computed orbit's (faithful there) at 7 digits.
    const [v] = await verifyFiles(model, ['lemmas/c8-eos-phase-ends.ts'], { seed: 20250304, runs: 8, only: 'c8-linear-rate-once-gfs-sharpness-below-threshold' });
    expect(v!.kind).toBe('VERIFIED');
    const t = v!.tightness!;
    expect(t.trueOrbit!.certified, t.trueOrbit!.text).toBe(true);
    expect(Number(t.trueOrbit!.lo)).toBeLessThanOrEqual(t.observedMaxNeeded);
    expect(Number(t.trueOrbit!.hi)).toBeGreaterThanOrEqual(t.observedMaxNeeded);
  });

  it('a window that reads log10 |beta1| is decided rigorously and its violation certified on the true orbit', async () => {
    const [o] = await verifyFiles(model, ['test/fixtures/certify/log-window.ts'], { seed: 20250304 });
    expect(o!.kind, o!.detail).toBe('FALSIFIED');
    expect(o!.established).toBe('exact');
    expect(o!.counterexample!.confirmedExactly).toBe(true);
    expect(o!.counterexample!.trueOrbit!.text).toBe(`violated on the true orbit at step ${o!.counterexample!.step} (certified, 128 bits)`);
  });

  it('a divergence is certified only with the along hypotheses re-established on the true orbit up to it', async () => {
    const [o] = await verifyFiles(model, ['test/fixtures/soundness/diverges-along.ts'], { seed: 1 });
    expect(o!.kind).toBe('FALSIFIED');
    expect(o!.counterexample!.statement).toBe('(trajectory exists)');
    expect(o!.counterexample!.trueOrbit!.text).toBe(`diverges on the true orbit by step ${o!.counterexample!.step}: |alpha| > 10^100 (certified, 128 bits)`);
    // The same divergence under an along hypothesis the true orbit breaks at once (beta1 starts at 1).
    const [l] = await loadLemmas(['test/fixtures/soundness/diverges-along.ts'], model);
    if (!l!.ok) throw l!.error;
    const spec = l!.lemma.spec;
    const strict = compileLemma({ ...spec, hypotheses: { ...spec.hypotheses, along: ['beta1 < 0.5'] } }, model, 'diverges-along.ts');
    const r = certifyViolation(model, strict, o!.counterexample!);
    expect(r.certified).toBe(false);
    expect(r.text).toBe('not certified on the true orbit: the true orbit leaves the hypotheses (along) at step 0, before the divergence');
  });
});

// Lemmas written from scratch (issue 24, item 3): each hit one of the defects below on the code before it.
const fromFile = (path: string) => deriveModel(JSON.parse(readFileSync(path, 'utf8')) as ModelSpec);
const half = fromFile('test/fixtures/projected/halfspace.json');
const R1 = { eta: 1.9, lambda1: 1, lambda2: 1e-3 };
const HALF_START = { alpha: 0.95, beta1: 0.01, beta2: 0.1 };

function scratch(m: DerivedModel, hyper: Record<string, number>, init: Record<string, number>, fields: Pick<LemmaSpec, 'quantifier' | 'statement' | 'steps'>, claim = 'C6') {
  const spec = defineLemma({ id: 'from-scratch', title: 'from scratch', claim, provenance: 'variant', description: 'certify.test.ts', hypotheses: { hyper, init }, runs: 1, expect: 'fails', ...fields });
  return compileLemma(spec, m, 'certify.test.ts');
}

/** A counterexample at `step` from the exact start, as the sampled check would hand it over. */
const at = (hyper: Record<string, number>, init: Record<string, number>, step: number): Counterexample => ({ hyper, init, step, statement: '', lhs: null, rhs: null, confirmedExactly: true, what: '', seed: 1, path: '0', command: '', trueOrbit: null });

describe('the true orbit of lemmas written from scratch', () => {
  it('a half-space projection: the violation at step 2000 is certified at 128 bits (the naive enclosure of beta1 held 0 from step 963 and overflowed at step 1624)', async () => {
    const lemma = scratch(half, R1, HALF_START, { quantifier: { kind: 'at-end' }, statement: 'beta2 <= 0.9', steps: 2000 });
    const o = await verifyLemma(half, lemma, { seed: 1 });
    expect(o.kind, o.detail).toBe('FALSIFIED');
    expect(o.counterexample!.trueOrbit!.text).toBe('violated on the true orbit at step 2000 (certified, 128 bits)');
  });

  it('where the enclosure does outgrow 2048 bits (a chaotic orbit), the row names the parameter that lost its sign and the step, before the exponent range', () => {
    const well = fromFile('test/fixtures/certify/double-well.json');
    const lemma = scratch(well, { eta: 2 }, { x: 0.3 }, { quantifier: { kind: 'at-end' }, statement: 'x <= 2', steps: 1500 });
    const r = certifyViolation(well, lemma, at({ eta: 2 }, { x: 0.3 }, 1500));
    expect(r.certified).toBe(false);
    // About log2(3) = 1.58 bits a step: (2048 - 16) / 1.58 is about 1290.
    expect(r.text).toMatch(/^not certified on the true orbit: the enclosure of x holds 0 from step 129\d at 2048 bits \(.*\), and it could not be continued past step 13\d\d \(exponent-range\)$/);
    const every = scratch(well, { eta: 2 }, { x: 0.3 }, { quantifier: { kind: 'every-step' }, statement: 'x <= 2', steps: 1500 });
    expect(certifyViolation(well, every, at({ eta: 2 }, { x: 0.3 }, 1500)).text).toMatch(/^not certified on the true orbit: the enclosure of x holds 0 from step (129\d) at 2048 bits \(.*\), so the statement at step \1 could not be decided$/);
  });

  it('a statement that holds with equality at earlier steps does not block a certain violation at a later one', () => {
    // From step 192 on the projection acts, and the exact step lands on alpha + beta2/2 = 1.2: no interval decides that equality.
    const both = scratch(half, R1, HALF_START, { quantifier: { kind: 'every-step' }, statement: ['alpha + 0.5 * beta2 <= 1.2', 'beta2 <= 0.75'], steps: 3000 });
    expect(certifyViolation(half, both, at(R1, HALF_START, 1049)).text).toBe('violated on the true orbit at step 1049 (certified, 128 bits)');
    // Undecided steps still ask for precision when nothing later is violated, and are never taken for a verdict either way.
    const alone = scratch(half, R1, HALF_START, { quantifier: { kind: 'every-step' }, statement: 'alpha + 0.5 * beta2 <= 1.2', steps: 3000 });
    const r = certifyViolation(half, alone, at(R1, HALF_START, 400));
    expect(r).toMatchObject({ certified: false, artefact: false, bits: 2048 });
    expect(r.text).toBe('not certified on the true orbit: the statement at step 192 could not be decided at 2048 bits');
  });

  it('an identity that holds with equality at every step (L = L_osc + L_conv) beside a violated conjunct: certified at the first unstable step', async () => {
    const lemma = scratch(model, R1, { alpha: 1, beta1: 0.01, beta2: 0 }, { quantifier: { kind: 'every-step' }, statement: ['L_osc + L_conv <= L', 'eta * lambda1 * alpha^2 <= 2'], steps: 1000 });
    const o = await verifyLemma(model, lemma, { seed: 1 });
    expect(o.kind, o.detail).toBe('FALSIFIED');
    expect(o.counterexample!.trueOrbit!.text).toBe('violated on the true orbit at step 140 (certified, 128 bits)');
  });

  it('an implicit root 2.4e-12 above its bracket\'s lower end is enclosed at 128 bits on the orbit\'s boxes (scalar-d3)', () => {
    const d3 = deriveModel(loadPack('scalar-d3').spec);
    const start = { w1: 0.1, w2: 803.5, w3: 803.5 };
    // c + w1^2 = 1 / ((w2^2 + c)(w3^2 + c)) is about 2.4e-12 here; at step 2 the state is a box, not a point.
    const lemma = scratch(d3, { eta: 1e-14 }, start, { quantifier: { kind: 'at-end' }, statement: 'phi <= 1', steps: 2 }, 'D3');
    expect(certifyViolation(d3, lemma, at({ eta: 1e-14 }, start, 2)).text).toBe('violated on the true orbit at step 2 (certified, 128 bits)');
  });
});

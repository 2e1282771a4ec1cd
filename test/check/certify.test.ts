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

  it('says why when it cannot certify: a flow limit, a divergence the enclosure does not show', async () => {
    const [l] = await loadLemmas(['test/fixtures/soundness/stalled-artefact.ts'], model);
    if (!l!.ok) throw l!.error;
    const ce = { hyper: { eta: 0.1, lambda1: 1, lambda2: 1 }, init: { alpha: 1, beta1: 0, beta2: 1.0000000000000002 }, step: 3, statement: '(trajectory exists)', lhs: null, rhs: null, confirmedExactly: false, what: '', seed: 1, path: '0', command: '', trueOrbit: null };
    // This orbit converges: at step 3 no parameter is beyond 10^100, so the claimed divergence is not certified.
    expect(certifyViolation(model, l!.lemma, ce).text).toMatch(/^not certified on the true orbit: the true orbit's enclosure at step 3 does not show the divergence/);
    const flow = { ...l!.lemma, quantifier: { kind: 'flow-limit' } } as unknown as typeof l.lemma;
    const r = certifyViolation(model, flow, { ...ce, statement: 'L < L_0' });
    expect(r.certified).toBe(false);
    expect(r.artefact).toBe(false);
    expect(r.text).toBe('not certified on the true orbit: a flow-limit lemma has no orbit to certify');
  });

  it('certifies a within window (the trigger step) and a divergence (a parameter beyond 10^100) on the true orbit', async () => {
    const catapult = deriveModel(loadPack('catapult-n2').spec);
    const file = 'lemmas/catapult-n2/k4-catapult-regime.ts';
    const [w] = await verifyFiles(catapult, [file], { seed: 20250304, only: 'k4-n2-catapult-loss-rises-at-some-step' });
    expect(w!.kind).toBe('FALSIFIED');
    expect(w!.counterexample!.trueOrbit!.text).toBe(`violated on the true orbit at step ${w!.counterexample!.step} (certified, 128 bits)`);
    const [d] = await verifyFiles(catapult, [file], { seed: 20250304, only: 'k4-n2-catapult-with-nonzero-target-converges' });
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

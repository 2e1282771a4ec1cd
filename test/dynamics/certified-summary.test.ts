/**
 * `trajectory --certified` certifies the summary over the whole orbit (issue 22 item 9,
 * src/dynamics/certified-summary.ts): max eta S as an enclosure with its step (certified only when
 * separated from every other step), the first step of the pack's instability (certified only when every
 * earlier step is certainly not above the threshold), and the last step. Checked on run R1 against the
 * computed (float) summary, against the figures the README and docs/paper.md quote, and against an
 * independent enclosure; ties and undecidable comparisons are reported as such, never as a verdict.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { deriveModel, type DerivedModel } from '../../src/symbolic/derive.js';
import { loadPack, type ModelPack } from '../../src/model/pack.js';
import { runGD } from '../../src/dynamics/gd.js';
import { Summarizer, type TrajectorySummary } from '../../src/dynamics/summary.js';
import { certifiedSummary, type CertifiedSummary } from '../../src/dynamics/certified-summary.js';
import { encloseAt } from '../../src/dynamics/certified-orbit.js';
import { cmpDyadic, DyadicArith, DyadicInterval } from '../../src/numeric/dyadic.js';
import { Rational } from '../../src/numeric/rational.js';
import { runCli } from '../support/cli.js';
import { enclosureText } from '../../src/report/trajectory-format.js';
import { dyadic } from '../../src/numeric/dyadic.js';

/** The computed summary, as `trajectory` makes it (extended arithmetic). */
function floatSummary(model: DerivedModel, pack: ModelPack, hyper: Record<string, number>, init: number[], steps: number): TrajectorySummary & { etaS: number[] } {
  const sum = new Summarizer(model.params, hyper.eta!, pack.roles);
  const etaS: number[] = [];
  const r = runGD(model, hyper, init, { steps, arith: 'extended' }, (s) => {
    sum.add(s);
    etaS.push(s.etaS);
  });
  return { ...sum.finish(r, 'extended'), etaS };
}

const rat = (x: number) => Rational.fromDouble(x);
/** The rounding interval of a quoted decimal: value +- half a unit of its last digit. */
function roundingInterval(text: string): [Rational, Rational] {
  const decimals = text.includes('.') ? text.split('.')[1]!.length : 0;
  const half = Rational.of(5n, 10n ** BigInt(decimals + 1));
  const v = Rational.fromDecimalString(text);
  return [v.sub(half), v.add(half)];
}
const inside = (I: DyadicInterval, [a, b]: [Rational, Rational]) => a.le(I.lo.toRational()) && I.hi.toRational().le(b);

describe('certified summary of run R1 (minimalist pack)', () => {
  const pack = loadPack('minimalist');
  const model = deriveModel(pack.spec);
  const R1 = pack.referenceRuns.find((r) => r.name === 'R1')!;
  let c: CertifiedSummary;
  let f: ReturnType<typeof floatSummary>;
  let max: DyadicInterval;

  beforeAll(() => {
    c = certifiedSummary(model, R1.hyper, R1.init, R1.steps, { roles: pack.roles });
    f = floatSummary(model, pack, R1.hyper, [...R1.init], R1.steps);
    expect(c.maxEtaS.value).toBeInstanceOf(DyadicInterval);
    max = c.maxEtaS.value as DyadicInterval;
  });

  it('the orbit is certified to the last step and the maximum is over every step', () => {
    expect(c.status).toBe('certified');
    expect(c.steps).toBe(R1.steps);
    expect(c.maxEtaS.through).toBe(R1.steps);
    expect(c.maxEtaS.unenclosedAt).toBeNull();
    expect(cmpDyadic(max.lo, max.hi)).toBeLessThanOrEqual(0);
  });

  it('max eta S: its step is certified and is the computed summary\'s; the computed figure is within 1e-12 relative', () => {
    expect(c.maxEtaS.step).toBe(f.argmaxEtaS);
    expect(c.maxEtaS.candidates).toEqual([f.argmaxEtaS]);
    expect(c.maxEtaS.candidateCount).toBe(1);
    // The computed orbit carries rounding (one-step defect ~4e-16), so its figure is near, not inside, the
    // enclosure; 1e-12 relative is far above that and far below any wrong step or wrong eigenvalue.
    const lo = max.lo.toRational();
    const hi = max.hi.toRational();
    const tol = Rational.of(1n, 10n ** 12n);
    expect(rat(f.maxEtaS).ge(lo.sub(lo.mul(tol)))).toBe(true);
    expect(rat(f.maxEtaS).le(hi.add(hi.mul(tol)))).toBe(true);
    // No computed step exceeds the certified maximum beyond that tolerance.
    const worst = f.etaS.reduce((a, b) => Math.max(a, b), -Infinity);
    expect(rat(worst).le(hi.add(hi.mul(tol)))).toBe(true);
  });

  it('encloses the max eta S figure quoted by the README and by docs/paper.md, at the quoted step', () => {
    const readme = /^\|\s*R1\s*\|\s*([\d.]+)\s*\((\d+)\)/m.exec(readFileSync('README.md', 'utf8'));
    const paper = /R1 max eta S ([\d.]+) at step (\d+)/.exec(readFileSync('docs/paper.md', 'utf8'));
    expect(readme, 'README: the R1 row of the reference-run table').not.toBeNull();
    expect(paper, 'docs/paper.md section 6: "R1 max eta S ... at step ..."').not.toBeNull();
    for (const m of [readme!, paper!]) {
      expect(inside(max, roundingInterval(m[1]!)), `${m[1]} encloses [${max.lo.toString()}, ${max.hi.toString()}]`).toBe(true);
      expect(c.maxEtaS.step).toBe(Number(m[2]));
    }
  });

  it('an independent enclosure (another precision, its own orbit) agrees: the max step overlaps it, its neighbours lie below', () => {
    const k = c.maxEtaS.step!;
    const { orbit, records } = encloseAt(model, R1.hyper, R1.init, [k - 1, k, k + 1], { sharpness: true, startBits: 256 });
    const A = new DyadicArith(orbit.bits);
    const eta = DyadicInterval.fromDouble(R1.hyper.eta!);
    const at = (t: number) => A.mul(eta, records.get(t)!.quantities.S as DyadicInterval);
    const peak = at(k);
    // Both contain the true eta S at step k: they must overlap.
    expect(cmpDyadic(peak.lo, max.hi)).toBeLessThanOrEqual(0);
    expect(cmpDyadic(max.lo, peak.hi)).toBeLessThanOrEqual(0);
    for (const t of [k - 1, k + 1]) expect(cmpDyadic(at(t).hi, max.lo)).toBeLessThan(0);
  });

  it('first unstable step: certified, and the computed summary\'s', () => {
    expect(c.firstUnstable).not.toBeNull();
    expect(c.firstUnstable!.quantity).toBe(pack.roles.instability!.quantity);
    expect(c.firstUnstable!.status).toBe('certified');
    expect(c.firstUnstable!.step).toBe(f.firstUnstableStep);
    expect(c.firstUnstable!.undecidedAt).toBeNull();
  });
});

describe('honest when a decision cannot be made', () => {
  const pack = loadPack('scalar-d2');
  const model = deriveModel(pack.spec);

  it('a fixed point: every step has the same eta S, so no step is certified as the maximum, and one extra pass is all it costs', () => {
    // (1, 1) is a minimizer: GD stays there exactly; S = 2 there, so eta S = 1 at every step.
    const c = certifiedSummary(model, { eta: 0.5 }, [1, 1], 12, { roles: pack.roles });
    expect(c.maxEtaS.step).toBeNull();
    expect(c.maxEtaS.candidateCount).toBe(13);
    expect(c.maxEtaS.candidates).toEqual(Array.from({ length: 13 }, (_, t) => t));
    const v = c.maxEtaS.value as DyadicInterval;
    expect(v.contains(Rational.ONE)).toBe(true);
    // The first pass could not separate the steps, the second separated no more: no third.
    expect(c.passes.map((p) => [p.bits, p.end])).toEqual([
      [128, 'refine'],
      [256, 'completed'],
    ]);
    expect(c.firstUnstable!.status).toBe('never');
  });

  it('eta phi equal to its threshold on an enclosure that is not a point: undecided, after doubling the precision up to the limit', () => {
    // At eta = 1 the fixed point (1, 1) has eta phi = 2 exactly; phi reads the implicit root c = 0, enclosed
    // by an interval, so "eta phi > 2" is undecided at every precision.
    const c = certifiedSummary(model, { eta: 1 }, [1, 1], 5, { roles: pack.roles, decisionMaxBits: 512 });
    expect(c.firstUnstable!.status).toBe('undecided');
    expect(c.firstUnstable!.step).toBeNull();
    expect(c.firstUnstable!.undecidedAt).toBe(0);
    expect(c.passes.map((p) => p.bits)).toEqual([128, 256, 512]);
    expect(c.passes.at(-1)!.end).toBe('completed');
  });
});

describe('certified summary of the catapult reference run', () => {
  it('max eta lambda and the first step with eta lambda > 2 are certified and are the computed ones', () => {
    const pack = loadPack('catapult-n2');
    const model = deriveModel(pack.spec);
    const run = pack.referenceRuns.find((r) => r.name === 'catapult')!;
    const c = certifiedSummary(model, run.hyper, run.init, run.steps, { roles: pack.roles });
    const f = floatSummary(model, pack, run.hyper, [...run.init], run.steps);
    expect(c.status).toBe('certified');
    expect(c.maxEtaS.step).toBe(f.argmaxEtaS);
    const v = c.maxEtaS.value as DyadicInterval;
    const tol = Rational.of(1n, 10n ** 12n);
    expect(rat(f.maxEtaS).ge(v.lo.toRational().mul(Rational.ONE.sub(tol)))).toBe(true);
    expect(rat(f.maxEtaS).le(v.hi.toRational().mul(Rational.ONE.add(tol)))).toBe(true);
    expect(c.firstUnstable!.status).toBe('certified');
    expect(c.firstUnstable!.step).toBe(f.firstUnstableStep);
  });
});

describe('trajectory --certified prints the certified summary', () => {
  it('text and JSON: max eta S with its step, the first unstable step, the last step', async () => {
    const args = ['trajectory', '--eta', '1.9', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0', '--steps', '600', '--certified'];
    const j = await runCli([...args, '--json']);
    expect(j.code, j.err).toBe(0);
    const s = JSON.parse(j.out);
    expect(s.certified.maxEtaS.step).toBe(s.argmaxEtaS);
    expect(s.certified.maxEtaS.value).toMatch(/^\[\d\.\d+e0, \d\.\d+e0\]$/);
    const [lo, hi] = (s.certified.maxEtaS.value as string).slice(1, -1).split(', ').map(Number);
    expect(lo).toBeLessThanOrEqual(hi!);
    expect(Math.abs(s.maxEtaS - lo!)).toBeLessThan(1e-12);
    expect(s.certified.firstUnstable).toMatchObject({ status: 'certified', step: s.firstUnstableStep });
    const t = await runCli(args);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(new RegExp(`^max eta\\*S\\s+\\[\\d\\.\\d+e0, \\d\\.\\d+e0\\] at step ${s.argmaxEtaS} \\(certified over steps 0-600`, 'm'));
    expect(t.out).toMatch(new RegExp(`^first unstable\\s+${s.firstUnstableStep} \\(certified: q_osc <= 2 at steps 0-${s.firstUnstableStep - 1}, > 2 at step ${s.firstUnstableStep}\\)$`, 'm'));
    expect(t.out).toMatch(/^eta S_T\s+\[\d\.\d+e0, \d\.\d+e0\]$/m);
  });
});

describe('a diverging orbit', () => {
  it('is summarized over the steps the enclosure reached, with huge ends as powers of two rounded outward', async () => {
    // The catapult start with y = 1 at the default eta diverges (the computed run stops at step 6).
    const r = await runCli(['trajectory', '--model', 'catapult-n2', '--hyper', 'y=1', '--steps', '40', '--certified', '--json']);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.diverged).not.toBeNull();
    const c = s.certified;
    expect(c.status).toBe('exponent-range');
    expect(c.steps).toBeLessThan(40);
    expect(c.maxEtaS.through).toBe(c.steps);
    expect(c.maxEtaS.value).toMatch(/^\[2\^\d+, 2\^\d+\]$/);
    // Outward: 3 * 2^e lies in [2^(e+1), 2^(e+2)], -3 * 2^e in [-2^(e+2), -2^(e+1)].
    const e = 2 ** 40;
    expect(enclosureText(new DyadicInterval(dyadic(3n, e), dyadic(3n, e)))).toBe(`[2^${e + 1}, 2^${e + 2}]`);
    expect(enclosureText(new DyadicInterval(dyadic(-3n, e), dyadic(-3n, e)))).toBe(`[-2^${e + 2}, -2^${e + 1}]`);
    // A tiny end the same way (3 * 2^-e < 2^(2-e)); an ordinary end in decimal.
    expect(enclosureText(new DyadicInterval(dyadic(-3n, e), dyadic(3n, -e)))).toBe(`[-2^${e + 2}, 2^${2 - e}]`);
    expect(enclosureText(new DyadicInterval(dyadic(-3n, e), dyadic(3n, 0)))).toBe(`[-2^${e + 2}, 3.0000000000000000e0]`);
  });
});

describe('a projected orbit (issue 24, item 3)', () => {
  it('onto a half-space: certified to step 2000 at 128 bits (the naive enclosure, all a projection had before, lost the sign of beta1 at step 963 even at 2048 bits)', () => {
    const half = deriveModel(JSON.parse(readFileSync('test/fixtures/projected/halfspace.json', 'utf8')));
    const c = certifiedSummary(half, { eta: 1.9, lambda1: 1, lambda2: 1e-3 }, [0.95, 0.01, 0.1], 2000);
    expect(c.status).toBe('certified');
    expect(c.bits).toBe(128);
    expect(c.steps).toBe(2000);
    expect(c.signLost).toBeNull();
    expect(c.maxEtaS.value).toBeInstanceOf(DyadicInterval);
  });
});

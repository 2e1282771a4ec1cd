import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { loadLemmas } from '../../src/lemma/load.js';
import type { CompiledLemma } from '../../src/lemma/compile.js';
import { checkTrajectory, type TrajectoryResult } from '../../src/check/trajectory-check.js';
import { compareFigures, decimalText, figureOf, type Figure } from '../../src/check/figures.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import { GradientDescent } from '../../src/dynamics/gd.js';
import { Interval } from '../../src/numeric/interval.js';
import { Rational } from '../../src/numeric/rational.js';
import { formatTable } from '../../src/report/table.js';
import { buildHtml } from '../../src/report/html.js';
import type { Report } from '../../src/report/report.js';
import type { Outcome } from '../../src/check/outcome.js';

/**
 * Issue 22 item 12, "figures that are never nonsense": the worst slack, the tightness figure and a
 * counterexample's sides come from the values that decided the comparison, also where those are far outside
 * the double range (beta1 ~ 1e-300 makes beta1^2 ~ 1e-600). A figure a double cannot say is carried as an
 * outward-rounded decimal enclosure. Fixtures: test/fixtures/figures/figures.json (one fixed start each).
 */
const model = deriveModel(minimalistModel);
const FILE = 'test/fixtures/figures/figures.json';
const loaded = await loadLemmas([FILE], model);
const lemmas = new Map(loaded.flatMap((l) => (l.ok ? [[l.lemma.id, l.lemma] as const] : [])));

/** The lemma's one start (its hypotheses are fixed values), checked along its trajectory. */
function check(id: string): { lemma: CompiledLemma; r: TrajectoryResult; hyper: Record<string, number>; init: number[] } {
  const lemma = lemmas.get(id)!;
  const h = (lemma.spec as { hypotheses: { hyper: Record<string, number>; init: Record<string, number> } }).hypotheses;
  const hyper = Object.fromEntries(model.hypers.map((k) => [k, h.hyper[k]!]));
  const init = model.params.map((p) => h.init[p]!);
  return { lemma, r: checkTrajectory(model, lemma, hyper, init, { arith: 'extended' }), hyper, init };
}

/** The enclosure a decimal text states: "[lo, hi]" or one exact decimal. */
function parseDecimal(text: string): Interval {
  const ends = text.replace(/^\[|\]$/g, '').split(', ').map((x) => Rational.fromDecimalString(x));
  return new Interval(ends[0]!, ends[ends.length - 1]!);
}

/** beta1 of the computed orbit at step t, exactly (mantissa and exponent of the extended arithmetic). */
function beta1At(hyper: Record<string, number>, init: number[], t: number): Rational {
  const gd = new GradientDescent(model, hyper, init, 'extended');
  while (gd.t < t) gd.advance();
  const i = model.params.indexOf('beta1');
  return Rational.fromExtended(gd.th[i]!, gd.thE[i]!);
}

/** The trajectory's worst margin: its step and figure. */
function worst(r: TrajectoryResult): Figure & { step: number } {
  return { step: r.worstMargin!.step, ...r.worstMargin!.figure() };
}

/** The violation's sides and margin as a counterexample has them. */
function sides(r: TrajectoryResult) {
  const f = r.violation!.figures()!;
  return { step: r.violation!.step, lhs: f.lhs.value, rhs: f.rhs.value, lhsDecimal: f.lhs.decimal, rhsDecimal: f.rhs.decimal, slack: f.slack.value, slackDecimal: f.slack.decimal };
}

const contains = (x: Interval, v: Rational) => x.lo.le(v) && v.le(x.hi);
const relClose = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.abs(b);

describe('worst slack: the margin from the values that decided, beyond the double range too', () => {
  it('a positive margin below the double range is its decimal enclosure (never 0), at the step where it is smallest', () => {
    // lambda1 beta1^2 <= 2 beta1^2 with lambda1 = 1: the margin is beta1^2, from 1e-600 down by a factor ~4 a step.
    const { r, hyper, init } = check('shrinking-margin-below-the-double-range');
    const w = worst(r);
    expect(w.step).toBe(6);
    expect(w.value).toBe(Number.MIN_VALUE);
    const b = beta1At(hyper, init, 6);
    const enc = parseDecimal(w.decimal!);
    expect(contains(enc, b.mul(b))).toBe(true);
    expect(enc.lo.sign()).toBe(1);
    expect(enc.hi.sub(enc.lo).div(enc.lo).toNumber()).toBeLessThan(1e-5);
  });

  it('the user report: a tightness figure of about 4.03 from two quantities near 1e-600, and a margin near 1e-603', () => {
    // S - lambda1 alpha^2 <= 5 beta1^2: S exceeds lambda1 alpha^2 by about 4.03 beta1^2 (second order through the
    // alpha-beta1 entry 2 lambda1 alpha beta1): needed = (S - lambda1 alpha^2) / beta1^2 ~ 4.03. Before: needed
    // -Infinity (every exact value was a midpoint of an enclosure 1e570 wide), worst slack 0 at step 1.
    const { r } = check('margin-below-the-double-range');
    expect(r.violation).toBeNull();
    expect(Number.isFinite(r.maxNeeded)).toBe(true);
    expect(Math.abs(r.maxNeeded - 4.03)).toBeLessThan(0.005);
    expect(r.maxNeededDecimal).toBeNull();
    const w = worst(r);
    expect(w.step).toBe(5);
    expect(w.value).toBe(Number.MIN_VALUE);
    const enc = parseDecimal(w.decimal!);
    // (5 - 4.03) beta1_5^2 with beta1_5 ~ 1e-300 / 2^5.
    expect(enc.lo.gt(Rational.fromDecimalString('5e-604'))).toBe(true);
    expect(enc.hi.lt(Rational.fromDecimalString('2e-603'))).toBe(true);
  });

  it('a margin decided by Sylvester\'s criterion is the margin (about -2.33e-292), not the width of the enclosure of S', () => {
    // S <= lambda1 alpha^2 fails at the start by S - 1 = (2 beta1)^2 [(I - B)^-1]_alpha,alpha + O(beta1^4), B the
    // alpha-beta2 block [[beta1^2, -lambda2], [-lambda2, lambda2]]: 4 beta1^2 (1 - lambda2) / (1 - lambda2 - lambda2^2).
    const { r } = check('sharpness-above-by-a-margin-of-1e-292');
    const w = worst(r);
    const l2 = 0.0826;
    const b1 = 7.6e-147;
    const expected = -4 * b1 * b1 * ((1 - l2) / (1 - l2 - l2 * l2));
    expect(w.step).toBe(0);
    expect(relClose(w.value, expected, 1e-6)).toBe(true);
    expect(w.decimal).toBeUndefined();
    const v = sides(r);
    expect(relClose(v.slack, expected, 1e-6)).toBe(true);
    // Both sides are 1 to the double (S = 1 + 2.3e-292): the margin tells them apart.
    expect(v.lhs).toBe(1);
    expect(v.rhs).toBe(1);
  });

  it('a margin inside the double range is the exact one, not a midpoint of float enclosures (it was 2^-62)', () => {
    const { r } = check('margin-of-a-drawn-start-at-its-bound');
    const w = worst(r);
    const exact = Rational.fromDouble(0.0010000000000000002).sub(Rational.fromDecimalString('0.001')).toNumber();
    expect(w.value).toBe(exact);
    expect(w.value).not.toBe(2 ** -62);
  });
});

describe('counterexample sides: the values that decided, never 0 or null for a side that has a value', () => {
  it('a side that float64 computes as 0 (beta1^2 9.82e575 with beta1 = 1e-300) is about 9.82e-25', () => {
    const v = sides(check('side-underflows-in-float').r);
    expect(v.step).toBe(0);
    expect(relClose(v.lhs, 9.82e-25, 1e-12)).toBe(true);
    expect(v.rhs).toBe(1e-30);
    expect(v.lhsDecimal).toBeUndefined();
    expect(relClose(v.slack, 1e-30 - 9.82e-25, 1e-9)).toBe(true);
  });

  it('a side that float64 computes as NaN (1e300 1e300 beta1^2: Infinity times 0) is about 0.25', () => {
    const v = sides(check('side-overflows-in-float').r);
    expect(v.step).toBe(1);
    expect(v.lhs).toBe(1);
    expect(relClose(v.rhs, 0.25, 1e-6)).toBe(true);
  });

  it('sides below the double range print as outward-rounded decimals around their values', () => {
    const { r, hyper, init } = check('sides-below-the-double-range');
    const v = sides(r);
    expect(v.step).toBe(1);
    const b0 = beta1At(hyper, init, 0);
    const b1 = beta1At(hyper, init, 1);
    expect(v.lhs).toBe(Number.MIN_VALUE);
    expect(v.rhs).toBe(Number.MIN_VALUE);
    expect(contains(parseDecimal(v.lhsDecimal!), b1.mul(b1))).toBe(true);
    expect(contains(parseDecimal(v.rhsDecimal!), b0.mul(b0))).toBe(true);
    expect(contains(parseDecimal(v.slackDecimal!), b1.mul(b1).sub(b0.mul(b0)))).toBe(true);
    expect(v.slack).toBe(-Number.MIN_VALUE);
  });
});

describe('figures as text', () => {
  it('an enclosure prints with each end rounded outward at 6 digits; an exact decimal prints once', () => {
    const third = Rational.fromBigInt(1n).div(Rational.fromBigInt(3n * 10n ** 600n));
    expect(decimalText(Interval.point(third))).toBe('[3.33333e-601, 3.33334e-601]');
    expect(decimalText(Interval.point(third.neg()))).toBe('[-3.33334e-601, -3.33333e-601]');
    expect(decimalText(Interval.point(Rational.fromDecimalString('1e-30')))).toBe('1e-30');
    // A double in the normal range is its own figure; beyond it, the double is kept nonzero and finite.
    expect(figureOf(Interval.point(Rational.fromDouble(0.25)))).toEqual({ value: 0.25 });
    expect(figureOf(Interval.point(third))).toEqual({ value: Number.MIN_VALUE, decimal: '[3.33333e-601, 3.33334e-601]' });
    expect(figureOf(Interval.point(Rational.fromBigInt(10n ** 400n)))).toEqual({ value: Number.MAX_VALUE, decimal: '1e400' });
  });

  it('figures whose doubles tie (both clamped to the smallest double) are ordered by their decimals', () => {
    const a = { value: Number.MIN_VALUE, decimal: '[1e-700, 1.00001e-700]' };
    const b = { value: Number.MIN_VALUE, decimal: '[9.75598e-604, 9.75599e-604]' };
    expect(compareFigures(a, b)).toBeLessThan(0);
    expect(compareFigures(b, a)).toBeGreaterThan(0);
    expect(compareFigures({ value: 0 }, a)).toBeLessThan(0);
    expect(compareFigures({ value: -1 }, { value: -1 })).toBe(0);
  });

  it('the table and the HTML page print the decimals, "-" where there is no needed value, and the margin', () => {
    const report: Report = JSON.parse(readFileSync('test/fixtures/html-report.json', 'utf8'));
    const verified = report.outcomes.find((o) => o.kind === 'VERIFIED')!;
    const falsified = report.outcomes.find((o) => o.kind === 'FALSIFIED' && o.counterexample?.lhs !== null)!;
    verified.worstSlack = { ...verified.worstSlack!, value: Number.MIN_VALUE, step: 7, decimal: '[9.75598e-604, 9.75599e-604]' };
    verified.tightness = { constant: 'c', stated: '5', observedMaxNeeded: -Infinity, maxRatio: null, trueOrbit: null };
    const ce = falsified.counterexample!;
    Object.assign(ce, { lhs: Number.MIN_VALUE, rhs: Number.MIN_VALUE, lhsDecimal: '[2.5e-601, 2.50001e-601]', rhsDecimal: '[1e-600, 1.00001e-600]', slack: -Number.MIN_VALUE, slackDecimal: '[-7.50001e-601, -7.49999e-601]' });
    const text = formatTable(report, { wide: true, definitions: false });
    expect(text).toContain('[9.75598e-604, 9.75599e-604] @7');
    expect(text).not.toContain('4.94e-324');
    expect(text).toContain('needed -');
    expect(text).not.toContain('-Infinity');
    expect(text).toContain(`${ce.statement}: lhs [2.5e-601, 2.50001e-601], rhs [1e-600, 1.00001e-600], margin [-7.50001e-601, -7.49999e-601]`);
    expect(formatTable(report, { definitions: false })).toMatch(/c - of 5/);
    const html = buildHtml(report, []);
    expect(html).toContain('[9.75598e-604, 9.75599e-604] @7');
    expect(html).toContain('needed -');
    expect(html).toContain('lhs [2.5e-601, 2.50001e-601], rhs [1e-600, 1.00001e-600], margin [-7.50001e-601, -7.49999e-601]');
  });

  it('a worst case whose score stands for a margin below what a double says prints that margin, never 4.94e-324', () => {
    const report: Report = JSON.parse(readFileSync('test/fixtures/html-report.json', 'utf8'));
    const [a, b] = report.outcomes.filter((o) => o.kind === 'VERIFIED');
    // The search's score is minus the trajectory's double slack: -Number.MIN_VALUE for a margin of about 1e-603.
    a!.worstSlack = { ...a!.worstSlack!, value: Number.MIN_VALUE, decimal: '[9.75598e-604, 9.75599e-604]' };
    a!.worstCase = { score: -Number.MIN_VALUE, foundBy: 'search', path: '300', point: a!.worstSlack.point, randomBest: -Number.MIN_VALUE, searchBest: -Number.MIN_VALUE };
    b!.worstCase = { score: -Number.MIN_VALUE, foundBy: 'random', path: '3', point: b!.worstSlack!.point, randomBest: -Number.MIN_VALUE, searchBest: null };
    const text = formatTable(report, { wide: true, definitions: false });
    expect(text).toContain(`${a!.id}: [-9.75599e-604, -9.75598e-604] found by the search (best random draw -(a positive margin the search's doubles round to 0)`);
    // Its worst slack (2.8e-33) is not what the score stands for: the score is not the row's figure.
    expect(text).toContain(`${b!.id}: -(a positive margin the search's doubles round to 0) found by the random draws (search best -;`);
    const html = buildHtml(report, []);
    for (const out of [text, html]) {
      expect(out).not.toContain('4.94e-324');
      expect(out).not.toContain('NaN');
    }
    expect(html).toContain('worst case [-9.75599e-604, -9.75598e-604], found by the guided search');
  });

  it('a report written before decimals existed prints as before', () => {
    const report: Report = JSON.parse(readFileSync('test/fixtures/html-report.json', 'utf8'));
    const text = formatTable(report, { wide: true, definitions: false });
    const slack = report.outcomes.find((o) => o.worstSlack && o.worstSlack.value !== 0)!.worstSlack!;
    expect(text).toContain(`@${slack.step}`);
    const ce = report.outcomes.find((o) => o.counterexample?.lhs != null)!.counterexample!;
    expect(text).toContain(`lhs ${ce.lhs}, rhs ${ce.rhs}`);
    expect(text).not.toContain('margin');
  });
});

/** The same figures in the report's rows: the random draws, the fold of blocks, the counterexample copied by check/sample.ts. */
describe('the report rows carry the figures', async () => {
  const outcomes = new Map((await verifyFiles(model, [FILE], { seed: 1 })).map((o) => [o.id, o] as const));
  const row = (id: string): Outcome => outcomes.get(id)!;

  it('every row comes out as expected', () => {
    for (const o of outcomes.values()) expect(o.asExpected, `${o.id}: ${o.detail}`).toBe(true);
  });

  it('worst slack below the double range: its decimal, at its step; the tightness figure about 4.03', () => {
    const o = row('margin-below-the-double-range');
    expect(o.worstSlack!.step).toBe(5);
    expect(o.worstSlack!.value).toBe(Number.MIN_VALUE);
    expect(o.worstSlack!.decimal).toMatch(/^\[\d\.\d+e-60[34], \d\.\d+e-60[34]\]$/);
    expect(Math.abs(o.tightness!.observedMaxNeeded - 4.03)).toBeLessThan(0.005);
    expect(row('shrinking-margin-below-the-double-range').worstSlack!.step).toBe(6);
  });

  it('counterexample sides and margin: values, never 0 or null where the side has a value', () => {
    expect(row('side-underflows-in-float').counterexample!.lhs).toBeCloseTo(9.82e-25, 30);
    expect(row('side-overflows-in-float').counterexample!.rhs).toBeCloseTo(0.25, 9);
    const c = row('sides-below-the-double-range').counterexample!;
    expect(c.lhsDecimal).toMatch(/e-601/);
    expect(c.rhsDecimal).toMatch(/e-600/);
    expect(c.slackDecimal).toMatch(/^\[-7\.\d+e-601, -7\.\d+e-601\]$/);
    const s = row('sharpness-above-by-a-margin-of-1e-292');
    expect(s.worstSlack!.value).toBeLessThan(-2.3e-292);
    expect(s.worstSlack!.value).toBeGreaterThan(-2.4e-292);
    expect(s.counterexample!.slack).toBe(s.worstSlack!.value);
  });

  it('the JSON is valid and has no null where a figure was (Infinity, NaN are not written)', () => {
    const json = JSON.stringify([...outcomes.values()].map((o) => ({ worstSlack: o.worstSlack, counterexample: o.counterexample && { lhs: o.counterexample.lhs, rhs: o.counterexample.rhs } })));
    expect(JSON.parse(json)).toBeTruthy();
    expect(json).not.toMatch(/"(value|lhs|rhs)":null/);
  });
});

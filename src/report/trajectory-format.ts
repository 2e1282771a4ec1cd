import type { Step } from '../dynamics/gd.js';
import type { TrajectorySummary } from '../dynamics/summary.js';
import type { PackRoles } from '../model/pack.js';
import type { Dyadic, DyadicInterval } from '../numeric/dyadic.js';
import type { CertifiedSummary } from '../dynamics/certified-summary.js';
import { decimalRounded, intervalText } from '../numeric/dyadic-decimal.js';

const f = (x: number | null, d = 6) => (x === null ? '-' : Number.isFinite(x) ? x.toPrecision(d) : String(x));

export function stepJson(s: Step, params: string[]): Record<string, unknown> {
  const o: Record<string, unknown> = { t: s.t };
  params.forEach((p, i) => {
    o[p] = s.theta[i];
    o[`log10abs_${p}`] = s.log10AbsTheta[i];
  });
  Object.assign(o, { L: s.L, log10L: s.log10L, ...s.q, S: s.S, etaS: s.etaS, gradNorm: s.gradNorm });
  return o;
}

/** The summary as text; the role lines (instability, invariant, GFS sharpness) only for the roles the pack names. */
export function formatSummary(s: TrajectorySummary, hyper: Record<string, number>, init: number[], params: string[], roles: PackRoles = {}): string {
  const eos = s.eosIntervals.length === 0 ? 'none' : s.eosIntervals.slice(0, 12).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ') + (s.eosIntervals.length > 12 ? `, ... (${s.eosIntervals.length} in all)` : '');
  const lines = [
    `hyperparameters  ${Object.entries(hyper).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `start            (${params.join(', ')}) = (${init.join(', ')})`,
    `arithmetic       ${s.arithmetic === 'extended' ? 'extended exponent (float64 mantissa, unbounded binary exponent)' : 'IEEE float64'}`,
    `steps            ${s.steps}`,
    `max eta*S        ${f(s.maxEtaS)} at step ${s.argmaxEtaS}`,
    `final eta*S      ${f(s.finalEtaS)}`,
    `final loss       ${f(s.finalLoss)} (log10 ${f(s.log10FinalLoss, 5)})`,
    `loss increases   ${s.lossIncreases}${s.firstLossIncrease === null ? '' : ` (first at step ${s.firstLossIncrease})`}`,
    ...(roles.instability ? [`first unstable   ${s.firstUnstableStep ?? 'never'} (first step with ${roles.instability.label})`] : []),
    ...(roles.invariant
      ? [`${`${roles.invariant.quantity} increases`.padEnd(16)} ${s.cIncreases ?? '-'} (flow invariant ${roles.invariant.label}: one exact GD step from each computed iterate; ${s.cDecidedExactly ?? 0} steps decided in rational arithmetic)`]
      : []),
    ...(roles.gfsSharpness ? [`${`eta*${roles.gfsSharpness.quantity}`.padEnd(16)} ${f(s.etaSgfsStart)} -> ${f(s.etaSgfsFinal)} (gradient-flow-solution sharpness ${roles.gfsSharpness.label})`] : []),
    `one-step defect  ${s.maxStepDefect ? `${s.maxStepDefect.value.toExponential(2)} relative (${s.maxStepDefect.param}, step ${s.maxStepDefect.step}; computed iterate vs exact GD map, sampled every ${s.maxStepDefect.every} steps)` : '-'}`,
    `min log10|param| ${Object.entries(s.minLog10AbsTheta).map(([k, v]) => `${k} ${f(v, 6)}`).join(', ')}`,
    `EoS intervals    ${eos}`,
    `underflow        ${s.underflow ? `YES: ${s.underflowDetail!.param} fell below the double range at step ${s.underflowDetail!.step} (value ${s.underflowDetail!.value}); this float64 trajectory is not faithful` : 'no'}`,
    `diverged         ${s.divergence ? `at step ${s.divergence.step} (${s.divergence.what} = ${s.divergence.value})` : 'no'}`,
  ];
  return lines.join('\n');
}

/** Beyond 2^HUGE_BITS in magnitude an end is printed as a power of two (decimal digits of it would not fit a BigInt). */
const HUGE_BITS = 2 ** 20;

/** One end of an enclosure, rounded outward; a huge one (a diverging orbit) as the power of two around it. */
function endText(x: Dyadic, up: boolean): string {
  // 2^(k-1) <= |x| < 2^k.
  const k = x.e + x.n;
  if (x.m === 0n || Math.abs(k) < HUGE_BITS) return decimalRounded(x, 17, up);
  const neg = x.m < 0n;
  return `${neg ? '-' : ''}2^${up !== neg ? k : k - 1}`;
}

/** A certified enclosure as text, rounded outward (numeric/dyadic-decimal), or why there is none. */
export function enclosureText(x: DyadicInterval | string): string {
  if (typeof x === 'string') return x;
  const huge = (d: Dyadic) => d.m !== 0n && Math.abs(d.e + d.n) >= HUGE_BITS;
  return huge(x.lo) || huge(x.hi) ? `[${endText(x.lo, false)}, ${endText(x.hi, true)}]` : intervalText(x);
}

const enclosure = enclosureText;

/** `trajectory --certified` as JSON: every enclosure as an outward-rounded decimal interval. */
export function certifiedJson(c: CertifiedSummary) {
  return {
    ...c,
    theta: Object.fromEntries(Object.entries(c.theta).map(([k, v]) => [k, enclosure(v)])),
    L: enclosure(c.L),
    S: enclosure(c.S),
    etaS: enclosure(c.etaS),
    maxEtaS: { ...c.maxEtaS, value: enclosure(c.maxEtaS.value) },
  };
}

/** Ascending steps as ranges: 3, 5-9, 12. */
export function stepRanges(steps: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < steps.length; ) {
    let j = i;
    while (j + 1 < steps.length && steps[j + 1] === steps[j]! + 1) j++;
    parts.push(i === j ? `${steps[i]}` : `${steps[i]}-${steps[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** The certified maximum of eta S: its enclosure, and its step or the steps it cannot be told from. */
function maxText(m: CertifiedSummary['maxEtaS'], bits: number): string {
  const over = `over steps 0-${m.through}`;
  const undef = m.undefinedSteps > 0 ? `; eta S undefined at ${m.undefinedSteps} steps, left out` : '';
  if (m.value === 'undecided') return `undecided: eta S could not be enclosed at step ${m.unenclosedAt} (${over}, ${bits} bits)`;
  if (m.step !== null) return `${enclosureText(m.value)} at step ${m.step} (certified ${over}: every other step's eta S is certainly below its lower end${undef})`;
  const listed = m.candidateCount > m.candidates.length ? `${stepRanges(m.candidates)}, ... (${m.candidateCount} steps)` : stepRanges(m.candidates);
  return `${enclosureText(m.value)} (certified ${over}) at one of steps ${listed}: not separated from each other at ${bits} bits${undef}`;
}

/** The certified first step of the pack's instability. */
function firstText(f: NonNullable<CertifiedSummary['firstUnstable']>, bits: number): string {
  return firstDecision(f, bits) + (f.undefinedSteps > 0 ? `; ${f.quantity} undefined at ${f.undefinedSteps} of those steps (not above)` : '');
}

function firstDecision(f: NonNullable<CertifiedSummary['firstUnstable']>, bits: number): string {
  switch (f.status) {
    case 'certified':
      return f.step === 0
        ? `0 (certified: ${f.quantity} > ${f.above} at the start)`
        : `${f.step} (certified: ${f.quantity} <= ${f.above} at steps 0-${f.step! - 1}, > ${f.above} at step ${f.step})`;
    case 'never':
      return `never (certified: ${f.quantity} <= ${f.above} at every step 0-${f.through})`;
    case 'undecided':
      return `undecided: ${f.quantity} against ${f.above} not decided at step ${f.undecidedAt} at ${bits} bits (${f.undecidedAt! > 0 ? `<= ${f.above} at steps 0-${f.undecidedAt! - 1}` : 'the start'})`;
    default:
      return `not certified: ${f.quantity} has no certified enclosure (${f.detail})`;
  }
}

/** The certified true orbit: the summary's figures over every step, and the last step, below the summary. */
export function formatCertified(c: CertifiedSummary): string {
  const j = certifiedJson(c);
  const row = (k: string, v: string) => `${k.padEnd(17)}${v}`;
  return [
    'certified true orbit (from the exact start: dyadic intervals, outward rounding; each box contains G of the previous one)',
    row('status', `${c.status} at ${c.bits} bits, step ${c.steps} (passes: ${c.passes.map((p) => `${p.bits} bits to step ${p.reached} ${p.end}`).join('; ')})`),
    row('widest', c.widest.log2RelWidth === null ? 'every box a point' : `relative width 2^${c.widest.log2RelWidth.toFixed(1)} (${c.widest.param}, step ${c.widest.step})`),
    row('max eta*S', maxText(c.maxEtaS, c.bits)),
    ...(c.firstUnstable ? [row('first unstable', firstText(c.firstUnstable, c.bits))] : []),
    ...Object.entries(j.theta).map(([k, v]) => row(`${k}_T`, v)),
    row('L_T', j.L),
    row('S_T', j.S),
    row('eta S_T', j.etaS),
  ].join('\n');
}

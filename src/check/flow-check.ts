/**
 * A flow-limit lemma at one draw: the gradient-flow limit from the exact start is enclosed rigorously
 * (dynamics/flow-enclosure.ts: validated Taylor integration, the Lyapunov tail, Krawczyk on the
 * conserved quantities), and the `_flow` symbols become exact scalars of the decision: the parameters
 * as the limit box's intervals, S_flow as the certified enclosure of the top Hessian eigenvalue over the
 * box. The statements are then decided by the exact decider (check/decide.ts), like any other iterate;
 * an implicit quantity at the limit has no enclosure here and stays undecided. Where the limit cannot
 * be enclosed within the step budget, every statement is undecided with the reason, never decided in
 * float64.
 */
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import type { Step } from '../dynamics/gd.js';
import { encloseFlowLimit, sharpnessOverBox, type FlowLimitResult } from '../dynamics/flow-enclosure.js';
import { Interval } from '../numeric/interval.js';
import { Rational } from '../numeric/rational.js';
import { topEigenpair } from '../numeric/symmetric-eigen.js';
import type { Decision } from './decide.js';
import type { Figure } from './figures.js';
import type { TrajectoryResult } from './trajectory-check.js';

/** What the decider reads at the limit: exact scalars for the `_flow` symbols, or why there are none. */
export type FlowScalars = Map<string, Interval> | string;

/** One sentence on how the limit was enclosed (the row's violation text, tests). */
export function describeLimit(r: FlowLimitResult): string {
  if (!r.ok) return `not enclosed: ${r.why}`;
  const by = r.by === 'krawczyk' ? 'Krawczyk on the residuals and conserved quadratic forms, unique' : r.by === 'contracted' ? 'Krawczyk contraction' : 'the Lojasiewicz tail alone';
  return `enclosed to width ${r.width.toExponential(2)} (validated Taylor, ${r.steps} steps to t = ${r.t.toPrecision(4)}; tail radius ${r.rho.toExponential(2)}; ${by})`;
}

/** The `_flow` scalars of a limit box (parameters and S), or why not. */
export function flowScalars(model: DerivedModel, hyper: Record<string, number>, r: FlowLimitResult, uses: ReadonlySet<string>): FlowScalars {
  if (!r.ok) return `the gradient-flow limit was ${describeLimit(r)}`;
  const out = new Map<string, Interval>();
  model.params.forEach((p, i) => out.set(`${p}_flow`, new Interval(Rational.fromDouble(r.box[i]!.lo), Rational.fromDouble(r.box[i]!.hi))));
  if (uses.has('S_flow')) {
    const S = sharpnessOverBox(model, hyper, r.box);
    if (S) out.set('S_flow', new Interval(Rational.fromDouble(S.lo), Rational.fromDouble(S.hi)));
  }
  return out;
}

export function checkFlow(
  model: DerivedModel,
  lemma: CompiledLemma,
  hyper: Record<string, number>,
  h: Float64Array,
  init: number[],
  res: TrajectoryResult,
  env: Float64Array,
  fill: (s: Step, suffix: string) => void,
  s0: Step,
  computeConstants: () => void,
  statements: (t: number) => { ok: boolean | undefined; failed?: CompiledComparison; d?: Decision; slack?: () => Figure },
  recordNeeded: () => void,
  violate: (t: number, c: CompiledComparison, d: Decision, what: string, slack: () => Figure) => void,
  useScalars: (s: FlowScalars) => void,
): TrajectoryResult {
  fill(s0, '_0');
  env[lemma.slots.get('t')!] = 0;
  computeConstants();
  const lim = encloseFlowLimit(model, hyper, init);
  const uses = new Set(lemma.statements.flatMap((c) => [...c.uses]));
  useScalars(flowScalars(model, hyper, lim, uses));
  // Float values at the box's midpoint (or the last center): only for figures and the float tightness figure.
  const th = lim.ok ? lim.box.map((b) => (b.lo + b.hi) / 2) : lim.center;
  const n = model.params.length;
  const H = new Float64Array(n * n);
  model.kernels.hessian(th, h, H);
  const top = topEigenpair(Array.from({ length: n }, (_, i) => Array.from(H.subarray(i * n, i * n + n))));
  const grad = new Float64Array(n);
  model.kernels.gradient(th, h, grad);
  const q: Record<string, number> = {};
  for (const [k, f] of model.kernels.quantities) q[k] = f(th, h);
  const L = model.kernels.loss(th, h);
  const gradNorm = Math.hypot(...grad);
  fill(
    { t: lim.t, theta: th, log10AbsTheta: th.map((x) => Math.log10(Math.abs(x))), L, log10L: Math.log10(L), q, log10AbsQ: {}, gradNorm, grad: Array.from(grad), S: top.value, etaS: h[model.hypers.indexOf('eta')]! * top.value, topVector: top.vector },
    '_flow',
  );
  res.iterates = 1;
  res.premiseIterates = 1;
  recordNeeded();
  const r = statements(0);
  if (r.ok === false) violate(0, r.failed!, r.d!, `${r.failed!.text} fails at the gradient-flow limit (${describeLimit(lim)})`, r.slack!);
  return res;
}

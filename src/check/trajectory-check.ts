import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import { stateSymbols } from '../lemma/compile.js';
import { runGD, type Arithmetic, type Step } from '../dynamics/gd.js';
import { gradientFlowLimit } from '../dynamics/gradient-flow.js';
import { Rational } from '../numeric/rational.js';
import { Interval } from '../numeric/interval.js';
import { decide, ExactIterate, type Decision, type ExactContext } from './decide.js';
import { topEigenpair } from '../numeric/symmetric-eigen.js';
import { ExactGD } from '../dynamics/exact-step.js';

export interface Violation {
  step: number;
  statement: string;
  lhs: number;
  rhs: number;
  confirmedExactly: boolean;
  what: string;
}

export interface TrajectoryResult {
  iterates: number;
  premiseIterates: number;
  decidedExactly: number;
  decidedByFloat: number;
  undecided: number;
  floatFalseAlarms: number;
  worstSlack: { value: number; step: number } | null;
  maxNeeded: number;
  maxNeededRatio: number | null;
  constantValue: number | null;
  diverged: number | null;
  violation: Violation | null;
  firstUndecided: string | null;
}

export interface CheckOptions {
  arith: Arithmetic;
  /** Decide every iterate exactly, not only those near the boundary. */
  exactAll?: boolean;
  steps?: number;
}

/** Check one lemma along one GD trajectory from (hyper, init). Streams the trajectory. */
export function checkTrajectory(model: DerivedModel, lemma: CompiledLemma, hyper: Record<string, number>, init: number[], opts: CheckOptions): TrajectoryResult {
  const res: TrajectoryResult = {
    iterates: 0,
    premiseIterates: 0,
    decidedExactly: 0,
    decidedByFloat: 0,
    undecided: 0,
    floatFalseAlarms: 0,
    worstSlack: null,
    maxNeeded: -Infinity,
    maxNeededRatio: null,
    constantValue: null,
    diverged: null,
    violation: null,
    firstUndecided: null,
  };
  const slot = lemma.slots;
  const env = new Float64Array(slot.size).fill(NaN);
  const hyperExact = new Map<string, Interval>();
  for (const h of model.hypers) {
    env[slot.get(h)!] = hyper[h]!;
    hyperExact.set(h, Interval.point(Rational.fromDouble(hyper[h]!)));
  }
  const stateSyms = stateSymbols(model);
  const fill = (s: Step, suffix: string) => {
    model.params.forEach((p, i) => {
      env[slot.get(p + suffix)!] = s.theta[i]!;
      env[slot.get(`g_${p}${suffix}`)!] = s.grad[i]!;
    });
    for (const [k, v] of Object.entries(s.q)) env[slot.get(k + suffix)!] = v;
    env[slot.get(`L${suffix}`)!] = s.L;
    env[slot.get(`S${suffix}`)!] = s.S;
    env[slot.get(`gradNorm${suffix}`)!] = s.gradNorm;
    model.params.forEach((p, i) => (env[slot.get(`log10abs_${p}${suffix}`)!] = s.log10AbsTheta[i]!));
    let gTop = 0;
    s.grad.forEach((g, i) => (gTop += g * s.topVector[i]!));
    env[slot.get(`gTop${suffix}`)!] = Math.abs(gTop);
  };
  const clear = (suffix: string) => {
    for (const s of stateSyms) env[slot.get(s + suffix)!] = NaN;
  };
  let tEvent: number | null = null;
  const computeConstants = () => {
    env[slot.get('T_event')!] = tEvent ?? NaN;
    for (const c of lemma.constants) env[slot.get(c.name)!] = c.f(env);
    if (lemma.tightness) res.constantValue = env[slot.get(lemma.tightness.constant)!]!;
  };

  const exactGD = new ExactGD(model, hyper);
  const exactOf = new WeakMap<Step, ExactIterate>();
  const exactIterate = (s: Step) => {
    let it = exactOf.get(s);
    if (!it) exactOf.set(s, (it = new ExactIterate(model, s, hyperExact)));
    return it;
  };
  let first: ExactIterate | undefined;
  let cur: ExactIterate | undefined;
  let nxt: ExactIterate | undefined;
  const ctx = (): ExactContext => {
    const scalars = new Map(hyperExact);
    scalars.set('t', Interval.point(Rational.fromInt(env[slot.get('t')!]!)));
    if (tEvent !== null) scalars.set('T_event', Interval.point(Rational.fromInt(tEvent)));
    return { iterates: { '': cur, _0: first, _next: nxt }, scalars };
  };
  const count = (d: Decision & { floatSaidFalse?: boolean }) => {
    if (d.how === 'float') res.decidedByFloat++;
    else if (d.how === 'exact') res.decidedExactly++;
    else {
      res.undecided++;
      if (res.firstUndecided === null && d.how === 'undecided') res.firstUndecided = d.why;
    }
    if (d.how === 'exact' && d.holds && d.floatSaidFalse) res.floatFalseAlarms++;
  };
  /** A premise: true/false, or undefined when it cannot be decided (the iterate is then skipped). */
  const premise = (cs: CompiledComparison | CompiledComparison[] | undefined): boolean | undefined => {
    for (const c of cs === undefined ? [] : Array.isArray(cs) ? cs : [cs]) {
      const d = decide(model, c, env, ctx, opts.exactAll, false);
      if (d.holds === undefined) count(d);
      if (d.holds !== true) return d.holds;
    }
    return true;
  };
  /** Check every statement at the current env; records slack; returns the first failing one. */
  const statements = (t: number, record = true): { ok: boolean | undefined; failed?: CompiledComparison; d?: Decision } => {
    let all: boolean | undefined = true;
    for (const c of lemma.statements) {
      const d = decide(model, c, env, ctx, opts.exactAll);
      if (record) {
        count(d);
        if (Number.isFinite(d.slack) && (res.worstSlack === null || d.slack < res.worstSlack.value)) res.worstSlack = { value: d.slack, step: t };
      }
      if (d.holds === false) return { ok: false, failed: c, d };
      if (d.holds === undefined) all = undefined;
    }
    return { ok: all };
  };
  const recordNeeded = () => {
    if (!lemma.tightness) return;
    const v = lemma.tightness.needed(env);
    if (Number.isFinite(v) && v > res.maxNeeded) res.maxNeeded = v;
    const c = env[slot.get(lemma.tightness.constant)!]!;
    if (Number.isFinite(v) && c > 0) res.maxNeededRatio = Math.max(res.maxNeededRatio ?? -Infinity, v / c);
  };
  const violate = (t: number, c: CompiledComparison, d: Decision, what: string) => {
    res.violation = { step: t, statement: c.text, lhs: c.lhs(env), rhs: c.rhs(env), confirmedExactly: d.how === 'exact', what };
  };

  const q = lemma.quantifier;
  if (q.kind === 'flow-limit') return checkFlow(model, lemma, hyper, init, opts, res, env, fill, computeConstants, statements, recordNeeded, violate, (it) => (first = cur = it), hyperExact);

  const needNext = lemma.suffixes.has('_next');
  let prev: Step | undefined;
  let eventSeen = false;
  const pending: { t: number; deadline: number }[] = [];
  const T = opts.steps ?? lemma.steps;
  const process = (s: Step, next: Step | undefined) => {
    if (res.violation) return;
    cur = exactIterate(s);
    // Exactly, "_next" is one exact GD step from the computed iterate: a one-step claim is about GD,
    // not about the rounding between two computed iterates (which can exceed a tiny true change).
    const from = cur;
    nxt = next ? new ExactIterate(model, next, hyperExact, () => exactGD.next(from.params())) : undefined;
    fill(s, '');
    if (next) fill(next, '_next');
    else clear('_next');
    env[slot.get('t')!] = s.t;
    if (s.t === 0) {
      fill(s, '_0');
      first = cur;
      computeConstants();
    }
    res.iterates++;
    switch (q.kind) {
      case 'every-step':
      case 'after-event':
      case 'eventually': {
        if (lemma.event && !eventSeen) {
          const e = premise(lemma.event);
          if (e) {
            eventSeen = true;
            tEvent = s.t;
            computeConstants();
          }
        }
        if (q.kind === 'after-event' && !eventSeen) return;
        if (q.kind === 'eventually') {
          if (lemma.event && !eventSeen) return;
          const from = lemma.fromStep!(env);
          if (!Number.isFinite(from) || s.t < from) return;
        }
        if (premise(lemma.when) !== true) return;
        res.premiseIterates++;
        recordNeeded();
        const r = statements(s.t);
        if (r.ok === false) violate(s.t, r.failed!, r.d!, `${r.failed!.text} fails at step ${s.t}`);
        return;
      }
      case 'within': {
        const r = statements(s.t, false);
        if (r.ok === true) pending.length = 0;
        const late = pending.find((p) => s.t > p.deadline);
        if (late) {
          const c = lemma.statements[0]!;
          res.violation = { step: late.t, statement: c.text, lhs: NaN, rhs: NaN, confirmedExactly: false, what: `triggered at step ${late.t}, the statement did not hold at any step up to ${late.deadline}` };
          return;
        }
        if (premise(lemma.trigger) === true) {
          res.premiseIterates++;
          const k = lemma.withinSteps!(env);
          pending.push({ t: s.t, deadline: s.t + (Number.isFinite(k) ? Math.max(1, Math.ceil(k)) : Infinity) });
        }
        return;
      }
      case 'at-end': {
        if (lemma.event && !eventSeen && premise(lemma.event)) eventSeen = true;
        if (s.t !== T) return;
        if (lemma.event && !eventSeen) return;
        res.premiseIterates++;
        recordNeeded();
        const r = statements(s.t);
        if (r.ok === false) violate(s.t, r.failed!, r.d!, `${r.failed!.text} fails at the last step ${s.t}`);
        return;
      }
    }
  };

  const run = runGD(model, hyper, init, { steps: T, arith: opts.arith }, (s) => {
    if (needNext) {
      if (prev) process(prev, s);
      prev = s;
    } else process(s, undefined);
    return res.violation === null;
  });
  if (needNext && prev && !res.violation && q.kind === 'at-end') process(prev, undefined);
  if (run.termination.kind === 'diverged' && !res.violation) {
    res.diverged = run.termination.step;
    res.violation = { step: run.termination.step, statement: '(trajectory exists)', lhs: NaN, rhs: NaN, confirmedExactly: false, what: `GD diverged at step ${run.termination.step} (${run.termination.what} = ${run.termination.value})` };
  }
  return res;
}

function checkFlow(
  model: DerivedModel,
  lemma: CompiledLemma,
  hyper: Record<string, number>,
  init: number[],
  opts: CheckOptions,
  res: TrajectoryResult,
  env: Float64Array,
  fill: (s: Step, suffix: string) => void,
  computeConstants: () => void,
  statements: (t: number) => { ok: boolean | undefined; failed?: CompiledComparison; d?: Decision },
  recordNeeded: () => void,
  violate: (t: number, c: CompiledComparison, d: Decision, what: string) => void,
  setStart: (it: ExactIterate) => void,
  hyperExact: Map<string, Interval>,
): TrajectoryResult {
  let s0: Step | undefined;
  runGD(model, hyper, init, { steps: 0, arith: opts.arith }, (s) => {
    s0 = s;
  });
  if (!s0) return res;
  fill(s0, '');
  fill(s0, '_0');
  env[lemma.slots.get('t')!] = 0;
  setStart(new ExactIterate(model, s0, hyperExact));
  computeConstants();
  const h = Float64Array.from(model.hypers.map((k) => hyper[k]!));
  const g = model.kernels.gradient;
  const lim = gradientFlowLimit((y, out) => g(y, h, out), init);
  if (lim.status === 'nonFinite') {
    res.violation = { step: 0, statement: '(flow exists)', lhs: NaN, rhs: NaN, confirmedExactly: false, what: 'gradient flow left the finite range' };
    return res;
  }
  const th = Array.from(lim.y);
  const n = model.params.length;
  const H = new Float64Array(n * n);
  model.kernels.hessian(th, h, H);
  const top = topEigenpair(Array.from({ length: n }, (_, i) => Array.from(H.subarray(i * n, i * n + n))));
  const grad = new Float64Array(n);
  g(th, h, grad);
  const q: Record<string, number> = {};
  for (const [k, f] of model.kernels.quantities) q[k] = f(th, h);
  const L = model.kernels.loss(th, h);
  fill(
    { t: lim.t, theta: th, log10AbsTheta: th.map((x) => Math.log10(Math.abs(x))), L, log10L: Math.log10(L), q, log10AbsQ: {}, gradNorm: lim.gradNorm, grad: Array.from(grad), S: top.value, etaS: hyper.eta! * top.value, topVector: top.vector },
    '_flow',
  );
  res.iterates = 1;
  res.premiseIterates = 1;
  recordNeeded();
  // The flow limit is approximate (integrator tolerance): these comparisons are float-only.
  const r = statements(0);
  if (r.ok === false) violate(0, r.failed!, r.d!, `${r.failed!.text} fails at the gradient-flow limit (t = ${lim.t.toPrecision(4)})`);
  return res;
}

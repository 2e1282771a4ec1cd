import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import { stateSymbols } from '../lemma/compile.js';
import { runGD, type Arithmetic, type Step } from '../dynamics/gd.js';
import { gradientFlowLimit } from '../dynamics/gradient-flow.js';
import { Rational } from '../numeric/rational.js';
import { Interval } from '../numeric/interval.js';
import { decide, ExactIterate, rigorousValue, type Decision, type ExactContext } from './decide.js';
import { IterateEnclosures } from './enclosures.js';
import { FI_OK } from '../numeric/outward.js';
import { GiveUp } from '../numeric/double-double.js';
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
  worstSlack: { value: number; step: number } | null;
  maxNeeded: number;
  maxNeededRatio: number | null;
  constantValue: number | null;
  diverged: number | null;
  violation: Violation | null;
  firstUndecided: string | null;
  /** Largest relative one-step defect of the computed orbit against the exact GD map, sampled every DEFECT_EVERY steps. */
  maxDefect: number | null;
  /** The first iterate at which a hypothesis about the trajectory (`hypotheses.along`) failed; checked only before it. */
  leftHypothesesAt: number | null;
  /** Per statement: iterates at which it was tested (premises held and its terms were defined). */
  tested: number[];
  /** Statement evaluations skipped because a term was undefined there (sqrt of a negative, ...). */
  undefinedIterates: number;
  /** The first step at which the computed orbit repeated an iterate bit for bit while the exact GD step from it moves. */
  stalledAt: number | null;
  /** Iterates of the stalled computed orbit that were checked (each is the same point). */
  stalledIterates: number;
}

/** Steps between samples of the one-step defect (each costs one exact GD step in rational arithmetic). */
export const DEFECT_EVERY = 500;

export interface CheckOptions {
  arith: Arithmetic;
  /** Decide every iterate exactly, not only those the float filter cannot separate. */
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
    worstSlack: null,
    maxNeeded: -Infinity,
    maxNeededRatio: null,
    constantValue: null,
    diverged: null,
    violation: null,
    firstUndecided: null,
    maxDefect: null,
    leftHypothesesAt: null,
    tested: lemma.statements.map(() => 0),
    undefinedIterates: 0,
    stalledAt: null,
    stalledIterates: 0,
  };
  const slot = lemma.slots;
  const env = new Float64Array(slot.size).fill(NaN);
  const hyperExact = new Map<string, Interval>();
  for (const h of model.hypers) {
    env[slot.get(h)!] = hyper[h]!;
    hyperExact.set(h, Interval.point(Rational.fromDouble(hyper[h]!)));
  }
  const stateSyms = stateSymbols(model);
  // Slot indices resolved once: fill() runs at every iterate and must not look up names.
  const qNames = [...model.quantities.keys()];
  const layout = (suffix: string) => ({
    param: model.params.map((p) => slot.get(p + suffix)!),
    grad: model.params.map((p) => slot.get(`g_${p}${suffix}`)!),
    log10abs: model.params.map((p) => slot.get(`log10abs_${p}${suffix}`)!),
    q: qNames.map((k) => slot.get(k + suffix)!),
    L: slot.get(`L${suffix}`)!,
    S: slot.get(`S${suffix}`)!,
    gradNorm: slot.get(`gradNorm${suffix}`)!,
    gTop: slot.get(`gTop${suffix}`)!,
    all: stateSyms.map((k) => slot.get(k + suffix)!),
  });
  const layouts: Record<string, ReturnType<typeof layout>> = { '': layout(''), _0: layout('_0'), _next: layout('_next'), _flow: layout('_flow') };
  const n = model.params.length;
  const fill = (s: Step, suffix: string) => {
    const ly = layouts[suffix]!;
    let gTop = 0;
    for (let i = 0; i < n; i++) {
      env[ly.param[i]!] = s.theta[i]!;
      env[ly.grad[i]!] = s.grad[i]!;
      env[ly.log10abs[i]!] = s.log10AbsTheta[i]!;
      gTop += s.grad[i]! * s.topVector[i]!;
    }
    for (let k = 0; k < qNames.length; k++) env[ly.q[k]!] = s.q[qNames[k]!]!;
    env[ly.L] = s.L;
    env[ly.S] = s.S;
    env[ly.gradNorm] = s.gradNorm;
    env[ly.gTop] = Math.abs(gTop);
  };
  const clear = (suffix: string) => {
    for (const i of layouts[suffix]!.all) env[i] = NaN;
  };
  let tEvent: number | null = null;
  const computeConstants = () => {
    env[slot.get('T_event')!] = tEvent ?? NaN;
    for (const c of lemma.constants) env[slot.get(c.name)!] = c.f(env);
    pruneBelow = -Infinity;
    if (lemma.tightness) res.constantValue = env[slot.get(lemma.tightness.constant)!]!;
  };

  const exactGD = new ExactGD(model, hyper);
  // Exact iterates are built only when an iterate is decided exactly (a small minority of them).
  let first: ExactIterate | undefined;
  let curStep: Step | undefined;
  let nextStep: Step | undefined;
  let cur: ExactIterate | undefined;
  let nxt: ExactIterate | undefined;
  const ctx = (): ExactContext => {
    if (curStep && (!cur || cur.step !== curStep)) cur = first?.step === curStep ? first : new ExactIterate(model, curStep, hyperExact);
    if (curStep && nextStep && (!nxt || nxt.step !== nextStep)) {
      const from = cur!;
      // Exactly, "_next" is one exact GD step from the computed iterate: a one-step claim is about GD,
      // not about the rounding between two computed iterates (which can exceed a tiny true change).
      nxt = new ExactIterate(model, nextStep, hyperExact, () => exactGD.next(from.params()));
    }
    const scalars = new Map(hyperExact);
    scalars.set('t', Interval.point(Rational.fromInt(env[slot.get('t')!]!)));
    if (tEvent !== null) scalars.set('T_event', Interval.point(Rational.fromInt(tEvent)));
    return { iterates: { '': cur, _0: first, _next: nextStep ? nxt : undefined }, scalars };
  };
  const enc = new IterateEnclosures(model, lemma, hyper);
  const E = enc.E;
  // Enclosures (S above all) are computed only at iterates where some comparison is decided.
  let pendingFill: { s: Step; next: Step | undefined } | null = null;
  const ensureEnclosures = () => {
    if (pendingFill) {
      enc.fill(pendingFill.s, '', pendingFill.next);
      pendingFill = null;
    }
  };
  // A computed orbit that repeats an iterate bit for bit gives the same exact decisions again: they are
  // reused (keyed by comparison) until the iterate or the event time changes.
  const cache = new Map<object, Decision>();
  const decideHere = (c: CompiledComparison): Decision => {
    const hit = cache.get(c);
    if (hit) return hit;
    ensureEnclosures();
    const d = decide(model, c, E, env, ctx, opts.exactAll, enc.D);
    if (d.how !== 'float' && !c.uses.has('t')) cache.set(c, d);
    return d;
  };
  const count = (d: Decision) => {
    if (d.how === 'float') res.decidedByFloat++;
    else if (d.how === 'exact') res.decidedExactly++;
    else {
      res.undecided++;
      if (res.firstUndecided === null && d.how === 'undecided') res.firstUndecided = d.why;
    }
  };
  /**
   * A premise (along, event, when, trigger): true/false, or undefined when it cannot be decided (the
   * iterate is then skipped and counted). A premise whose terms are undefined there is not met.
   */
  const premise = (cs: CompiledComparison | CompiledComparison[] | undefined): boolean | undefined => {
    for (const c of cs === undefined ? [] : Array.isArray(cs) ? cs : [cs]) {
      const d = decideHere(c);
      if (d.holds === undefined) count(d);
      if (d.holds !== true) return d.holds === undefined ? undefined : false;
    }
    return true;
  };
  /**
   * Check every statement; records slack from the decided values; returns the first failing one. A
   * statement is asserted only where its terms are defined: elsewhere it is not tested (counted).
   */
  const statements = (t: number, record = true): { ok: boolean | undefined; failed?: CompiledComparison; d?: Decision } => {
    let all: boolean | undefined = true;
    for (let k = 0; k < lemma.statements.length; k++) {
      const c = lemma.statements[k]!;
      const d = decideHere(c);
      if (d.holds === 'undefined') {
        if (record) res.undefinedIterates++;
        continue;
      }
      if (d.holds !== undefined) res.tested[k]!++;
      if (record) {
        count(d);
        if (Number.isFinite(d.slack) && (res.worstSlack === null || d.slack < res.worstSlack.value)) res.worstSlack = { value: d.slack, step: t };
      }
      if (d.holds === false) return { ok: false, failed: c, d };
      if (d.holds === undefined) all = undefined;
    }
    return { ok: all };
  };
  const neededOut = new Float64Array(2);
  const neededDD = new Float64Array(3);
  // The largest needed value since the constants last changed (the ratio needed/constant uses them).
  let pruneBelow = -Infinity;
  const recordNeeded = () => {
    const tt = lemma.tightness;
    if (!tt) return;
    // From rigorous values: the filter's enclosure when it is tight, else the exact value.
    let v: number;
    if (tt.neededKernel) {
      ensureEnclosures();
      const st = tt.neededKernel(E, neededOut);
      // An enclosure entirely below the largest value seen so far cannot change the figure: skip the
      // refinement (the figure is the same, and only the candidates for the maximum cost exact work).
      if (st === FI_OK && neededOut[1]! <= pruneBelow) return;
      v = NaN;
      if (tt.neededDD) {
        try {
          ensureEnclosures();
          tt.neededDD(enc.D, neededDD);
          const val = neededDD[0]! + neededDD[1]!;
          // Precise enough for the figure: relative to the value, or to the stated constant it is compared with.
          if (neededDD[2]! <= 1e-9 * Math.max(Math.abs(val), Math.abs(env[slot.get(tt.constant)!]!) || 0)) v = val;
        } catch (e) {
          if (!(e instanceof GiveUp)) throw e;
        }
      }
      if (Number.isNaN(v)) v = rigorousValue(tt.neededExact, { status: st, lo: neededOut[0]!, hi: neededOut[1]! }, model, tt.neededUses, ctx);
    } else v = tt.needed(env);
    if (Number.isFinite(v) && v > res.maxNeeded) res.maxNeeded = v;
    if (Number.isFinite(v) && v > pruneBelow) pruneBelow = v;
    const c = env[slot.get(tt.constant)!]!;
    if (Number.isFinite(v) && c > 0) res.maxNeededRatio = Math.max(res.maxNeededRatio ?? -Infinity, v / c);
  };
  const violate = (t: number, c: CompiledComparison, d: Decision, what: string) => {
    res.violation = { step: t, statement: c.text, lhs: c.lhs(env), rhs: c.rhs(env), confirmedExactly: d.how === 'exact' || (d.how === 'float' && !!c.kernel), what };
  };

  const q = lemma.quantifier;
  if (q.kind === 'flow-limit') return checkFlow(model, lemma, hyper, init, opts, res, env, fill, computeConstants, statements, recordNeeded, violate, (s) => {
      curStep = s;
      first = new ExactIterate(model, s, hyperExact);
    });

  const needNext = lemma.suffixes.has('_next');
  let prev: Step | undefined;
  let prevChecked: Step | undefined;
  let eventSeen = false;
  // Of the triggers still waiting for the statement, only the one with the earliest deadline can be late first.
  let pending: { t: number; deadline: number } | null = null;
  const T = opts.steps ?? lemma.steps;
  const process = (s: Step, next: Step | undefined) => {
    if (res.violation) return;
    curStep = s;
    nextStep = next;
    if (s.t === 0 && !first) first = new ExactIterate(model, s, hyperExact);
    const repeated = prevChecked !== undefined && sameIterate(prevChecked, s);
    if (!repeated) {
      if (cache.size > 0) cache.clear();
    } else if (res.stalledAt === null && !exactGD.isFixedPoint(ExactGD.iterate(s))) res.stalledAt = s.t;
    if (repeated && res.stalledAt !== null) res.stalledIterates++;
    prevChecked = s;
    fill(s, '');
    pendingFill = { s, next };
    if (next) fill(next, '_next');
    else clear('_next');
    env[slot.get('t')!] = s.t;
    if (s.t === 0) {
      fill(s, '_0');
      enc.fill(s, '_0');
      computeConstants();
    }
    enc.setTime(s.t, tEvent);
    // Past the first iterate outside the lemma's hypotheses about the trajectory, nothing is claimed.
    if (lemma.along.length > 0 && premise(lemma.along) !== true) {
      res.leftHypothesesAt = s.t;
      return;
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
            enc.setTime(s.t, tEvent);
            cache.clear();
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
        // The statement matters only while a trigger waits for it (exact decisions are not free).
        if (pending !== null && statements(s.t, false).ok === true) pending = null;
        const late = pending !== null && s.t > pending.deadline ? pending : null;
        if (late) {
          const c = lemma.statements[0]!;
          res.violation = { step: late.t, statement: c.text, lhs: NaN, rhs: NaN, confirmedExactly: false, what: `triggered at step ${late.t}, the statement did not hold at any step up to ${late.deadline}` };
          return;
        }
        if (premise(lemma.trigger) === true) {
          res.premiseIterates++;
          const k = lemma.withinSteps!(env);
          const deadline = s.t + (Number.isFinite(k) ? Math.max(1, Math.ceil(k)) : Infinity);
          if (pending === null || deadline < pending.deadline) pending = { t: s.t, deadline };
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

  let last: Step | undefined;
  const run = runGD(model, hyper, init, { steps: T, arith: opts.arith }, (s) => {
    if (last && last.t % DEFECT_EVERY === 0) {
      const d = exactGD.defect(last, s).value;
      if (res.maxDefect === null || d > res.maxDefect) res.maxDefect = d;
    }
    last = s;
    if (needNext) {
      if (prev) process(prev, s);
      prev = s;
    } else process(s, undefined);
    return res.violation === null && res.leftHypothesesAt === null;
  });
  if (needNext && prev && !res.violation && res.leftHypothesesAt === null && q.kind === 'at-end') process(prev, undefined);
  if (run.termination.kind === 'diverged' && !res.violation) {
    res.diverged = run.termination.step;
    res.violation = { step: run.termination.step, statement: '(trajectory exists)', lhs: NaN, rhs: NaN, confirmedExactly: false, what: `GD diverged at step ${run.termination.step} (${run.termination.what} = ${run.termination.value})` };
  }
  return res;
}

/** The same computed point, bit for bit (extended steps compare mantissa and exponent). */
function sameIterate(a: Step, b: Step): boolean {
  for (let i = 0; i < a.theta.length; i++) {
    if (a.thetaExt && b.thetaExt) {
      if (a.thetaExt[i]!.m !== b.thetaExt[i]!.m || a.thetaExt[i]!.e !== b.thetaExt[i]!.e) return false;
    } else if (!Object.is(a.theta[i], b.theta[i])) return false;
  }
  return true;
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
  setStart: (s: Step) => void,
): TrajectoryResult {
  let s0: Step | undefined;
  runGD(model, hyper, init, { steps: 0, arith: opts.arith }, (s) => {
    s0 = s;
  });
  if (!s0) return res;
  fill(s0, '');
  fill(s0, '_0');
  env[lemma.slots.get('t')!] = 0;
  setStart(s0);
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

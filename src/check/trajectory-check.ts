import type { DerivedModel } from '../symbolic/derive.js';
import { quantifierKind, type IterateContext } from '../lemma/quantifiers/index.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import { stateSymbols } from '../lemma/compile.js';
import { iteratePoint, laneState, Observer, type Arithmetic, type IteratePoint, type Step } from '../dynamics/gd.js';
import { checkInputs } from '../dynamics/inputs.js';
import { makeLaneStepKernel, STEP_LOSS, STEP_OK } from '../dynamics/batch.js';
import { checkFlow } from './flow-check.js';
import { windowLength } from './window-length.js';
import { Rational } from '../numeric/rational.js';
import { Interval } from '../numeric/interval.js';
import { decide, decideExact, ExactIterate, marginOf, type Decision, type ExactContext, type Margin } from './decide.js';
import { figureOf, sideFigure, slackFigure, valueFigure, type Figure } from './figures.js';
import { IterateEnclosures } from './enclosures.js';
import { FI_OK } from '../numeric/outward.js';
import { add as extAdd, cmp as extCmp, ext, mul as extMul, toNumber as extToNumber, type ExtFloat } from '../numeric/extfloat.js';
import { GiveUp } from '../numeric/double-double.js';
import { ExactGD } from '../dynamics/exact-step.js';

export interface Violation {
  step: number;
  statement: string;
  confirmedExactly: boolean;
  what: string;
  /**
   * Both sides and the margin (negative; rhs - lhs for <=) at the violating iterate, from the values that decided
   * it (decide.ts, figures.ts); null where there are none (a divergence, a `within` window). Exact work, done
   * when first called: of the violations a lemma meets (each shrinking candidate has one), only the reported
   * counterexample's are read (check/sample.ts).
   */
  figures: () => { lhs: Figure; rhs: Figure; slack: Figure } | null;
}

export interface TrajectoryResult {
  iterates: number;
  premiseIterates: number;
  decidedExactly: number;
  decidedByFloat: number;
  undecided: number;
  /**
   * The smallest double slack of the decisions (a midpoint of enclosures, +-Number.MIN_VALUE for a nonzero margin
   * below the double range) and its step: the guided search's score (check/sample.ts, score), kept as it was.
   */
  worstSlack: { value: number; step: number } | null;
  /**
   * The smallest margin of the decided statements and its step, from the values that decided it. `value` orders
   * it: its double (kept nonzero and finite), or the midpoint of an enclosure of it that has its sign. `figure` is
   * the margin as a report prints it (figures.ts, Figure): exact work where `value` is not yet it, done when
   * first called (check/sample.ts calls it for a block's worst candidates only).
   */
  worstMargin: { value: number; step: number; figure: () => Figure } | null;
  maxNeeded: number;
  /** The largest needed value as an outward-rounded decimal enclosure, where maxNeeded (a double) does not say it. */
  maxNeededDecimal: string | null;
  maxNeededRatio: number | null;
  constantValue: number | null;
  diverged: number | null;
  violation: Violation | null;
  firstUndecided: string | null;
  /** Where the first undecided comparison was: its step and text (the report's diagnosis of UNDECIDED). */
  firstUndecidedAt: { step: number; comparison: string } | null;
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
    worstMargin: null,
    maxNeeded: -Infinity,
    maxNeededDecimal: null,
    maxNeededRatio: null,
    constantValue: null,
    diverged: null,
    violation: null,
    firstUndecided: null,
    firstUndecidedAt: null,
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
  const arith = opts.arith;
  const hvec = checkInputs(model, hyper, init);
  // The lane: the current iterate (th, thE) and the next one (nth, nthE), advanced by the engine's step kernel.
  const kernel = makeLaneStepKernel(model, arith);
  const lane = laneState(model, hvec, init, arith);
  let th: Float64Array = lane.th;
  let thE: Float64Array = lane.thE;
  let nth: Float64Array = new Float64Array(th.length);
  let nthE: Float64Array = new Float64Array(th.length);
  const kout = new Float64Array(1);
  const observer = new Observer(model, hvec, arith);
  const enc = new IterateEnclosures(model, lemma, hyper);
  const E = enc.E;
  const refineS = () => enc.refineSharpness();
  let t = 0;
  let hasNext = false;
  /** Which iterate the lazily built state (env, enclosures, exact points) belongs to. */
  let envAt = -1;
  let encAt = -1;
  let curAt = -1;
  let nxtAt = -1;
  // Float values of every state symbol (env) are built only where float-only terms, reports or window lengths need them.
  let observed: Step | undefined;
  const ensureEnv = () => {
    if (envAt === t) return;
    envAt = t;
    observed = observer.observe(t, th, thE);
    fill(observed, '');
    if (hasNext) fill(observer.observe(t + 1, nth, nthE), '_next');
    else clear('_next');
  };
  const ensureEnclosures = () => {
    if (encAt === t) return;
    encAt = t;
    enc.fill(th, thE, '', hasNext);
  };
  const point = (): IteratePoint => {
    ensureEnclosures();
    return iteratePoint(t, th, thE, arith, enc.vectors['']);
  };
  let first: ExactIterate | undefined;
  let cur: ExactIterate | undefined;
  let nxt: ExactIterate | undefined;
  const ctx = (): ExactContext => {
    if (curAt !== t) {
      curAt = t;
      cur = t === 0 && first ? first : new ExactIterate(model, point(), hyperExact);
    }
    if (hasNext && nxtAt !== t) {
      nxtAt = t;
      const from = cur!;
      // Exactly, "_next" is one exact GD step from the computed iterate: a one-step claim is about GD,
      // not about the rounding between two computed iterates (which can exceed a tiny true change).
      nxt = new ExactIterate(model, iteratePoint(t + 1, nth, nthE, arith, enc.vectors._next), hyperExact, () => exactGD.next(from.params()));
    }
    const scalars = new Map(hyperExact);
    scalars.set('t', Interval.point(Rational.fromInt(t)));
    if (tEvent !== null) scalars.set('T_event', Interval.point(Rational.fromInt(tEvent)));
    return { iterates: { '': cur, _0: first, _next: hasNext ? nxt : undefined }, scalars };
  };
  // Float-only comparisons (no interval kernel) read env at every iterate.
  const floatEveryIterate = [...lemma.statements, ...lemma.when, ...lemma.along, ...lemma.trigger, ...(lemma.event ? [lemma.event] : [])].some((c) => !c.kernel) || (lemma.tightness !== undefined && !lemma.tightness.neededKernel);
  // A computed orbit that repeats an iterate bit for bit gives the same exact decisions again: they are
  // reused (keyed by comparison) until the iterate or the event time changes.
  const cache = new Map<object, Decision>();
  // A flow-limit lemma decides at the enclosed limit (check/flow-check.ts): exactly, or undecided with the reason.
  let flowDecide: ((c: CompiledComparison) => Decision) | undefined;
  const decideHere = (c: CompiledComparison): Decision => {
    const hit = cache.get(c);
    if (hit) return hit;
    ensureEnclosures();
    if (!c.kernel) ensureEnv();
    const d = flowDecide ? flowDecide(c) : decide(model, c, E, env, ctx, opts.exactAll, enc.D, refineS);
    if (d.how !== 'float' && !c.uses.has('t')) cache.set(c, d);
    return d;
  };
  const count = (d: Decision, c: CompiledComparison) => {
    if (d.how === 'float') res.decidedByFloat++;
    else if (d.how === 'exact') res.decidedExactly++;
    else {
      res.undecided++;
      if (res.firstUndecided === null && d.how === 'undecided') {
        res.firstUndecided = d.why;
        res.firstUndecidedAt = { step: t, comparison: c.text };
      }
    }
  };
  /**
   * A premise (along, event, when, trigger): true/false, or undefined when it cannot be decided (the
   * iterate is then skipped and counted). A premise whose terms are undefined there is not met.
   */
  const eventList = lemma.event ? [lemma.event] : [];
  const premise = (cs: readonly CompiledComparison[]): boolean | undefined => {
    for (let k = 0; k < cs.length; k++) {
      const c = cs[k]!;
      const d = decideHere(c);
      if (d.holds === undefined) count(d, c);
      if (d.holds !== true) return d.holds === undefined ? undefined : false;
    }
    return true;
  };
  /**
   * Check every statement; records slack from the decided values; returns the first failing one. A
   * statement is asserted only where its terms are defined: elsewhere it is not tested (counted).
   */
  const statements = (t: number, record = true): { ok: boolean | undefined; failed?: CompiledComparison; d?: Decision; slack?: () => Figure } => {
    let all: boolean | undefined = true;
    for (let k = 0; k < lemma.statements.length; k++) {
      const c = lemma.statements[k]!;
      const d = decideHere(c);
      if (d.holds === 'undefined') {
        if (record) res.undefinedIterates++;
        continue;
      }
      if (d.holds !== undefined) res.tested[k]!++;
      let slack: (() => Figure) | undefined;
      if (record) {
        count(d, c);
        // The search's score, as it always was: a score that sees margins below the double range drives the
        // search into degenerate starts no comparison can decide (scalar-d2's balanced starts, phi = 2 exactly).
        if (Number.isFinite(d.slack) && (res.worstSlack === null || d.slack < res.worstSlack.value)) res.worstSlack = { value: d.slack, step: t };
        if (d.how !== 'undecided') slack = recordMargin(d, c, t);
      }
      if (d.holds === false) return { ok: false, failed: c, d, slack };
      if (d.holds === undefined) all = undefined;
    }
    return { ok: all };
  };
  /**
   * The worst margin of the decided statements: `key` orders candidates (extended: a margin of 1e-4472 is
   * Number.MIN_VALUE as a double), `figure` makes its figure when first called, at the candidate's own iterate.
   */
  let worst: { key: ExtFloat; value: number; step: number; figure: () => Figure } | null = null;
  const setWorst = (key: ExtFloat, step: number, figure: () => Figure) => {
    worst = { key, value: clampedNumber(key), step, figure };
  };
  /**
   * Offers a decided comparison's margin as the worst; returns its figure where the decision failed (the
   * violation's margin). Candidates are ordered as the search's slack orders them, by the midpoint of what the
   * decision knew (in doubles where that is the margin: this runs at every iterate), and a figure is made only
   * for the worst at the end: a margin shrinking at every step costs one figure per trajectory, not one per step.
   * An enclosure of the margin that reaches 0 says nothing of its magnitude (a margin of 1e-600 next to an S
   * enclosed to 1e-30): that one is refined at once, and ordered by its figure.
   */
  const recordMargin = (d: Extract<Decision, { how: 'float' | 'exact' }>, c: CompiledComparison, t: number): (() => Figure) | undefined => {
    const m = d.margin;
    if (m === undefined) {
      const value = d.slack;
      if (Number.isFinite(value) && (worst === null || value < worst.value || (value === worst.value && extCmp(ext(value), worst.key) < 0))) setWorst(ext(value), t, () => ({ value }));
      return d.holds === false ? () => ({ value }) : undefined;
    }
    const holds = d.holds;
    if (holds === false || m.lo.m * m.hi.m > 0) {
      const key = midpoint(m);
      if (holds !== false && worst !== null && extCmp(key, worst.key) >= 0) return undefined;
      const at = ctx();
      const figure = once(() => figureOf(slackFigure(model, c, holds, at, m.enclosure())));
      if (worst === null || extCmp(key, worst.key) < 0) setWorst(key, t, figure);
      return figure;
    }
    if (worst !== null && extCmp(m.lo, worst.key) >= 0) return undefined;
    const e = slackFigure(model, c, holds, ctx(), m.enclosure());
    const key = midpoint(marginOf(e));
    if (worst === null || extCmp(key, worst.key) < 0) {
      const f = figureOf(e);
      setWorst(key, t, () => f);
    }
    return undefined;
  };
  const neededOut = new Float64Array(2);
  const constSlot = lemma.tightness ? slot.get(lemma.tightness.constant)! : -1;
  const neededDD = new Float64Array(3);
  // The largest needed value since the constants last changed (the ratio needed/constant uses them).
  let pruneBelow = -Infinity;
  const recordNeeded = () => {
    const tt = lemma.tightness;
    if (!tt) return;
    // From rigorous values: the filter's enclosure when it is tight, else the exact value.
    let v: number;
    let enclosure: Interval | undefined;
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
          // Precise enough for the figure: relative to the value, or to the stated constant it is compared with.
          const cval = Math.abs(env[constSlot]!) || 0;
          tt.neededDD(enc.D, neededDD);
          // The double-double S enclosures cost more than the double ones: only where those were too coarse.
          if (!preciseDD(neededDD, cval) && tt.neededUsesS) {
            enc.refineSharpness();
            tt.neededDD(enc.D, neededDD);
          }
          // Not a value below the double range, which the tier holds as 0 +- its smallest number (exact work says it).
          if (preciseDD(neededDD, cval) && (neededDD[2] === 0 || Math.abs(neededDD[0]! + neededDD[1]!) >= MIN_NORMAL_DOUBLE)) v = neededDD[0]! + neededDD[1]!;
        } catch (e) {
          if (!(e instanceof GiveUp)) throw e;
        }
      }
      if (Number.isNaN(v)) ({ value: v, enclosure } = valueFigure(tt.neededExact, { status: st, lo: neededOut[0]!, hi: neededOut[1]! }, model, tt.neededUses, ctx));
    } else {
      ensureEnv();
      v = tt.needed(env);
    }
    if (!Number.isFinite(v)) return;
    // A value its double does not say (beyond the double range, or wide) is compared by its enclosure's midpoint.
    if (enclosure === undefined && neededEnclosure === null ? v > res.maxNeeded : !Number.isFinite(res.maxNeeded) || neededKey(v, enclosure).gt(neededKey(res.maxNeeded, neededEnclosure))) {
      res.maxNeeded = v;
      neededEnclosure = enclosure ?? null;
    }
    // Only a value that is its double bounds what later enclosures can change (the prune above compares doubles).
    if (enclosure === undefined && v > pruneBelow) pruneBelow = v;
    const c = env[constSlot]!;
    if (c > 0) res.maxNeededRatio = Math.max(res.maxNeededRatio ?? -Infinity, v / c);
  };
  /** The largest needed value's enclosure where its double (res.maxNeeded) does not say it. */
  let neededEnclosure: Interval | null = null;
  const sides = new Float64Array(4);
  /** `slack`: the margin's figure (recordMargin's). */
  const violate = (t: number, c: CompiledComparison, d: Decision, what: string, slack: () => Figure) => {
    const confirmedExactly = d.how === 'exact' || (d.how === 'float' && !!c.kernel);
    let figures: Violation['figures'];
    if (!c.kernel) {
      // A float-only comparison: its doubles decided.
      ensureEnv();
      const lhs = { value: c.lhs(env) };
      const rhs = { value: c.rhs(env) };
      figures = () => ({ lhs, rhs, slack: slack() });
    } else {
      // Both sides from rigorous values: the filter's enclosures where they are points, else exact at this iterate.
      ensureEnclosures();
      const ok = c.kernel(E, sides) === FI_OK;
      const [ll, lh, rl, rh] = ok ? sides : [NaN, NaN, NaN, NaN];
      const at = ctx();
      figures = once(() => ({ lhs: sideFigure(model, c.lhsExact, c.uses, ll!, lh!, at), rhs: sideFigure(model, c.rhsExact, c.uses, rl!, rh!, at), slack: slack() }));
    }
    res.violation = { step: t, statement: c.text, confirmedExactly, what, figures };
  };
  const finish = (): TrajectoryResult => {
    if (neededEnclosure) res.maxNeededDecimal = figureOf(neededEnclosure).decimal ?? null;
    if (worst) res.worstMargin = { value: worst.value, step: worst.step, figure: worst.figure };
    return res;
  };

  const kind = quantifierKind(lemma.quantifier.kind)!;
  if (kind.mode === 'flow') {
    ensureEnv();
    // The start's record carries the eigenvector an exact S at the start is certified from.
    first = new ExactIterate(model, observed!, hyperExact);
    checkFlow(model, lemma, hyper, hvec, init, res, env, fill, observed!, computeConstants, statements, recordNeeded, violate, (limit) => {
      if (typeof limit === 'string') flowDecide = () => ({ holds: undefined, slack: NaN, how: 'undecided', why: limit });
      else {
        for (const [k, v] of limit) hyperExact.set(k, v);
        flowDecide = (c) => decideExact(model, c, ctx());
      }
    });
    return finish();
  }

  const needNext = lemma.suffixes.has('_next');
  const T = opts.steps ?? lemma.steps;
  const prevTh = new Float64Array(th.length);
  const prevThE = new Float64Array(th.length);
  let hasPrev = false;
  // The kind's state machine (src/lemma/quantifiers/) sees the iterate through this context, built once per trajectory.
  const lists = { when: lemma.when, event: eventList, trigger: lemma.trigger } as const;
  // A window length or a statement in a window that was not decided: a late trigger is then not confirmed.
  let windowUncertain = false;
  const here: IterateContext & { t: number } = {
    t: 0,
    T,
    hasEvent: lemma.event !== undefined,
    holds: (field) => premise(lists[field]) === true,
    markEvent: () => {
      tEvent = here.t;
      computeConstants();
      enc.setTime(here.t, tEvent);
      cache.clear();
    },
    value: (field) => {
      if (field === 'within') {
        if (lemma.floatOnly) {
          ensureEnv();
          return lemma.withinSteps!(env);
        }
        // Decided on enclosures (check/window-length.ts); an undecided length counts as an undecided iterate.
        const w = windowLength(model, lemma, ctx);
        if ('steps' in w) return w.steps;
        windowUncertain = true;
        res.undecided++;
        if (res.firstUndecided === null) {
          res.firstUndecided = w.undecided;
          res.firstUndecidedAt = { step: here.t, comparison: `within ${lemma.quantifierTerms.within?.[0]?.text ?? ''}` };
        }
        return w.upper;
      }
      return lemma.fromStep!(env);
    },
    assert: (failure) => {
      res.premiseIterates++;
      recordNeeded();
      const r = statements(here.t);
      if (r.ok === false) violate(here.t, r.failed!, r.d!, failure(r.failed!.text), r.slack!);
    },
    statementsHold: () => {
      const ok = statements(here.t, false).ok;
      if (ok === undefined) windowUncertain = true;
      return ok === true;
    },
    countPremise: () => {
      res.premiseIterates++;
    },
    failLate: (from, _deadline, what) => {
      // Rigorous when every window length was an exact integer and every statement in the windows was decided.
      res.violation = { step: from, statement: lemma.statements[0]!.text, confirmedExactly: !lemma.floatOnly && !windowUncertain, figures: () => null, what };
    },
  };
  const run = kind.start!();
  const process = () => {
    if (res.violation) return;
    if (floatEveryIterate) ensureEnv();
    let repeated = hasPrev;
    for (let i = 0; repeated && i < th.length; i++) repeated = Object.is(th[i], prevTh[i]) && thE[i] === prevThE[i];
    if (!repeated) {
      if (cache.size > 0) cache.clear();
    } else if (res.stalledAt === null && !exactGD.isFixedPoint(ExactGD.iterate(point()))) res.stalledAt = t;
    if (repeated && res.stalledAt !== null) res.stalledIterates++;
    prevTh.set(th);
    prevThE.set(thE);
    hasPrev = true;
    env[slot.get('t')!] = t;
    if (t === 0) {
      ensureEnv();
      fill(observed!, '_0');
      enc.fill(th, thE, '_0');
      // `first` is the exact iterate at t = 0 for S as well as for S_0: its eigenvector (which certifies S) comes
      // from whichever of the two the lemma encloses (with S alone, vectors._0 is empty and S at t = 0 could not
      // be enclosed exactly).
      if (enc.vectors._0.length === 0) ensureEnclosures();
      first = new ExactIterate(model, iteratePoint(0, th, thE, arith, enc.vectors._0.length > 0 ? enc.vectors._0 : enc.vectors['']), hyperExact);
      computeConstants();
    }
    enc.setTime(t, tEvent);
    // Past the first iterate outside the lemma's hypotheses about the trajectory, nothing is claimed.
    if (lemma.along.length > 0 && premise(lemma.along) !== true) {
      res.leftHypothesesAt = t;
      return;
    }
    res.iterates++;
    here.t = t;
    run.step(here);
  };

  const atPoint = (tt: number, a: Float64Array, b: Float64Array) => iteratePoint(tt, a, b, arith, []);
  const diverged = (step: number, what: string) => {
    res.diverged = step;
    res.violation = { step, statement: '(trajectory exists)', confirmedExactly: false, figures: () => null, what: `GD diverged at step ${step} (${what} = ${kout[0]})` };
  };
  for (;;) {
    const code = kernel(0, 1, th, thE, lane.hM, lane.hE, nth, nthE, kout);
    if (code === STEP_LOSS) {
      diverged(t, 'L');
      break;
    }
    hasNext = code === STEP_OK && t < T;
    // With _next, an iterate is checked only together with its computed successor (except at the end, for at-end).
    if (!needNext || hasNext || (t === T && kind.checksLastWithoutNext)) process();
    if (res.violation || res.leftHypothesesAt !== null || t >= T) break;
    if (code !== STEP_OK) {
      diverged(t + 1, model.params[code]!);
      break;
    }
    if (t % DEFECT_EVERY === 0) {
      const d = exactGD.defect(atPoint(t, th, thE), atPoint(t + 1, nth, nthE)).value;
      if (res.maxDefect === null || d > res.maxDefect) res.maxDefect = d;
    }
    [th, nth] = [nth, th];
    [thE, nthE] = [nthE, thE];
    t++;
  }
  return finish();
}

const MIN_NORMAL_DOUBLE = 2 ** -1022;
const HALF = ext(0.5);

/** The midpoint of a margin's ends (decide.ts, Margin). */
function midpoint(m: Margin): ExtFloat {
  return extMul(extAdd(m.lo, m.hi), HALF);
}

/** The double of an extended value, kept nonzero and finite (Number.MIN_VALUE or MAX_VALUE with its sign). */
function clampedNumber(x: ExtFloat): number {
  const v = extToNumber(x);
  if (v === 0 && x.m !== 0) return Math.sign(x.m) * Number.MIN_VALUE;
  if (!Number.isFinite(v) && Number.isFinite(x.m)) return Math.sign(x.m) * Number.MAX_VALUE;
  return v;
}

/** What a needed value is compared by where its double does not say it: twice its enclosure's midpoint. */
function neededKey(v: number, e: Interval | null | undefined): Rational {
  return e ? e.lo.add(e.hi) : Rational.fromDouble(v).mul(Rational.fromInt(2));
}

/** f, evaluated on the first call only. */
function once<T>(f: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}

/** A double-double tightness value precise enough for the figure: relative to the value, or to the stated constant it is compared with. */
function preciseDD(v: Float64Array, constant: number): boolean {
  return v[2]! <= 1e-9 * Math.max(Math.abs(v[0]! + v[1]!), constant);
}

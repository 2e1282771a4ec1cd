import type { DerivedModel } from '../symbolic/derive.js';
import { quantifierKind, type IterateContext } from '../lemma/quantifiers/index.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import { stateSymbols } from '../lemma/compile.js';
import { iteratePoint, laneState, Observer, type Arithmetic, type IteratePoint, type Step } from '../dynamics/gd.js';
import { checkInputs } from '../dynamics/inputs.js';
import { makeLaneStepKernel, STEP_LOSS, STEP_OK } from '../dynamics/batch.js';
import { gradientFlowLimit } from '../dynamics/gradient-flow.js';
import { Rational } from '../numeric/rational.js';
import { Interval, iround } from '../numeric/interval.js';
import { decide, ExactIterate, extSlackEnclosure, figureOf, figureValue, floatSlackEnclosure, isTight, rigorousFigure, sideFigure, slackFigure, type Decision, type ExactContext, type Figure } from './decide.js';
import { IterateEnclosures } from './enclosures.js';
import { FI_OK } from '../numeric/outward.js';
import { abs as extAbs, add as extAdd, cmp as extCmp, ext, fromParts, mul as extMul, sub as extSub, toNumber as extToNumber, toRational as extToRational, type ExtFloat } from '../numeric/extfloat.js';
import { GiveUp } from '../numeric/double-double.js';
import { topEigenpair } from '../numeric/symmetric-eigen.js';
import { ExactGD } from '../dynamics/exact-step.js';
import type { Truth } from './decide.js';

export interface Violation {
  step: number;
  statement: string;
  /**
   * The two sides at the violating iterate, from the values that decided it (a side's float enclosure where it
   * is tight, else exact arithmetic): doubles, NaN where there is no side (divergence, a `within` window). A
   * side a double cannot say carries its outward-rounded decimal (decide.ts, Figure).
   */
  lhs: number;
  rhs: number;
  lhsDecimal?: string;
  rhsDecimal?: string;
  /** The margin at the violation (negative; rhs - lhs for <=), from the deciding values (NaN where there is none), with its decimal as worstSlack's. */
  slack: number;
  slackDecimal?: string;
  confirmedExactly: boolean;
  what: string;
}

export interface TrajectoryResult {
  iterates: number;
  premiseIterates: number;
  decidedExactly: number;
  decidedByFloat: number;
  undecided: number;
  /** The smallest margin, from the values that decided it: `value` a double, `decimal` where a double cannot say it (decide.ts, Figure). */
  worstSlack: { value: number; step: number; decimal?: string } | null;
  maxNeeded: number;
  /** The largest needed value as an outward-rounded decimal, where maxNeeded (a double) cannot say it. */
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
  const decideHere = (c: CompiledComparison): Decision => {
    const hit = cache.get(c);
    if (hit) return hit;
    ensureEnclosures();
    if (!c.kernel) ensureEnv();
    const d = decide(model, c, E, env, ctx, opts.exactAll, enc.D, refineS);
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
        count(d, c);
        // Only decided comparisons give a margin (an undecided one has overlapping enclosures, no figure).
        if (d.holds === undefined) {
          /* no margin */
        } else if (d.loose === undefined && d.enclosure === undefined && d.ends === undefined && d.extEnds === undefined) {
          // The common case, a float decision whose midpoint slack is the margin: one comparison (a tie with a
          // worst whose double is clamped, beyond the double range, is compared on keys).
          if (Number.isFinite(d.slack) && (worst === null || d.slack < worst.value)) setWorst(d.slack, t, null, null, null);
          else if (worstKey !== null && d.slack === worst!.value) recordSlack(d, c, t);
        } else recordSlack(d, c, t);
      }
      if (d.holds === false) return { ok: false, failed: c, d };
      if (d.holds === undefined) all = undefined;
    }
    return { ok: all };
  };
  /**
   * The worst slack. `worst.value` is its double (clamped beyond the double range); `worstKey`, where that double
   * does not order it (a margin of 1e-4472 is Number.MIN_VALUE), its midpoint in extended-exponent arithmetic;
   * `worstEnclosure` its rational enclosure where one was made; `worstPending` what finish() refines or turns into
   * an enclosure, from the decision's own enclosures (and `snap`, the state of its iterate). res.worstSlack is
   * written from these at the end (finish).
   */
  let worst: { value: number; step: number } | null = null;
  let worstKey: ExtFloat | null = null;
  let worstEnclosure: Interval | null = null;
  type Pending = { c: CompiledComparison; holds: Truth; ends?: readonly [number, number, number, number]; extEnds?: readonly [ExtFloat, ExtFloat, ExtFloat, ExtFloat] };
  let worstPending: Pending | null = null;
  const setWorst = (value: number, step: number, key: ExtFloat | null, enclosure: Interval | null, pending: Pending | null) => {
    worst = { value, step };
    worstKey = key;
    worstEnclosure = enclosure;
    worstPending = pending;
    if (pending) takeSnapshot(step);
  };
  /** The worst slack's ordering key. */
  const keyOf = (): ExtFloat => worstKey ?? ext(worst!.value);
  const snap = { t: -1, tEvent: null as number | null, hasNext: false, th: new Float64Array(th.length), thE: new Float64Array(th.length), nth: new Float64Array(th.length), nthE: new Float64Array(th.length), vec: [] as number[], vecNext: [] as number[] };
  const takeSnapshot = (t: number) => {
    snap.t = t;
    snap.tEvent = tEvent;
    snap.hasNext = hasNext;
    snap.th.set(th);
    snap.thE.set(thE);
    snap.nth.set(nth);
    snap.nthE.set(nthE);
    snap.vec = enc.vectors[''];
    snap.vecNext = enc.vectors._next;
  };
  /** The exact values of the snapshot's iterate (as ctx() builds them for the current one). */
  const snapshotContext = (): ExactContext => {
    const cur = snap.t === 0 && first ? first : new ExactIterate(model, iteratePoint(snap.t, snap.th, snap.thE, arith, snap.vec), hyperExact);
    const nxt = snap.hasNext ? new ExactIterate(model, iteratePoint(snap.t + 1, snap.nth, snap.nthE, arith, snap.vecNext), hyperExact, () => exactGD.next(cur.params())) : undefined;
    const scalars = new Map(hyperExact);
    scalars.set('t', Interval.point(Rational.fromInt(snap.t)));
    if (snap.tEvent !== null) scalars.set('T_event', Interval.point(Rational.fromInt(snap.tEvent)));
    return { iterates: { '': cur, _0: first, _next: nxt }, scalars };
  };
  /**
   * A candidate for the worst slack whose double is not its figure: an exact decision, or a float one with
   * enclosures wider than 2^-20 of its margin. One whose enclosure already has the margin's sign and magnitude
   * (no 0 inside, ends within a factor 4; a float decision's in doubles, an extended one's in extended arithmetic,
   * an exact one's in rationals) is ordered by its midpoint, as a plain slack is, and made a figure (its rational
   * enclosure, refined by decide.ts's slackFigure where wide) only if it is still the worst at the end: a margin
   * shrinking at every step costs one figure per trajectory, not one per step. One that does not (a margin of
   * 1e-600 next to an S enclosed to 1e-30) is refined, since nothing else orders it: at once, or at the end for a
   * margin >= 0 (none is needed if the trajectory violates the claim first).
   */
  const recordSlack = (d: Extract<Decision, { how: 'float' | 'exact' }>, c: CompiledComparison, t: number) => {
    const before = (lo: ExtFloat) => worst !== null && extCmp(lo, keyOf()) > 0;
    if (d.extEnds && (c.rel !== '==')) {
      const [ll, lh, rl, rh] = d.extEnds;
      const up = c.rel === '<' || c.rel === '<=';
      let lo = up ? extSub(rl, lh) : extSub(ll, rh);
      let hi = up ? extSub(rh, ll) : extSub(lh, rl);
      if (d.holds === true && lo.m < 0) lo = ext(0);
      if (d.holds === false && hi.m > 0) hi = ext(0);
      if (before(lo)) return;
      if (extOrderable(lo, hi)) {
        const mid = extMul(extAdd(lo, hi), HALF);
        if (worst === null || extCmp(mid, keyOf()) < 0) setWorst(clampedNumber(mid), t, mid, null, { c, holds: d.holds, extEnds: d.extEnds });
        return;
      }
    } else if (d.ends) {
      const [ll, lh, rl, rh] = d.ends;
      const lo = c.rel === '<' || c.rel === '<=' ? rl - lh : c.rel === '==' ? NaN : ll - rh;
      const hi = c.rel === '<' || c.rel === '<=' ? rh - ll : c.rel === '==' ? NaN : lh - rl;
      if (before(ext(lo))) return;
      if (Number.isFinite(lo) && Number.isFinite(hi) && lo * hi > 0 && Math.max(Math.abs(lo), Math.abs(hi)) <= 4 * Math.min(Math.abs(lo), Math.abs(hi))) {
        if (worst === null || extCmp(ext(d.slack), keyOf()) < 0) setWorst(d.slack, t, null, null, { c, holds: d.holds, ends: d.ends });
        return;
      }
    }
    let e = d.enclosure ?? (d.ends ? floatSlackEnclosure(c.rel, d.holds, d.ends) : d.extEnds ? extSlackEnclosure(c.rel, d.holds, d.extEnds) : undefined);
    if (worst !== null && e && e.lo.gt(extToRational(keyOf()))) return;
    // Short ends from here on (exact ones can carry 10^4-bit denominators): rounded outward, still an enclosure.
    if (e) e = iround(e, 96);
    const defer = e !== undefined && !isTight(e) && orderable(e);
    if (!defer && e !== undefined && !isTight(e) && d.holds === true) {
      ambiguous.push({ c, holds: d.holds, e, t, at: ctx() });
      if (ambiguous.length >= AMBIGUOUS_MAX) resolveAmbiguous();
      return;
    }
    if (!defer) e = slackFigure(model, c, d.holds, ctx(), e);
    if (e) offer(e, t, defer ? { c, holds: d.holds } : null);
  };
  /** e the new worst slack (step t) if its midpoint is below the worst's key. */
  const offer = (e: Interval, t: number, pending: Pending | null) => {
    const mid = e.isPoint() ? e.lo : e.lo.add(e.hi).div(Rational.fromInt(2));
    if (worst !== null && !mid.lt(extToRational(keyOf()))) return;
    setWorst(figureValue(e), t, rationalToExt(mid), e, pending);
  };
  const ambiguous: { c: CompiledComparison; holds: Truth; e: Interval; t: number; at: ExactContext }[] = [];
  /** The kept candidates, refined, offered in step order. */
  const resolveAmbiguous = () => {
    for (const a of ambiguous.splice(0)) {
      const e = slackFigure(model, a.c, a.holds, a.at, a.e);
      if (e) offer(e, a.t, null);
    }
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
      if (Number.isNaN(v)) ({ value: v, enclosure } = rigorousFigure(tt.neededExact, { status: st, lo: neededOut[0]!, hi: neededOut[1]! }, model, tt.neededUses, ctx));
    } else {
      ensureEnv();
      v = tt.needed(env);
    }
    if (!Number.isFinite(v)) return;
    const c = env[constSlot]!;
    if (enclosure === undefined && neededEnclosure === null) {
      if (v > res.maxNeeded) res.maxNeeded = v;
      if (v > pruneBelow) pruneBelow = v;
      if (c > 0) res.maxNeededRatio = Math.max(res.maxNeededRatio ?? -Infinity, v / c);
      return;
    }
    // A value beyond the double range (its double is clamped), or a maximum that is one: compared exactly.
    const x = enclosure ?? Interval.point(Rational.fromDouble(v));
    const mid = (y: Interval) => y.lo.add(y.hi);
    const maxMid = neededEnclosure ? mid(neededEnclosure) : Number.isFinite(res.maxNeeded) ? Rational.fromDouble(res.maxNeeded).mul(Rational.fromInt(2)) : null;
    if (maxMid === null || mid(x).gt(maxMid)) {
      res.maxNeeded = v;
      neededEnclosure = enclosure ?? null;
      // The largest double certainly below the maximum: an enclosure under it cannot change the figure.
      pruneBelow = enclosure === undefined ? v : v === Number.MAX_VALUE ? v : v > 0 ? 0 : v === -Number.MIN_VALUE ? -Number.MIN_VALUE : -Infinity;
    }
    if (c > 0) res.maxNeededRatio = Math.max(res.maxNeededRatio ?? -Infinity, enclosure ? x.lo.add(x.hi).div(Rational.fromDouble(2 * c)).toNumber() : v / c);
  };
  /** The largest needed value's enclosure where its double is not its figure (decimal written at the end). */
  let neededEnclosure: Interval | null = null;
  const sides = new Float64Array(4);
  const violate = (t: number, c: CompiledComparison, d: Decision, what: string) => {
    const confirmedExactly = d.how === 'exact' || (d.how === 'float' && !!c.kernel);
    if (!c.kernel) {
      // A float-only comparison: its doubles decided.
      ensureEnv();
      res.violation = { step: t, statement: c.text, lhs: c.lhs(env), rhs: c.rhs(env), slack: d.slack, confirmedExactly, what };
      return;
    }
    // Both sides from rigorous values: the filter's enclosures where they are points, else exact; and the margin:
    // the decision's double where it is the figure, else refined (sides that print as the same double can differ
    // by 1e-292). Computed when first read: of the violations a lemma meets (every shrinking candidate has one),
    // only the reported counterexample's are (check/sample.ts), from a snapshot of the violating iterate.
    ensureEnclosures();
    const ok = c.kernel(E, sides) === FI_OK;
    const ends = [0, 1, 2, 3].map((i) => (ok ? sides[i]! : NaN));
    const at = ctx();
    let f: { l: Figure; r: Figure; margin: Figure } | undefined;
    const figures = () => {
      if (f) return f;
      let margin: Figure = { value: d.slack };
      if (d.how !== 'undecided' && (d.loose || d.enclosure || d.extEnds)) {
        const e = slackFigure(model, c, d.holds, at, d.enclosure ?? (d.ends ? floatSlackEnclosure(c.rel, d.holds, d.ends) : d.extEnds ? extSlackEnclosure(c.rel, d.holds, d.extEnds) : undefined));
        if (e) margin = figureOf(e);
      }
      return (f = { l: sideFigure(model, c.lhsExact, c.uses, ends[0]!, ends[1]!, () => at), r: sideFigure(model, c.rhsExact, c.uses, ends[2]!, ends[3]!, () => at), margin });
    };
    res.violation = {
      step: t,
      statement: c.text,
      get lhs() {
        return figures().l.value;
      },
      get rhs() {
        return figures().r.value;
      },
      get lhsDecimal() {
        return figures().l.decimal;
      },
      get rhsDecimal() {
        return figures().r.decimal;
      },
      get slack() {
        return figures().margin.value;
      },
      get slackDecimal() {
        return figures().margin.decimal;
      },
      confirmedExactly,
      what,
    };
  };
  /** The worst slack with its figure: kept candidates refined and offered, the worst's own enclosure refined, its decimal written. */
  const worstFigure = (): TrajectoryResult['worstSlack'] => {
    // Kept candidates are margins >= 0: a negative worst (the violation's) is below all of them.
    if (worst !== null && worst.value < 0) ambiguous.length = 0;
    else resolveAmbiguous();
    if (worstPending) {
      const p = worstPending;
      const start = p.ends ? floatSlackEnclosure(p.c.rel, p.holds, p.ends) : p.extEnds ? extSlackEnclosure(p.c.rel, p.holds, p.extEnds) : (worstEnclosure ?? undefined);
      // A tight enclosure is the figure as it is (slackFigure returns it); a wide one is refined at the snapshot's iterate.
      worstEnclosure = (start && isTight(start) ? start : slackFigure(model, p.c, p.holds, snapshotContext(), start)) ?? start ?? null;
      worstPending = null;
    }
    if (!worstEnclosure || !worst) return worst;
    const f = figureOf(worstEnclosure);
    return f.decimal === undefined ? { value: f.value, step: worst.step } : { value: f.value, step: worst.step, decimal: f.decimal };
  };
  const finish = (): TrajectoryResult => {
    if (neededEnclosure) res.maxNeededDecimal = figureOf(neededEnclosure).decimal ?? null;
    if (ambiguous.length === 0 && worstPending === null && worstEnclosure === null) {
      res.worstSlack = worst;
      return res;
    }
    // Refinement is exact work: done when the figure is first read, so the trajectories of the shrinking (only
    // their violation is read, check/sample.ts) never pay it.
    let figure: TrajectoryResult['worstSlack'] | undefined;
    Object.defineProperty(res, 'worstSlack', {
      enumerable: true,
      configurable: true,
      get: () => (figure === undefined ? (figure = worstFigure()) : figure),
      set: (v: TrajectoryResult['worstSlack']) => void (figure = v),
    });
    return res;
  };

  const kind = quantifierKind(lemma.quantifier.kind)!;
  if (kind.mode === 'flow') {
    ensureEnv();
    // The start's record carries the eigenvector an exact S at the start is certified from.
    first = new ExactIterate(model, observed!, hyperExact);
    checkFlow(model, lemma, hvec, init, res, env, fill, observed!, computeConstants, statements, recordNeeded, violate);
    return finish();
  }

  const needNext = lemma.suffixes.has('_next');
  const T = opts.steps ?? lemma.steps;
  const prevTh = new Float64Array(th.length);
  const prevThE = new Float64Array(th.length);
  let hasPrev = false;
  // The kind's state machine (src/lemma/quantifiers/) sees the iterate through this context, built once per trajectory.
  const lists = { when: lemma.when, event: eventList, trigger: lemma.trigger } as const;
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
        ensureEnv();
        return lemma.withinSteps!(env);
      }
      return lemma.fromStep!(env);
    },
    assert: (failure) => {
      res.premiseIterates++;
      recordNeeded();
      const r = statements(here.t);
      if (r.ok === false) violate(here.t, r.failed!, r.d!, failure(r.failed!.text));
    },
    statementsHold: () => statements(here.t, false).ok === true,
    countPremise: () => {
      res.premiseIterates++;
    },
    failLate: (from, _deadline, what) => {
      res.violation = { step: from, statement: lemma.statements[0]!.text, lhs: NaN, rhs: NaN, slack: NaN, confirmedExactly: false, what };
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
    res.violation = { step, statement: '(trajectory exists)', lhs: NaN, rhs: NaN, slack: NaN, confirmedExactly: false, what: `GD diverged at step ${step} (${what} = ${kout[0]})` };
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

function checkFlow(
  model: DerivedModel,
  lemma: CompiledLemma,
  h: Float64Array,
  init: number[],
  res: TrajectoryResult,
  env: Float64Array,
  fill: (s: Step, suffix: string) => void,
  s0: Step,
  computeConstants: () => void,
  statements: (t: number) => { ok: boolean | undefined; failed?: CompiledComparison; d?: Decision },
  recordNeeded: () => void,
  violate: (t: number, c: CompiledComparison, d: Decision, what: string) => void,
): TrajectoryResult {
  fill(s0, '_0');
  env[lemma.slots.get('t')!] = 0;
  computeConstants();
  const g = model.kernels.gradient;
  const lim = gradientFlowLimit((y, out) => g(y, h, out), init);
  if (lim.status === 'nonFinite') {
    res.violation = { step: 0, statement: '(flow exists)', lhs: NaN, rhs: NaN, slack: NaN, confirmedExactly: false, what: 'gradient flow left the finite range' };
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
    { t: lim.t, theta: th, log10AbsTheta: th.map((x) => Math.log10(Math.abs(x))), L, log10L: Math.log10(L), q, log10AbsQ: {}, gradNorm: lim.gradNorm, grad: Array.from(grad), S: top.value, etaS: h[model.hypers.indexOf('eta')]! * top.value, topVector: top.vector },
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

const MIN_NORMAL_DOUBLE = 2 ** -1022;
const HALF = ext(0.5);

/** No 0 inside [lo, hi] (extended), its ends within a factor 4: the midpoint has the sign and magnitude of what it encloses. */
function extOrderable(lo: ExtFloat, hi: ExtFloat): boolean {
  if (!(lo.m > 0 && hi.m > 0) && !(lo.m < 0 && hi.m < 0)) return false;
  const x = extAbs(lo);
  const y = extAbs(hi);
  return extCmp(x, extMul(y, FOUR_EXT)) <= 0 && extCmp(y, extMul(x, FOUR_EXT)) <= 0;
}
const FOUR_EXT = ext(4);

/** The double of an extended value, kept nonzero and finite (Number.MIN_VALUE or MAX_VALUE with its sign). */
function clampedNumber(x: ExtFloat): number {
  const v = extToNumber(x);
  if (v === 0 && x.m !== 0) return Math.sign(x.m) * Number.MIN_VALUE;
  if (!Number.isFinite(v) && Number.isFinite(x.m)) return Math.sign(x.m) * Number.MAX_VALUE;
  return v;
}

/** A rational as an extended value (53 bits, any exponent): the key a rational enclosure's midpoint is ordered by. */
function rationalToExt(r: Rational): ExtFloat {
  if (r.isZero()) return ext(0);
  const e = Math.floor(r.log2Abs());
  return fromParts(r.mul(Rational.fromExtended(1, -e)).toNumber(), e);
}

/** Candidates for the worst slack kept for refinement at the end of a trajectory, at most (then refined at once). */
const AMBIGUOUS_MAX = 64;

/** An enclosure with the sign and the magnitude of what it encloses: no 0 inside, its ends within a factor 4. */
function orderable(x: Interval): boolean {
  const lo = x.lo.abs();
  const hi = x.hi.abs();
  return x.lo.sign() === x.hi.sign() && x.lo.sign() !== 0 && (lo.lt(hi) ? hi.le(lo.mul(FOUR)) : lo.le(hi.mul(FOUR)));
}
const FOUR = Rational.fromInt(4);

/** A double-double tightness value precise enough for the figure: relative to the value, or to the stated constant it is compared with. */
function preciseDD(v: Float64Array, constant: number): boolean {
  return v[2]! <= 1e-9 * Math.max(Math.abs(v[0]! + v[1]!), constant);
}

import type { DerivedModel } from '../symbolic/derive.js';
import { quantifierKind, type IterateContext, type LaneRun, type QuantifierKind } from '../lemma/quantifiers/index.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import { iteratePoint, type Arithmetic } from '../dynamics/gd.js';
import { makeLaneRunKernel, makeLaneStepKernel, STEP_LOSS, STEP_OK } from '../dynamics/batch.js';
import { checkFlow } from './flow-check.js';
import { windowLength } from './window-length.js';
import { decide, decideExact, ExactIterate, type Decision, type ExactContext } from './decide.js';
import { sideFigure, type Figure } from './figures.js';
import { FI_OK } from '../numeric/outward.js';
import { ExactGD } from '../dynamics/exact-step.js';
import { IterateState } from './iterate-state.js';
import { lowerWorstSlack, NeededMax, once, WorstMargin } from './extremes.js';
import { OrbitRepeats, runSteady, steadyEligible, type SteadyHost } from './steady-run.js';
import { PENDING_CANDIDATES } from './candidate-queue.js';

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
  /** Iterates settled in the steady loop (check/steady-run.ts); the rest went through the state machine one by one. */
  steadyIterates: number;
  /** Of those, the iterates the fused rung settled (check/fused-rung.ts). */
  fusedIterates: number;
}

/**
 * Steps between samples of the one-step defect (each costs a double-double bound, and an exact GD step where that
 * bound does not stay below the trajectory's largest defect so far).
 */
export const DEFECT_EVERY = 500;
/**
 * A defect bound times this is above any figure of the defect it bounds: ExactGD.defect's figure is within about 1e-11
 * of the exact ratio where the bound answers (dynamics/defect-bound.ts; logarithms of magnitudes below 2^100000).
 */
const DEFECT_ROOM = 1 + 2 ** -30;

export interface CheckOptions {
  arith: Arithmetic;
  /** Decide every iterate exactly, not only those the float filter cannot separate. */
  exactAll?: boolean;
  /**
   * Run steady stretches of the orbit in the steady loop (check/steady-run.ts; default true). False sends every
   * iterate through the state machine and the full ladder: the same result, which a test holds them to.
   */
  steady?: boolean;
  /**
   * Let the steady loop decide iterates by the fused rung first (check/fused-rung.ts; default true). False leaves
   * them to the filter's interval rung: the same result (which iterates were decided exactly aside), held by a test.
   */
  fused?: boolean;
  /**
   * Let the fused rung settle runs of iterates in its lane loop (check/fused-rung.ts, FusedRun; default true). False
   * calls the lane step and the rung at each iterate: the same result, held by a test.
   */
  fusedLoop?: boolean;
  /**
   * Skip the exact step of a defect sample whose bound (dynamics/defect-bound.ts) is below the largest defect so far
   * (default true). False computes every sample exactly: the same result, held by a test.
   */
  defectBound?: boolean;
  /**
   * The largest one-step defect already found by the trajectories checked before this one whose evidence this
   * one's is folded with (a block's). Only the largest of a block is reported, so a sample whose bound is at or
   * below it is skipped like one below this trajectory's own largest: this trajectory's maxDefect may then be
   * smaller or null, the block's largest is the same. Unset (null) for a trajectory read on its own.
   */
  defectFloor?: number | null;
  /**
   * Record a tightness value from its double-double kernel first, and its interval kernel only where that leaves it
   * open whether the value may be the largest (default true). False runs the interval kernel first, as before: the
   * same result, held by a test.
   */
  neededDDFirst?: boolean;
  /**
   * How many iterates whose slack may be a new smallest the steady loop keeps pending at once (check/steady-run.ts,
   * default PENDING_CANDIDATES): any number from 1 gives the same result, held by a test.
   */
  pendingCandidates?: number;
  steps?: number;
}

/** What a trajectory has shown before anything was checked. */
function emptyResult(lemma: CompiledLemma): TrajectoryResult {
  return {
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
    steadyIterates: 0,
    fusedIterates: 0,
  };
}

/** The statements at one iterate: all hold (true), one failed (with its decision and margin), or some were undecided. */
type StatementsAt = { ok: boolean | undefined; failed?: CompiledComparison; d?: Decision; slack?: () => Figure };

/** Check one lemma along one GD trajectory from (hyper, init). Streams the trajectory. */
export function checkTrajectory(model: DerivedModel, lemma: CompiledLemma, hyper: Record<string, number>, init: number[], opts: CheckOptions): TrajectoryResult {
  const check = new TrajectoryCheck(model, lemma, hyper, init, opts);
  const kind = quantifierKind(lemma.quantifier.kind)!;
  return kind.mode === 'flow' ? check.atFlowLimit() : check.alongOrbit(kind);
}

/**
 * One trajectory's check: the lazily built state of the iterate it is at (iterate-state.ts), the decisions
 * there (cached while the computed orbit repeats an iterate), and what they add to the trajectory's result.
 */
class TrajectoryCheck {
  private readonly res: TrajectoryResult;
  private readonly st: IterateState;
  private readonly worst: WorstMargin;
  private readonly needed: NeededMax;
  /**
   * A computed orbit that repeats an iterate bit for bit gives the same exact decisions again: they are
   * reused (keyed by comparison) until the iterate or the event time changes.
   */
  private readonly cache = new Map<object, Decision>();
  /** A flow-limit lemma decides at the enclosed limit (check/flow-check.ts): exactly, or undecided with the reason. */
  private flowDecide: ((c: CompiledComparison) => Decision) | undefined;
  private readonly exact: () => ExactContext;
  private readonly refineS: () => void;
  private readonly sides = new Float64Array(4);

  constructor(
    private readonly model: DerivedModel,
    private readonly lemma: CompiledLemma,
    private readonly hyper: Record<string, number>,
    private readonly init: number[],
    private readonly opts: CheckOptions,
  ) {
    this.res = emptyResult(lemma);
    const st = (this.st = new IterateState(model, lemma, hyper, init, opts.arith));
    this.exact = () => st.exact();
    this.refineS = () => st.enc.refineSharpness();
    this.worst = new WorstMargin(model, this.exact);
    this.needed = new NeededMax(model, lemma, st, opts.neededDDFirst !== false);
  }

  /** The lemma's constants, from the start's values and the event time (again when the event fixes T_event). */
  readonly computeConstants = (): void => {
    const { env } = this.st;
    const slot = this.lemma.slots;
    env[slot.get('T_event')!] = this.st.tEvent ?? NaN;
    for (const c of this.lemma.constants) env[slot.get(c.name)!] = c.f(env);
    this.needed.constantsChanged();
    if (this.lemma.tightness) this.res.constantValue = env[slot.get(this.lemma.tightness.constant)!]!;
  };

  private decide(c: CompiledComparison): Decision {
    const hit = this.cache.get(c);
    if (hit) return hit;
    const st = this.st;
    st.enclosures();
    if (!c.kernel) st.floats();
    const d = this.flowDecide ? this.flowDecide(c) : decide(this.model, c, st.enc.E, st.env, this.exact, this.opts.exactAll, st.enc.D, this.refineS);
    if (d.how !== 'float' && !c.uses.has('t')) this.cache.set(c, d);
    return d;
  }

  /** Counts a decision by how it was made; the first undecided one is remembered with its reason. */
  private count(d: Decision, c: CompiledComparison): void {
    const res = this.res;
    if (d.how === 'float') res.decidedByFloat++;
    else if (d.how === 'exact') res.decidedExactly++;
    else {
      res.undecided++;
      if (res.firstUndecided === null && d.how === 'undecided') {
        res.firstUndecided = d.why;
        res.firstUndecidedAt = { step: this.st.t, comparison: c.text };
      }
    }
  }

  /**
   * A premise (along, event, when, trigger): true/false, or undefined when it cannot be decided (the
   * iterate is then skipped and counted). A premise whose terms are undefined there is not met.
   */
  private premise(cs: readonly CompiledComparison[]): boolean | undefined {
    for (let k = 0; k < cs.length; k++) {
      const c = cs[k]!;
      const d = this.decide(c);
      if (d.holds === undefined) this.count(d, c);
      if (d.holds !== true) return d.holds === undefined ? undefined : false;
    }
    return true;
  }

  /**
   * Check every statement; records slack from the decided values; returns the first failing one. A
   * statement is asserted only where its terms are defined: elsewhere it is not tested (counted).
   */
  readonly statements = (t: number, record = true): StatementsAt => {
    const { lemma, res } = this;
    let all: boolean | undefined = true;
    for (let k = 0; k < lemma.statements.length; k++) {
      const c = lemma.statements[k]!;
      const d = this.decide(c);
      if (d.holds === 'undefined') {
        if (record) res.undefinedIterates++;
        continue;
      }
      if (d.holds !== undefined) res.tested[k]!++;
      let slack: (() => Figure) | undefined;
      if (record) {
        this.count(d, c);
        lowerWorstSlack(res, d.slack, t);
        if (d.how !== 'undecided') slack = this.worst.offer(d, c, t);
      }
      if (d.holds === false) return { ok: false, failed: c, d, slack };
      if (d.holds === undefined) all = undefined;
    }
    return { ok: all };
  };

  /** The violation of statement c at step t, decided by d; `slack`: the margin's figure (WorstMargin.offer's). */
  readonly violate = (t: number, c: CompiledComparison, d: Decision, what: string, slack: () => Figure): void => {
    const { model, st } = this;
    const confirmedExactly = d.how === 'exact' || (d.how === 'float' && !!c.kernel);
    let figures: Violation['figures'];
    if (!c.kernel) {
      // A float-only comparison: its doubles decided.
      st.floats();
      const lhs = { value: c.lhs(st.env) };
      const rhs = { value: c.rhs(st.env) };
      figures = () => ({ lhs, rhs, slack: slack() });
    } else {
      // Both sides from rigorous values: the filter's enclosures where they are points, else exact at this iterate.
      st.enclosures();
      const sides = this.sides;
      const ok = c.kernel(st.enc.E, sides) === FI_OK;
      const [ll, lh, rl, rh] = ok ? sides : [NaN, NaN, NaN, NaN];
      const at = st.exact();
      figures = once(() => ({ lhs: sideFigure(model, c.lhsExact, c.uses, ll!, lh!, at), rhs: sideFigure(model, c.rhsExact, c.uses, rl!, rh!, at), slack: slack() }));
    }
    this.res.violation = { step: t, statement: c.text, confirmedExactly, what, figures };
  };

  private finish(): TrajectoryResult {
    const res = this.res;
    res.maxNeeded = this.needed.max;
    res.maxNeededRatio = this.needed.maxRatio;
    res.maxNeededDecimal = this.needed.decimal();
    res.worstMargin = this.worst.result();
    return res;
  }

  /** A flow-limit lemma: its statements decided once, at the enclosed gradient-flow limit (check/flow-check.ts). */
  atFlowLimit(): TrajectoryResult {
    const { model, lemma, st } = this;
    st.floats();
    // The start's record carries the eigenvector an exact S at the start is certified from.
    st.first = new ExactIterate(model, st.observed!, st.hyperExact);
    checkFlow(model, lemma, this.hyper, st.hvec, this.init, this.res, st.env, st.writer.fill, st.observed!, this.computeConstants, this.statements, () => this.needed.record(), this.violate, (limit) => {
      if (typeof limit === 'string') this.flowDecide = () => ({ holds: undefined, slack: NaN, how: 'undecided', why: limit });
      else {
        for (const [k, v] of limit) st.hyperExact.set(k, v);
        this.flowDecide = (c) => decideExact(model, c, this.exact());
      }
    });
    return this.finish();
  }

  /** The claim along the computed orbit: each iterate through the kind's state machine, until T, a violation or divergence. */
  alongOrbit(kind: QuantifierKind): TrajectoryResult {
    const { model, lemma, res, st } = this;
    const kernel = makeLaneStepKernel(model, st.arith);
    const kout = new Float64Array(1);
    const needNext = lemma.suffixes.has('_next');
    const T = this.opts.steps ?? lemma.steps;
    const repeats = new OrbitRepeats(st.th.length);
    const lane = this.laneContext(T);
    const run = kind.start!();
    const visit = this.iterateVisitor(run, lane, repeats);
    const host: SteadyHost | undefined =
      this.opts.steady !== false && !this.opts.exactAll && steadyEligible(lemma)
        ? { model, lemma, fused: this.opts.fused !== false, fusedLoop: this.opts.fusedLoop !== false, pendingCandidates: this.opts.pendingCandidates ?? PENDING_CANDIDATES, st, res, worst: this.worst, needed: this.needed, repeats, kernel, run: makeLaneRunKernel(model, st.arith), kout, defectEvery: DEFECT_EVERY, sampleDefect: () => this.sampleDefect(), decideExact: (c) => decideExact(model, c, this.exact()), clearCache: () => this.cache.clear() }
        : undefined;
    const diverged = (step: number, what: string) => {
      res.diverged = step;
      res.violation = { step, statement: '(trajectory exists)', confirmedExactly: false, figures: () => null, what: `GD diverged at step ${step} (${what} = ${kout[0]})` };
    };
    for (;;) {
      // Past the start's record, a stretch the state machine only asserts in goes through the steady loop.
      if (host && st.t > 0 && run.steady) {
        lane.t = st.t;
        const s = run.steady(lane);
        if (s) runSteady(host, s, T);
      }
      const code = kernel(0, 1, st.th, st.thE, st.hM, st.hE, st.nth, st.nthE, kout);
      if (code === STEP_LOSS) {
        diverged(st.t, 'L');
        break;
      }
      st.hasNext = code === STEP_OK && st.t < T;
      // With _next, an iterate is checked only together with its computed successor (except at the end, for at-end).
      if (!needNext || st.hasNext || (st.t === T && kind.checksLastWithoutNext)) visit();
      if (res.violation || res.leftHypothesesAt !== null || st.t >= T) break;
      if (code !== STEP_OK) {
        diverged(st.t + 1, model.params[code]!);
        break;
      }
      if (st.t % DEFECT_EVERY === 0) this.sampleDefect();
      st.advance();
    }
    return this.finish();
  }

  /** The one-step defect from the current iterate to the computed next one, into the largest so far. */
  private sampleDefect(): void {
    const { st, res } = this;
    // Only the largest defect is kept: a sample bounded below it (with room for the figure's own roundings) changes
    // nothing, and the exact step is skipped.
    const floor = this.defectFloor;
    if (floor !== null && this.opts.defectBound !== false && st.defectBound(st.th, st.thE, st.nth, st.nthE) * DEFECT_ROOM <= floor) return;
    const d = st.exactGD.defect(iteratePoint(st.t, st.th, st.thE, st.arith, []), iteratePoint(st.t + 1, st.nth, st.nthE, st.arith, [])).value;
    if (res.maxDefect === null || d > res.maxDefect) res.maxDefect = d;
  }

  /** The largest defect known to whoever reads this trajectory's: its own so far, or the block's before it. */
  private get defectFloor(): number | null {
    const own = this.res.maxDefect;
    const before = this.opts.defectFloor ?? null;
    return own === null ? before : before === null ? own : Math.max(own, before);
  }

  /**
   * What happens at each iterate of the orbit: the stall check, the start's record (t = 0), the hypotheses
   * along the trajectory, then the kind's state machine (src/lemma/quantifiers/) through the lane context.
   */
  private iterateVisitor(run: LaneRun, lane: IterateContext & { t: number }, orbit: OrbitRepeats): () => void {
    const { lemma, res, st } = this;
    // Float-only comparisons (no interval kernel) read env at every iterate.
    const floatEveryIterate = [...lemma.statements, ...lemma.when, ...lemma.along, ...lemma.trigger, ...(lemma.event ? [lemma.event] : [])].some((c) => !c.kernel) || (lemma.tightness !== undefined && !lemma.tightness.neededKernel);
    const tSlot = lemma.slots.get('t')!;
    const repeats = this.repeatDetector(orbit);
    return () => {
      if (res.violation) return;
      if (floatEveryIterate) st.floats();
      repeats();
      st.env[tSlot] = st.t;
      if (st.t === 0) {
        st.recordStart();
        this.computeConstants();
      }
      st.enc.setTime(st.t, st.tEvent);
      // Past the first iterate outside the lemma's hypotheses about the trajectory, nothing is claimed.
      if (lemma.along.length > 0 && this.premise(lemma.along) !== true) {
        res.leftHypothesesAt = st.t;
        return;
      }
      res.iterates++;
      lane.t = st.t;
      run.step(lane);
    };
  }

  /**
   * A computed orbit that repeats its previous iterate bit for bit: the decision cache stays valid, and where the
   * exact GD step from that iterate moves, the orbit has stalled at a float rounding fixed point (counted).
   */
  private repeatDetector(orbit: OrbitRepeats): () => void {
    const { res, st } = this;
    return () => {
      const repeated = orbit.repeated(st.th, st.thE);
      if (!repeated) {
        if (this.cache.size > 0) this.cache.clear();
      } else if (res.stalledAt === null && !st.exactGD.isFixedPoint(ExactGD.iterate(st.point()))) res.stalledAt = st.t;
      if (repeated && res.stalledAt !== null) res.stalledIterates++;
      orbit.remember(st.th, st.thE);
    };
  }

  /** What the kind's state machine sees of the iterate (src/lemma/quantifiers/kind.ts, IterateContext), built once per trajectory. */
  private laneContext(T: number): IterateContext & { t: number } {
    const { lemma, res, st } = this;
    const lists = { when: lemma.when, event: lemma.event ? [lemma.event] : [], trigger: lemma.trigger } as const;
    // A window length or a statement in a window that was not decided: a late trigger is then not confirmed.
    let windowUncertain = false;
    const here: IterateContext & { t: number } = {
      t: 0,
      T,
      hasEvent: lemma.event !== undefined,
      holds: (field) => this.premise(lists[field]) === true,
      markEvent: () => {
        st.tEvent = here.t;
        this.computeConstants();
        st.enc.setTime(here.t, st.tEvent);
        this.cache.clear();
      },
      value: () => lemma.fromStep!(st.env),
      window: () => {
        if (lemma.floatOnly) {
          st.floats();
          const k = lemma.withinSteps!(st.env);
          return { lower: k, upper: k, why: null };
        }
        // Decided on enclosures (check/window-length.ts); within.ts counts an undecided one where it matters.
        const w = windowLength(this.model, lemma, this.exact, () => {
          st.enclosures();
          return st.enc.E;
        });
        return 'steps' in w ? { lower: w.steps, upper: w.steps, why: null } : { lower: w.lower, upper: w.upper, why: w.undecided };
      },
      undecidedWindow: (at, why) => {
        windowUncertain = true;
        res.undecided++;
        if (res.firstUndecided === null) {
          res.firstUndecided = why;
          res.firstUndecidedAt = { step: at, comparison: `within ${lemma.quantifierTerms.within?.[0]?.text ?? ''}` };
        }
      },
      assert: (failure) => {
        res.premiseIterates++;
        this.needed.record();
        const r = this.statements(here.t);
        if (r.ok === false) this.violate(here.t, r.failed!, r.d!, failure(r.failed!.text), r.slack!);
      },
      statementsHold: () => {
        const ok = this.statements(here.t, false).ok;
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
    return here;
  }
}

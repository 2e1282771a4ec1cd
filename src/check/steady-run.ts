/**
 * The steady loop of a trajectory check: the iterates where a quantifier's state machine only asserts the
 * statements (where `when` holds) or waits (src/lemma/quantifiers/kind.ts, Steady), run in one loop with no
 * per-iterate closure, decision object or cache traffic. Each iterate is the GD step, the rigorous enclosures,
 * and the filter's first rungs for every comparison it reads: the fused rung (fused-rung.ts, one generated function
 * per lemma and steady state, for the iterates it can decide; where they change no record, many at a time in its
 * lane loop, FusedRun), then the filter's double-interval and double-double
 * rungs (decide.ts, filterRung and ddRung, as decideFloat runs them), then the ladder's exact rungs (decideExact);
 * its evidence is committed only when every comparison was settled there. A statement shown to hold loosely (its
 * slack not its margin's figure to 2^-20) or exactly is offered with its Margin, as the state machine offers it. A statement whose slack may be a new smallest
 * is a candidate (candidate-queue.ts): its figure is made later, and only if no later iterate's slack is shown below
 * it; likewise a tightness value that may be a new largest (NeededCandidate), recorded only if no later one is shown
 * above it, and one the rung shows below the largest so far is not recorded at all. The loop samples the one-step
 * defect itself. The first iterate that is not settled (a comparison no rung decides, a failing statement, a
 * candidate the interval rung does not settle, a repeated iterate, a step that diverges, the end
 * of the steady stretch) is left to the state machine's `step` and the full decision ladder
 * (check/trajectory-check.ts), unchanged: without the fused rung the result is the one that path gives at every
 * iterate, which test/check/steady-run.test.ts holds field by field, and with it the same again
 * (test/check/fused-rung.test.ts).
 */
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import type { Steady } from '../lemma/quantifiers/kind.js';
import { STEP_OK, type LaneRunKernel, type LaneStepKernel } from '../dynamics/batch.js';
import type { IterateState } from './iterate-state.js';
import { lowerWorstSlack, type NeededMax, type WorstMargin } from './extremes.js';
import { ddRung, filterRung, rungDecision, RUNG, RUNG_HOLDS, RUNG_LOOSE, RUNG_OPEN, RUNG_UNDEFINED, type Decision } from './decide.js';
import { CandidateQueue, COUNT_DONE, COUNT_FLOAT, COUNT_FUSED, COUNT_ITERATES, COUNT_PREMISE, COUNT_TESTED, figureRange, type Candidate } from './candidate-queue.js';
import { FUSED_ASSERT, FUSED_OPEN, fusedRung, IO_NEEDED, IO_NEEDED_BELOW, IO_NEEDED_HI, IO_NEEDED_LO, IO_THRESHOLD, type FusedRung } from './fused-rung.js';

/** The previous iterate of a computed orbit, bit for bit: a repeat keeps exact decisions valid and may be a stall. */
export class OrbitRepeats {
  private readonly prevTh: Float64Array;
  private readonly prevThE: Float64Array;
  private hasPrev = false;

  constructor(n: number) {
    this.prevTh = new Float64Array(n);
    this.prevThE = new Float64Array(n);
  }

  /** The iterate (th, thE) equals the one remembered last. */
  repeated(th: Float64Array, thE: Float64Array): boolean {
    return this.hasPrev && OrbitRepeats.same(th, thE, this.prevTh, this.prevThE);
  }

  /** Two iterates equal bit for bit (-0 is not 0). */
  static same(a: Float64Array, aE: Float64Array, b: Float64Array, bE: Float64Array): boolean {
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) || aE[i] !== bE[i]) return false;
    return true;
  }

  /** Remembers nothing: the next iterate is not a repeat. */
  forget(): void {
    this.hasPrev = false;
  }

  remember(th: Float64Array, thE: Float64Array): void {
    // A loop, not TypedArray.set: a few elements, once per iterate.
    const p = this.prevTh;
    const pE = this.prevThE;
    for (let i = 0; i < p.length; i++) (p[i] = th[i]!), (pE[i] = thE[i]!);
    this.hasPrev = true;
  }
}

/** What the steady loop reads and adds to: the trajectory check's state (trajectory-check.ts, TrajectoryCheck). */
export interface SteadyHost {
  readonly model: DerivedModel;
  readonly lemma: CompiledLemma;
  /** Try the fused rung (fused-rung.ts) before the interval rung. */
  readonly fused: boolean;
  /** Settle with the fused lane loop where it can (FusedRun), not iterate by iterate: the same result, held by a test. */
  readonly fusedLoop: boolean;
  /** How many candidates may wait at once (candidate-queue.ts). */
  readonly pendingCandidates: number;
  readonly st: IterateState;
  readonly res: {
    iterates: number;
    premiseIterates: number;
    decidedByFloat: number;
    decidedExactly: number;
    undefinedIterates: number;
    tested: number[];
    worstSlack: { value: number; step: number } | null;
    steadyIterates: number;
    fusedIterates: number;
  };
  readonly worst: WorstMargin;
  readonly needed: NeededMax;
  readonly repeats: OrbitRepeats;
  readonly kernel: LaneStepKernel;
  /** The same steps many at a time, for stretches that read nothing (dynamics/batch.ts, LaneRunKernel). */
  readonly run: LaneRunKernel;
  readonly kout: Float64Array;
  /** Steps between samples of the one-step defect. */
  readonly defectEvery: number;
  /** Samples the one-step defect at the current iterate (its successor computed), as the state machine's path does. */
  sampleDefect(): void;
  /** The ladder's exact rungs on comparison c at the current iterate (decide.ts, decideExact). */
  decideExact(c: CompiledComparison): Decision;
  /** Exact decisions cached for a repeated iterate: stale once the orbit has moved on. */
  clearCache(): void;
  /** The loop's working memory, kept from stretch to stretch of the trajectory (runSteady makes it). */
  scratch?: SteadyScratch;
}

/**
 * A settled iterate whose tightness value may be a new largest (the fused rung brackets it): recorded only if no later
 * iterate's value is shown above every figure it can get (in progressive sharpening eta S - 2 rises at every step),
 * else dropped, which changes no maximum, ratio or figure (NeededMax keeps maxima; the room is
 * NeededMax.figureRoom's). Recorded at once before the loop goes back or ends.
 */
class NeededCandidate {
  active = false;
  t = 0;
  /** An upper bound of every figure its value can get. */
  figHi = Infinity;
  readonly th: Float64Array;
  readonly thE: Float64Array;

  constructor(n: number) {
    this.th = new Float64Array(n);
    this.thE = new Float64Array(n);
  }
}

/**
 * What runSteady works in, made once per trajectory: a trajectory that leaves the loop at every few iterates (an
 * iterate the rung cannot separate) re-entered it with a dozen new arrays, a rung looked up by a string key and its
 * constants enclosed again.
 */
class SteadyScratch {
  readonly slack: Float64Array;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly figs: Float64Array;
  readonly undefinedAt: Uint8Array;
  /** Per statement, its decision where a rung decided it loosely or exactly (it carries a Margin), else null. */
  readonly decided: (Extract<Decision, { how: 'float' | 'exact' }> | null)[];
  readonly cands: CandidateQueue;
  readonly range = { figLo: Infinity, figHi: Infinity };
  readonly vec: Float64Array;
  readonly io = new Float64Array(5);
  /** The lane run kernel's and the fused lane loop's answers: the repeat flag, then (FusedRun) the asserted count and settle's answer. */
  readonly runOut = new Float64Array(3);
  readonly neededCand: NeededCandidate;
  /** The fused rung per steady state (Steady's code below), undefined where there is none. */
  readonly rungs = new Map<number, FusedRung | undefined>();
  /** Identifies this trajectory's constants for FusedRung.prepare: a new object when the event time changes. */
  token: object = {};
  tokenEvent: number | null | undefined = undefined;

  constructor(
    readonly n: number,
    readonly nS: number,
    pending: number,
  ) {
    this.slack = new Float64Array(nS);
    this.lo = new Float64Array(nS);
    this.hi = new Float64Array(nS);
    this.figs = new Float64Array(nS);
    this.undefinedAt = new Uint8Array(nS);
    this.decided = new Array<Extract<Decision, { how: 'float' | 'exact' }> | null>(nS).fill(null);
    this.cands = new CandidateQueue(n, nS, pending);
    this.vec = new Float64Array(n);
    this.neededCand = new NeededCandidate(n);
  }

  /** For a new trajectory: nothing pending, and its constants not yet enclosed. */
  reset(): this {
    this.cands.clear();
    this.neededCand.active = false;
    this.token = {};
    this.tokenEvent = undefined;
    return this;
  }

  rung(h: SteadyHost, s: Steady): FusedRung | undefined {
    const code = (s.does === 'assert' ? 0 : s.does === 'assert-when' ? 4 : 8) + (s.watchEvent ? 2 : 0) + (s.watchTrigger ? 1 : 0);
    if (this.rungs.has(code)) return this.rungs.get(code);
    const r = fusedRung(h.model, h.lemma, s);
    this.rungs.set(code, r);
    return r;
  }

  /** The token of the constants at event time tEvent. */
  constantsToken(tEvent: number | null | undefined): object {
    if (!Object.is(tEvent, this.tokenEvent)) {
      this.tokenEvent = tEvent;
      this.token = {};
    }
    return this.token;
  }
}

/**
 * Each lemma's working memory, reused from trajectory to trajectory: a trajectory check runs to completion before the
 * next starts in a thread (checkTrajectory is synchronous), and made anew for each of a claim's 150 trajectories its
 * arrays and candidate views were a fiftieth of the claim's time.
 */
const SCRATCH = new WeakMap<CompiledLemma, SteadyScratch>();

function scratchFor(h: SteadyHost, n: number, nS: number): SteadyScratch {
  const sc = SCRATCH.get(h.lemma);
  if (sc && sc.n === n && sc.nS === nS && sc.cands.capacity === h.pendingCandidates) return sc.reset();
  const fresh = new SteadyScratch(n, nS, h.pendingCandidates);
  SCRATCH.set(h.lemma, fresh);
  return fresh;
}

/** Whether a lemma's iterates can go through the steady loop at all: every comparison it reads there has the filter's kernel. */
export function steadyEligible(lemma: CompiledLemma): boolean {
  if (lemma.floatOnly) return false;
  if (lemma.tightness && !lemma.tightness.neededKernel) return false;
  return [...lemma.statements, ...lemma.when, ...lemma.along, ...lemma.trigger, ...(lemma.event ? [lemma.event] : [])].every((c) => c.kernel !== undefined);
}

const NONE: readonly CompiledComparison[] = [];
const P_TRUE = 0;
const P_FALSE = 1;
const P_OPEN = 2;

/**
 * A premise on the ladder's rungs, as decide() runs them (double intervals, then double-double, for which `refine`
 * makes S's enclosures, then the exact rungs): true, false (or undefined there: not met), or open (undecided).
 */
function premises1(h: SteadyHost, c: CompiledComparison, refine: () => void): number {
  const enc = h.st.enc;
  let r = filterRung(c, enc.E);
  if (r === RUNG_OPEN) r = ddRung(c, enc.D, refine);
  if (r === RUNG_OPEN) {
    const d = h.decideExact(c);
    return d.holds === true ? P_TRUE : d.holds === undefined ? P_OPEN : P_FALSE;
  }
  // Decided by a filter rung: holds, fails, undefined (not met), or loose either way.
  return r === RUNG_HOLDS || (r === RUNG_LOOSE && RUNG.holds) ? P_TRUE : P_FALSE;
}

/** Premises on the ladder's rungs: all true, one false, or one open (premises1). */
function premises(h: SteadyHost, cs: readonly CompiledComparison[], refine: () => void): number {
  for (let k = 0; k < cs.length; k++) {
    const p = premises1(h, cs[k]!, refine);
    if (p !== P_TRUE) return p;
  }
  return P_TRUE;
}

/**
 * Runs the iterates from st.t while the state machine is in steady state `s` (through s.until - 1, before T), and
 * stops at the first one it cannot settle, not yet stepped: the caller goes on from there.
 */
export function runSteady(h: SteadyHost, s: Steady, T: number): void {
  const { lemma, st, res, repeats } = h;
  const end = Math.min(T, s.until);
  const along = lemma.along;
  const asserts = s.does !== 'idle';
  const when = s.does === 'assert-when' ? lemma.when : NONE;
  const stmts = lemma.statements;
  const nS = stmts.length;
  const n = st.th.length;
  const sc = (h.scratch ??= scratchFor(h, n, nS));
  const { slack, lo, hi, undefinedAt, decided, cands, range, vec, io, figs, neededCand: nc, runOut } = sc;
  const event = s.watchEvent ? lemma.event : undefined;
  const trigger = s.watchTrigger ? lemma.trigger : NONE;
  const needsEnclosures = along.length > 0 || asserts || event !== undefined || trigger.length > 0;
  const fused = needsEnclosures && h.fused ? sc.rung(h, s) : undefined;
  // A tightness value the rung shows below what could change the figure is not recorded (NeededMax.pruneBound).
  const boundsNeeded = fused !== undefined && fused.boundsNeeded;
  // A tightness value the rung cannot bound is recorded from the enclosures at every asserted iterate: there a
  // candidate's figures are made at once. Elsewhere they wait: recording an iterate again after going back changes
  // nothing (NeededMax keeps maxima).
  const defer = lemma.tightness === undefined || boundsNeeded;
  if (fused) {
    // The stretch's constants (hyperparameters, start values, T_event) as the filter encloses them.
    st.enc.setTime(st.t, st.tEvent);
    fused.prepare(st.enc.E, sc.constantsToken(st.tEvent));
  }
  // The lane loop that steps and settles in one (fused-rung.ts, FusedRun) for the iterates that change no record.
  const fusedRun = fused && h.fusedLoop ? fused.runner(st.arith) : undefined;
  // settle's answer at st.t where the lane loop stopped there, its successor in nth (-1: none yet).
  let answer = -1;
  let done = 0;
  let fusedDone = 0;
  // Whether the iterate at st.t repeats the one before it bit for bit: from the repeats' memory on entry, then from
  // the step itself (nth against th), so the loop keeps no copy of the previous iterate.
  let repeated = repeats.repeated(st.th, st.thE);
  // The larger of the trajectory's worst slack and worst margin, read again only after an offer: read at every
  // iterate, the null-or-value pattern boxed a double (a heap number per iterate).
  let extreme = 0;
  let extremeStale = true;

  const capture = () => {
    const cand = cands.push();
    cand.t = st.t;
    // Loops, not TypedArray.set: a few elements, at every iterate of progressive sharpening.
    for (let i = 0; i < n; i++) (cand.th[i] = st.th[i]!), (cand.thE[i] = st.thE[i]!);
    for (let k = 0; k < nS; k++) cand.bracketed[k] = lo[k] === lo[k] ? 1 : 0;
    cand.figLo = range.figLo;
    cand.figHi = range.figHi;
    cand.setCount(COUNT_ITERATES, res.iterates);
    cand.setCount(COUNT_PREMISE, res.premiseIterates);
    cand.setCount(COUNT_FLOAT, res.decidedByFloat);
    for (let k = 0; k < nS; k++) cand.tested[k] = res.tested[k]!;
    cand.setCount(COUNT_DONE, done);
    cand.setCount(COUNT_FUSED, fusedDone);
    cands.pushed(cand);
  };
  /** A candidate's figures from the interval rung, offered; false where it does not settle them (then go back to it). */
  const flush1 = (cand: Candidate): boolean => {
    st.encloseAt(cand.th, cand.thE, cand.t);
    const E = st.enc.E;
    for (let k = 0; k < nS; k++) {
      if (cand.bracketed[k] === 0) continue;
      if (filterRung(stmts[k]!, E) !== RUNG_HOLDS) return false;
      figs[k] = RUNG.slack;
    }
    for (let k = 0; k < nS; k++) {
      if (cand.bracketed[k] === 0) continue;
      lowerWorstSlack(res, figs[k]!, cand.t);
      h.worst.offerSlack(figs[k]!, cand.t);
    }
    extremeStale = true;
    if (fused && st.enc.copyTopVector('', vec)) fused.seed(vec);
    return true;
  };
  /**
   * The first `upTo` pending candidates flushed in order (all by default): true, or false after going back to the
   * first the interval rung does not settle (the ones after it are dropped: the loop takes them again).
   */
  const flush = (upTo = cands.count): boolean => {
    for (let i = 0; i < upTo; i++) {
      if (flush1(cands.at(i))) continue;
      cands.shift(i);
      goBack(cands.at(0));
      return false;
    }
    cands.shift(upTo);
    return true;
  };
  /** Records the pending tightness value at its own iterate. */
  const flushNeeded = () => {
    nc.active = false;
    st.visit(nc.th, nc.thE, nc.t, () => h.needed.record());
  };
  /** This iterate's tightness value, bracketed in io: the pending one is dropped if this one is shown above it. */
  const offerNeeded = () => {
    const nLo = io[IO_NEEDED_LO]!;
    const nHi = io[IO_NEEDED_HI]!;
    if (nc.active && !(nLo - h.needed.figureRoom(nLo) > nc.figHi)) flushNeeded();
    nc.active = true;
    nc.t = st.t;
    for (let i = 0; i < n; i++) (nc.th[i] = st.th[i]!), (nc.thE[i] = st.thE[i]!);
    nc.figHi = nHi + h.needed.figureRoom(nHi);
  };
  const goBack = (cand: Candidate) => {
    cands.clear();
    if (nc.active) flushNeeded();
    st.th.set(cand.th);
    st.thE.set(cand.thE);
    st.t = cand.t;
    // The loop took the candidate's iterate, so it did not repeat the one before it.
    repeated = false;
    res.iterates = cand.count(COUNT_ITERATES);
    res.premiseIterates = cand.count(COUNT_PREMISE);
    res.decidedByFloat = cand.count(COUNT_FLOAT);
    for (let k = 0; k < nS; k++) res.tested[k] = cand.tested[k]!;
    done = cand.count(COUNT_DONE);
    fusedDone = cand.count(COUNT_FUSED);
  };

  const de = h.defectEvery;
  const refine = () => st.enc.refineSharpness();
  outer: while (st.t < end && !repeated) {
    if (!needsEnclosures && st.t % de !== 0) {
      // Nothing is read here: the steps up to the next defect sample (whose iterate needs its successor) or the end
      // in the generated loop, which stops where this loop would: before a refused step, after a repeat.
      const steps = Math.min(end, st.t - (st.t % de) + de) - st.t;
      const k = h.run(st.th, st.thE, st.hM, st.hE, steps, runOut);
      repeated = runOut[0] === 1;
      res.iterates += k;
      done += k;
      st.t += k;
      // All taken (or a repeat): go on; else the refused step is this loop's, which leaves it to the state machine.
      if (k === steps || repeated) continue;
    }
    if (fusedRun !== undefined && st.t % de !== 0) {
      // Up to the next defect sample (its iterate needs this loop) or the end, the lane loop settles what changes no
      // record (its evidence added here at once) and stops at the first iterate it leaves to this loop.
      if (extremeStale) {
        extreme = Math.max(res.worstSlack === null ? Infinity : res.worstSlack.value, h.worst.smallest());
        extremeStale = false;
      }
      io[IO_THRESHOLD] = Math.min(extreme, cands.figHi);
      if (boundsNeeded) io[IO_NEEDED] = h.needed.pruneBound();
      const steps = Math.min(end, st.t - (st.t % de) + de) - st.t;
      const base = cands.base;
      base[COUNT_ITERATES] = res.iterates;
      base[COUNT_PREMISE] = res.premiseIterates;
      base[COUNT_FLOAT] = res.decidedByFloat;
      base[COUNT_DONE] = done;
      base[COUNT_FUSED] = fusedDone;
      for (let j = 0; j < nS; j++) base[COUNT_TESTED + j] = res.tested[j]!;
      const k = fusedRun(st.th, st.thE, st.hM, st.hE, steps, runOut, st.t, io, lo, hi, st.nth, st.nthE, cands);
      const asserted = runOut[1]!;
      res.iterates += k;
      res.premiseIterates += asserted;
      res.decidedByFloat += asserted * nS;
      for (let j = 0; j < nS; j++) res.tested[j]! += asserted;
      done += k;
      fusedDone += k;
      st.t += k;
      repeated = runOut[0] === 1;
      if (k === steps || repeated) continue;
      answer = runOut[2]!;
    }
    if (answer < 0 && h.kernel(0, 1, st.th, st.thE, st.hM, st.hE, st.nth, st.nthE, h.kout) !== STEP_OK) break;
    st.hasNext = true;
    let assert = asserts;
    let settled = false;
    if (fused) {
      // A statement settles there with a slack above both extremes so far (fused-rung.ts), a pending candidate's included.
      if (extremeStale) {
        extreme = Math.max(res.worstSlack === null ? Infinity : res.worstSlack.value, h.worst.smallest());
        extremeStale = false;
      }
      io[IO_THRESHOLD] = Math.min(extreme, cands.figHi);
      if (boundsNeeded) io[IO_NEEDED] = h.needed.pruneBound();
      const r = answer >= 0 ? answer : fused.settle(st.th, st.thE, st.t, io, lo, hi);
      answer = -1;
      if (r !== FUSED_OPEN) {
        settled = true;
        assert = r === FUSED_ASSERT;
        if (assert && figureRange(lo, hi, range)) {
          // A pending candidate whose every figure lies above this iterate's can set no record: dropped.
          if (cands.count > 0) {
            cands.dropAbove(range.figHi);
            if (cands.count === cands.capacity && !flush(1)) break outer;
          }
          capture();
          if (!defer && !flush()) break outer;
        }
        fusedDone++;
      }
    }
    if (needsEnclosures && !settled) {
      // The pending candidates' figures come before this iterate's.
      if (cands.count > 0 && !flush()) break outer;
      st.enc.setTime(st.t, st.tEvent);
      st.enclosures();
      const E = st.enc.E;
      const D = st.enc.D;
      if (along.length > 0 && premises(h, along, refine) !== P_TRUE) break;
      if (event !== undefined && premises1(h, event, refine) !== P_FALSE) break;
      if (trigger.length > 0 && premises(h, trigger, refine) !== P_FALSE) break;
      if (assert && when.length > 0) {
        const w = premises(h, when, refine);
        if (w === P_OPEN) break;
        assert = w === P_TRUE;
      }
      if (assert)
        for (let k = 0; k < nS; k++) {
          // The rungs as decide() runs them; a loose or exact decision carries its Margin, offered as the state
          // machine offers it. A statement that fails or stays undecided is the state machine's.
          let r = filterRung(stmts[k]!, E);
          const dd = r === RUNG_OPEN;
          if (dd) r = ddRung(stmts[k]!, D, refine);
          decided[k] = null;
          undefinedAt[k] = 0;
          if (r === RUNG_HOLDS) slack[k] = RUNG.slack;
          else if (r === RUNG_UNDEFINED) undefinedAt[k] = 1;
          else if (r === RUNG_LOOSE && RUNG.holds) decided[k] = rungDecision(stmts[k]!, r, dd);
          else if (r !== RUNG_OPEN) break outer;
          else {
            const d = h.decideExact(stmts[k]!);
            if (d.holds === 'undefined') undefinedAt[k] = 1;
            else if (d.holds === true) decided[k] = d;
            else break outer;
          }
        }
      if (fused && st.enc.copyTopVector('', vec)) fused.seed(vec);
    }
    // Settled: the evidence, in the order the state machine's assert adds it (a candidate's figures wait).
    res.iterates++;
    if (assert) {
      res.premiseIterates++;
      if (!(settled && boundsNeeded)) h.needed.record();
      else if (io[IO_NEEDED_BELOW] === 1) {
        // Below what could change the figure: nothing to record.
      } else if (io[IO_NEEDED_LO] === io[IO_NEEDED_LO]) offerNeeded();
      else h.needed.record();
      for (let k = 0; k < nS; k++) {
        if (settled) {
          // A slack shown above the extremes (or above a pending candidate's figures, which come first) changes
          // neither; a bracketed one is the candidate's, offered when it is flushed.
          res.tested[k]!++;
          res.decidedByFloat++;
          continue;
        }
        if (undefinedAt[k] === 1) {
          res.undefinedIterates++;
          continue;
        }
        res.tested[k]!++;
        const d = decided[k];
        if (d && d.how === 'exact') res.decidedExactly++;
        else res.decidedByFloat++;
        if (d) {
          lowerWorstSlack(res, d.slack, st.t);
          h.worst.offer(d, stmts[k]!, st.t);
        } else {
          lowerWorstSlack(res, slack[k]!, st.t);
          h.worst.offerSlack(slack[k]!, st.t);
        }
        extremeStale = true;
      }
    }
    // The defect's samples (a maximum, so a later visit of the same iterate after going back changes nothing).
    if (st.t % de === 0) h.sampleDefect();
    repeated = OrbitRepeats.same(st.nth, st.nthE, st.th, st.thE);
    st.advance();
    done++;
  }
  if (cands.count > 0) flush();
  // The memory the state machine reads at st.t: where st.t repeats the iterate before it, that iterate's bits are
  // st.t's; elsewhere no memory answers "not repeated" as that iterate would.
  if (repeated) repeats.remember(st.th, st.thE);
  else repeats.forget();
  if (nc.active) flushNeeded();
  res.steadyIterates += done;
  res.fusedIterates += fusedDone;
  if (done > 0) h.clearCache();
}

/**
 * The steady loop of a trajectory check: the iterates where a quantifier's state machine only asserts the
 * statements (where `when` holds) or waits (src/lemma/quantifiers/kind.ts, Steady), run in one loop with no
 * per-iterate closure, decision object or cache traffic. Each iterate is the GD step, the rigorous enclosures,
 * and the filter's first rungs for every comparison it reads: the fused rung (fused-rung.ts, one generated function
 * per lemma and steady state, for the iterates it can decide), then the double-interval rung (decide.ts, filterRung); its
 * evidence is committed only when every comparison was settled there. The first iterate that is not (a
 * comparison the rung does not separate or leaves loose, a failing statement, a repeated iterate, a step that
 * diverges, the defect's sampling step, the end of the steady stretch) is left to the state machine's `step`
 * and the full decision ladder (check/trajectory-check.ts), unchanged: without the fused rung the result is the
 * one that path gives at every iterate, which test/check/steady-run.test.ts holds field by field, and with it
 * the same again (test/check/fused-rung.test.ts).
 */
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import type { Steady } from '../lemma/quantifiers/kind.js';
import { STEP_OK, type LaneStepKernel } from '../dynamics/batch.js';
import type { IterateState } from './iterate-state.js';
import { lowerWorstSlack, type NeededMax, type WorstMargin } from './extremes.js';
import { filterRung, RUNG, RUNG_FAILS, RUNG_HOLDS, RUNG_LOOSE, RUNG_UNDEFINED } from './decide.js';
import { FUSED_ASSERT, FUSED_OPEN, fusedRung } from './fused-rung.js';

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
    if (!this.hasPrev) return false;
    for (let i = 0; i < th.length; i++) if (!Object.is(th[i], this.prevTh[i]) || thE[i] !== this.prevThE[i]) return false;
    return true;
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
  readonly st: IterateState;
  readonly res: {
    iterates: number;
    premiseIterates: number;
    decidedByFloat: number;
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
  readonly kout: Float64Array;
  /** Steps between samples of the one-step defect (those iterates go through the full path, which samples it). */
  readonly defectEvery: number;
  /** Exact decisions cached for a repeated iterate: stale once the orbit has moved on. */
  clearCache(): void;
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

/** A premise on the filter's first rung: true, false (or undefined there: not met), or open (it cannot say). */
function premises1(c: CompiledComparison, E: Float64Array): number {
  const r = filterRung(c, E);
  if (r === RUNG_HOLDS || (r === RUNG_LOOSE && RUNG.holds)) return P_TRUE;
  if (r === RUNG_FAILS || r === RUNG_UNDEFINED || r === RUNG_LOOSE) return P_FALSE;
  return P_OPEN;
}

/** Premises on the filter's first rung: all true, one false, or one open (premises1). */
function premises(cs: readonly CompiledComparison[], E: Float64Array): number {
  for (let k = 0; k < cs.length; k++) {
    const p = premises1(cs[k]!, E);
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
  const slack = new Float64Array(nS);
  const undefinedAt = new Uint8Array(nS);
  const event = s.watchEvent ? lemma.event : undefined;
  const trigger = s.watchTrigger ? lemma.trigger : NONE;
  const needsEnclosures = along.length > 0 || asserts || event !== undefined || trigger.length > 0;
  const fused = needsEnclosures && h.fused ? fusedRung(h.model, lemma, s) : undefined;
  if (fused) {
    // The stretch's constants (hyperparameters, start values, T_event) as the filter encloses them.
    st.enc.setTime(st.t, st.tEvent);
    fused.prepare(st.enc.E);
  }
  let done = 0;
  let fusedDone = 0;
  outer: while (st.t < end && st.t % h.defectEvery !== 0 && !repeats.repeated(st.th, st.thE)) {
    if (h.kernel(0, 1, st.th, st.thE, st.hM, st.hE, st.nth, st.nthE, h.kout) !== STEP_OK) break;
    st.hasNext = true;
    let assert = asserts;
    let settled = false;
    if (fused) {
      // A statement settles there only with a slack above both extremes so far: neither changes (fused-rung.ts).
      const threshold = Math.max(res.worstSlack === null ? Infinity : res.worstSlack.value, h.worst.smallest());
      const r = fused.settle(st.th, st.thE, st.t, threshold, slack);
      if (r !== FUSED_OPEN) {
        settled = true;
        fusedDone++;
        assert = r === FUSED_ASSERT;
        undefinedAt.fill(0);
      }
    }
    if (needsEnclosures && !settled) {
      st.enc.setTime(st.t, st.tEvent);
      st.enclosures();
      const E = st.enc.E;
      if (along.length > 0 && premises(along, E) !== P_TRUE) break;
      if (event !== undefined && premises1(event, E) !== P_FALSE) break;
      if (trigger.length > 0 && premises(trigger, E) !== P_FALSE) break;
      if (assert && when.length > 0) {
        const w = premises(when, E);
        if (w === P_OPEN) break;
        assert = w === P_TRUE;
      }
      if (assert)
        for (let k = 0; k < nS; k++) {
          const r = filterRung(stmts[k]!, E);
          if (r === RUNG_HOLDS) (slack[k] = RUNG.slack), (undefinedAt[k] = 0);
          else if (r === RUNG_UNDEFINED) undefinedAt[k] = 1;
          else break outer;
        }
    }
    // Settled: the evidence, in the order the state machine's assert adds it.
    res.iterates++;
    if (assert) {
      res.premiseIterates++;
      h.needed.record();
      for (let k = 0; k < nS; k++) {
        const v = slack[k]!;
        if (undefinedAt[k] === 1) {
          res.undefinedIterates++;
          continue;
        }
        res.tested[k]!++;
        res.decidedByFloat++;
        lowerWorstSlack(res, v, st.t);
        h.worst.offerSlack(v, st.t);
      }
    }
    repeats.remember(st.th, st.thE);
    st.advance();
    done++;
  }
  res.steadyIterates += done;
  res.fusedIterates += fusedDone;
  if (done > 0) h.clearCache();
}

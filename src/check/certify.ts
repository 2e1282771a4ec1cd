/**
 * A sampled counterexample re-established on the TRUE gradient-descent orbit (issue 16).
 *
 * The sampled check runs the computed orbit (float64 or extended exponent, one rounding per operation)
 * and decides the claim rigorously at its iterates. Here the orbit itself is certified: from the exact
 * start (the draw's doubles, as exact dyadics) and the exact hyperparameters, dynamics/certified-orbit
 * encloses theta_t of the true orbit theta_{t+1} = G(theta_t) step by step, and the lemma's own
 * quantifier state machine (lemma/quantifiers) is driven over those enclosures through the same
 * IterateContext the sampled checker uses: the `along` hypotheses at every step, premises and events
 * included. Every decision is three-valued; one that the enclosure cannot separate asks for the next
 * precision of the ladder's row (numeric/ladder.ts LADDER.certify: a count of passes, never a clock),
 * and at the last precision the answer is "not certified".
 *
 * Main result: `certifyViolation` says either "violated on the true orbit at step s (certified, P bits)"
 * or why that could not be shown.
 */
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import { quantifierKind } from '../lemma/quantifiers/index.js';
import type { IterateContext } from '../lemma/quantifiers/kind.js';
import { certifiedOrbit, CertifiedStatement, type Box, type CertifiedOrbit, type StatementDecision, type StepEnclosure } from '../dynamics/certified-orbit.js';
import { cmpDyadic, compareIntervals, DyadicArith, DyadicInterval } from '../numeric/dyadic.js';
import { Rational } from '../numeric/rational.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import { DIVERGED_LOG10 } from '../dynamics/divergence.js';
import { decimalRounded } from '../numeric/dyadic-decimal.js';
import { orbitStep } from '../numeric/ladder.js';
import { compileDyadic, NotCertifiable } from '../symbolic/dyadic-eval.js';
import { SymbolNode } from '../symbolic/mathjs.js';
import type { Counterexample, Point } from './outcome.js';
import { checkTrajectory } from './trajectory-check.js';

/** What the certified orbit showed about a counterexample. */
export interface TrueOrbitCheck {
  /** The violation holds on the true orbit from the exact start, decided on certified enclosures. */
  certified: boolean;
  /** The step of the certified violation (null when not certified). */
  step: number | null;
  /** The working precision of the pass that decided, or the last one tried. */
  bits: number | null;
  /** log2 of the widest relative enclosure of a parameter over that pass. */
  widestLog2RelWidth: number | null;
  /**
   * The opposite was certified: on the true orbit the statement holds at the computed violation's step
   * (and no earlier step violates it), so the computed violation is a rounding artefact.
   */
  artefact: boolean;
  /** One sentence for the report. */
  text: string;
}

/** The passes of every re-run on the true orbit: precisions and width rule from the ladder's row (numeric/ladder.ts). */
function passes(): { bits: readonly number[]; relWidthBits: number } {
  const { bits, relWidthBits } = orbitStep('certify');
  return { bits, relWidthBits };
}

class Uncertain extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

class NotHandled extends Error {}

const asCertified = (c: CompiledComparison) => ({ lhs: c.lhsExact, rel: c.rel, rhs: c.rhsExact });

/** Kinds whose state machine reads only what can be decided on enclosures (not the float `from`/`within` values). */
function unsupported(lemma: CompiledLemma): string | undefined {
  const kind = lemma.quantifier.kind;
  // A flow-limit violation is re-established by its own enclosure (certifyFlowViolation), not on an orbit.
  if (kind === 'identity' || kind === 'flow-limit') return `a ${kind} lemma has no orbit to certify`;
  return undefined;
}

/** The lemma's run over the certified orbit from one exact start, through step `last`. */
interface TrueOrbitRun {
  violation: number | undefined;
  leftAt: number | undefined;
  uncertain: string | undefined;
  /** The last step of the orbit that the first undecided decision read (its t, or t + 1 with `_next`). */
  uncertainAt: number | undefined;
  /** Steps where the statement was asserted and certified to hold. */
  held: Set<number>;
  bits: number;
  widest: number | null;
  reached: number;
  status: string;
  signLost: CertifiedOrbit['signLost'];
}

/** What a caller sees of an asserted step: the enclosures there. May throw Uncertain to ask for more bits. */
type OnAssert = (at: StepEnclosure) => void;

function prepare(model: DerivedModel, lemma: CompiledLemma) {
  const why = unsupported(lemma);
  if (why) throw new NotHandled(why);
  const make = (cs: readonly CompiledComparison[]) => (cs.length > 0 ? new CertifiedStatement(model, cs.map(asCertified)) : null);
  return {
    statements: make(lemma.statements)!,
    when: make(lemma.when),
    event: lemma.event ? make([lemma.event]) : null,
    trigger: make(lemma.trigger),
    along: make(lemma.along),
    // `from` enters the state machine as a number compared with t: t >= from is decided on enclosures.
    from: lemma.fromExact ? new CertifiedStatement(model, [{ lhs: new SymbolNode('t'), rel: '>=', rhs: lemma.fromExact }]) : null,
    // The window length is enclosed (both sides of a dummy comparison): its ceiling must be one integer.
    window: lemma.withinExact ? new CertifiedStatement(model, [{ lhs: lemma.withinExact, rel: '<=', rhs: lemma.withinExact }]) : null,
  };
}

/**
 * Drive the lemma's quantifier over the certified orbit from `point` through step `last` (its box at
 * last + 1 too when the lemma reads `_next`). Stops at the first certified violation, at the first step
 * that leaves the `along` hypotheses, or at the first decision the boxes cannot make (which asks the
 * orbit for the next precision of the ladder's row).
 *
 * With `undecidedStatement` 'defer', an asserted step whose statement the boxes cannot decide does not stop the
 * run: a kind's state never depends on what an assertion found (IterateContext.assert returns
 * nothing), so a certain violation at a later asserted step refutes the claim whatever the undecided
 * step holds. A statement that holds with equality (the projected step lands exactly on its
 * half-space, or an identity) is such a step at every precision. Only when the run ends without a
 * certain violation do the deferred steps ask for more precision ('skip': they never do, for a run
 * that only has to re-establish the `along` hypotheses up to a divergence). Premises, the event, `from` and a
 * `within` trigger's statement steer the state machine and must still be decided where they are read.
 */
function runOnTrueOrbit(model: DerivedModel, lemma: CompiledLemma, point: Point, last: number, onAssert?: OnAssert, undecidedStatement: 'stop' | 'defer' | 'skip' = 'stop'): TrueOrbitRun {
  const { statements, when, event, trigger, along, from, window } = prepare(model, lemma);
  const kind = quantifierKind(lemma.quantifier.kind)!;
  const needsNext = lemma.suffixes.has('_next');
  const hyper = model.hypers.map((k) => DyadicInterval.fromDouble(point.hyper[k]!));
  const init = model.params.map((p) => point.init[p]!);
  const orbitLast = needsNext ? last + 1 : last;
  const visitor = () => {
    const lane = kind.start!();
    let theta0: Box | undefined;
    let prev: Box | undefined;
    // T_event persists from the step the event first held (the kind marks it once).
    let tEvent: number | undefined;
    const v = {
      violation: undefined as number | undefined,
      leftAt: undefined as number | undefined,
      uncertain: undefined as string | undefined,
      uncertainAt: undefined as number | undefined,
      held: new Set<number>(),
      /** Asserted steps whose statement was undecided, in order (not with 'stop'). */
      deferred: [] as number[],
      /** The run is over without a certain violation: deferred steps, if any, ask for more precision. */
      finish(): void | 'refine' {
        if (v.violation !== undefined || v.deferred.length === 0 || undecidedStatement === 'skip') return;
        v.uncertain = `the statement at step ${v.deferred[0]}`;
        v.uncertainAt = v.deferred[0]! + (needsNext ? 1 : 0);
        return 'refine';
      },
      visit(s: number, box: Box, A: DyadicArith): void | 'refine' {
        if (s === 0) theta0 = box;
        if (v.violation !== undefined || v.leftAt !== undefined || v.uncertain !== undefined) return v.uncertain !== undefined ? 'refine' : undefined;
        // With `_next`, step t is decided when the box of t + 1 arrives.
        const t = needsNext ? s - 1 : s;
        const theta = needsNext ? prev : box;
        prev = box;
        if (t < 0 || theta === undefined) return;
        const at: StepEnclosure = { t, theta, next: needsNext ? box : undefined, theta0, hyper, tEvent, A };
        const all = (st: CertifiedStatement | null, what: string): boolean => {
          if (st === null) return true;
          const ds = st.decideEach(at);
          if (ds.some((d) => d === false || d === 'undefined')) return false;
          if (ds.some((d) => d === 'undecided')) throw new Uncertain(`${what} at step ${t}`);
          return true;
        };
        try {
          if (!all(along, 'a hypothesis along the trajectory')) {
            v.leftAt = t;
            return v.finish();
          }
          const ctx: IterateContext = {
            t,
            T: lemma.steps,
            hasEvent: event !== null,
            holds: (field) => all(field === 'when' ? when : field === 'event' ? event : trigger, `the ${field} premise`),
            markEvent: () => {
              tEvent = t;
              at.tEvent = t;
            },
            // The kind compares t with the value: give a number on the side the certified decision is on.
            value: () => {
              if (from === null) throw new NotHandled();
              const d = from.decideEach(at)[0];
              if (d === 'undecided') throw new Uncertain(`t >= from at step ${t}`);
              return d === 'undefined' ? NaN : d ? t : t + 1;
            },
            // The kind uses the ceilings of the window's enclosure (NaN where it is undefined: no deadline); where they
            // differ and that matters, the kind says so (undecidedWindow) and the pass is refined.
            window: () => {
              if (window === null) throw new NotHandled();
              const v = window.enclose(at);
              if (v === 'undefined') return { lower: NaN, upper: NaN, why: null };
              if (v === 'undecided') throw new Uncertain(`the window length at step ${t}`);
              const lower = Number(v[0]!.lo.toRational().ceil());
              const upper = Number(v[0]!.hi.toRational().ceil());
              return { lower, upper, why: lower === upper ? null : `the window length's ceiling at step ${t}` };
            },
            undecidedWindow: (_at, why) => {
              throw new Uncertain(why);
            },
            assert: () => {
              const ds: StatementDecision[] = statements.decideEach(at);
              if (ds.some((d) => d === false)) v.violation = t;
              else if (ds.some((d) => d === 'undecided')) {
                if (undecidedStatement === 'stop') throw new Uncertain(`the statement at step ${t}`);
                v.deferred.push(t);
              } else {
                v.held.add(t);
                onAssert?.(at);
              }
            },
            statementsHold: () => all(statements, 'the statement'),
            countPremise: () => {},
            // A trigger that waited in vain: the violation is the trigger's step, as in the sampled check.
            failLate: (from) => {
              v.violation = from;
            },
          };
          lane.step(ctx);
          if (s === orbitLast) return v.finish();
        } catch (e) {
          if (e instanceof Uncertain) {
            v.uncertain = e.why;
            v.uncertainAt = s;
            return 'refine';
          }
          throw e;
        }
      },
    };
    return v;
  };
  const orbit = certifiedOrbit(model, point.hyper, init, orbitLast, { ...passes(), visitor });
  const v = orbit.visitor!;
  // An orbit that ended before its last step (exponent range, undefined) leaves its deferred steps undecided too.
  if (v.uncertain === undefined) v.finish();
  const w = orbit.widest.log2RelWidth;
  return { violation: v.violation, leftAt: v.leftAt, uncertain: v.uncertain, uncertainAt: v.uncertainAt, held: v.held, bits: orbit.bits, widest: Number.isFinite(w) ? w : null, reached: needsNext ? orbit.steps - 1 : orbit.steps, status: orbit.status, signLost: orbit.signLost };
}

/**
 * Why a pass at the last precision could not decide or continue, when the enclosure says: the first
 * parameter whose box came to hold 0 (grown wider than the value). An exponent-range end or an
 * undecided comparison after it is its consequence, so the reader is told this first.
 */
function lostText(r: { signLost: CertifiedOrbit['signLost']; bits: number }): string {
  const l = r.signLost;
  return l ? `the enclosure of ${l.param} holds 0 from step ${l.step} at ${r.bits} bits (it grew wider than the value: the precision could not keep up with the error growth along the orbit)` : '';
}

/** "X could not be decided at P bits", after the enclosure's loss of sign when there was one. */
function undecidedText(r: TrueOrbitRun): string {
  const lost = r.signLost && r.uncertainAt !== undefined && r.signLost.step <= r.uncertainAt ? lostText(r) : '';
  return lost ? `${lost}, so ${r.uncertain} could not be decided` : `${r.uncertain} could not be decided at ${r.bits} bits`;
}

/** "could not be continued past step s (status)", after the enclosure's loss of sign when there was one. */
function stoppedText(r: { signLost: CertifiedOrbit['signLost']; bits: number; reached: number; status: string }): string {
  const lost = lostText(r);
  return `${lost ? `${lost}, and it` : 'the enclosure'} could not be continued past step ${r.reached} (${r.status})`;
}

/** NotCertifiable and NotHandled as the reason a result could not be certified; anything else is a bug. */
function reasonOf(e: unknown): string {
  if (e instanceof NotCertifiable) return e.message;
  if (e instanceof NotHandled) return e.message || 'the quantifier reads a value without a certified enclosure';
  throw e;
}

/** A run that found a certified violation, as the report states it. */
function violated(r: TrueOrbitRun): TrueOrbitCheck {
  return { certified: true, step: r.violation!, bits: r.bits, widestLog2RelWidth: r.widest, artefact: false, text: `violated on the true orbit at step ${r.violation} (certified, ${r.bits} bits)` };
}

/**
 * Re-establish the counterexample `ce` (a sampled violation of `lemma` at ce.step) on the true orbit:
 * the lemma's quantifier is run over certified enclosures of steps 0..ce.step, and the violation must be
 * decided false on them (the first certified violation at or before ce.step counts).
 */
export function certifyViolation(model: DerivedModel, lemma: CompiledLemma, ce: Counterexample): TrueOrbitCheck {
  const no = (text: string, bits: number | null = null, widest: number | null = null, artefact = false): TrueOrbitCheck => ({ certified: false, step: null, bits, widestLog2RelWidth: widest, artefact, text: `not certified on the true orbit: ${text}` });
  if (ce.step === null) return no('the counterexample has no step');
  if (ce.statement === '(flow exists)') return no('a gradient flow that leaves the finite range is not re-established on certified enclosures');
  if (lemma.quantifier.kind === 'flow-limit') return certifyFlowViolation(model, lemma, ce, no);
  if (ce.statement === '(trajectory exists)') {
    // The lemma claims nothing past a step that leaves its `along` hypotheses: they must hold on the true
    // orbit up to the divergence (and a certified violation on the way is a counterexample too).
    if (lemma.along.length > 0 && ce.step > 0) {
      let r: TrueOrbitRun;
      try {
        r = runOnTrueOrbit(model, lemma, ce, ce.step - 1, undefined, 'skip');
      } catch (e) {
        return no(reasonOf(e));
      }
      if (r.violation !== undefined) return violated(r);
      if (r.leftAt !== undefined) return no(`the true orbit leaves the hypotheses (along) at step ${r.leftAt}, before the divergence`, r.bits, r.widest);
      if (r.uncertain !== undefined) return no(undecidedText(r), r.bits, r.widest);
    }
    return certifyDivergence(model, ce, no);
  }
  const target = ce.step;
  // A `within` violation shows only once its window has passed: run the whole trajectory.
  const windowed = lemma.quantifier.kind === 'within';
  let r: TrueOrbitRun;
  try {
    r = runOnTrueOrbit(model, lemma, ce, windowed ? lemma.steps : target, undefined, 'defer');
  } catch (e) {
    return no(reasonOf(e));
  }
  if (r.violation !== undefined) return violated(r);
  if (r.leftAt !== undefined) return no(`the true orbit leaves the hypotheses (along) at step ${r.leftAt}, before the violation`, r.bits, r.widest);
  if (r.uncertain !== undefined) return no(undecidedText(r), r.bits, r.widest);
  if (r.reached < target) return no(stoppedText(r), r.bits, r.widest);
  if (windowed && r.reached >= lemma.steps) return no(`on the true orbit every trigger through step ${lemma.steps} is answered in its window (certified): the computed orbit's violation is a rounding artefact`, r.bits, r.widest, true);
  if (r.held.has(target)) return no(`on the true orbit the statement holds at step ${target} (certified): the computed orbit's violation is a rounding artefact`, r.bits, r.widest, true);
  return no(`on the true orbit step ${target} is not covered by the quantifier (its premises or event do not hold there)`, r.bits, r.widest);
}

/**
 * A flow-limit violation has no computed orbit: the sampled check already decided it on a rigorous
 * enclosure of the true limit from the exact start (check/flow-check.ts). It is re-established by a
 * fresh run of that check from the counterexample's exact point (the draw's doubles, exact), which must
 * decide the violation again, exactly.
 */
function certifyFlowViolation(model: DerivedModel, lemma: CompiledLemma, ce: Counterexample, no: (text: string) => TrueOrbitCheck): TrueOrbitCheck {
  const r = checkTrajectory(model, lemma, ce.hyper, model.params.map((p) => ce.init[p]!), { arith: 'extended' });
  if (r.violation?.confirmedExactly) return { certified: true, step: 0, bits: 53, widestLog2RelWidth: null, artefact: false, text: `violated at the true gradient-flow limit from the exact start (certified: the limit enclosed in outward-rounded doubles, the statement decided exactly on the enclosure)` };
  if (r.violation) return no(`the re-run's violation at the flow limit was not decided exactly (${r.violation.what})`);
  if (r.undecided > 0) return no(`at the flow limit: ${r.firstUndecided ?? 'undecided'}`);
  // Both runs are the same rigorous computation: a re-run without the violation means the input was not the sampled one.
  return no('a re-run of the flow-limit check from this start finds no violation');
}

/**
 * GD diverged at ce.step by the one divergence rule (dynamics/divergence.ts): certified when the true
 * orbit's box there has a parameter of magnitude above 10^DIVERGED_LOG10, or a loss of at least 2^1024
 * (not finite as a double). The caller has checked the `along` hypotheses up to it.
 */
function certifyDivergence(model: DerivedModel, ce: Counterexample, no: (text: string, bits?: number | null, widest?: number | null) => TrueOrbitCheck): TrueOrbitCheck {
  const step = ce.step!;
  const init = model.params.map((p) => ce.init[p]!);
  const orbit = certifiedOrbit(model, ce.hyper, init, step, passes());
  const widest = Number.isFinite(orbit.widest.log2RelWidth) ? orbit.widest.log2RelWidth : null;
  if (orbit.steps < step) return no(stoppedText({ ...orbit, reached: orbit.steps }), orbit.bits, widest);
  const A = new DyadicArith(orbit.bits);
  const bound = A.fromRational(Rational.fromBigInt(10n ** BigInt(DIVERGED_LOG10)));
  const big = model.params.find((_, i) => compareIntervals(A.abs(orbit.box[i]!), '>', bound) === true);
  const ok = (what: string): TrueOrbitCheck => ({ certified: true, step, bits: orbit.bits, widestLog2RelWidth: widest, artefact: false, text: `diverges on the true orbit by step ${step}: ${what} (certified, ${orbit.bits} bits)` });
  if (big) return ok(`|${big}| > 10^${DIVERGED_LOG10}`);
  try {
    const L = compileDyadic([model.loss], [...model.params, ...model.hypers]).run([...orbit.box, ...orbit.hyper], A)[0]!;
    if (compareIntervals(L, '>=', A.fromRational(Rational.fromBigInt(2n ** 1024n))) === true) return ok('L >= 2^1024, beyond the double range');
  } catch (e) {
    if (!(e instanceof CertainlyUndefined || e instanceof MaybeUndefined)) throw e;
  }
  return no(`the true orbit's enclosure at step ${step} does not show the divergence (no parameter certified beyond 10^${DIVERGED_LOG10}, L not certified beyond the double range)`, orbit.bits, widest);
}

/** The tightness figure of a VERIFIED lemma's worst case, re-evaluated on the true orbit. */
export interface CertifiedTightness {
  certified: boolean;
  /** The maximum over the asserted iterates of needed (or needed/stated, when the constant varies) lies in [lo, hi]. */
  lo: string | null;
  hi: string | null;
  bits: number | null;
  text: string;
}

/**
 * The worst case's figure on the certified orbit from its exact start: the lemma's quantifier is run
 * over every step, and at every asserted iterate the needed value (or needed / stated constant) is
 * enclosed; the maximum lies between the largest lower end and the largest upper end.
 */
export function certifyWorstCase(model: DerivedModel, lemma: CompiledLemma, point: Point, ratio: boolean): CertifiedTightness {
  const no = (text: string, bits: number | null = null): CertifiedTightness => ({ certified: false, lo: null, hi: null, bits, text: `not certified on the true orbit: ${text}` });
  const t = lemma.tightness;
  if (!t) return no('the lemma has no tightness figure');
  const constant = lemma.constants.find((c) => c.name === t.constant);
  let figure: CertifiedStatement;
  try {
    figure = new CertifiedStatement(model, [{ lhs: t.neededExact, rel: '<=', rhs: constant ? constant.exact : t.neededExact }]);
  } catch (e) {
    return no(reasonOf(e));
  }
  let best: { lo: DyadicInterval['lo']; hi: DyadicInterval['hi'] } | undefined;
  const onAssert: OnAssert = (at) => {
    const v = figure.enclose(at);
    // An undefined figure is not a figure (the sampled check skips it too).
    if (v === 'undefined') return;
    if (v === 'undecided') throw new Uncertain(`the tightness figure at step ${at.t}`);
    let x = v[0]!;
    if (ratio) {
      if (v[1]!.containsZero()) throw new Uncertain(`the stated constant at step ${at.t} (an enclosure holding 0)`);
      x = at.A.div(v[0]!, v[1]!);
    }
    if (!best) best = { lo: x.lo, hi: x.hi };
    else best = { lo: cmpDyadic(x.lo, best.lo) > 0 ? x.lo : best.lo, hi: cmpDyadic(x.hi, best.hi) > 0 ? x.hi : best.hi };
  };
  let r: TrueOrbitRun;
  try {
    // A pass abandoned for more precision leaves its values in `best`: they enclose the same true
    // iterates, so the maximum stays enclosed (only less tightly).
    r = runOnTrueOrbit(model, lemma, point, lemma.steps, onAssert);
  } catch (e) {
    return no(reasonOf(e));
  }
  if (r.violation !== undefined) return no(`THE TRUE ORBIT VIOLATES THE STATEMENT at step ${r.violation} (certified, ${r.bits} bits) from this worst case, though the computed orbit did not`, r.bits);
  if (r.uncertain !== undefined) return no(undecidedText(r), r.bits);
  if (r.leftAt !== undefined) return no(`the true orbit leaves the hypotheses (along) at step ${r.leftAt}`, r.bits);
  if (!best) return no('no iterate of the true orbit was asserted', r.bits);
  const lo = decimalRounded(best.lo, 7, false);
  const hi = decimalRounded(best.hi, 7, true);
  return { certified: true, lo, hi, bits: r.bits, text: `on the true orbit the worst case needs ${ratio ? 'needed/stated' : t.constant} in [${lo}, ${hi}] (certified, ${r.bits} bits)` };
}

/**
 * A sampled counterexample re-established on the TRUE gradient-descent orbit (issue 16).
 *
 * The sampled check runs the computed orbit (float64 or extended exponent, one rounding per operation)
 * and decides the claim rigorously at its iterates. Here the orbit itself is certified: from the exact
 * start (the draw's doubles, as exact dyadics) and the exact hyperparameters, dynamics/certified-orbit
 * encloses theta_t of the true orbit theta_{t+1} = G(theta_t) step by step, and the lemma's own
 * quantifier state machine (lemma/quantifiers) is driven over those enclosures through the same
 * IterateContext the sampled checker uses: the `along` hypotheses at every step, premises and events
 * included. Every decision is three-valued; one that the enclosure cannot separate asks for twice the
 * precision (a count of passes, never a clock), and at the last precision the answer is "not certified".
 *
 * Main result: `certifyViolation` says either "violated on the true orbit at step s (certified, P bits)"
 * or why that could not be shown.
 */
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import { quantifierKind } from '../lemma/quantifiers/index.js';
import type { IterateContext } from '../lemma/quantifiers/kind.js';
import { certifiedOrbit, CertifiedStatement, type Box, type StatementDecision } from '../dynamics/certified-orbit.js';
import { DyadicInterval, type DyadicArith } from '../numeric/dyadic.js';
import { NotCertifiable } from '../symbolic/dyadic-eval.js';
import { SymbolNode } from '../symbolic/mathjs.js';
import type { Counterexample } from './outcome.js';

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

/** Precision limits: counterexamples are decided at 128 bits at once, and the rest stop at CERTIFY_MAX_BITS. */
export const CERTIFY_START_BITS = 128;
export const CERTIFY_MAX_BITS = 2048;

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
  if (kind === 'identity' || kind === 'flow-limit') return `a ${kind} lemma has no orbit to certify`;
  if (kind === 'within') return 'the within window length is a float64 value, which has no certified enclosure';
  if (lemma.floatOnly) return 'the claim uses a symbol that is decided in float64 only';
  return undefined;
}

/**
 * Re-establish the counterexample `ce` (a sampled violation of `lemma` at ce.step) on the true orbit:
 * the lemma's quantifier is run over certified enclosures of steps 0..ce.step, and the violation must be
 * decided false on them (the first certified violation at or before ce.step counts).
 */
export function certifyViolation(model: DerivedModel, lemma: CompiledLemma, ce: Counterexample, maxBits = CERTIFY_MAX_BITS): TrueOrbitCheck {
  const no = (text: string, bits: number | null = null, widest: number | null = null, artefact = false): TrueOrbitCheck => ({ certified: false, step: null, bits, widestLog2RelWidth: widest, artefact, text: `not certified on the true orbit: ${text}` });
  if (ce.step === null) return no('the counterexample has no step');
  if (ce.statement === '(trajectory exists)' || ce.statement === '(flow exists)') return no('a divergence of the computed orbit is not re-established on certified enclosures');
  const why = unsupported(lemma);
  if (why) return no(why);
  const kind = quantifierKind(lemma.quantifier.kind)!;
  const target = ce.step;
  const needsNext = lemma.suffixes.has('_next');
  let statements: CertifiedStatement, when: CertifiedStatement | null, event: CertifiedStatement | null, trigger: CertifiedStatement | null, along: CertifiedStatement | null;
  // `from` enters the state machine as a number compared with t: t >= from is decided on enclosures.
  let from: CertifiedStatement | null = null;
  try {
    const make = (cs: readonly CompiledComparison[]) => (cs.length > 0 ? new CertifiedStatement(model, cs.map(asCertified)) : null);
    statements = make(lemma.statements)!;
    when = make(lemma.when);
    event = lemma.event ? make([lemma.event]) : null;
    trigger = make(lemma.trigger);
    along = make(lemma.along);
    if (lemma.fromExact) from = new CertifiedStatement(model, [{ lhs: new SymbolNode('t'), rel: '>=', rhs: lemma.fromExact }]);
  } catch (e) {
    if (e instanceof NotCertifiable) return no(e.message);
    throw e;
  }
  const hyper = model.hypers.map((k) => DyadicInterval.fromDouble(ce.hyper[k]!));
  const init = model.params.map((p) => ce.init[p]!);

  const visitor = () => {
    const lane = kind.start!();
    let theta0: Box | undefined;
    let prev: Box | undefined;
    let tEvent: number | undefined;
    const v = {
      violation: undefined as number | undefined,
      leftAt: undefined as number | undefined,
      uncertain: undefined as string | undefined,
      heldAtTarget: false,
      visit(s: number, box: Box, A: DyadicArith): void | 'refine' {
        if (s === 0) theta0 = box;
        if (v.violation !== undefined || v.leftAt !== undefined || v.uncertain !== undefined) return v.uncertain !== undefined ? 'refine' : undefined;
        // With `_next`, step t is decided when the box of t + 1 arrives.
        const t = needsNext ? s - 1 : s;
        const theta = needsNext ? prev : box;
        prev = box;
        if (t < 0 || theta === undefined) return;
        const at = { t, theta, next: needsNext ? box : undefined, theta0, hyper, tEvent, A };
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
            return;
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
            value: (field) => {
              if (field !== 'from' || from === null) throw new NotHandled();
              const d = from.decideEach(at)[0];
              if (d === 'undecided') throw new Uncertain(`t >= from at step ${t}`);
              return d === 'undefined' ? NaN : d ? t : t + 1;
            },
            assert: () => {
              const ds: StatementDecision[] = statements.decideEach(at);
              if (ds.some((d) => d === false)) v.violation = t;
              else if (ds.some((d) => d === 'undecided')) throw new Uncertain(`the statement at step ${t}`);
              else if (t === target) v.heldAtTarget = true;
            },
            statementsHold: () => {
              throw new NotHandled();
            },
            countPremise: () => {},
            failLate: () => {
              throw new NotHandled();
            },
          };
          lane.step(ctx);
        } catch (e) {
          if (e instanceof Uncertain) {
            v.uncertain = e.why;
            return 'refine';
          }
          throw e;
        }
      },
    };
    return v;
  };
  let orbit;
  try {
    orbit = certifiedOrbit(model, ce.hyper, init, needsNext ? target + 1 : target, { startBits: CERTIFY_START_BITS, maxBits, relWidthBits: 16, visitor });
  } catch (e) {
    if (e instanceof NotCertifiable || e instanceof NotHandled) return no(e instanceof NotHandled ? 'the quantifier reads a value without a certified enclosure' : e.message);
    throw e;
  }
  const v = orbit.visitor!;
  const widest = Number.isFinite(orbit.widest.log2RelWidth) ? orbit.widest.log2RelWidth : null;
  if (v.violation !== undefined)
    return { certified: true, step: v.violation, bits: orbit.bits, widestLog2RelWidth: widest, artefact: false, text: `violated on the true orbit at step ${v.violation} (certified, ${orbit.bits} bits)` };
  if (v.leftAt !== undefined) return no(`the true orbit leaves the hypotheses (along) at step ${v.leftAt}, before the violation`, orbit.bits, widest);
  if (v.uncertain !== undefined) return no(`${v.uncertain} could not be decided at ${orbit.bits} bits`, orbit.bits, widest);
  if (orbit.steps < (needsNext ? target + 1 : target)) return no(`the enclosure could not be continued past step ${orbit.steps} (${orbit.status})`, orbit.bits, widest);
  if (v.heldAtTarget) return no(`on the true orbit the statement holds at step ${target} (certified): the computed orbit's violation is a rounding artefact`, orbit.bits, widest, true);
  return no(`on the true orbit step ${target} is not covered by the quantifier (its premises or event do not hold there)`, orbit.bits, widest);
}

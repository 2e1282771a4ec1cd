/** What a check found, as plain data; report/ formats it, nothing here prints. */
import type { CertifiedTightness, TrueOrbitCheck } from './certify.js';
import type { SentencePart } from '../lemma/quantifiers/index.js';
import type { RegionCertificate } from './region-certificate.js';
import type { ObligationRecord } from './induction.js';
import type { ReachSummary } from './box-reach.js';
import type { ReachCertificate } from './reach-certificate.js';

/**
 * The one table of outcome kinds, in report order: whether the kind passes a claim that is expected to
 * hold, and the colour every report draws it in. The text table, the JSON totals and the HTML page read it.
 */
export const OUTCOME_KINDS = [
  { kind: 'PROVED', passes: true, colour: '#1b7a3d' },
  { kind: 'VERIFIED', passes: true, colour: '#2e8b57' },
  { kind: 'FALSIFIED', passes: false, colour: '#b3261e' },
  { kind: 'VACUOUS', passes: false, colour: '#8a6d00' },
  { kind: 'UNDECIDED', passes: false, colour: '#8a6d00' },
  { kind: 'ERROR', passes: false, colour: '#5d1049' },
] as const;

export type OutcomeKind = (typeof OUTCOME_KINDS)[number]['kind'];

/**
 * How the outcome was established:
 * - proved-expansion: an identity, both sides expanded to the same rational function;
 * - proved-z3: Z3 found no counterexample over the reals (unsat of the negation);
 * - proved-region: an identity over a bounded region of theta, decided box by box by the branch-and-bound
 *   prover (check/region-prove.ts) with rigorous enclosures; its box tree is the row's regionCertificate;
 * - proved-induction: a claim for every start and every t (quantifier invariant or leads-to), reduced to one-step
 *   obligations (check/induction.ts), each proved by one of the three above; they are the row's obligations;
 * - proved-reach: a trajectory claim decided for every start of the hypothesis box by certified enclosures of
 *   every orbit from boxes of starts (check/box-reach.ts), box by box, through the horizon or until the
 *   enclosure entered a set proved invariant; the row's `reach` has the exact proved volume fraction (1);
 * - exact: every checked iterate decided by exact rational evaluation (S by a certified enclosure); for a
 *   FALSIFIED row, the violation decided rigorously, or a divergence certified on the true orbit;
 * - interval-or-exact: every iterate decided by the rigorous float filter (outward-rounded interval
 *   enclosures that separate) or, where they do not, exactly; no tolerance anywhere;
 * - float: float64 only (claims reading gTop; an uncertified divergence of the computed orbit);
 * - none: the check did not run (ERROR).
 */
export type Established = 'proved-expansion' | 'proved-z3' | 'proved-region' | 'proved-induction' | 'proved-reach' | 'exact' | 'interval-or-exact' | 'float' | 'none';

export interface Point {
  hyper: Record<string, number>;
  init: Record<string, number>;
}

export interface Counterexample extends Point {
  /** The step at which the claim failed (the trigger step for `within`), or null for identities. */
  step: number | null;
  statement: string;
  /**
   * Both sides at the violating iterate, from the values that decided it (exact arithmetic where the float
   * enclosures were not tight): the double nearest to each, nonzero for a nonzero side; null where there are no
   * sides (a divergence, a `within` window).
   */
  lhs: number | null;
  rhs: number | null;
  /** Present where the side is not a double a report can print as such (see `decimal` of worstSlack). */
  lhsDecimal?: string;
  rhsDecimal?: string;
  /**
   * The margin at the violation (negative: rhs - lhs for <=) from the values that decided it, as worstSlack's
   * `value` and `decimal`: it tells the sides apart where both print as the same double (S = 1 + 2.3e-292
   * against 1). Absent in older reports and where there are no sides.
   */
  slack?: number;
  slackDecimal?: string;
  /** For identities and one-step lemmas: the symbolic residual or Z3's model. */
  witness?: Record<string, string>;
  /** The violation was confirmed by exact evaluation (or is a symbolic counterexample). */
  confirmedExactly: boolean;
  what: string;
  seed: number;
  path: string | null;
  command: string;
  /** A sampled violation re-established on the true GD orbit from the exact start (check/certify.ts); null for identities. */
  trueOrbit: TrueOrbitCheck | null;
}

/**
 * A lemma definition as plain JSON data: the lemma as written, key order kept. JSON has no
 * Infinity, NaN, -0 or bigint (a YAML lemma can hold `.inf`); those are written as
 * `{ "$number": "Infinity" }` (or "-Infinity", "NaN", "-0") and `{ "$bigint": "12" }`, and a value
 * JSON cannot hold at all (a function) as `{ "$unsupported": "function" }`, so nothing is silently
 * turned into null or dropped.
 */
export type LemmaDefinition = { [key: string]: DefinitionValue };
export type DefinitionValue = string | number | boolean | null | DefinitionValue[] | LemmaDefinition;

/** The lemma a row is about, so the row stands alone: where the file is, which bytes it had, and what it said. */
export interface LemmaRecord {
  /**
   * Absolute path of the lemma file as checked (null: not known, e.g. a lemma verified from an
   * already loaded catalogue). Absolute so that `--replay` from a copy of the report in another
   * directory still finds it.
   */
  path: string | null;
  /** sha256 (hex) of the file's bytes when it was loaded (null: the file could not be read). */
  fileHash: string | null;
  /** The lemma as given (null: the file did not load, or the lemma was not an object). */
  definition: LemmaDefinition | null;
}

/**
 * Where and why a VACUOUS or UNDECIDED outcome came about, as data (report/ words it and suggests a
 * restatement). `point` is a start: hyperparameters and the initial parameters.
 */
export type Diagnosis =
  /** No draw satisfied the hypotheses; the first skipped draw and the range or relation it failed. */
  | { reason: 'no-admissible-draw'; skipped: number; first: { point: Point; failed: string } | null }
  /** The quantifier's premise never held (premises: its when/event/trigger texts, or its `from`). */
  | { reason: 'premise-never-held'; premises: string[]; trajectories: number; leftHypotheses: number }
  /** A statement's terms were undefined at every iterate where the premises held. */
  | { reason: 'statement-never-defined'; statement: string; undefinedIterates: number }
  /** The first comparison that could not be decided: at which step of which trajectory, and why. */
  | { reason: 'undecided-comparison'; count: number; step: number; point: Point; comparison: string; why: string }
  /** An identity: no exact point inside the hypotheses where the premises hold (VACUOUS), or Z3 could not tell (UNDECIDED). */
  | { reason: 'no-witness' | 'prover-unknown'; detail: string }
  /** The computed orbit violated the claim at `step`, and the true orbit from the same exact start is certified not to. */
  | { reason: 'rounding-artefact'; step: number; point: Point; detail: string };

/** Redraws of a random draw outside the hypotheses (check/sample.ts), at most. */
export const REDRAWS = 15;

/** What every outcome carries, whatever its kind. */
export interface OutcomeCommon {
  id: string;
  file: string;
  lemma: LemmaRecord;
  title: string;
  claim: string;
  provenance: string;
  quantifier: string;
  statement: string[];
  statementLatex: string[];
  /** The claim's premise as a sentence with the lemma's expressions: what the statement is claimed at (empty for a lemma that did not load). */
  premise: SentencePart[];
  expect: 'holds' | 'fails';
  established: Established;
  /** One sentence: what was shown, or why not. */
  detail: string;
  /** true when the outcome is the expected one (holds: PROVED/VERIFIED; fails: FALSIFIED). */
  asExpected: boolean;
  seed: number;
  arithmetic: 'extended' | 'float64' | 'symbolic';
  trajectories: number;
  /** Of the trajectories, those the guided search chose (check/search.ts); the rest are random draws. */
  searchTrajectories: number;
  trajectoriesWithPremise: number;
  skippedDraws: number;
  /**
   * The random points drawn, redraws of a draw outside the hypotheses included (drawn), those inside the
   * hypotheses (kept: the rest fail a range or a `where` relation), and the trajectories checked (the kept
   * draws and the guided search's); null for identities.
   */
  draws: { drawn: number; kept: number; checked: number } | null;
  iterates: number;
  premiseIterates: number;
  decidedExactly: number;
  decidedByFloat: number;
  undecided: number;
  /** Statement evaluations skipped because a term was undefined there (README, "Partial terms"). */
  undefinedIterates: number;
  /** Per statement: iterates at which it was tested. */
  testedPerStatement: number[];
  /**
   * Trajectories whose computed orbit stalled: it repeated an iterate bit for bit while the exact GD
   * step from it moves (a float rounding fixed point). `firstStall` is the earliest such step seen.
   */
  stalledTrajectories: number;
  firstStall: { step: number; point: Point } | null;
  diverged: number;
  /** Trajectories that left the lemma's hypotheses about the trajectory (`hypotheses.along`); checked only up to that iterate. */
  leftHypotheses: number;
  /**
   * Largest relative one-step defect |x_{t+1} - G(x_t)| / |G(x_t)| of the computed orbits against the
   * exact GD map G, sampled every `defectEvery` steps (null: not measured, e.g. identities).
   */
  maxStepDefect: number | null;
  defectEvery: number | null;
  /**
   * The smallest margin seen (rhs - lhs for <=) and its step, from the values that decided that comparison.
   * `value` is a double, +-Number.MIN_VALUE for a nonzero margin below the double range; `decimal` is present
   * where that double does not say the margin (beyond the double range, or known only to an enclosure wider than
   * 2^-30 relative): its enclosure in decimal, ends rounded outward at 6 significant digits, e.g.
   * "[9.75598e-604, 9.75599e-604]" (one number where the margin is exactly that decimal). Older reports lack it.
   */
  worstSlack: { value: number; step: number; point: Point; decimal?: string } | null;
  /**
   * The trajectory that came closest to violating the claim: its score (the tightness figure where
   * the lemma has one, else minus its worst slack), whether a random draw or the guided search found
   * it, its replay path, and the best score of each (null: none).
   */
  worstCase: { score: number; foundBy: 'random' | 'search'; path: string; point: Point; randomBest: number | null; searchBest: number | null } | null;
  /** trueOrbit: the worst case's figure on the certified true orbit (VERIFIED lemmas; null otherwise). */
  tightness: {
    constant: string;
    stated: string;
    /** The largest needed value, from rigorous values (a double; -Infinity, null in the JSON, where none could be evaluated). */
    observedMaxNeeded: number;
    /** observedMaxNeeded as a decimal enclosure where the double does not say it (as worstSlack.decimal). */
    observedMaxNeededDecimal?: string;
    maxRatio: number | null;
    trueOrbit: CertifiedTightness | null;
  } | null;
  /** For VACUOUS and UNDECIDED: where and why (null for every other kind). */
  diagnosis: Diagnosis | null;
  /**
   * The box tree of a region proof (PROVED or VACUOUS by the branch-and-bound prover, check/region-prove.ts),
   * in the format of check/region-certificate.ts, re-checkable by `eos-check check-certificate`; null
   * otherwise. Reports written before it existed lack the key: read as null.
   */
  regionCertificate: RegionCertificate | null;
  /**
   * For the quantifiers proved by induction (invariant, leads-to): each one-step obligation with its verdict
   * and certificate (check/induction.ts), in the order they were decided. Absent for the other kinds.
   */
  obligations?: ObligationRecord[];
  /**
   * For a lemma decided on boxes of starts (quantifier `reach`, check/box-reach.ts): the exact fractions of the
   * hypothesis volume proved (for every t via the invariant set, or through the horizon), refuted and open, the
   * refuted boxes with their certified counterexamples and why the first open boxes stayed open. Absent for
   * the other lemmas. The row is PROVED only when the proved fraction is exactly 1; otherwise the sampled
   * verdict stands beside it.
   */
  reach?: ReachSummary;
  /** The boxes' certificate ("eos-check-reach/1"), where they proved a share of the volume: re-checked by check-certificate (certificate/reach.ts). */
  reachCertificate?: ReachCertificate;
  timeMs: number;
}

/** Where the lemma's check broke (an ERROR row): the file and field, or '(check)' for a failure while checking. */
export interface OutcomeError {
  file: string;
  /** The first problem's field and detail; `problems` has every independent problem of the lemma. */
  field: string;
  message: string;
  problems: { field: string; detail: string }[];
}

/**
 * One variant per kind, so a reader of the type knows what each carries: only FALSIFIED has a
 * counterexample, only ERROR an error; `certificate` is what a reader can re-run outside this tool
 * (for PROVED, and VACUOUS by Z3: the expanded sides of each equation, or the SMT-LIB2 query Z3
 * answered unsat). Every field is present in every variant (null where it does not apply), so the
 * JSON has one shape.
 */
export type OutcomeVariant =
  | { kind: 'PROVED'; counterexample: null; certificate: string | null; error: null }
  | { kind: 'VERIFIED'; counterexample: null; certificate: null; error: null }
  | { kind: 'FALSIFIED'; counterexample: Counterexample; certificate: null; error: null }
  | { kind: 'VACUOUS'; counterexample: null; certificate: string | null; error: null }
  | { kind: 'UNDECIDED'; counterexample: null; certificate: null; error: null }
  | { kind: 'ERROR'; counterexample: null; certificate: null; error: OutcomeError };

export type Outcome = OutcomeCommon & OutcomeVariant;

/** Omit distributed over a union (plain Omit merges the variants into one). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An outcome before its expectation and time are filled in. */
export type PendingOutcome = DistributiveOmit<Outcome, 'asExpected' | 'timeMs'>;

/** The variant fields of a kind without a counterexample, certificate or error. */
export const plain = <K extends 'VERIFIED' | 'UNDECIDED' | 'VACUOUS'>(kind: K) => ({ kind, counterexample: null, certificate: null, error: null }) as const;

export function isPass(kind: OutcomeKind): boolean {
  return OUTCOME_KINDS.find((k) => k.kind === kind)!.passes;
}

/**
 * The lemma format. A lemma file in lemmas/ default-exports one LemmaSpec (or an array of them),
 * written with `defineLemma` so the editor checks the shape. Everything mathematical is an
 * expression string: parsed and validated, never executed.
 */

export type Provenance = 'paper' | 'paper-claim' | 'derived' | 'variant';

/** A claim id of the model's catalogue (the minimalist model's are C1-C12; a pack declares its own). */
export type ClaimId = string;

/** How a hypothesis variable is drawn: a fixed value, or a range sampled uniformly or log-uniformly. */
export type Draw = number | { min: number; max: number; scale?: 'uniform' | 'log' };

export interface Hypotheses {
  /** One entry per hyperparameter of the model (eta and the others its pack declares). */
  hyper: Record<string, Draw>;
  /** One entry per parameter: the start theta_0. Not for an identity, which has no start: it holds for every theta. */
  init?: Record<string, Draw>;
  /**
   * For an identity only: a region of theta, one range (or fixed value) per parameter it bounds, in
   * the syntax of `init` ranges, e.g. { alpha: {min: 0.8, max: 1.1}, beta2: 0.1 }. A parameter left
   * out ranges over every real; without `params` the identity is claimed for every theta. With every
   * parameter bounded, the region prover (check/region-prove.ts) decides the lemma box by box.
   */
  params?: Record<string, Draw>;
  /**
   * Relations the draw must satisfy, as comparisons over hypers and the start values (named
   * `<param>_0`, and the quantities at the start, `<quantity>_0`), e.g. "eta * lambda_0 < 2".
   */
  where?: string[];
  /**
   * Hypotheses about the trajectory, as comparisons over the state (e.g. "L <= 1e30"): the lemma
   * claims nothing past the first iterate where one fails. The check stops there, and the report
   * counts the trajectories that left the hypotheses, so a claim is never passed on iterates it
   * does not cover.
   */
  along?: string[];
}

/**
 * Quantifiers over a GD trajectory theta_0..theta_T. Expressions may use: the parameters, the
 * hyperparameters, the model's named quantities (`eos-check models` lists them), L (loss), S
 * (sharpness, largest Hessian eigenvalue), gradNorm, t, any of these at the start with suffix _0
 * (L_0, S_0) or at the next iterate with suffix _next (L_next, S_next), the lemma's constants,
 * and T_event (the step at which the quantifier's event first held).
 */
export type Quantifier =
  /**
   * For every theta and every hyperparameter in the hypotheses' ranges, where all `when` premises
   * hold: an equation is proved by polynomial expansion, an inequality by Z3. Never sampled.
   * Here `_next` means one exact GD step from theta.
   */
  | { kind: 'identity'; when?: string | string[] }
  /**
   * For every t in [0, T] (where `when` holds, if given); `event` only defines T_event. `reach`: a box budget
   * (a positive integer written as a string, '64'): decided for every start and hyperparameter of the hypothesis
   * box by certified enclosures of every orbit through T (check/box-reach.ts), PROVED up to T when the whole
   * volume is; otherwise sampled as without it, the proved share stated.
   */
  | { kind: 'every-step'; when?: string | string[]; event?: string; reach?: string }
  /** For every t from the first step where `event` holds, through T (where `when` holds, if given); `reach` as for every-step. */
  | { kind: 'after-event'; event: string; when?: string | string[]; reach?: string }
  /**
   * Whenever every `trigger` holds at t, the statement holds at some t+k with 1 <= k <= `within`
   * (an expression, evaluated at t: it may use the state there).
   */
  | { kind: 'within'; trigger: string | string[]; within: string }
  /** For every t >= `from` (an expression over hypers, start values, constants and T_event). */
  | {
      kind: 'eventually';
      from: string;
      event?: string;
      when?: string | string[];
      /** A box budget as for every-step; only with from 'T_event' and an event (the claim of after-event). */
      reach?: string;
    }
  /** At the last iterate theta_T (T = steps), as a proxy of the limit; with `event`, only if the event happened. */
  | { kind: 'at-end'; event?: string }
  /** At the start point and the gradient-flow limit from it (suffix _flow: L_flow, S_flow). */
  | { kind: 'flow-limit' }
  /**
   * For every start and every t >= 0, proved by an inductive invariant: the relations of the set I
   * (over the state, hypers and constants). Initiation (the starts lie in I), consecution (I implies
   * I_next) and use (I implies the statement) are one-step claims, proved like identities.
   */
  | {
      kind: 'invariant';
      invariant: InvariantEntry | InvariantEntry[];
      /**
       * Premises: the statement is claimed at the iterates where they hold (use: I and these imply it). With `reach`
       * and every relation of I among them, the claim is that every orbit enters I and the statement holds from then on.
       */
      when?: string | string[];
      /**
       * A box budget (a positive integer written as a string, '64'): the starts need not lie in I. Every orbit
       * from the hypothesis box is enclosed, box by box under this count of boxes, until it enters I, with the
       * statement decided at every step before (check/box-reach.ts); I is proved kept and to imply the
       * statement, without initiation. PROVED when every box of the hypothesis volume entered I.
       */
      reach?: string;
      /**
       * Slack certificates for the use obligation: a statement that is tight on I (L_next <= L at the minimizers)
       * is shown by weight * slack == sum of terms (an identity) with weight > 0 and every term >= 0 on I.
       */
      use?: UseCertificate[];
    }
  /**
   * Every orbit reaches `to` (G) and the statement holds from then on: a ranking function V on `from`
   * (F) minus G with V >= 0 and V_next <= V - `decrease`, or V >= `floor` and V_next <= `factor` V
   * (factor < 1); F minus G is kept; G (or the optional `invariant` J containing it) is closed under
   * the step and implies the statement. `decrease`, `factor` and `floor` are over hypers and constants.
   */
  | { kind: 'leads-to'; from: string | string[]; to: string | string[]; ranking: string; decrease?: string; factor?: string; floor?: string; invariant?: string | string[] };

/**
 * A relation of an invariant set with a slack certificate: for `lhs <= rhs` (or `>=`) the slack s = rhs - lhs
 * (lhs - rhs) is >= 0 on I, and `kept` are expressions over the state, hypers and constants (at the current
 * theta) with s_next == the sum of the terms for every theta. Consecution of the relation is then the identity
 * (by expansion) and each term >= 0 on I: one-step claims that are not tight where s_next >= 0 is (a fixed point
 * on I's boundary). Strict relations and equations take no certificate.
 */
export interface KeptRelation {
  relation: string;
  kept: string[];
  /**
   * A factor w > 0 on I with w * s_next == the sum of the terms (default 1): for a slack that is a sum of
   * non-negative terms only after clearing a positive denominator (completing a square divides by a pivot).
   */
  weight?: string;
}

/**
 * A slack certificate for the use obligation (kind invariant, quantifier.use): `relation` is one of the
 * statements, lhs <= rhs or lhs >= rhs, with slack s as in KeptRelation; `weight` (default 1) times s equals
 * the sum of `terms` for every theta (an identity, by expansion), and on I the weight is > 0 and every term is
 * >= 0 (one-step claims, region prover). Then s >= 0 on I: the statement holds there although it is tight
 * (L_next <= L holds with equality along the whole minimizer curve), where enclosures of both sides cannot
 * separate. The terms may read _next (the statement does); not start values or t.
 */
export interface UseCertificate {
  relation: string;
  terms: string[];
  weight?: string;
}

/** A relation of an invariant set: plain, or with its slack certificate. */
export type InvariantEntry = string | KeptRelation;

export interface LemmaSpec {
  /** Names what it states: "c6-sharpness-bounded-after-eos". */
  id: string;
  title: string;
  claim: ClaimId;
  provenance: Provenance;
  /** Derivation of the constants or the evidence behind them, and the source. */
  description: string;
  hypotheses: Hypotheses;
  quantifier: Quantifier;
  /** Named constants: expressions over hypers and start values (suffix _0), defined in order. */
  constants?: Record<string, string>;
  /** The claim: one comparison, or several that must all hold. */
  statement: string | string[];
  /**
   * For an identity lemma, extra substitutions that restrict the domain, e.g. a parameter solved from
   * "the residual is 0" for "at a global minimizer".
   */
  assume?: Record<string, string>;
  /** The number of GD steps per trajectory (ignored for identities). */
  steps?: number;
  /** What this lemma is expected to come out as: true claims VERIFIED or PROVED, known-false variants FALSIFIED. */
  expect: 'holds' | 'fails';
  /**
   * Tightness: `needed` is the smallest value of `constant` for which the statement would hold at
   * an iterate (for "eta*S <= 2 + delta" it is "eta*S - 2"). The report shows its largest value
   * over the checked iterates next to the stated constant (or, for a constant that depends on the
   * draw, the largest ratio needed/constant).
   */
  tightness?: { constant: string; needed: string };
  /** Default number of sampled trajectories. */
  runs?: number;
}

export function defineLemma(spec: LemmaSpec): LemmaSpec {
  return spec;
}

/**
 * The certificate of a region proof, as data: what the branch-and-bound prover (check/region-prove.ts)
 * writes into a PROVED row of the JSON report and what `eos-check check-certificate` re-checks with
 * exact rational interval arithmetic through code that shares nothing with the prover's evaluation
 * path except the parser (src/certificate/).
 *
 * Main facts a checker establishes from it:
 *  - the tree's leaves cover the region (structurally: every split point lies strictly inside its box,
 *    and the two children are the two halves);
 *  - at every leaf, either one premise is certainly false on the whole leaf box, or every statement is
 *    certainly true (or certainly undefined, README "Partial terms") on the whole leaf box, wherever
 *    the premises might hold.
 * Together: every statement holds at every point of the region where the premises hold and the
 * statement is defined.
 *
 * Numbers are exact rationals written "p/q" or "p" (decimal integers), never doubles.
 */

export type CertRelation = '<' | '<=' | '>' | '>=' | '==';

/** A comparison after every substitution: derived quantities inlined, `p_next` replaced by one exact GD step. */
export interface CertComparison {
  /** The comparison as the lemma wrote it. */
  text: string;
  rel: CertRelation;
  /** Both sides as mathjs expression text over `vars` and the sharpness symbols of `sharpness`. */
  lhs: string;
  rhs: string;
}

/**
 * A sharpness symbol (S, S_next) the trees read: the largest eigenvalue of the symmetric matrix whose
 * upper triangle (row-major, n(n+1)/2 entries) is given as expression text over `vars`.
 */
export interface CertSharpness {
  n: number;
  entries: string[];
}

/**
 * How a leaf encloses a sharpness symbol: lo <= lambda_max on the box because the Rayleigh quotient
 * of the rational vector v (v^T H v / v^T v) is >= lo at every point of the box; lambda_max <= hi
 * because hi I - H is positive definite at every point of the box (Sylvester's criterion on the
 * interval matrix: every leading principal minor's enclosure is > 0).
 */
export interface CertSharpnessBound {
  lo: string;
  hi: string;
  v: string[];
}

/** What decided a leaf, per statement: it holds on the box, or it is undefined on the whole box. */
export type CertStatementVerdict = 'holds' | 'undefined';

/**
 * How far up the ladder a leaf's comparisons needed to go (the checker tries each rung up to this one,
 * per comparison): 'natural' interval evaluation of each tree; 'centered', the mean-value form
 * f(c) + grad f(box) . (box - c) of the difference rhs - lhs; 'factored', the comparison's form in `forms`
 * (rhs - lhs as unit times a product of polynomial factors): each factor enclosed by natural evaluation
 * intersected with its centered form, the signs multiplied, a factor tied to a premise restricted to
 * the signs that premise allows (so a statement is then shown wherever the premises hold).
 */
export type CertRung = 'natural' | 'centered' | 'factored' | 'rayleigh';

/**
 * A statement m = rhs - lhs = rest + sum_s c_s s, linear in the sharpness symbols with constant coefficients
 * c_s (`coefficients`), `rest` polynomial in the free variables; `poly` is the polynomial
 * Q = (v.v) rest + sum_s c_s v^T H_s v in the free variables and the vector's symbols `vector` (v), H_s the
 * matrix of `sharpness` (fixed variables at their values). At a 'rayleigh' leaf with vector v: S_s >= v^T H_s v / v.v
 * everywhere, and S_s <= v^T H_s v / v.v + mu for the symbols in the leaf's `rayleigh.upper`; so m is bounded on the
 * side the relation needs by Q / v.v + sum of c_s mu over the symbols bounded from above.
 */
export interface CertSharpForm {
  coefficients: Record<string, string>;
  rest: string;
  vector: string[];
  poly: string;
}

/**
 * A leaf's models of the sharpness symbols: the vector v (exact rationals), and per symbol bounded from above
 * {rho, delta, K, mu} such that on the whole box rho <= v^T H v / v.v, (rho - delta) I - H + K v v^T / v.v is
 * positive definite (delta > 0), and mu >= |(v.v) H v - (v^T H v) v|^2 / ((v.v)^3 delta): then
 * S <= v^T H v / v.v + mu there (region-rayleigh.ts).
 */
export interface CertRayleigh {
  v: string[];
  upper: Record<string, { rho: string; delta: string; K: string; mu: string }>;
  /**
   * Per statement index, the face of the box Q was bounded on: variables set in this order to the end 'lo' or
   * 'hi' of their range, each because dQ/dx had one sign on the box with the earlier ones set (Q is then largest,
   * or smallest for a lower bound, at that end). Absent: the whole box.
   */
  faces?: Record<string, [string, 'lo' | 'hi'][]>;
  /**
   * Per statement index, a premise taken as a multiplier term (an S-procedure): the statement's bound is that
   * of Q / v.v + c (rhs_p - lhs_p), premise p not reading S, enclosed as one tree (so the two terms' variations
   * cancel); c's sign is the one for which c (rhs_p - lhs_p) >= 0 (an upper bound) or <= 0 (a lower bound)
   * wherever premise p holds. The statement is then shown wherever the premises hold.
   */
  multipliers?: Record<string, { premise: number; c: string }>;
}

/**
 * rhs - lhs of one comparison as an exact polynomial identity over the free variables (the fixed
 * variables, lo == hi in `region`, substituted by their values): rhs - lhs = unit * prod_i poly_i^power_i.
 * A factor with `premise` {index, scale, offset?} is tied to that premise's difference:
 * rhs_k - lhs_k = scale * poly_i^power_i + offset (offset a constant, default 0); where premise k holds,
 * poly_i^power_i takes only the signs that this and the premise's relation allow (w - x < -2 where
 * x - 2 - w > 0). A polynomial may appear in several factors (one tied to a premise, the others not).
 */
export interface CertFactoredForm {
  unit: string;
  factors: { poly: string; power: number; premise?: { index: number; scale: string; offset?: string } }[];
}

export type CertLeaf =
  | {
      /** Premise `premise` (index into `premises`) is false, or undefined, at every point of the box. */
      premiseFalse: number;
      rung: CertRung;
      sharpness?: Record<string, CertSharpnessBound>;
    }
  | {
      statements: CertStatementVerdict[];
      rung: CertRung;
      /** Per statement: the enclosure [lo, hi] of rhs - lhs the prover found (informative; the checker recomputes it). */
      bounds: ([string, string] | null)[];
      sharpness?: Record<string, CertSharpnessBound>;
      /** The models a 'rayleigh' leaf's statements read. */
      rayleigh?: CertRayleigh;
    };

export type CertNode = { split: number; at: string; lo: CertNode; hi: CertNode } | CertLeaf;

export interface RegionCertificate {
  format: 'eos-check-region/1';
  /** The box's variables in order: the free parameters, then the hyperparameters. */
  vars: string[];
  /** The region: per variable [lo, hi] (a fixed hyperparameter has lo == hi). */
  region: [string, string][];
  premises: CertComparison[];
  statements: CertComparison[];
  sharpness: Record<string, CertSharpness>;
  /** The factored forms the 'factored' rung reads, per premise and per statement (null: none). */
  forms?: { premises: (CertFactoredForm | null)[]; statements: (CertFactoredForm | null)[] };
  /** Per statement, its Rayleigh form (null: none), read by the 'rayleigh' rung. */
  sharpForms?: (CertSharpForm | null)[];
  tree: CertNode;
  /** Leaves of the tree. */
  boxes: number;
}

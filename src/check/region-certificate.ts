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
 * The enclosure method that decided a leaf: natural interval evaluation of each tree, or the centered
 * (mean-value) form f(c) + grad f(box) . (box - c) of the difference rhs - lhs.
 */
export type CertRung = 'natural' | 'centered';

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
  tree: CertNode;
  /** Leaves of the tree. */
  boxes: number;
}

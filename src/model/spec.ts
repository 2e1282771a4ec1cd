/**
 * A model is data: the loss as an expression over declared parameters and hyperparameters.
 * Everything else (gradient, Hessian, kernels, LaTeX) is derived from it, so a variant model
 * is a new ModelSpec, never an engine change.
 */
export interface ModelSpec {
  /** Short name used in reports and hashes. */
  name: string;
  /** Trainable parameters, in the order of the state vector theta. */
  params: string[];
  /** Hyperparameters. Must contain the step size `eta`. */
  hypers: string[];
  /** The loss L(theta) as an expression over params and hypers. */
  loss: string;
  /**
   * Named auxiliary quantities, each an expression over params and hypers, for example the split
   * a split of the loss, a gradient-flow invariant, the gradient-flow-solution sharpness.
   * Lemmas may refer to them by name.
   */
  quantities?: Record<string, string | ImplicitQuantitySpec>;
  /** Where the model comes from, for the report. */
  source?: string;
  /**
   * The claim catalogue lemmas cite in their `claim` field (id and what it claims). Without one, any
   * short id (a letter, then letters, digits, '.', '-') is accepted.
   */
  claims?: ClaimInfo[];
  /**
   * Projected gradient descent: after each step theta is projected onto this set, in every arithmetic
   * (the generated kernels, the filter, the exact map, `_next` in lemmas). A box clamps each listed
   * parameter to [lo, hi]; a half-space {theta : normal . theta <= offset} subtracts the excess along
   * the normal. Bounds are read as written (1.05 is 21/20 in exact arithmetic).
   */
  projection?: Projection;
}

/**
 * A quantity defined implicitly: the unique real root of the polynomial `root` (in the quantity's own
 * name) in the open interval (between[0], between[1]); undefined where there is not exactly one.
 */
export interface ImplicitQuantitySpec {
  root: string;
  between: [string, string];
}

export interface ClaimInfo {
  id: string;
  title: string;
}

export type Projection =
  | { kind: 'box'; bounds: Record<string, [number, number]> }
  | { kind: 'halfspace'; normal: Record<string, number>; offset: number };

export interface Hyper {
  [name: string]: number;
}

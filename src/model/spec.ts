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
   * L = L_osc + L_conv, the flow invariant C, the gradient-flow-solution sharpness S_GFS.
   * Lemmas may refer to them by name.
   */
  quantities?: Record<string, string>;
  /** Where the model comes from, for the report. */
  source?: string;
}

export interface Hyper {
  [name: string]: number;
}

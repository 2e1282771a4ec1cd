import type { TrajectoryResult } from '../../src/check/trajectory-check.js';

/**
 * A trajectory's result as data, for equality between two ways of checking it: which path or rung decided an iterate
 * (steady loop, fused rung, float or exact) aside, the number decided kept; margins and violations with their figures.
 */
export function comparableResult(r: TrajectoryResult): unknown {
  const { worstMargin, violation, steadyIterates: _s, fusedIterates: _f, decidedByFloat, decidedExactly, ...rest } = r;
  return {
    ...rest,
    decided: decidedByFloat + decidedExactly,
    worstMargin: worstMargin && { value: worstMargin.value, step: worstMargin.step, figure: worstMargin.figure() },
    violation: violation && { ...violation, figures: violation.figures() },
  };
}

import type { Diagnosis, Point } from '../check/outcome.js';

/**
 * Where a VACUOUS or UNDECIDED outcome came about, why, and how the claim might be restated: the
 * words for the data check/ collected (Outcome.diagnosis). The text table and the HTML page print
 * the same three lines.
 */
export interface DiagnosisText {
  where: string;
  why: string;
  suggestion: string;
}

export function pointText(p: Point): string {
  const part = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
  return `${part(p.hyper)}; start ${part(p.init)}`;
}

export function diagnosisText(d: Diagnosis): DiagnosisText {
  switch (d.reason) {
    case 'no-admissible-draw':
      return {
        where: d.first ? `every one of the ${d.skipped} draws, the first at ${pointText(d.first.point)}` : `every one of the ${d.skipped} draws`,
        why: d.first ? `the first failed the hypothesis ${d.first.failed}` : 'no draw lay inside the hypotheses',
        suggestion: 'no draw satisfied the hypotheses: widen the ranges, or check that the where relations can hold together inside them',
      };
    case 'premise-never-held':
      return {
        where: `all ${d.trajectories} trajectories${d.leftHypotheses > 0 ? ` (${d.leftHypotheses} left the hypotheses along the trajectory before it could)` : ''}`,
        why: d.premises.length > 0 ? `the premise ${d.premises.map((p) => `"${p}"`).join(' and ')} never held at an iterate` : 'no iterate was in the quantifier’s range',
        suggestion: `no draw satisfied the premise: widen the hypotheses, or check the premise${d.leftHypotheses > 0 ? ' and the along hypotheses' : ''} (and the number of steps)`,
      };
    case 'statement-never-defined':
      return {
        where: `every iterate where the premises held (${d.undefinedIterates} evaluations)`,
        why: `a term of "${d.statement}" was undefined there (a square root or logarithm outside its domain, a zero denominator)`,
        suggestion: 'add a premise that keeps the terms defined, or restate the statement where they are',
      };
    case 'undecided-comparison':
      return {
        where: `step ${d.step} of the trajectory from ${pointText(d.point)} (the first of ${d.count} undecided comparisons)`,
        why: `"${d.comparison}" could not be decided: ${d.why}`,
        suggestion: 'state the comparison with a margin (both sides equal there, or too close to separate), or exclude the degenerate start from the hypotheses',
      };
    case 'no-witness':
      return {
        where: 'the whole hypothesis region',
        why: d.detail,
        suggestion: 'no point satisfied the premise: widen the hypotheses, or check the premise',
      };
    case 'rounding-artefact':
      return {
        where: `step ${d.step} of the trajectory from ${pointText(d.point)}`,
        why: d.detail,
        suggestion: 'the computed orbit is not faithful there: rerun with --arith extended if it was float64, or restate the claim away from the rounding fixed point (a margin, or fewer steps)',
      };
    case 'prover-unknown':
      return {
        where: 'the whole hypothesis region (a symbolic claim)',
        why: d.detail,
        suggestion: 'split the claim, add premises that bound the variables, or state it along trajectories (every-step) to sample it instead',
      };
  }
}

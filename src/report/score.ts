import type { Outcome, Point } from '../check/outcome.js';

/**
 * A worst case's score as text (check/sample.ts, score: the tightness figure, or minus the worst slack). Scores
 * are the search's doubles, in which +-Number.MIN_VALUE stands for a nonzero value that rounds to 0 there (the
 * difference of two sides' midpoints that agree as doubles, or a value below the double range). Such a score
 * prints as the row's worst slack figure, negated, where the worst case is that trajectory, else as what it
 * stands for, never as 4.94e-324; `format` prints every other score.
 */
export function scoreText(x: number | null, o: Pick<Outcome, 'worstSlack' | 'tightness'>, point: Point | null, format: (x: number | null) => string): string {
  if (x !== Number.MIN_VALUE && x !== -Number.MIN_VALUE) return format(x);
  const w = o.worstSlack;
  if (!o.tightness && w && point && w.value === -x && JSON.stringify(w.point) === JSON.stringify(point)) return w.decimal !== undefined ? negated(w.decimal) : format(-w.value);
  return x < 0 ? "-(a positive margin the search's doubles round to 0)" : "(a positive value the search's doubles round to 0)";
}

/** -x for a figure's decimal text: one number, or an enclosure "[lo, hi]". */
function negated(decimal: string): string {
  const neg = (s: string) => (s.startsWith('-') ? s.slice(1) : `-${s}`);
  const m = /^\[(.*), (.*)\]$/.exec(decimal);
  return m ? `[${neg(m[2]!)}, ${neg(m[1]!)}]` : neg(decimal);
}

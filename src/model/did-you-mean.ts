// In the model stage (the first) so the CLI's argument parser can use it without loading the symbolic core.

/** A "did you mean" hint: the known name closest in edit distance, if close. */
export function didYouMean(name: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(name.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

/**
 * The `count` known names nearest to `name` in edit distance, nearest first: for a message that names a
 * few candidates instead of every known name. Case is compared last (gradnorm is nearest to gradNorm);
 * ties go alphabetically, so the list does not depend on the order of `known`.
 */
export function nearestNames(name: string, known: Iterable<string>, count: number): string[] {
  const lower = name.toLowerCase();
  return [...new Set(known)]
    .map((k) => ({ k, folded: editDistance(lower, k.toLowerCase()), exact: editDistance(name, k) }))
    .sort((a, b) => a.folded - b.folded || a.exact - b.exact || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .slice(0, count)
    .map((x) => x.k);
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

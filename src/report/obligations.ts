import type { Outcome } from '../check/outcome.js';

/**
 * The lines a text report shows for a row proved (or tried) by induction: its detail, then each one-step
 * obligation with its verdict and how it was decided. Formatting only; the data is Outcome.obligations.
 */
export function obligationLines(o: Outcome): { head: string; lines: string[] } | null {
  if (!o.obligations || o.obligations.length === 0) return null;
  const how: Record<string, string> = { 'proved-region': 'region', 'proved-z3': 'Z3', 'proved-expansion': 'expansion' };
  const lines = o.obligations.map((ob, k) => {
    const verdict = ob.status === 'proved' ? `proved (${how[ob.established ?? ''] ?? ob.established})` : ob.status;
    const witness = ob.witness ? `; at ${Object.entries(ob.witness).map(([n, v]) => `${n}=${v}`).join(', ')}` : '';
    return `${k + 1}. ${ob.name}: ${verdict}: ${ob.claim}${witness}`;
  });
  // A row decided on boxes of starts carries the obligations of the set its boxes may enter; its verdict is in the reach lines.
  if (o.reach) return { head: `${o.id}: the set its boxes of starts may enter, one-step obligations (no initiation: the starts need not lie in it):`, lines };
  return { head: `${o.kind} ${o.id} by induction: ${o.detail}`, lines };
}

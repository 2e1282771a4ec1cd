import type { Outcome } from '../check/outcome.js';
import { pointText } from './diagnosis.js';

/**
 * The lines a report shows for a row decided on boxes of starts (Outcome.reach, check/box-reach.ts): the
 * proved share of the hypothesis volume (exact fraction and a percentage rounded down), how it splits into
 * every t and through the horizon (kind invariant; the other kinds claim only the steps through it), refuted
 * and open shares, each refuted box with its certified
 * counterexample and the first open boxes with why. Formatting only.
 */
export function reachLines(o: Outcome): { head: string; lines: string[] } | null {
  const r = o.reach;
  if (!r) return null;
  const f = r.fractions;
  const p = r.percent;
  // Only kind invariant claims every t; the other kinds claim the steps through the horizon and nothing later.
  const proved =
    o.quantifier === 'invariant'
      ? `proved on ${p.proved} of the hypothesis volume (exactly ${f.proved}): ${p.everyT} for every t${r.invariant ? ' (entered the invariant set)' : ''}, ${p.upToT} through step ${r.horizon}`
      : `proved up to T = ${r.horizon} on ${p.proved} of the hypothesis volume (exactly ${f.proved})`;
  const head =
    `${o.kind} ${o.id} on boxes of starts: ${proved}; refuted ${p.refuted}, open ${p.open}` +
    `${f.outside !== '0' ? `; ${f.outside} of the box is outside the where relations` : ''}; ${r.enclosed} boxes enclosed (budget ${r.budget}, ${r.units} units), ${r.leaves} leaves`;
  const lines: string[] = [];
  for (const l of r.refuted.slice(0, 3))
    if (l.refutation) lines.push(`refuted box ${l.path}: ${pointText(l.refutation.point)}; step ${l.refutation.step}: ${l.refutation.text}`);
  for (const l of r.open.slice(0, 3)) lines.push(`open box ${l.path}: ${l.why}`);
  return { head, lines };
}

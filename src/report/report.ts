import type { Outcome } from '../check/outcome.js';

/** Everything a reader needs to trust or replay a report. */
export interface Report {
  tool: { name: 'eos-check'; version: string };
  /** dynamics: gradient descent, or projected gradient descent onto which set (the model's projection). */
  /** pack: the model pack as --model takes it (absent for the default pack). */
  model: { name: string; hash: string; loss: string; source?: string; dynamics?: string; pack?: string };
  seed: number;
  budget: number;
  arithmetic: string;
  outcomes: Outcome[];
  totals: Record<string, number>;
}

export function totals(outcomes: Outcome[]): Record<string, number> {
  const t: Record<string, number> = { lemmas: outcomes.length, asExpected: 0, iterates: 0 };
  for (const o of outcomes) {
    t[o.kind] = (t[o.kind] ?? 0) + 1;
    if (o.asExpected) t.asExpected!++;
    t.iterates! += o.iterates;
  }
  return t;
}

/** Stable JSON: the same outcomes give the same bytes (no timestamps, no timings). */
export function reportJson(r: Report, withTimes = false): string {
  const strip = (o: Outcome) => (withTimes ? o : { ...o, timeMs: undefined });
  return JSON.stringify({ ...r, outcomes: r.outcomes.map(strip) }, null, 2) + '\n';
}

import { OUTCOME_KINDS, type Outcome } from '../check/outcome.js';
import type { Report } from './report.js';

export const ESTABLISHED: Record<Outcome['established'], string> = {
  'proved-expansion': 'proved (expansion)',
  'proved-z3': 'proved (Z3)',
  exact: 'exact at iterates',
  'interval-or-exact': 'interval filter + exact',
  float: 'float64 only',
  none: '-',
};

function num(x: number | null | undefined, d = 3): string {
  if (x === null || x === undefined) return '-';
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return x.toExponential(d - 1);
  return x.toPrecision(d);
}

function pad(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}

function tightness(o: Outcome): string {
  const t = o.tightness;
  if (!t) return '-';
  if (t.maxRatio !== null) return `${t.constant}: max needed/stated ${num(t.maxRatio)}`;
  return `${t.constant}: stated ${t.stated}, needed ${num(t.observedMaxNeeded, 4)}`;
}

/** The per-lemma verification table, as plain text. */
export function formatTable(r: Report): string {
  const head = ['id', 'claim', 'provenance', 'expect', 'outcome', 'established', 'traj', 'iterates', 'premise', 'worst slack', 'tightness', 'defect', 'seed'];
  const rows = r.outcomes.map((o) => [
    o.id,
    o.claim,
    o.provenance,
    o.expect,
    `${o.kind}${o.asExpected ? '' : ' (!)'}`,
    ESTABLISHED[o.established],
    o.quantifier === 'identity' ? '-' : `${o.trajectoriesWithPremise}/${o.trajectories}${(o.stalledTrajectories ?? 0) > 0 ? ` (${o.stalledTrajectories} stalled)` : ''}`,
    o.quantifier === 'identity' ? '-' : String(o.iterates),
    o.quantifier === 'identity' ? '-' : String(o.premiseIterates),
    o.worstSlack ? `${num(o.worstSlack.value)} @${o.worstSlack.step}` : '-',
    tightness(o),
    o.maxStepDefect === null ? '-' : num(o.maxStepDefect, 2),
    String(o.seed),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, w[i]!)).join('  ').trimEnd();
  const out = [
    `eos-check verification report: model ${r.model.name} (hash ${r.model.hash}), seed ${r.seed}, budget x${r.budget}`,
    `arithmetic: ${r.arithmetic}`,
    ...(r.model.dynamics ? [`dynamics: ${r.model.dynamics}`] : []),
    '',
    line(head),
    line(w.map((x) => '-'.repeat(x))),
    ...rows.map(line),
    '',
  ];
  const notes = r.outcomes.filter((o) => o.kind === 'FALSIFIED' || o.kind === 'ERROR' || o.kind === 'VACUOUS' || o.kind === 'UNDECIDED' || !o.asExpected);
  for (const o of notes) {
    out.push(`${o.kind} ${o.id}${o.asExpected ? ' (expected)' : ' (NOT EXPECTED)'}: ${o.detail}`);
    const c = o.counterexample;
    if (c) {
      if (c.witness) out.push(`  witness: ${Object.entries(c.witness).map(([k, v]) => `${k}=${v}`).join(', ')}`);
      else {
        out.push(`  counterexample: ${Object.entries(c.hyper).map(([k, v]) => `${k}=${v}`).join(' ')}; start ${Object.entries(c.init).map(([k, v]) => `${k}=${v}`).join(' ')}; step ${c.step}`);
        if (c.lhs !== null) out.push(`  ${c.statement}: lhs ${c.lhs}, rhs ${c.rhs}`);
      }
      out.push(`  replay: ${c.command}`);
    }
  }
  for (const o of r.outcomes.filter((o) => (o.stalledTrajectories ?? 0) > 0))
    out.push(`${o.id}: ${o.stalledTrajectories} computed orbits stalled at a float rounding fixed point (a repeated iterate while exact GD moves on; first at step ${o.firstStall!.step}); their later iterates add no evidence`);
  const left = r.outcomes.filter((o) => o.leftHypotheses > 0);
  for (const o of left) out.push(`${o.id}: ${o.leftHypotheses} of ${o.trajectories} trajectories left the hypotheses along the trajectory; each was checked only up to that iterate`);
  const worst = r.outcomes.filter((o) => o.worstCase && o.kind === 'VERIFIED');
  if (worst.length > 0) out.push('worst cases (the trajectory closest to a violation: its tightness figure, or minus its worst slack; the guided search starts from the worst random draws):');
  for (const o of worst) {
    const w = o.worstCase!;
    const other = w.foundBy === 'search' ? `best random draw ${num(w.randomBest, 6)}` : `search best ${num(w.searchBest, 6)}`;
    out.push(`  ${o.id}: ${num(w.score, 6)} found by the ${w.foundBy === 'search' ? 'search' : 'random draws'} (${other}; ${o.searchTrajectories} search trajectories) at ${Object.entries(w.point.hyper).map(([k, v]) => `${k}=${v}`).join(' ')}, start ${Object.entries(w.point.init).map(([k, v]) => `${k}=${v}`).join(' ')} (--path ${w.path})`);
  }
  const defects = r.outcomes.map((o) => o.maxStepDefect).filter((d): d is number => d !== null);
  if (defects.length > 0)
    out.push(`defect: the largest one-step defect |x_{t+1} - G(x_t)| / max(|G(x_t)|, |x_t|) (componentwise) of the computed orbits against the exact GD map G, sampled every ${r.outcomes.find((o) => o.defectEvery)?.defectEvery} steps; worst over the report ${num(Math.max(...defects), 2)}`);
  const t = r.totals;
  out.push('');
  out.push(
    `${t.lemmas} lemmas: ${OUTCOME_KINDS.map(({ kind: k }) => `${t[k] ?? 0} ${k}`).join(', ')}; ${t.asExpected} as expected; ${t.iterates} iterates checked`,
  );
  return out.join('\n');
}

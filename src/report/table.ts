import { OUTCOME_KINDS, REDRAWS, type Outcome, type Point } from '../check/outcome.js';
import { scoreText } from './score.js';
import { obligationLines } from './obligations.js';
import { reachLines } from './reach.js';
import { isAbsolute, relative } from 'node:path';
import type { Report } from './report.js';
import { definitionEntries } from './definition.js';
import { sentenceText } from '../lemma/quantifiers/index.js';
import { diagnosisText, pointText } from './diagnosis.js';

export const ESTABLISHED: Record<Outcome['established'], string> = {
  'proved-expansion': 'proved (expansion)',
  'proved-z3': 'proved (Z3)',
  'proved-region': 'proved (region, boxes)',
  'proved-induction': 'proved (induction: one-step obligations)',
  'proved-reach': 'proved (reachability from boxes of starts)',
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
  const certified = t.trueOrbit?.certified ? `; true orbit ${t.trueOrbit.hi} (certified upper end)` : '';
  if (t.maxRatio !== null) return `${t.constant}: max needed/stated ${num(t.maxRatio)}${certified}`;
  // The decimal where the double does not say the figure; no figure (none could be evaluated) is '-'.
  const needed = t.observedMaxNeededDecimal ?? (Number.isFinite(t.observedMaxNeeded) ? num(t.observedMaxNeeded, 4) : '-');
  return `${t.constant}: stated ${t.stated}, needed ${needed}${certified}`;
}

/** The narrow table's tightness cell: "delta 0.93 of 1.5" (needed of stated) or "delta x0.93" (largest ratio). */
function tightnessShort(o: Outcome): string {
  const t = o.tightness;
  if (!t) return '-';
  // The certified figure where there is one (its upper end, marked *), else the computed orbit's.
  const c = t.trueOrbit?.certified ? `${num(Number(t.trueOrbit.hi))}*` : null;
  if (t.maxRatio !== null) return `${t.constant} x${c ?? num(t.maxRatio)}`;
  const needed = t.observedMaxNeededDecimal ?? (Number.isFinite(t.observedMaxNeeded) ? num(t.observedMaxNeeded) : '-');
  return `${t.constant} ${c ?? needed} of ${t.stated.split(' = ')[0]}`;
}

const ESTABLISHED_SHORT: Record<Outcome['established'], string> = {
  'proved-expansion': 'expansion',
  'proved-z3': 'Z3',
  'proved-region': 'region',
  'proved-induction': 'induction',
  'proved-reach': 'boxes',
  exact: 'exact',
  'interval-or-exact': 'filter+exact',
  float: 'float64',
  none: '-',
};

/** A count in at most 7 characters: exact below 10^7, else 3 significant digits with M or G. */
function count(n: number): string {
  if (n < 1e7) return String(n);
  return n < 1e9 ? `${(n / 1e6).toPrecision(3)}M` : `${(n / 1e9).toPrecision(3)}G`;
}

/** Shortens s to w characters, keeping its start and its end (ids differ at both: c6-...-large-lambda2). */
function middle(s: string, w: number): string {
  if (s.length <= w) return s;
  const tail = Math.floor((w - 1) / 2);
  return `${s.slice(0, w - 1 - tail)}…${s.slice(s.length - tail)}`;
}

function end(s: string, w: number): string {
  return s.length <= w ? s : `${s.slice(0, w - 1)}…`;
}

/** Prose wrapped at `width` (words longer than a line, such as commands, stay whole), later lines indented. */
export function wrap(text: string, width: number, indent = '  '): string[] {
  const out: string[] = [];
  const lead = /^ */.exec(text)![0];
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    const next = line === lead ? line + word : `${line} ${word}`;
    if (next.length > width && line.trim() !== '') {
      out.push(line);
      line = indent + word;
    } else line = next;
  }
  out.push(line);
  return out;
}

export interface TableOptions {
  /** Every column (the table of before --wide); otherwise the six that fit `width`. */
  wide?: boolean;
  /** Columns of the narrow table and the wrap width of its prose (default 100). */
  width?: number;
  /** Each lemma's definition, file and sha256 above the table (default true). */
  definitions?: boolean;
}

/** Fewer than half of the random points drawn (redraws included) fell inside the hypotheses (ranges and `where`): the row says so. */
export function fewDrawsKept(o: Outcome): boolean {
  return !!o.draws && o.draws.drawn > 0 && 2 * o.draws.kept < o.draws.drawn;
}

function wideRows(r: Report): { head: string[]; rows: string[][] } {
  const head = ['id', 'claim', 'provenance', 'expect', 'outcome', 'established', 'draws', 'traj', 'iterates', 'premise', 'worst slack', 'tightness', 'defect', 'seed'];
  const rows = r.outcomes.map((o) => [
    o.id,
    o.claim,
    o.provenance,
    o.expect,
    `${o.kind}${o.asExpected ? '' : ' (!)'}`,
    ESTABLISHED[o.established],
    o.draws ? `${o.draws.drawn}/${o.draws.kept}/${o.draws.checked}${fewDrawsKept(o) ? ' !' : ''}` : '-',
    o.quantifier === 'identity' ? '-' : `${o.trajectoriesWithPremise}/${o.trajectories}${(o.stalledTrajectories ?? 0) > 0 ? ` (${o.stalledTrajectories} stalled)` : ''}`,
    o.quantifier === 'identity' ? '-' : String(o.iterates),
    o.quantifier === 'identity' ? '-' : String(o.premiseIterates),
    o.worstSlack ? `${o.worstSlack.decimal ?? num(o.worstSlack.value)} @${o.worstSlack.step}` : '-',
    tightness(o),
    o.maxStepDefect === null ? '-' : num(o.maxStepDefect, 2),
    String(o.seed),
  ]);
  return { head, rows };
}

/**
 * The six columns a reader needs first, fitted to `width`: the id is shortened in the middle and
 * the tightness at its end, the id first (down to 32 characters), then the tightness (down to 16),
 * then both further. The other columns are short by construction.
 */
function narrowRows(r: Report, width: number): { head: string[]; rows: string[][]; shortened: boolean } {
  const head = ['id', 'outcome', 'established', 'traj', 'iterates', 'tightness'];
  const sampled = (o: Outcome) => o.quantifier !== 'identity';
  const rows = r.outcomes.map((o) => [
    o.id,
    `${o.kind}${o.asExpected ? '' : ' (!)'}`,
    ESTABLISHED_SHORT[o.established],
    sampled(o) ? `${o.trajectoriesWithPremise}/${o.trajectories}${fewDrawsKept(o) ? '!' : ''}` : '-',
    sampled(o) ? count(o.iterates) : '-',
    tightnessShort(o),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const total = () => w.reduce((a, b) => a + b, 0) + 2 * (w.length - 1);
  const shrink = (col: number, floor: number) => {
    const over = total() - width;
    if (over > 0) w[col] = Math.max(floor, w[col]! - over);
  };
  shrink(0, 32);
  shrink(5, 16);
  shrink(0, 20);
  shrink(5, 10);
  let shortened = false;
  for (const row of rows) {
    const id = middle(row[0]!, w[0]!);
    const t = end(row[5]!, w[5]!);
    shortened ||= id !== row[0] || t !== row[5];
    row[0] = id;
    row[5] = t;
  }
  return { head, rows, shortened };
}

/** The per-lemma verification table, as plain text. */
export function formatTable(r: Report, opts: TableOptions = {}): string {
  const width = opts.width ?? 100;
  const wide = opts.wide === true;
  const prose = (text: string, indent = '  ') => (wide ? [text] : wrap(text, width, indent));
  const { head, rows, shortened } = wide ? { ...wideRows(r), shortened: false } : narrowRows(r, width);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, w[i]!)).join('  ').trimEnd();
  const out = [
    ...prose(`eos-check verification report: model ${r.model.name} (hash ${r.model.hash}), seed ${r.seed}, budget x${r.budget}`),
    ...prose(`arithmetic: ${r.arithmetic}`),
    ...(r.model.dynamics ? prose(`dynamics: ${r.model.dynamics}`) : []),
    '',
    ...(opts.definitions === false ? [] : definitionsSection(r, prose)),
    line(head),
    line(w.map((x) => '-'.repeat(x))),
    ...rows.map(line),
    ...(wide ? [] : prose(`established: filter+exact = interval filter + exact; tightness: the constant, the largest value needed of the stated one (xR: largest ratio needed/stated)${shortened ? '; … marks a shortened id or cell (full ids below and in the JSON)' : ''}; --wide: every column`)),
    '',
  ];
  // Rows tried by induction (invariant, leads-to): what was proved, obligation by obligation.
  for (const o of r.outcomes) {
    const ob = obligationLines(o);
    if (!ob) continue;
    out.push(...prose(ob.head));
    for (const l of ob.lines) out.push(...prose(`  ${l}`, '    '));
  }
  if (r.outcomes.some((o) => o.obligations?.length)) out.push('');
  // Rows decided on boxes of starts: the proved share of the hypothesis volume.
  for (const o of r.outcomes) {
    const rl = reachLines(o);
    if (!rl) continue;
    out.push(...prose(rl.head));
    for (const l of rl.lines) out.push(...prose(`  ${l}`, '    '));
  }
  if (r.outcomes.some((o) => o.reach)) out.push('');
  const notes = r.outcomes.filter((o) => o.kind === 'FALSIFIED' || o.kind === 'ERROR' || o.kind === 'VACUOUS' || o.kind === 'UNDECIDED' || !o.asExpected);
  const pt = (p: { hyper: Record<string, number>; init: Record<string, number> }) => pointText(p);
  for (const o of notes) {
    // A lemma that did not load: one line per problem (the detail joins them with newlines, which wrapping would run together).
    const problems = o.error?.problems ?? [];
    const head = o.kind === 'ERROR' && problems.length > 0 ? `${o.error!.file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}` : o.detail;
    out.push(...prose(`${o.kind} ${o.id}${o.asExpected ? ' (expected)' : ' (NOT EXPECTED)'}: ${head}`));
    if (o.kind === 'ERROR') for (const p of problems) out.push(...prose(`  ${p.field}: ${p.detail.replace(/\s*\n\s*/g, ' ')}`, '    '));
    const c = o.counterexample;
    if (c) {
      if (c.witness) out.push(...prose(`  witness: ${Object.entries(c.witness).map(([k, v]) => `${k}=${v}`).join(', ')}`, '    '));
      else {
        out.push(...prose(`  counterexample: ${pt(c)}; step ${c.step}`, '    '));
        // Each side as the decision had it: the double, or its decimal where the double does not say it.
        const margin = c.slackDecimal ?? (c.slack !== undefined && c.slack !== null && Number.isFinite(c.slack) ? num(c.slack) : undefined);
        if (c.lhs !== null || c.rhs !== null) out.push(...prose(`  ${c.statement}: lhs ${c.lhsDecimal ?? c.lhs ?? '-'}, rhs ${c.rhsDecimal ?? c.rhs ?? '-'}${margin !== undefined ? `, margin ${margin}` : ''}`, '    '));
        if (c.trueOrbit) out.push(...prose(`  true orbit: ${c.trueOrbit.text}`, '    '));
      }
      // A command is never wrapped: it is copied whole.
      out.push(`  replay: ${c.command}`);
    }
    if (o.diagnosis) {
      const d = diagnosisText(o.diagnosis);
      out.push(...prose(`  where: ${d.where}`, '    '), ...prose(`  why: ${d.why}`, '    '), ...prose(`  suggestion: ${d.suggestion}`, '    '));
    }
  }
  for (const o of r.outcomes.filter((o) => (o.stalledTrajectories ?? 0) > 0))
    out.push(...prose(`${o.id}: ${o.stalledTrajectories} computed orbits stalled at a float rounding fixed point (a repeated iterate while exact GD moves on; first at step ${o.firstStall!.step}); their later iterates add no evidence`));
  for (const o of r.outcomes.filter(fewDrawsKept)) {
    const d = o.draws!;
    out.push(...prose(`${o.id}: only ${d.kept} of ${d.drawn} random points drawn were inside the hypotheses (${Math.round((100 * d.kept) / d.drawn)}%; the others fail a range or a \`where\` relation and were not checked, and a draw outside was redrawn up to ${REDRAWS} times); ${d.checked} trajectories checked, ${o.searchTrajectories} of them chosen by the guided search (! in the traj column)`));
  }
  const left = r.outcomes.filter((o) => o.leftHypotheses > 0);
  for (const o of left) out.push(...prose(`${o.id}: ${o.leftHypotheses} of ${o.trajectories} trajectories left the hypotheses along the trajectory; each was checked only up to that iterate`));
  const worst = r.outcomes.filter((o) => o.worstCase && o.kind === 'VERIFIED');
  if (worst.length > 0) out.push(...prose('worst cases (the trajectory closest to a violation: its tightness figure, or minus its worst slack; the guided search starts from the worst random draws):'));
  for (const o of worst) {
    const w = o.worstCase!;
    const score = (x: number | null, at: Point | null) => scoreText(x, o, at, (y) => num(y, 6));
    const other = w.foundBy === 'search' ? `best random draw ${score(w.randomBest, null)}` : `search best ${score(w.searchBest, null)}`;
    out.push(...prose(`  ${o.id}: ${score(w.score, w.point)} found by the ${w.foundBy === 'search' ? 'search' : 'random draws'} (${other}; ${o.searchTrajectories} search trajectories) at ${pt(w.point).replace('; start', ', start')} (--path ${w.path})`, '    '));
    if (o.tightness?.trueOrbit) out.push(...prose(`    ${o.tightness.trueOrbit.text}`, '      '));
  }
  const defects = r.outcomes.map((o) => o.maxStepDefect).filter((d): d is number => d !== null);
  if (defects.length > 0)
    out.push(...prose(`defect: the largest one-step defect |x_{t+1} - G(x_t)| / max(|G(x_t)|, |x_t|) (componentwise) of the computed orbits against the exact GD map G, sampled every ${r.outcomes.find((o) => o.defectEvery)?.defectEvery} steps; worst over the report ${num(Math.max(...defects), 2)}`));
  const t = r.totals;
  out.push('');
  // The totals stay one line: scripts and CI logs read it (grep "as expected").
  out.push(`${t.lemmas} lemmas: ${OUTCOME_KINDS.map(({ kind: k }) => `${t[k] ?? 0} ${k}`).join(', ')}; ${t.asExpected} as expected; ${t.iterates} iterates checked`);
  return out.join('\n');
}

/** A path as the reader would type it here: relative when below the working directory, else as recorded. */
function shownPath(path: string): string {
  const rel = relative('.', path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * Each lemma as checked, grouped by file (its path and sha256 once per file): what the table's rows
 * are about, so the text report stands alone. Rows of an old report without definitions are skipped.
 */
function definitionsSection(r: Report, prose: (text: string, indent?: string) => string[]): string[] {
  const out: string[] = [];
  let file: string | undefined;
  for (const o of r.outcomes) {
    const rec = o.lemma;
    if (!rec) continue;
    if (out.length === 0) out.push('lemmas as checked (file, sha256 of its bytes, and each lemma as written):');
    const path = rec.path ? shownPath(rec.path) : o.file;
    const hash = `sha256 ${rec.fileHash ?? '(none: unreadable)'}`;
    const where = `${path}  ${hash}`;
    if (where !== file) {
      out.push(...(prose(where).length === 1 ? [where] : [path, `  ${hash}`]));
      file = where;
    }
    if (rec.definition === null) {
      const n = o.error?.problems?.length ?? 0;
      out.push(...prose(`  ${o.id}: no definition (the lemma did not load${n > 0 ? `: ${n} problem${n === 1 ? '' : 's'}, listed below the table` : `: ${o.detail.replace(/\s*\n\s*/g, ' ')}`})`, '    '));
      continue;
    }
    const entries = definitionEntries(rec.definition);
    const title = entries.find((e) => e.label === 'title');
    out.push(...prose(`  ${o.id}${title ? `: ${title.text}` : ''}`, '    '));
    const short = entries.filter((e) => e.short);
    if (short.length > 0) out.push(...prose(`    ${short.map((e) => `${e.label} ${e.text}`).join(', ')}`, '      '));
    for (const e of entries) if (!e.short && e.label !== 'title') out.push(...prose(`    ${e.label}: ${e.text.replace(/\s*\n\s*/g, ' ')}`, '      '));
    // The quantifier in words, with the statement: what the verdict is about.
    if (o.premise?.length) out.push(...prose(`    claim: ${sentenceText(o.premise)}: ${o.statement.join(' and ')}`, '      '));
  }
  return out.length > 0 ? [...out, ''] : [];
}

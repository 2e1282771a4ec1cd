import { OUTCOME_KINDS, type Outcome, type Point } from '../check/outcome.js';
import { scoreText } from './score.js';
import type { RunSeries } from '../dynamics/series.js';
import type { Report } from './report.js';
import { pageAssets, type PageAssets } from './html-assets.js';
import { mathml } from './html-math.js';
import { PLOT_SCRIPT } from './html-plot.js';
import { ESTABLISHED, fewDrawsKept } from './table.js';
import { reachLines } from './reach.js';
import { definitionEntries } from './definition.js';
import { sentenceText } from '../lemma/quantifiers/index.js';
import { diagnosisText } from './diagnosis.js';
import type { PanelDef } from '../model/pack.js';

/**
 * The HTML report: one self-contained page (uPlot, its CSS, the data and MathML inline; a
 * Content-Security-Policy that forbids every fetch) with the verification table and, per GD run,
 * plots against step with the phases shaded. Input is data only: the report and runs already
 * computed and decimated in src/dynamics; this module formats, it evaluates nothing.
 */

export interface HtmlOptions {
  /** Where the report came from, shown in the header (e.g. "reports/verification.json, not re-verified"). */
  source?: string;
  /** Notes shown under the runs heading (e.g. why the reference runs were skipped). */
  notes?: string[];
  /** The model pack's title, under the page's heading. */
  title?: string;
  /** The pack's plot panels, by series key; a series no panel lists gets a panel of its own. */
  panels?: readonly PanelDef[];
  /** The name of the pack's gradient-flow-solution sharpness (roles.gfsSharpness), for the phase text. */
  gfsName?: string;
}


export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function num(x: number | null | undefined, d = 4): string {
  if (x === null || x === undefined) return '-';
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return x.toExponential(d - 1);
  return String(Number(x.toPrecision(d)));
}

function kv(o: Record<string, unknown>): string {
  return Object.entries(o)
    .map(([k, v]) => `${esc(k)} = ${esc(typeof v === 'number' ? String(v) : v)}`)
    .join(', ');
}

/** The quantifier as a sentence, its expressions typeset like the statement (an older report has none). */
function premiseLine(o: Outcome): string {
  if (!o.premise?.length) return '';
  const body = o.premise.map((p) => (typeof p === 'string' ? esc(p) : `<span class="pexpr" title="${esc(p.text)}">${mathml(p.latex)}</span>`)).join('');
  return `<div class="premise" title="${esc(sentenceText(o.premise))}">${body}:</div>`;
}

function statementCell(o: Outcome): string {
  const items = o.statementLatex.length > 0 ? o.statementLatex : o.statement;
  return premiseLine(o) + items
    .map((latex, i) => `<div class="stmt" title="${esc(o.statement[i] ?? latex)}">${o.statementLatex.length > 0 ? mathml(latex) : `<code>${esc(latex)}</code>`}</div>`)
    .join('');
}

function counterexampleBlock(o: Outcome): string {
  const c = o.counterexample;
  const parts: string[] = [];
  if (c) {
    parts.push(`<div><b>counterexample</b>${c.confirmedExactly ? ' (confirmed exactly)' : ' (float64, not confirmed exactly)'}: ${esc(c.what)}</div>`);
    if (Object.keys(c.hyper).length > 0) parts.push(`<div>hyperparameters: ${kv(c.hyper)}</div>`);
    if (Object.keys(c.init).length > 0) parts.push(`<div>start: ${kv(c.init)}</div>`);
    if (c.step !== null) parts.push(`<div>step: ${c.step}</div>`);
    const margin = c.slackDecimal ?? (c.slack !== undefined && c.slack !== null && Number.isFinite(c.slack) ? num(c.slack) : undefined);
    if (c.lhs !== null || c.rhs !== null) parts.push(`<div><code>${esc(c.statement)}</code>: lhs ${esc(c.lhsDecimal ?? c.lhs ?? '-')}, rhs ${esc(c.rhsDecimal ?? c.rhs ?? '-')}${margin !== undefined ? `, margin ${esc(margin)}` : ''}</div>`);
    if (c.witness) parts.push(`<div>witness: ${kv(c.witness)}</div>`);
    if (c.trueOrbit) parts.push(`<div><b>true orbit</b>: ${esc(c.trueOrbit.text)}</div>`);
    parts.push(`<div>replay: <code>${esc(c.command)}</code></div>`);
  }
  // A report written before problems were listed (an older --from file) has the first one only.
  if (o.error) for (const p of o.error.problems ?? [{ field: o.error.field, detail: o.error.message }]) parts.push(`<div><b>error</b> in ${esc(o.error.file)}, field ${esc(p.field)}: ${esc(p.detail)}</div>`);
  const w = o.kind === 'VERIFIED' ? o.worstCase : null;
  if (w) {
    const pt = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${esc(k)} = ${v}`).join(', ');
    const score = (x: number | null, at: Point | null) => esc(scoreText(x, o, at, num));
    const other = w.foundBy === 'search' ? `best random draw ${score(w.randomBest, null)}` : `search best ${score(w.searchBest, null)}`;
    parts.push(`<div class="worst">worst case ${score(w.score, w.point)}, found by the ${w.foundBy === 'search' ? 'guided search' : 'random draws'} (${other}; ${o.searchTrajectories ?? 0} search trajectories): ${pt(w.point.hyper)}; start ${pt(w.point.init)} (replay path ${esc(w.path)})</div>`);
  }
  return parts.join('');
}

/** The anchor of a lemma's row: lemma-<id> (ids are lower-case words; an ERROR row's "(file)" is made safe). */
export function lemmaAnchor(id: string): string {
  return `lemma-${id.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/**
 * The lemma as checked: its hypotheses and constants in view (what a reader checks first), the rest
 * of the definition, the file and its sha256 in a <details>. Rows of an old report carry no definition.
 */
function definitionBlock(o: Outcome): string {
  const rec = o.lemma;
  if (!rec) return '';
  const file = `<div class="file">file <code>${esc(rec.path ?? o.file)}</code>, sha256 <code>${esc(rec.fileHash ?? 'none (unreadable)')}</code></div>`;
  if (rec.definition === null) return `<div class="def">${file}<div>no definition: the lemma did not load</div></div>`;
  const entries = definitionEntries(rec.definition);
  const dl = (es: typeof entries) => `<dl class="def">${es.map((e) => `<dt>${esc(e.label)}</dt><dd>${esc(e.text)}</dd>`).join('')}</dl>`;
  const premises = entries.filter((e) => e.premise);
  return `${premises.length > 0 ? dl(premises) : ''}<details class="def"><summary>the whole definition, file and sha256</summary>${file}${dl(entries)}</details>`;
}

function diagnosisBlock(o: Outcome): string {
  if (!o.diagnosis) return '';
  const d = diagnosisText(o.diagnosis);
  return `<dl class="diag"><dt>where</dt><dd>${esc(d.where)}</dd><dt>why</dt><dd>${esc(d.why)}</dd><dt>suggestion</dt><dd>${esc(d.suggestion)}</dd></dl>`;
}

function lemmaRows(o: Outcome): string {
  const sampled = o.quantifier !== 'identity';
  const t = o.tightness;
  const needed = !t ? '-' : t.observedMaxNeededDecimal !== undefined ? esc(t.observedMaxNeededDecimal) : Number.isFinite(t.observedMaxNeeded) ? num(t.observedMaxNeeded) : '-';
  const tight = !t ? '-' : t.maxRatio !== null ? `${esc(t.constant)}: max needed/stated ${num(t.maxRatio)}` : `${esc(t.constant)}: stated ${esc(t.stated)}, needed ${needed}`;
  const tightTrue = t?.trueOrbit ? `<div>${esc(t.trueOrbit.text)}</div>` : '';
  const row = `<tr class="lemma kind-${o.kind}${o.asExpected ? '' : ' unexpected'}" id="${esc(lemmaAnchor(o.id))}" data-id="${esc(o.id)}">
<td><div class="id"><a href="#${esc(lemmaAnchor(o.id))}">${esc(o.id)}</a></div><div class="title">${esc(o.title)}</div></td>
<td>${esc(o.claim)}</td><td>${esc(o.provenance)}</td><td>${esc(o.expect)}</td>
<td class="outcome"><span class="badge">${o.kind}</span>${o.asExpected ? '' : ' <b title="not the expected outcome">(!)</b>'}</td>
<td>${esc(ESTABLISHED[o.established] ?? o.established)}</td>
<td class="math">${statementCell(o)}</td>
<td class="n">${sampled ? `${o.trajectoriesWithPremise}/${o.trajectories}` : '-'}${o.draws ? `<div class="draws${fewDrawsKept(o) ? ' few' : ''}" title="random draws made / inside the hypotheses / trajectories checked (with the guided search's)">${o.draws.drawn}/${o.draws.kept}/${o.draws.checked}${fewDrawsKept(o) ? `<br>only ${Math.round((100 * o.draws.kept) / o.draws.drawn)}% kept` : ''}</div>` : ''}</td>
<td class="n">${sampled ? `${o.iterates}<br>${o.premiseIterates}` : '-'}</td>
<td class="n">${o.worstSlack ? `${o.worstSlack.decimal !== undefined ? esc(o.worstSlack.decimal) : num(o.worstSlack.value)} @${o.worstSlack.step}` : '-'}</td>
<td>${tight}${tightTrue}</td>
</tr>`;
  // An ERROR row's problems are listed one per line below; its detail would repeat them run together.
  const lead = o.kind === 'ERROR' && o.error?.problems?.length ? `<div>${esc(o.error.file)}: ${o.error.problems.length} problem${o.error.problems.length === 1 ? '' : 's'}</div>` : `<div>${esc(o.detail)}</div>`;
  const rl = reachLines(o);
  const reach = rl ? `<div class="reach">${esc(rl.head)}${rl.lines.map((l) => `<div>${esc(l)}</div>`).join('')}</div>` : '';
  const detail = o.counterexample || o.error || o.kind !== 'PROVED' || rl ? `${lead}${reach}${counterexampleBlock(o)}${diagnosisBlock(o)}` : '';
  const def = definitionBlock(o);
  const note = detail || def ? `<tr class="detail" data-for="${esc(o.id)}"><td colspan="11">${detail}${def}</td></tr>` : '';
  return row + note;
}

function header(r: Report, opts: HtmlOptions): string {
  const t = r.totals;
  const counts = OUTCOME_KINDS.map(({ kind: k }) => `<span class="count kind-${k}"><span class="badge">${k}</span> ${t[k] ?? 0}</span>`).join(' ');
  return `<header>
<h1>eos-check verification report</h1>
${opts.title ? `<p class="sub">${esc(opts.title)}</p>` : ''}
<dl class="facts">
<dt>tool</dt><dd>${esc(r.tool.name)} ${esc(r.tool.version)}</dd>
<dt>model</dt><dd>${esc(r.model.name)} (hash <code>${esc(r.model.hash)}</code>): ${mathml(lossLatex(r.model.loss))} <code class="loss">${esc(r.model.loss)}</code></dd>
<dt>seed</dt><dd>${r.seed}</dd>
<dt>budget</dt><dd>x${r.budget}</dd>
<dt>arithmetic</dt><dd>${esc(r.arithmetic)}</dd>
${r.model.dynamics ? `<dt>dynamics</dt><dd>${esc(r.model.dynamics)}</dd>` : ''}
<dt>totals</dt><dd>${t.lemmas ?? r.outcomes.length} lemmas: ${counts}; <b>${t.asExpected ?? 0}</b> as expected; ${t.iterates ?? 0} iterates checked</dd>
${opts.source ? `<dt>source</dt><dd>${esc(opts.source)}</dd>` : ''}
</dl>
</header>`;
}

/** The loss text is plain arithmetic; shown as math only for readability (the code text stays next to it). */
const GREEK = /^(alpha|beta|gamma|delta|epsilon|eta|theta|kappa|lambda|mu|nu|xi|rho|sigma|tau|phi|chi|psi|omega)$/;
function lossLatex(loss: string): string {
  return loss
    .replace(/\b([A-Za-z]+)(\d*)\b/g, (m, name: string, digits: string) => (GREEK.test(name) ? `\\${name}` : name) + (digits ? `_{${digits}}` : ''))
    .replace(/\s*\*\s*/g, ' ')
    .replace(/1\/2/g, '\\tfrac12');
}

function fmtRun(run: RunSeries, gfs: string): string {
  const s = run.spec;
  const init = run.params.map((p, i) => `${p} = ${s.init[i]}`).join(', ');
  const ph = run.phases;
  const phaseText = ph.phases.map((p) => `<span class="ph ph-${p.name}">${p.name}</span> steps ${p.from}-${p.to}`).join('; ');
  const warnings: string[] = [];
  if (run.termination.kind === 'diverged') warnings.push(`diverged at step ${run.termination.step} (${esc(run.termination.what)} = ${esc(run.termination.value)})`);
  if (run.underflow) warnings.push(`float64 underflow of ${esc(run.underflow.param)} at step ${run.underflow.step}: this run is not faithful to GD`);
  if (ph.eosStart === null) warnings.push('eta S never reaches 2: no edge of stability in this run');
  else if (ph.convergenceStart === null) warnings.push(`the run ends before eta ${esc(gfs)} falls below 2 for good: no convergence phase yet`);
  return `<section class="run" id="run-${esc(s.name)}" data-run="${esc(s.name)}">
<h2>${esc(s.name)}: eta = ${s.hyper.eta}, ${Object.entries(s.hyper)
    .filter(([k]) => k !== 'eta')
    .map(([k, v]) => `${esc(k)} = ${v}`)
    .join(', ')}; start ${esc(init)}; ${s.steps} steps</h2>
<p class="runfacts">max eta S = ${num(run.maxEtaS.value, 6)} at step ${run.maxEtaS.step}; final eta S = ${num(run.finalEtaS, 6)}${
    run.etaSgfsStart !== null ? `; eta ${esc(gfs)} from ${num(run.etaSgfsStart, 6)} to ${num(run.finalEtaSgfs, 6)}` : ''
  }. Arithmetic: ${s.arith === 'extended' ? 'extended-exponent float64' : 'IEEE float64'}. ${
    run.bucketWidth > 1 ? `Plotted: the min and max of every ${run.bucketWidth} consecutive steps (${run.t.length} points per series).` : 'Every step plotted.'
  }</p>
<p class="phases">Phases: ${phaseText || '-'}. PS ends when eta S first reaches 2; ${
    ph.endCriterion === 'S' ? 'EoS ends after the last step with eta S >= 2 (the model pack names no gradient-flow-solution sharpness)' : `EoS ends when eta ${esc(gfs)} falls below 2 for the rest of the run`
  }.</p>
${warnings.map((w) => `<p class="warn">${w}</p>`).join('\n')}
<div class="plots"></div>
</section>`;
}

/** 6 significant digits: far below a pixel, and it keeps R3's data to a few hundred KB. */
function roundSeries(v: (number | null)[]): (number | null)[] {
  return v.map((x) => (x === null ? null : Number(x.toPrecision(6))));
}

function plotData(runs: RunSeries[], PANELS: readonly PanelDef[]) {
  const listed = new Set(PANELS.flatMap((p) => p.keys));
  return runs.map((run) => {
    const byKey = new Map(run.series.map((s) => [s.key, s]));
    const panels = [
      ...PANELS.filter((p) => p.keys.some((k) => byKey.has(k))),
      ...run.series.filter((s) => !listed.has(s.key)).map((s) => ({ id: s.key, title: s.log10 ? `${s.label} (log scale)` : s.label, y: s.label, keys: [s.key] })),
    ].map((p) => {
      const series = p.keys.filter((k) => byKey.has(k)).map((k) => byKey.get(k)!);
      return { ...p, log10: series.every((s) => s.log10) };
    });
    return {
      name: run.spec.name,
      t: run.t,
      phases: run.phases.phases,
      series: Object.fromEntries(run.series.map((s) => [s.key, { label: s.label, log10: s.log10, values: roundSeries(s.values) }])),
      panels,
    };
  });
}

/** JSON inside a <script> element: "<" is escaped so no "</script>" can end it early. */
function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const css = () => `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0 auto;padding:16px;max-width:1280px;color:#1d2330;background:#fff}
h1{font-size:22px;margin:0}h2{font-size:17px;margin:28px 0 6px}.sub{margin:2px 0 10px;color:#555}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 14px;margin:0}dt{font-weight:600;color:#444}dd{margin:0;overflow-wrap:anywhere}
.table-scroll{overflow-x:auto;max-width:100%}
dl.def,dl.diag{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:0 10px;margin:3px 0}dl.def dd,dl.diag dd{white-space:pre-wrap}
details.def summary{cursor:pointer;color:#1f5fbf}.file code{overflow-wrap:anywhere}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f4f6;padding:0 3px;border-radius:3px}
nav{margin:10px 0;display:flex;gap:14px;flex-wrap:wrap}nav a{color:#1f5fbf}
table.lemmas{border-collapse:collapse;width:100%;font-size:12.5px}
table.lemmas th{background:#eef1f6;text-align:left;padding:5px 6px;border-bottom:2px solid #c9d1de}
table.lemmas td{padding:5px 6px;border-top:1px solid #e3e7ee;vertical-align:top}
tr.detail td{border-top:none;padding:0 6px 7px 22px;color:#3c4454;font-size:12px;max-width:0}tr.detail code{white-space:pre-wrap;overflow-wrap:anywhere}tr.detail div{overflow-wrap:anywhere}
td.n{text-align:right;white-space:nowrap}.id{font-weight:600;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}.title{color:#4a5160}
td.math{min-width:260px}.draws{font-size:.85em;color:#555}.draws.few{color:#b00;font-weight:600}.premise{font-size:.9em;color:#444;max-width:320px;margin-bottom:2px}.premise math{font-size:1em}.stmt{margin:1px 0;max-width:320px;overflow-x:auto;overflow-y:hidden}math{font-size:1.08em}
.badge{display:inline-block;padding:0 6px;border-radius:9px;font-weight:700;font-size:11px;color:#fff;background:#777}
${OUTCOME_KINDS.map((k) => `.kind-${k.kind} .badge{background:${k.colour}}`).join('')}
tr.unexpected{background:#fff4e5}.count{margin-right:6px;white-space:nowrap}
.runfacts,.phases{margin:3px 0;color:#333}.warn{margin:3px 0;color:#a3330c;font-weight:600}
.ph{display:inline-block;padding:0 6px;border-radius:3px;font-weight:600}.ph-PS{background:rgba(66,133,244,.22)}.ph-EoS{background:rgba(230,81,0,.24)}.ph-convergence{background:rgba(46,160,67,.22)}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(560px,100%),1fr));gap:6px 14px}
h2{overflow-wrap:anywhere}
.panel h3{font-size:13px;margin:6px 0 0;font-weight:600}
.uplot .u-legend{font-size:12px;text-align:left}.uplot .u-legend th{font-weight:500}
`;

/** The whole page as a string. */
export function buildHtml(report: Report, runs: RunSeries[], opts: HtmlOptions = {}, assets: PageAssets = pageAssets()): string {
  const nav = [`<a href="#verification">verification table</a>`, ...runs.map((r) => `<a href="#run-${esc(r.spec.name)}">run ${esc(r.spec.name)}</a>`)].join('');
  const models = [...new Set(runs.map((r) => `${r.model.name} (hash ${r.model.hash})`))];
  const modelNote = runs.length > 0 && runs.some((r) => r.model.hash !== report.model.hash) ? `<p class="warn">The runs use model ${esc(models.join(', '))}, not the report's model (hash ${esc(report.model.hash)}).</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>eos-check report: ${esc(report.model.name)}, seed ${report.seed}</title>
<style>${assets.uplotCss}</style>
<style>${css()}</style>
</head>
<body>
${header(report, opts)}
<nav>${nav}</nav>
<section id="verification">
<h2>Verification table</h2>
<p>One row per lemma (its anchor: #lemma-&lt;id&gt;); below a row, what was shown or why not, any counterexample with the command that replays it, the lemma's hypotheses and constants, and its whole definition with the file's sha256. Hover a statement for its source text.</p>
<div class="table-scroll">
<table class="lemmas">
<thead><tr><th>lemma</th><th>claim</th><th>provenance</th><th>expect</th><th>outcome</th><th>established</th><th>statement</th><th>traj<br>draws</th><th>iterates<br>premise</th><th>worst slack</th><th>tightness</th></tr></thead>
<tbody>
${report.outcomes.map(lemmaRows).join('\n')}
</tbody>
</table>
</div>
</section>
<section id="runs">
<h2>Gradient descent runs</h2>
<p>Shaded: <span class="ph ph-PS">PS</span> progressive sharpening, <span class="ph ph-EoS">EoS</span> edge of stability, <span class="ph ph-convergence">convergence</span>. Drag on a plot to zoom, double-click to reset; the cursor is shared by the plots of a run. Plotted with uPlot ${esc(assets.uplotVersion)}.</p>
${modelNote}${(opts.notes ?? []).map((n) => `<p class="warn">${esc(n)}</p>`).join('\n')}
</section>
${runs.map((r) => fmtRun(r, opts.gfsName ?? 'GFS sharpness')).join('\n')}
<script type="application/json" id="eos-data">${scriptJson(plotData(runs, opts.panels ?? []))}</script>
<script>${assets.uplotJs}</script>
<script>${PLOT_SCRIPT}</script>
</body>
</html>
`;
}

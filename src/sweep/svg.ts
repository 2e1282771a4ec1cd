import { CLASSES, type CellClass } from './classify.js';
import type { Axis } from './grid.js';
import { NO_CELL, type PhaseMap } from './summary.js';

/**
 * The phase diagram as one self-contained SVG (no scripts, fonts or external references), at most
 * SVG_WIDTH px wide: left, the class of every cell (categorical colours, legend below; eos and catapult
 * cells that had not converged by the last step are hatched); right, max_t eta S_t on a scale built to
 * show the edge of stability (etaSColour): blues below 2, then a jump to yellow at 2, yellow to red over
 * the band 2..2.5, which gets half of the colour bar, and red to purple above 2.5 (log scale up to the
 * largest value of the cells that did not diverge, so a huge sharpness does not squeeze the band);
 * divergent cells are grey there. Cells are rectangles, merged along x where the colour repeats, so the
 * file size grows with the boundaries rather than the grid.
 */
export { MAX_SVG_CELLS } from './limits.js';

/** The width attribute of every figure (legends and axis labels included). */
export const SVG_WIDTH = 900;

export const CLASS_COLOUR: Record<CellClass, string> = {
  stable: '#1b9e77',
  eos: '#7570b3',
  catapult: '#d95f02',
  'not-converged': '#e6ab02',
  divergence: '#4d4d4d',
};
export const DIVERGED_GREY = '#8c8c8c';
const NO_CELL_FILL = '#f2f2f2';
/** Classes whose cells are hatched when they did not converge (the other classes say it already, or do not apply). */
const HATCHED: readonly CellClass[] = ['eos', 'catapult'];

type RGB = [number, number, number];
const rgb = (hex: string): RGB => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as RGB;
const hex = (c: RGB) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** The edge of stability, and the top of the band the scale spends half its range on. */
export const EDGE = 2;
export const BAND_TOP = 2.5;
/** Where on the colour bar (0 = bottom, 1 = top) the edge and the top of the band sit. */
const P_EDGE = 0.3;
const P_BAND = 0.8;

/** Colour stops [position on the bar, colour]: below the edge (ColorBrewer Blues), and from the edge up (YlOrRd, then RdPu). */
const BELOW: [number, RGB][] = [
  [0, rgb('#08306b')],
  [0.15, rgb('#2171b5')],
  [P_EDGE, rgb('#c6dbef')],
];
const ABOVE: [number, RGB][] = [
  [P_EDGE, rgb('#ffeda0')],
  [P_EDGE + 0.1, rgb('#fec44f')],
  [P_EDGE + 0.2, rgb('#fd8d3c')],
  [P_EDGE + 0.3, rgb('#f03b20')],
  [P_EDGE + 0.4, rgb('#bd0026')],
  [P_BAND, rgb('#67001f')],
  [1, rgb('#3f007d')],
];

function ramp(stops: [number, RGB][], p: number): string {
  const q = Math.max(stops[0]![0], Math.min(stops[stops.length - 1]![0], p));
  let i = 0;
  while (i < stops.length - 2 && q > stops[i + 1]![0]) i++;
  const [p0, c0] = stops[i]!;
  const [p1, c1] = stops[i + 1]!;
  const f = p1 > p0 ? (q - p0) / (p1 - p0) : 0;
  return hex(c0.map((a, j) => a + (c1[j]! - a) * f) as RGB);
}

/** The value range of the eta*S scale: [lo, EDGE) below the edge, [BAND_TOP, hi] above the band. */
export interface EtaSScale {
  lo: number;
  hi: number;
}

/**
 * The scale for these max eta*S values (non-finite ones ignored): lo is the smallest value, at most
 * EDGE - 0.5 and rounded down to a tenth; hi the largest, at least 3. The band EDGE..BAND_TOP sits at
 * the same colours whatever the data, so figures of different sweeps can be compared there.
 */
export function etaSScale(values: Iterable<number>): EtaSScale {
  let lo = EDGE - 0.5;
  let hi = 3;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return { lo: Math.max(0, Math.floor(lo * 10 + 1e-9) / 10), hi };
}

/** Position of max eta*S = v on the colour bar, in [0, 1]: linear below the edge and in the band, log10 above it. */
export function etaSPosition(v: number, s: EtaSScale): number {
  if (v < EDGE) return Math.max(0, (P_EDGE * (v - s.lo)) / (EDGE - s.lo));
  if (v <= BAND_TOP) return P_EDGE + ((P_BAND - P_EDGE) * (v - EDGE)) / (BAND_TOP - EDGE);
  return Math.min(1, P_BAND + ((1 - P_BAND) * Math.log10(v / BAND_TOP)) / Math.log10(s.hi / BAND_TOP));
}

/** The colour of a cell whose max_t eta S_t is v (grey when v is not finite). */
export function etaSColour(v: number, s: EtaSScale): string {
  if (!Number.isFinite(v)) return DIVERGED_GREY;
  return v < EDGE ? ramp(BELOW, etaSPosition(v, s)) : ramp(ABOVE, etaSPosition(v, s));
}

/** The ticks of the colour bar: lo, the edge, every tenth of the band, and a few round values above it. */
export function etaSTicks(s: EtaSScale): number[] {
  const out = [s.lo];
  for (let v = Math.ceil(s.lo * 2 + 1e-9) / 2; v < EDGE - 0.25; v += 0.5) if (v - s.lo > 0.2) out.push(v);
  for (let i = 0; i <= 5; i++) out.push(Number((EDGE + i * 0.1).toFixed(1)));
  const top = [3, 4, 5, 7, 10, 20, 50, 100, 1e3, 1e4, 1e5, 1e6].filter((v) => v < s.hi);
  const px = (v: number) => etaSPosition(v, s);
  for (const v of top) if (px(v) - px(out[out.length - 1]!) > 0.05 && px(s.hi) - px(v) > 0.05) out.push(v);
  out.push(s.hi);
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const g = (v: number) => Number(v.toPrecision(3)).toString();
const r2 = (v: number) => Math.round(v * 100) / 100;

/** A generous width for text (Helvetica averages about 0.55 em): used to wrap lines and to keep text inside the figure. */
export const textWidth = (s: string, fontSize: number) => s.length * fontSize * 0.6;

/** Lines of at most `max` characters, broken after "; " where that is enough, else also at spaces. */
export function wrap(text: string, max: number): string[] {
  const pieces: string[] = [];
  for (const clause of text.split(/(?<=; )/)) {
    if (clause.trimEnd().length <= max) pieces.push(clause);
    else pieces.push(...clause.split(/(?<= )/));
  }
  const lines: string[] = [];
  let cur = '';
  for (const w of pieces) {
    if (cur !== '' && (cur + w).trimEnd().length > max) {
      lines.push(cur.trimEnd());
      cur = '';
    }
    cur += w;
  }
  if (cur.trim() !== '') lines.push(cur.trimEnd());
  return lines;
}

const PANEL = 330;
const XA = 80;
const XB = XA + PANEL + 60;

/** Tick values inside [min, max]: decades on a log axis (or the ends when it spans less than two), 1-2-5 steps on a linear one. */
export function ticks(a: Axis): number[] {
  if (a.count === 1 || a.min === a.max) return [a.min];
  if (a.scale === 'log') {
    const lo = Math.ceil(Math.log10(a.min) - 1e-9);
    const hi = Math.floor(Math.log10(a.max) + 1e-9);
    if (hi - lo < 1) return [a.min, a.max];
    const stride = Math.max(1, Math.ceil((hi - lo + 1) / 7));
    const out: number[] = [];
    for (let e = lo; e <= hi; e += stride) out.push(Number(`1e${e}`));
    return out;
  }
  const raw = (a.max - a.min) / 5;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let k = Math.ceil(a.min / step - 1e-9); k * step <= a.max * (1 + 1e-12) + 1e-300; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Position of a value along an axis drawn over `cells` cells of size `size`: cell centres sit at the grid values. */
function place(a: Axis, v: number, size: number): number {
  if (a.count === 1 || a.min === a.max) return size / 2;
  const u = (w: number) => (a.scale === 'log' ? Math.log10(w) : w);
  const f = (u(v) - u(a.min)) / (u(a.max) - u(a.min));
  const cell = size / a.count;
  return cell / 2 + f * (size - cell);
}

function axes(x: Axis, y: Axis, x0: number, top: number, yName: boolean): string[] {
  const out: string[] = [];
  const y1 = top + PANEL;
  out.push(`<rect x="${x0}" y="${top}" width="${PANEL}" height="${PANEL}" fill="none" stroke="#333" stroke-width="1"/>`);
  for (const v of ticks(x)) {
    const px = r2(x0 + place(x, v, PANEL));
    out.push(`<line x1="${px}" y1="${y1}" x2="${px}" y2="${y1 + 5}" stroke="#333"/>`);
    out.push(`<text x="${px}" y="${y1 + 18}" text-anchor="middle">${esc(g(v))}</text>`);
  }
  for (const v of ticks(y)) {
    const py = r2(y1 - place(y, v, PANEL));
    out.push(`<line x1="${x0 - 5}" y1="${py}" x2="${x0}" y2="${py}" stroke="#333"/>`);
    out.push(`<text x="${x0 - 8}" y="${py + 4}" text-anchor="end">${esc(g(v))}</text>`);
  }
  const label = (a: Axis) => `${a.name}${a.scale === 'log' ? ' (log scale)' : ''}  [${g(a.min)} .. ${g(a.max)}, ${a.count} points]`;
  out.push(`<text x="${x0 + PANEL / 2}" y="${y1 + 38}" text-anchor="middle" class="lab">${esc(label(x))}</text>`);
  if (yName) out.push(`<text transform="translate(${x0 - 62} ${top + PANEL / 2}) rotate(-90)" text-anchor="middle" class="lab">${esc(label(y))}</text>`);
  return out;
}

/** Cells as rectangles, consecutive cells of one colour along x merged into one. */
function cells(m: PhaseMap, x0: number, top: number, colour: (k: number) => string | undefined): string[] {
  const { x, y } = m.spec;
  const cw = PANEL / x.count;
  const ch = PANEL / y.count;
  const out: string[] = [];
  for (let iy = 0; iy < y.count; iy++) {
    let ix = 0;
    while (ix < x.count) {
      const c = colour(iy * x.count + ix);
      let end = ix + 1;
      while (end < x.count && colour(iy * x.count + end) === c) end++;
      if (c !== undefined)
        out.push(`<rect x="${r2(x0 + ix * cw)}" y="${r2(top + (y.count - 1 - iy) * ch)}" width="${r2((end - ix) * cw)}" height="${r2(ch)}" fill="${c}"/>`);
      ix = end;
    }
  }
  return out;
}

export interface SvgInfo {
  title: string;
  subtitle: string;
}

export function phaseSvg(m: PhaseMap, info: SvgInfo): string {
  if (!m.cls || !m.margin || !m.converged) throw new Error('internal: phaseSvg needs the per-cell data');
  const cls = m.cls;
  const margin = m.margin;
  const conv = m.converged;
  const { x, y } = m.spec;
  const W = SVG_WIDTH;
  const div = CLASSES.indexOf('divergence');
  const hatched = new Set(HATCHED.map((c) => CLASSES.indexOf(c)));
  const etaS = (k: number) => margin[k]! + 2;

  const kept: number[] = [];
  for (let k = 0; k < cls.length; k++) if (cls[k] !== NO_CELL && cls[k] !== div && Number.isFinite(margin[k]!)) kept.push(etaS(k));
  const scale = etaSScale(kept);

  const titleLines = wrap(info.title, Math.floor((W - 20) / (16 * 0.62)));
  const subLines = wrap(info.subtitle, Math.floor((W - 20) / textWidth('x', 12)));
  const top = 22 + 20 * (titleLines.length - 1) + 16 * subLines.length + 30;
  const y1 = top + PANEL;

  // Legend of the classes, below the left panel, two columns; the hatch and "not in this shard" on rows of their own.
  const entries: { fill: string; under?: string; text: string; wide?: boolean }[] = CLASSES.map((c) => ({ fill: CLASS_COLOUR[c], text: `${c} (${m.counts[c]})` }));
  const open = HATCHED.reduce((n, c) => n + m.unconverged[c], 0);
  if (open > 0) entries.push({ fill: 'url(#nc)', under: CLASS_COLOUR.eos, text: `hatched: not converged by step ${m.spec.steps} (${open})`, wide: true });
  if (m.rows < cls.length) entries.push({ fill: NO_CELL_FILL, text: 'not in this shard', wide: true });
  const legendTop = y1 + 54;
  const placed: { x: number; y: number; fill: string; under?: string; text: string }[] = [];
  let row = 0;
  let col = 0;
  for (const e of entries) {
    if (e.wide && col > 0) {
      row++;
      col = 0;
    }
    placed.push({ x: XA + col * (PANEL / 2), y: legendTop + row * 20, ...e });
    if (e.wide || col === 1) {
      row++;
      col = 0;
    } else col = 1;
  }
  const rows = row + (col > 0 ? 1 : 0);
  const H = Math.ceil(Math.max(legendTop + rows * 20, legendTop + 3 * 16) + 12);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<style>.lab{font-size:13px}.title{font-size:16px;font-weight:bold}.sub{font-size:12px;fill:#444}.small{font-size:11px}</style>`);
  out.push(`<defs>`);
  out.push(`<pattern id="nc" patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)"><rect width="2" height="5" fill="#fff" fill-opacity="0.6"/></pattern>`);
  out.push(`<linearGradient id="etas-below" x1="0" y1="1" x2="0" y2="0">`);
  for (const [p, c] of BELOW) out.push(`<stop offset="${r2(p / P_EDGE)}" stop-color="${hex(c)}"/>`);
  out.push(`</linearGradient>`);
  out.push(`<linearGradient id="etas-above" x1="0" y1="1" x2="0" y2="0">`);
  for (const [p, c] of ABOVE) out.push(`<stop offset="${r2((p - P_EDGE) / (1 - P_EDGE))}" stop-color="${hex(c)}"/>`);
  out.push(`</linearGradient>`);
  out.push(`</defs>`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  titleLines.forEach((l, i) => out.push(`<text x="${W / 2}" y="${22 + 20 * i}" text-anchor="middle" class="title">${esc(l)}</text>`));
  subLines.forEach((l, i) => out.push(`<text x="${W / 2}" y="${22 + 20 * (titleLines.length - 1) + 18 + 16 * i}" text-anchor="middle" class="sub">${esc(l)}</text>`));

  // Left: classes.
  out.push(`<text x="${XA + PANEL / 2}" y="${top - 8}" text-anchor="middle" class="lab">outcome class</text>`);
  out.push(`<rect x="${XA}" y="${top}" width="${PANEL}" height="${PANEL}" fill="${NO_CELL_FILL}"/>`);
  out.push(`<g shape-rendering="crispEdges">`, ...cells(m, XA, top, (k) => (cls[k] === NO_CELL ? undefined : CLASS_COLOUR[CLASSES[cls[k]!]!])), `</g>`);
  if (open > 0) out.push(`<g shape-rendering="crispEdges">`, ...cells(m, XA, top, (k) => (hatched.has(cls[k]!) && !conv[k] ? 'url(#nc)' : undefined)), `</g>`);
  out.push(...axes(x, y, XA, top, true));
  for (const e of placed) {
    if (e.under) out.push(`<rect x="${e.x}" y="${e.y}" width="14" height="14" fill="${e.under}"/>`);
    out.push(`<rect x="${e.x}" y="${e.y}" width="14" height="14" fill="${e.fill}" stroke="#333" stroke-width="0.5"/>`);
    out.push(`<text x="${e.x + 20}" y="${e.y + 11}">${esc(e.text)}</text>`);
  }

  // Right: max eta*S.
  out.push(`<text x="${XB + PANEL / 2}" y="${top - 8}" text-anchor="middle" class="lab">max over t of eta*S (edge: 2)</text>`);
  out.push(`<rect x="${XB}" y="${top}" width="${PANEL}" height="${PANEL}" fill="${NO_CELL_FILL}"/>`);
  out.push(
    `<g shape-rendering="crispEdges">`,
    ...cells(m, XB, top, (k) => (cls[k] === NO_CELL ? undefined : cls[k] === div ? DIVERGED_GREY : etaSColour(etaS(k), scale))),
    `</g>`,
  );
  out.push(...axes(x, y, XB, top, false));
  // The colour bar: as tall as the panel, the band 2..2.5 over half of it.
  const bx = XB + PANEL + 12;
  const bw = 14;
  const at = (p: number) => r2(y1 - p * PANEL);
  out.push(`<rect x="${bx}" y="${at(P_EDGE)}" width="${bw}" height="${r2(P_EDGE * PANEL)}" fill="url(#etas-below)"/>`);
  out.push(`<rect x="${bx}" y="${at(1)}" width="${bw}" height="${r2((1 - P_EDGE) * PANEL)}" fill="url(#etas-above)"/>`);
  out.push(`<rect x="${bx}" y="${top}" width="${bw}" height="${PANEL}" fill="none" stroke="#333" stroke-width="0.5"/>`);
  out.push(`<line x1="${bx - 3}" y1="${at(P_EDGE)}" x2="${bx + bw}" y2="${at(P_EDGE)}" stroke="#000" stroke-width="1.5"/>`);
  for (const v of etaSTicks(scale)) {
    const py = at(etaSPosition(v, scale));
    out.push(`<line x1="${bx + bw}" y1="${py}" x2="${bx + bw + 4}" y2="${py}" stroke="#333"/>`);
    out.push(`<text x="${bx + bw + 6}" y="${r2(py + 4)}" class="small">${esc(g(v))}</text>`);
  }
  const notes = [`scale: linear up to 2 and over 2 .. 2.5 (half the bar),`, `log from 2.5 up to the largest non-diverged cell`];
  notes.forEach((t, i) => out.push(`<text x="${XB}" y="${legendTop + 11 + 16 * i}" class="small">${esc(t)}</text>`));
  const gy = legendTop + 11 + 16 * notes.length - 11;
  out.push(`<rect x="${XB}" y="${gy}" width="14" height="14" fill="${DIVERGED_GREY}" stroke="#333" stroke-width="0.5"/>`);
  out.push(`<text x="${XB + 20}" y="${gy + 11}" class="small">diverged (${m.counts.divergence})</text>`);
  out.push(`</svg>`);
  return out.join('\n') + '\n';
}

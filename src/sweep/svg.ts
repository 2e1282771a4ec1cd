import { CLASSES, type CellClass } from './classify.js';
import { axisValue, type Axis } from './grid.js';
import { NO_CELL, type PhaseMap } from './summary.js';

/**
 * The phase diagram as one self-contained SVG (no scripts, fonts or external references): left, the
 * class of every cell (categorical colours, legend); right, max_t eta S_t - 2 on a diverging scale
 * centred at 0 (blue: never reached the edge, red: went past it), clipped at the largest |value| among
 * the cells that did not diverge, so a divergent cell's astronomically large sharpness does not wash
 * out the scale; divergent cells are grey there. Cells are rectangles, merged along x where the colour
 * repeats, so the file size grows with the boundaries rather than the grid.
 */
export { MAX_SVG_CELLS } from './limits.js';
import { MAX_SVG_CELLS } from './limits.js';

export const CLASS_COLOUR: Record<CellClass, string> = {
  stable: '#1b9e77',
  eos: '#7570b3',
  catapult: '#d95f02',
  'not-converged': '#e6ab02',
  divergence: '#4d4d4d',
};
const DIVERGED_GREY = '#8c8c8c';
const NO_CELL_FILL = '#f2f2f2';

/** ColorBrewer RdBu (5 classes), reversed so that negative is blue. */
const RDBU: [number, number, number][] = [
  [0x21, 0x66, 0xac],
  [0x92, 0xc5, 0xde],
  [0xf7, 0xf7, 0xf7],
  [0xf4, 0xa5, 0x82],
  [0xb2, 0x18, 0x2b],
];

/** t in [-1, 1] to a colour of the diverging scale. */
export function diverging(t: number): string {
  const u = (Math.max(-1, Math.min(1, t)) + 1) / 2 * (RDBU.length - 1);
  const i = Math.min(RDBU.length - 2, Math.floor(u));
  const f = u - i;
  const c = RDBU[i]!.map((a, j) => Math.round(a + (RDBU[i + 1]![j]! - a) * f));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const g = (v: number) => Number(v.toPrecision(3)).toString();
const r2 = (v: number) => Math.round(v * 100) / 100;

const PANEL = 380;
const TOP = 70;

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

function axes(x: Axis, y: Axis, x0: number): string[] {
  const out: string[] = [];
  const y1 = TOP + PANEL;
  out.push(`<rect x="${x0}" y="${TOP}" width="${PANEL}" height="${PANEL}" fill="none" stroke="#333" stroke-width="1"/>`);
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
  out.push(`<text x="${x0 + PANEL / 2}" y="${y1 + 40}" text-anchor="middle" class="lab">${esc(label(x))}</text>`);
  out.push(`<text transform="translate(${x0 - 58} ${TOP + PANEL / 2}) rotate(-90)" text-anchor="middle" class="lab">${esc(label(y))}</text>`);
  return out;
}

/** Cells as rectangles, consecutive cells of one colour along x merged into one. */
function cells(m: PhaseMap, x0: number, colour: (k: number) => string | undefined): string[] {
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
        out.push(`<rect x="${r2(x0 + ix * cw)}" y="${r2(TOP + (y.count - 1 - iy) * ch)}" width="${r2((end - ix) * cw)}" height="${r2(ch)}" fill="${c}"/>`);
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
  if (!m.cls || !m.margin) throw new Error('internal: phaseSvg needs the per-cell data');
  const cls = m.cls;
  const margin = m.margin;
  const { x, y } = m.spec;
  const W = 1200;
  const H = 540;
  const xa = 85;
  const xb = 700;
  const div = CLASSES.indexOf('divergence');

  let M = 0;
  for (let k = 0; k < cls.length; k++) if (cls[k] !== NO_CELL && cls[k] !== div && Number.isFinite(margin[k]!)) M = Math.max(M, Math.abs(margin[k]!));
  if (M === 0) M = 1;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<style>.lab{font-size:13px}.title{font-size:16px;font-weight:bold}.sub{font-size:12px;fill:#444}</style>`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2}" y="24" text-anchor="middle" class="title">${esc(info.title)}</text>`);
  out.push(`<text x="${W / 2}" y="44" text-anchor="middle" class="sub">${esc(info.subtitle)}</text>`);

  // Left: classes.
  out.push(`<text x="${xa + PANEL / 2}" y="${TOP - 8}" text-anchor="middle" class="lab">outcome class</text>`);
  out.push(`<rect x="${xa}" y="${TOP}" width="${PANEL}" height="${PANEL}" fill="${NO_CELL_FILL}"/>`);
  out.push(`<g shape-rendering="crispEdges">`, ...cells(m, xa, (k) => (cls[k] === NO_CELL ? undefined : CLASS_COLOUR[CLASSES[cls[k]!]!])), `</g>`);
  out.push(...axes(x, y, xa));
  const lx = xa + PANEL + 15;
  CLASSES.forEach((c, i) => {
    const ly = TOP + 10 + i * 22;
    out.push(`<rect x="${lx}" y="${ly}" width="14" height="14" fill="${CLASS_COLOUR[c]}" stroke="#333" stroke-width="0.5"/>`);
    out.push(`<text x="${lx + 20}" y="${ly + 11}">${c} (${m.counts[c]})</text>`);
  });
  if (m.rows < cls.length) {
    const ly = TOP + 10 + CLASSES.length * 22;
    out.push(`<rect x="${lx}" y="${ly}" width="14" height="14" fill="${NO_CELL_FILL}" stroke="#333" stroke-width="0.5"/>`);
    out.push(`<text x="${lx + 20}" y="${ly + 11}">not in this shard</text>`);
  }

  // Right: max eta*S - 2.
  out.push(`<text x="${xb + PANEL / 2}" y="${TOP - 8}" text-anchor="middle" class="lab">max over t of eta*S - 2</text>`);
  out.push(`<rect x="${xb}" y="${TOP}" width="${PANEL}" height="${PANEL}" fill="${NO_CELL_FILL}"/>`);
  out.push(
    `<g shape-rendering="crispEdges">`,
    ...cells(m, xb, (k) => (cls[k] === NO_CELL ? undefined : cls[k] === div || !Number.isFinite(margin[k]!) ? DIVERGED_GREY : diverging(margin[k]! / M))),
    `</g>`,
  );
  out.push(...axes(x, y, xb));
  const bx = xb + PANEL + 16;
  const bh = 280;
  out.push(`<defs><linearGradient id="div" x1="0" y1="1" x2="0" y2="0">`);
  for (let i = 0; i <= 10; i++) out.push(`<stop offset="${i / 10}" stop-color="${diverging(-1 + (2 * i) / 10)}"/>`);
  out.push(`</linearGradient></defs>`);
  out.push(`<rect x="${bx}" y="${TOP}" width="18" height="${bh}" fill="url(#div)" stroke="#333" stroke-width="0.5"/>`);
  for (const [f, v] of [[0, M], [0.5, 0], [1, -M]] as const) {
    const py = TOP + f * bh;
    out.push(`<line x1="${bx + 18}" y1="${py}" x2="${bx + 23}" y2="${py}" stroke="#333"/>`);
    out.push(`<text x="${bx + 26}" y="${py + 4}">${v === 0 ? '0' : (v > 0 ? '+' : '') + g(v)}</text>`);
  }
  out.push(`<text x="${bx}" y="${TOP + bh + 20}" font-size="11">clipped at</text>`);
  out.push(`<text x="${bx}" y="${TOP + bh + 34}" font-size="11">+/-${esc(g(M))}</text>`);
  out.push(`<rect x="${bx}" y="${TOP + bh + 46}" width="14" height="14" fill="${DIVERGED_GREY}" stroke="#333" stroke-width="0.5"/>`);
  out.push(`<text x="${bx + 18}" y="${TOP + bh + 57}" font-size="11">diverged</text>`);
  out.push(`</svg>`);
  return out.join('\n') + '\n';
}

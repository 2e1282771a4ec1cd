import { describe, it, expect } from 'vitest';
import type { Row } from '../../src/sweep/cell.js';
import { CLASSES, type CellClass } from '../../src/sweep/classify.js';
import type { SweepSpec } from '../../src/sweep/grid.js';
import { PhaseMap } from '../../src/sweep/summary.js';
import { DIVERGED_GREY, etaSColour, etaSScale, etaSTicks, phaseSvg, SVG_WIDTH, textWidth, wrap } from '../../src/sweep/svg.js';

/** CIE L*a*b* (D65) of an sRGB colour #rrggbb. */
function lab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((u) => (u <= 0.04045 ? u / 12.92 : ((u + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  const X = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const Y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const Z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}
/** CIE76 colour difference: about 2.3 is just noticeable, above 20 the colours are plainly different. */
const deltaE = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]!));
const rgbDistance = (a: string, b: string) => Math.hypot(...[1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16) - parseInt(b.slice(i, i + 2), 16)));

function spec(nx: number, ny: number, extra: Partial<SweepSpec> = {}): SweepSpec {
  return {
    model: { name: 'minimalist', hash: 'h', params: ['alpha', 'beta1', 'beta2'], hypers: ['eta', 'lambda1', 'lambda2'] },
    x: { name: 'eta', min: 1, max: 2.4, count: nx, scale: 'linear' },
    y: { name: 'lambda2', min: 1e-4, max: 1e-1, count: ny, scale: 'log' },
    hyper: { lambda1: 1 },
    init: [1, 0.01, 0],
    steps: 6000,
    arith: 'extended',
    tol: 1e-8,
    catapult: 10,
    ...extra,
  };
}

function row(s: SweepSpec, k: number, cls: CellClass, etaS: number, converged = cls === 'stable'): Row {
  return {
    cell: k,
    ix: k % s.x.count,
    iy: Math.floor(k / s.x.count),
    x: 0,
    y: 0,
    class: cls,
    converged,
    maxEtaSMinus2: etaS - 2,
    argmaxEtaS: 0,
    finalEtaS: 1.9,
    finalLoss: 1e-12,
    log10FinalLoss: -12,
    log10MaxLossRatio: 0,
    lossIncreases: 0,
    steps: s.steps,
    divergedAt: cls === 'divergence' ? 5 : null,
    underflow: false,
  };
}

const INFO = {
  title: 'Phase diagram: eta x lambda2, 6000 GD steps per cell',
  subtitle:
    'lambda1 = 1; start (alpha, beta1, beta2) = (1, 0.01, *); extended-exponent arithmetic; converged: L_T <= 1e-8 L_0; catapult: max L_t > 10 L_0; grid 0123456789abcdef',
};

/** A 40 x 40 map like the README's sweep, every class present, a huge (not divergent) sharpness in one cell. */
function bigMap(): PhaseMap {
  const s = spec(40, 40);
  const m = new PhaseMap(s, true);
  for (let k = 0; k < 1600; k++) {
    const ix = k % 40;
    const iy = Math.floor(k / 40);
    const etaS = 1.2 + (3.4 * ix) / 39;
    const cls: CellClass = k === 1599 ? 'divergence' : etaS < 2 ? (iy < 10 ? 'not-converged' : 'stable') : iy < 12 && ix > 30 ? 'catapult' : 'eos';
    m.add(row(s, k, cls, k === 1598 ? 250 : k === 1599 ? Infinity : etaS, cls === 'stable' || (cls !== 'not-converged' && cls !== 'divergence' && iy >= 8)));
  }
  return m;
}

interface Text {
  x: number;
  anchor: string;
  size: number;
  content: string;
  rotated: boolean;
  cls: string | undefined;
}

function texts(svg: string): Text[] {
  const out: Text[] = [];
  for (const m of svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)) {
    const attrs = m[1]!;
    const cls = /class="(\w+)"/.exec(attrs)?.[1];
    const size = Number(/font-size="([\d.]+)"/.exec(attrs)?.[1] ?? (cls === 'title' ? 16 : cls === 'lab' ? 13 : cls === 'small' ? 11 : 12));
    const content = m[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const tr = /transform="translate\(([\d.]+) [\d.]+\) rotate/.exec(attrs);
    out.push({ x: tr ? Number(tr[1]) : Number(/(?:^|\s)x="([\d.]+)"/.exec(attrs)![1]), anchor: /text-anchor="(\w+)"/.exec(attrs)?.[1] ?? 'start', size, content, rotated: !!tr, cls });
  }
  return out;
}

/** [left, right] extent of a text, with a generous width per character (textWidth). */
function extent(t: Text): [number, number] {
  if (t.rotated) return [t.x - t.size, t.x + t.size];
  const w = textWidth(t.content, t.size);
  return t.anchor === 'middle' ? [t.x - w / 2, t.x + w / 2] : t.anchor === 'end' ? [t.x - w, t.x] : [t.x, t.x + w];
}

/** The fills of the cell rectangles of the eta*S panel, in the order written (row by row from iy = 0). */
function etaSFills(svg: string): string[] {
  const panel = svg.slice(svg.indexOf('max over t of eta*S'));
  const group = panel.slice(panel.indexOf('<g shape-rendering="crispEdges">'), panel.indexOf('</g>'));
  return [...group.matchAll(/fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]!);
}

describe('sweep figure', () => {
  it(`fits ${SVG_WIDTH} px: the width attribute, the view box, every rectangle and (estimated generously) every text`, () => {
    const svg = phaseSvg(bigMap(), INFO);
    const [, w, h, vw, vh] = /^<svg [^>]*width="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number);
    expect(w).toBeLessThanOrEqual(900);
    expect([vw, vh]).toEqual([w, h]);
    for (const m of svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)) {
      const [x, y, rw, rh] = m.slice(1).map(Number) as [number, number, number, number];
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x + rw).toBeLessThanOrEqual(w! + 1e-9);
      expect(y + rh).toBeLessThanOrEqual(h! + 1e-9);
    }
    const ts = texts(svg);
    expect(ts.length).toBeGreaterThan(30);
    for (const t of ts) {
      const [l, r] = extent(t);
      expect(l, t.content).toBeGreaterThanOrEqual(0);
      expect(r, t.content).toBeLessThanOrEqual(w!);
    }
    // Nothing of the class legend (below the left panel) runs into the notes of the right one.
    const legend = ts.filter((t) => /\(\d+\)$/.test(t.content) && !t.content.startsWith('diverged'));
    expect(legend.map((t) => t.content)).toEqual(expect.arrayContaining(['stable (300)', 'eos (1091)', 'catapult (108)', 'not-converged (100)', 'divergence (1)', 'hatched: not converged by step 6000 (240)']));
    const notes = ts.filter((t) => t.content.startsWith('scale:') || t.content.startsWith('log from'));
    expect(notes).toHaveLength(2);
    for (const t of legend) expect(extent(t)[1]).toBeLessThan(Math.min(...notes.map((n) => n.x)));
    // The long subtitle was wrapped, not cut.
    const sub = ts.filter((t) => t.cls === 'sub').map((t) => t.content);
    expect(sub.length).toBeGreaterThanOrEqual(2);
    expect(sub.join(' ')).toBe(INFO.subtitle);
    expect(svg).not.toMatch(/href|<script/);
  });

  it('wraps after "; " where it can, at spaces otherwise, and loses nothing', () => {
    expect(wrap('aaa; bbb; ccc', 8)).toEqual(['aaa;', 'bbb; ccc']);
    expect(wrap('short', 80)).toEqual(['short']);
    const long = 'one two three four five six seven eight nine ten';
    const lines = wrap(long, 12);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(12);
    expect(lines.join(' ')).toBe(long);
  });

  it('max eta*S = 1.9, 2.1 and 2.4 get plainly different colours, whatever the largest value of the sweep', () => {
    for (const scale of [etaSScale([1.2, 4.6]), etaSScale([0.4, 2.45]), etaSScale([1.9, 1e4])]) {
      const [c19, c21, c24] = [1.9, 2.1, 2.4].map((v) => etaSColour(v, scale)) as [string, string, string];
      for (const [a, b] of [[c19, c21], [c21, c24], [c19, c24]] as const) {
        expect(deltaE(a, b), `${a} vs ${b}`).toBeGreaterThan(25);
        expect(rgbDistance(a, b), `${a} vs ${b}`).toBeGreaterThan(80);
      }
      // Every tenth of the band 2..2.5 is a visible step, and the edge itself is a jump.
      for (let i = 0; i < 5; i++) expect(deltaE(etaSColour(2 + i / 10, scale), etaSColour(2 + (i + 1) / 10, scale))).toBeGreaterThan(15);
      expect(deltaE(etaSColour(1.999, scale), etaSColour(2, scale))).toBeGreaterThan(30);
      // The band has the same colours in every figure.
      expect(etaSColour(2.1, scale)).toBe(etaSColour(2.1, etaSScale([])));
      expect(etaSColour(2.37, scale)).toBe(etaSColour(2.37, etaSScale([])));
    }
    expect(etaSColour(Infinity, etaSScale([]))).toBe(DIVERGED_GREY);
    expect(etaSColour(NaN, etaSScale([]))).toBe(DIVERGED_GREY);
  });

  it('in the figure, cells at eta*S = 1.9, 2.1 and 2.4 differ even beside a cell at eta*S = 250; the colour bar is labelled 2, 2.1 .. 2.5', () => {
    const s = spec(4, 1);
    const m = new PhaseMap(s, true);
    const values: [CellClass, number][] = [['stable', 1.9], ['eos', 2.1], ['eos', 2.4], ['catapult', 250]];
    values.forEach(([c, v], k) => m.add(row(s, k, c, v, true)));
    const svg = phaseSvg(m, INFO);
    const fills = etaSFills(svg);
    expect(fills).toHaveLength(4);
    expect(deltaE(fills[0]!, fills[1]!)).toBeGreaterThan(25);
    expect(deltaE(fills[1]!, fills[2]!)).toBeGreaterThan(25);
    expect(deltaE(fills[0]!, fills[2]!)).toBeGreaterThan(25);
    const labels = texts(svg).filter((t) => t.size === 11).map((t) => t.content);
    expect(labels).toEqual(expect.arrayContaining(['2', '2.1', '2.2', '2.3', '2.4', '2.5', '250']));
    expect(etaSTicks(etaSScale([1.9, 250]))).toEqual([1.5, 2, 2.1, 2.2, 2.3, 2.4, 2.5, 10, 50, 250]);
  });

  it('hatches the eos and catapult cells that did not converge, and only those', () => {
    const s = spec(5, 1);
    const m = new PhaseMap(s, true);
    const cells: [CellClass, boolean][] = [['eos', false], ['eos', true], ['catapult', false], ['not-converged', false], ['divergence', false]];
    cells.forEach(([c, conv], k) => m.add(row(s, k, c, c === 'divergence' ? Infinity : 2.2, conv)));
    expect(m.unconverged).toMatchObject({ eos: 1, catapult: 1, 'not-converged': 1, divergence: 1, stable: 0 });
    const svg = phaseSvg(m, INFO);
    const hatch = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill="url\(#nc\)"[^>]*\/>/g)];
    // Cell 0 (66 px wide, from x = 80) and cell 2, each one rectangle; plus the legend's swatch (14 px).
    expect(hatch.map((h) => [Number(h[1]), Number(h[2])])).toEqual([[80, 66], [212, 66], [80, 14]]);
    expect(svg).toContain('hatched: not converged by step 6000 (2)');
    // A shard's map: the cells of other shards stay blank, and the legend says so.
    const part = new PhaseMap(s, true);
    part.add(row(s, 1, 'eos', 2.2, true));
    expect(phaseSvg(part, INFO)).toContain('not in this shard');
    expect(phaseSvg(part, INFO)).not.toContain('hatched');
  });

  it('every class has a legend entry with its count', () => {
    const svg = phaseSvg(bigMap(), INFO);
    for (const c of CLASSES) expect(svg).toMatch(new RegExp(`>${c} \\(\\d+\\)</text>`));
  });
});

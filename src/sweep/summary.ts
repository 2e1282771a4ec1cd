import { CLASSES, type CellClass } from './classify.js';
import type { Row } from './cell.js';
import { axisValue, cellCount, type SweepSpec } from './grid.js';

/** One character per class in the text map; a blank is a cell of another shard. */
export const CLASS_CHAR: Record<CellClass, string> = { stable: '.', eos: 'e', catapult: 'c', 'not-converged': '?', divergence: 'x' };
export const NO_CELL = 255;
/** The character map is printed only for grids at most this wide (so a line fits a terminal). */
export const CHAR_MAP_MAX = 60;

/**
 * What the summary and the figure need from the rows: counts always (per class, and per class how many
 * did not converge), and per cell (class code, converged, max eta*S - 2) only when `keepCells` (10 bytes
 * a cell, so the caller bounds the grid size).
 */
export class PhaseMap {
  readonly counts: Record<CellClass, number> = { stable: 0, eos: 0, catapult: 0, 'not-converged': 0, divergence: 0 };
  /** Cells of each class with converged = false. */
  readonly unconverged: Record<CellClass, number> = { stable: 0, eos: 0, catapult: 0, 'not-converged': 0, divergence: 0 };
  readonly cls: Uint8Array | undefined;
  /** 1 where the cell converged. */
  readonly converged: Uint8Array | undefined;
  readonly margin: Float64Array | undefined;
  rows = 0;

  constructor(
    readonly spec: SweepSpec,
    keepCells: boolean,
  ) {
    if (keepCells) {
      this.cls = new Uint8Array(cellCount(spec)).fill(NO_CELL);
      this.converged = new Uint8Array(cellCount(spec));
      this.margin = new Float64Array(cellCount(spec)).fill(NaN);
    }
  }

  add(row: Row): void {
    this.rows++;
    this.counts[row.class]++;
    if (!row.converged) this.unconverged[row.class]++;
    if (this.cls) {
      this.cls[row.cell] = CLASSES.indexOf(row.class);
      this.converged![row.cell] = row.converged ? 1 : 0;
      this.margin![row.cell] = row.maxEtaSMinus2;
    }
  }
}

const g = (v: number) => Number(v.toPrecision(3)).toString();

/** The classes that say nothing about convergence: their count line adds how many did not converge. */
const CONVERGENCE_OPEN: readonly CellClass[] = ['catapult', 'eos'];

export function classCounts(m: PhaseMap): string {
  const w = Math.max(...CLASSES.map((c) => c.length));
  return CLASSES.map((c) => {
    const line = `  ${CLASS_CHAR[c]} ${c.padEnd(w)} ${String(m.counts[c]).padStart(8)}  ${m.rows ? ((100 * m.counts[c]) / m.rows).toFixed(1).padStart(5) : '    -'}%`;
    return CONVERGENCE_OPEN.includes(c) && m.unconverged[c] > 0 ? `${line}  (${m.unconverged[c]} not converged by the last step)` : line;
  }).join('\n');
}

/** The classes as characters, y growing upwards like the figure; undefined when the grid is too wide. */
export function charMap(m: PhaseMap): string | undefined {
  const { x, y } = m.spec;
  if (!m.cls || x.count > CHAR_MAP_MAX || y.count > CHAR_MAP_MAX) return undefined;
  const top = g(axisValue(y, y.count - 1));
  const bottom = g(axisValue(y, 0));
  const lw = Math.max(top.length, bottom.length);
  const lines: string[] = [];
  for (let iy = y.count - 1; iy >= 0; iy--) {
    let s = '';
    for (let ix = 0; ix < x.count; ix++) {
      const c = m.cls[iy * x.count + ix]!;
      s += c === NO_CELL ? ' ' : CLASS_CHAR[CLASSES[c]!];
    }
    const label = iy === y.count - 1 ? top : iy === 0 ? bottom : '';
    lines.push(`  ${label.padStart(lw)} |${s}|`);
  }
  const left = g(axisValue(x, 0));
  const right = g(axisValue(x, x.count - 1));
  lines.push(`  ${' '.repeat(lw)}  ${left}${right.padStart(Math.max(1, x.count - left.length))}`);
  lines.push(`  ${' '.repeat(lw)}  x: ${x.name}${x.scale === 'log' ? ' (log)' : ''}, y: ${y.name}${y.scale === 'log' ? ' (log)' : ''}`);
  lines.push(`  ${CLASSES.map((c) => `${CLASS_CHAR[c]} ${c}`).join('  ')}${m.rows < cellCount(m.spec) ? '  (blank: not in this shard)' : ''}`);
  return lines.join('\n');
}

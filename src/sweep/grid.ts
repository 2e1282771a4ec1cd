import { createHash } from 'node:crypto';
import type { Arithmetic } from '../dynamics/gd.js';

/**
 * The grid of a sweep: two axes over hyperparameters or start values, every other value fixed.
 * Cell k has ix = k mod nx, iy = floor(k / nx), so the index runs along x first (row-major with
 * y as the row), which is also the order of the rows in an output file.
 */
export type Scale = 'linear' | 'log';

export interface Axis {
  name: string;
  min: number;
  max: number;
  count: number;
  scale: Scale;
}

export interface SweepSpec {
  model: { name: string; hash: string; params: string[]; hypers: string[] };
  x: Axis;
  y: Axis;
  /** The hyperparameters not on an axis. */
  hyper: Record<string, number>;
  /** The start; the entries of a swept parameter are null (taken from the axis). */
  init: (number | null)[];
  steps: number;
  arith: Arithmetic;
  /** Convergence: L_T <= tol * L_0 (see classify.ts). */
  tol: number;
  /** Catapult: max_t L_t > catapult * L_0 (see classify.ts). */
  catapult: number;
}

export interface Shard {
  k: number;
  n: number;
}

/** Resource bounds: one shard is at most this many cells, one cell at most this many steps. */
export const MAX_CELLS_PER_SHARD = 1_000_000;
export const MAX_STEPS = 10_000_000;
/** One axis longer than this is surely a typo, and it keeps nx * ny exact in doubles. */
export const MAX_AXIS_COUNT = 1_000_000;

export class GridError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GridError';
  }
}

const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function num(text: string, what: string): number {
  if (!NUM.test(text.trim())) throw new GridError(`${what} expects a number, got "${text}"`);
  const v = Number(text);
  if (!Number.isFinite(v)) throw new GridError(`${what} must be finite, got "${text}"`);
  return v;
}

/** `name=min:max:count[:log|:linear]`, e.g. `eta=0.5:2:40` or `NAME=1e-4:1e-1:40:log`. */
export function parseAxis(flag: string, text: string, names: readonly string[]): Axis {
  const m = /^([A-Za-z]\w*)=(.*)$/.exec(text);
  if (!m) throw new GridError(`--${flag} expects name=min:max:count[:log], got "${text}"`);
  const name = m[1]!;
  if (!names.includes(name)) throw new GridError(`--${flag}: unknown axis "${name}" (one of ${names.join(', ')})`);
  const parts = m[2]!.split(':');
  if (parts.length < 3 || parts.length > 4) throw new GridError(`--${flag} ${name}: expects min:max:count[:log], got "${m[2]}"`);
  const min = num(parts[0]!, `--${flag} ${name} min`);
  const max = num(parts[1]!, `--${flag} ${name} max`);
  if (!/^\d+$/.test(parts[2]!.trim())) throw new GridError(`--${flag} ${name}: count expects a whole number >= 1, got "${parts[2]}"`);
  const count = Number(parts[2]);
  const s = parts[3] ?? 'linear';
  if (s !== 'log' && s !== 'linear' && s !== 'lin') throw new GridError(`--${flag} ${name}: scale must be log or linear, got "${s}"`);
  const axis: Axis = { name, min, max, count, scale: s === 'log' ? 'log' : 'linear' };
  checkAxis(flag, axis);
  return axis;
}

export function checkAxis(flag: string, a: Axis): void {
  const where = `--${flag} ${a.name}`;
  if (!(a.count >= 1) || !Number.isInteger(a.count)) throw new GridError(`${where}: count must be a whole number >= 1, got ${a.count}`);
  if (a.count > MAX_AXIS_COUNT) throw new GridError(`${where}: count ${a.count} is above ${MAX_AXIS_COUNT}`);
  if (!(a.min <= a.max)) throw new GridError(`${where}: min ${a.min} is above max ${a.max}`);
  if (a.scale === 'log' && !(a.min > 0)) throw new GridError(`${where}: a log range needs min > 0, got ${a.min}`);
  if (a.count > 1 && a.min === a.max) throw new GridError(`${where}: ${a.count} points on the empty range ${a.min}:${a.max}`);
  if (a.name === 'eta' && !(a.min > 0)) throw new GridError(`${where}: eta must be > 0, got min ${a.min}`);
}

/** The i-th value of an axis; both ends are hit exactly. */
export function axisValue(a: Axis, i: number): number {
  if (a.count === 1 || i === 0) return a.min;
  if (i === a.count - 1) return a.max;
  const f = i / (a.count - 1);
  if (a.scale === 'log') return a.min * Math.pow(a.max / a.min, f);
  return a.min + (a.max - a.min) * f;
}

export function cellCount(spec: Pick<SweepSpec, 'x' | 'y'>): number {
  return spec.x.count * spec.y.count;
}

export interface Cell {
  index: number;
  ix: number;
  iy: number;
  x: number;
  y: number;
  hyper: Record<string, number>;
  init: number[];
}

/** Everything one GD run of cell k needs. */
export function cellAt(spec: SweepSpec, k: number): Cell {
  const ix = k % spec.x.count;
  const iy = Math.floor(k / spec.x.count);
  const x = axisValue(spec.x, ix);
  const y = axisValue(spec.y, iy);
  const hyper = { ...spec.hyper };
  const init = spec.init.slice() as number[];
  for (const [a, v] of [[spec.x, x], [spec.y, y]] as const) {
    const p = spec.model.params.indexOf(a.name);
    if (p >= 0) init[p] = v;
    else hyper[a.name] = v;
  }
  return { index: k, ix, iy, x, y, hyper, init };
}

/** `k/n` with 1 <= k <= n. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new GridError(`--shard expects k/n (e.g. 2/8), got "${text}"`);
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (!(n >= 1) || !(k >= 1) || k > n || !Number.isSafeInteger(n)) throw new GridError(`--shard k/n needs 1 <= k <= n, got "${text}"`);
  return { k, n };
}

/**
 * Shard k of n holds the cells with index = k - 1 (mod n). Striding (rather than contiguous blocks)
 * spreads the cheap cells (early divergence) and the costly ones evenly over the shards, and it makes
 * the merge a round-robin: cell i comes from shard (i mod n) + 1.
 */
export function shardSize(total: number, s: Shard): number {
  const first = s.k - 1;
  return first >= total ? 0 : Math.floor((total - 1 - first) / s.n) + 1;
}

/** The p-th cell (0-based) of a shard. */
export function shardCell(s: Shard, p: number): number {
  return s.k - 1 + p * s.n;
}

/** The identity of a grid: two shards can be merged only if their hashes agree. */
export function specHash(spec: SweepSpec): string {
  const canon = JSON.stringify({
    v: 1,
    model: spec.model.hash,
    x: [spec.x.name, spec.x.min, spec.x.max, spec.x.count, spec.x.scale],
    y: [spec.y.name, spec.y.min, spec.y.max, spec.y.count, spec.y.scale],
    hyper: Object.keys(spec.hyper).sort().map((k) => [k, spec.hyper[k]]),
    init: spec.init,
    steps: spec.steps,
    arith: spec.arith,
    tol: spec.tol,
    catapult: spec.catapult,
  });
  return createHash('sha256').update(canon).digest('hex').slice(0, 16);
}

export function axisLabel(a: Axis): string {
  return `${a.name} = ${a.min}:${a.max}:${a.count}${a.scale === 'log' ? ':log' : ''}`;
}

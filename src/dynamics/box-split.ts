/**
 * Subdivision of a box of starts (and hyperparameters) whose orbit enclosure (box-orbit.ts) grows too
 * wide, or that its visitor could not decide, under a count budget of enclosed boxes. Everything is
 * deterministic: the split coordinate is the one whose width spreads the enclosure most (from the
 * Lohner form's linear part; else the one widest relative to the root box; ties: the model's order,
 * parameters before hyperparameters), the split is at the exact rational midpoint, and boxes are
 * enclosed breadth-first (lower half first), so the same inputs give the same tree anywhere.
 */
import type { DerivedModel } from '../symbolic/derive.js';
import { Rational } from '../numeric/rational.js';
import { encloseBoxOrbit, type BoxOrbit, type BoxOrbitOptions, type StartBox } from './box-orbit.js';

export interface SubdivideOptions extends Omit<BoxOrbitOptions, 'visit'> {
  /** At most this many boxes are enclosed (the root counts); >= 1. */
  maxBoxes: number;
  /** A visitor for each box (see BoxOrbitOptions.visit), given the box and its path. */
  visitor?: (box: StartBox, path: string) => BoxOrbitOptions['visit'];
}

export interface BoxLeaf {
  /** '' for the root; each split appends '0' (the lower half) or '1' (the upper half). */
  path: string;
  box: StartBox;
  /** The leaf is 2^-depth of the root's volume (each split halves one coordinate). */
  depth: number;
  /**
   * finished: enclosed to the horizon with every step visited, or the visitor said 'finished';
   * refuted: the visitor said 'refuted'; open: it needed a split (too wide, not enclosed, or the
   * visitor said 'split') but the budget was spent or no coordinate has width left.
   */
  state: 'finished' | 'refuted' | 'open';
  orbit: BoxOrbit;
}

export interface Subdivision {
  /** The leaves in path order (the lower half before the upper, depth first): together they tile the root. */
  leaves: BoxLeaf[];
  /** Boxes enclosed (<= maxBoxes). */
  enclosed: number;
}

type Coord = { kind: 'params' | 'hypers'; name: string };

/**
 * The two halves of `box` across one coordinate, or undefined when every coordinate is a point.
 * With `influence` (BoxOrbit.influence: each coordinate's share of the hull's width, so the width
 * that matters) covering every coordinate with width, the coordinate of largest influence;
 * otherwise the coordinate of largest width relative to the same coordinate of `root` (a coordinate
 * with no width in the root is never split). Ties go to the first in the model's order.
 */
export function splitBox(model: DerivedModel, box: StartBox, root: StartBox, influence?: Record<string, number>): [StartBox, StartBox] | undefined {
  const coords: Coord[] = [...model.params.map((name) => ({ kind: 'params' as const, name })), ...model.hypers.map((name) => ({ kind: 'hypers' as const, name }))];
  const open = coords.filter((c) => {
    const [rlo, rhi] = root[c.kind][c.name]!;
    const [lo, hi] = box[c.kind][c.name]!;
    return rlo.lt(rhi) && lo.lt(hi);
  });
  if (!open.length) return undefined;
  const width = (c: Coord) => {
    const [lo, hi] = box[c.kind][c.name]!;
    const [rlo, rhi] = root[c.kind][c.name]!;
    return hi.sub(lo).div(rhi.sub(rlo));
  };
  const byInfluence = influence && open.every((c) => Number.isFinite(influence[c.name]));
  const best = byInfluence
    ? open.reduce((b, c) => (influence[c.name]! > influence[b.name]! ? c : b))
    : open.reduce((b, c) => (width(c).gt(width(b)) ? c : b));
  const { kind, name } = best;
  const [lo, hi] = box[kind][name]!;
  const mid = lo.add(hi).div(Rational.fromInt(2));
  const half = (r: readonly [Rational, Rational]): StartBox => ({ ...box, [kind]: { ...box[kind], [name]: r } });
  return [half([lo, mid]), half([mid, hi])];
}

/** Enclose the orbits from `root` through `steps`, splitting boxes that need it while the budget lasts. */
export function subdivide(model: DerivedModel, root: StartBox, steps: number, opts: SubdivideOptions): Subdivision {
  if (!Number.isInteger(opts.maxBoxes) || opts.maxBoxes < 1) throw new RangeError(`maxBoxes must be a positive integer, got ${opts.maxBoxes}`);
  const { maxBoxes, visitor, ...orbitOpts } = opts;
  const queue: { path: string; box: StartBox }[] = [{ path: '', box: root }];
  const leaves: BoxLeaf[] = [];
  let enclosed = 0;
  for (let head = 0; head < queue.length; head++) {
    const { path, box } = queue[head]!;
    const orbit = encloseBoxOrbit(model, box, steps, { ...orbitOpts, visit: visitor?.(box, path) });
    enclosed++;
    const leaf = (state: BoxLeaf['state']) => leaves.push({ path, box, depth: path.length, state, orbit });
    if (orbit.status === 'horizon' || orbit.verdict === 'finished') leaf('finished');
    else if (orbit.verdict === 'refuted') leaf('refuted');
    else {
      // Two more boxes only if every box already queued still fits in the budget with them.
      const halves = enclosed + (queue.length - head - 1) + 2 <= maxBoxes ? splitBox(model, box, root, orbit.influence) : undefined;
      if (halves) halves.forEach((b, i) => queue.push({ path: path + i, box: b }));
      else leaf('open');
    }
  }
  leaves.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { leaves, enclosed };
}

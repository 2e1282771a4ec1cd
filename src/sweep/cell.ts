import type { DerivedModel } from '../symbolic/derive.js';
import { runGD } from '../dynamics/gd.js';
import { CellTracker, type CellOutcome } from './classify.js';
import { cellAt, type SweepSpec } from './grid.js';

/** One row of a sweep: where the cell is, and what its trajectory did. */
export interface Row extends CellOutcome {
  cell: number;
  ix: number;
  iy: number;
  x: number;
  y: number;
}

/** Runs the GD trajectory of cell k and classifies it. Deterministic: the same spec and k give the same row. */
export function runCell(model: DerivedModel, spec: SweepSpec, k: number): Row {
  const c = cellAt(spec, k);
  const tracker = new CellTracker(model.params, c.hyper.eta!);
  const r = runGD(model, c.hyper, c.init, { steps: spec.steps, arith: spec.arith }, (s) => tracker.add(s));
  return { cell: k, ix: c.ix, iy: c.iy, x: c.x, y: c.y, ...tracker.finish(r, spec.arith, spec.tol, spec.catapult) };
}

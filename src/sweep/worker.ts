import type { ModelSpec } from '../model/spec.js';
import { deriveModel } from '../symbolic/derive.js';
import { serveWork } from '../dynamics/work-worker.js';
import { runCell, type Row } from './cell.js';
import type { SweepSpec } from './grid.js';

/**
 * A sweep worker of the work pool: derives the model once (refusing one whose hash is not the grid's),
 * then runs the cells it is handed.
 */
await serveWork<number, Row>(({ spec, modelSpec }: { spec: SweepSpec; modelSpec: ModelSpec }) => {
  const model = deriveModel(modelSpec);
  if (model.hash !== spec.model.hash) throw new Error(`model hash ${model.hash} differs from the grid's ${spec.model.hash}`);
  return (k) => {
    try {
      return runCell(model, spec, k);
    } catch (e) {
      throw new Error(`cell ${k}: ${(e as Error).message}`);
    }
  };
});

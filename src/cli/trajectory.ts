import { readFileSync } from 'node:fs';
import { minimalistModel } from '../model/minimalist.js';
import type { ModelSpec } from '../model/spec.js';
import { dynamicsText, deriveModel } from '../symbolic/derive.js';
import { runGD, type Arithmetic, type Step } from '../dynamics/gd.js';
import { Summarizer } from '../dynamics/summary.js';
import { ExactGD } from '../dynamics/exact-step.js';
import { formatSummary, stepJson } from '../report/trajectory-format.js';
import { intArg, listArg, numberArg, parse, UsageError } from './args.js';

export const TRAJECTORY_USAGE = `eos-check trajectory --eta E --lambda1 L1 --lambda2 L2 --init a,b1,b2 [--steps N] [--arith extended|float64] [--json] [--every K] [--model model.json] [--hyper name=value ...]`;

export function loadModel(path: string | undefined): ModelSpec {
  if (path === undefined) return minimalistModel;
  let spec: unknown;
  try {
    spec = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--model ${path}: ${(e as Error).message}`);
  }
  const s = spec as ModelSpec;
  if (typeof s !== 'object' || s === null || typeof s.loss !== 'string' || !Array.isArray(s.params) || !Array.isArray(s.hypers))
    throw new UsageError(`--model ${path}: expected {"name", "params": [...], "hypers": [...], "loss": "..."}`);
  return { ...s, name: s.name ?? path };
}

export async function trajectoryCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values } = parse(argv, {
    eta: { type: 'string' },
    lambda1: { type: 'string' },
    lambda2: { type: 'string' },
    hyper: { type: 'string', multiple: true },
    init: { type: 'string' },
    steps: { type: 'string' },
    arith: { type: 'string' },
    json: { type: 'boolean' },
    every: { type: 'string' },
    model: { type: 'string' },
  });
  const model = deriveModel(loadModel(values.model));
  const hyper: Record<string, number> = {};
  for (const h of ['eta', 'lambda1', 'lambda2'] as const) {
    const v = numberArg(h, values[h], model.hypers.includes(h));
    if (v !== undefined) hyper[h] = v;
  }
  for (const kv of values.hyper ?? []) {
    const m = /^([A-Za-z]\w*)=(.*)$/.exec(kv);
    if (!m) throw new UsageError(`--hyper expects name=value, got "${kv}"`);
    hyper[m[1]!] = numberArg(m[1]!, m[2])!;
  }
  for (const h of model.hypers) if (hyper[h] === undefined) throw new UsageError(`--${h} is required by model ${model.spec.name}`);
  for (const h of Object.keys(hyper)) if (!model.hypers.includes(h)) throw new UsageError(`--${h}: model ${model.spec.name} has no hyperparameter ${h}`);
  if (!(hyper.eta! > 0)) throw new UsageError(`--eta must be > 0, got ${hyper.eta}`);
  const init = listArg('init', values.init, model.params.length);
  const steps = intArg('steps', values.steps, 1000, 0, 1e9);
  const arith = (values.arith ?? 'extended') as Arithmetic;
  if (arith !== 'extended' && arith !== 'float64') throw new UsageError(`--arith must be extended or float64, got "${values.arith}"`);
  const every = values.every === undefined ? 0 : intArg('every', values.every, 0, 1);

  const sum = new Summarizer(model.params, hyper.eta!, { gd: new ExactGD(model, hyper), C: model.quantities.get('C') });
  const r = runGD(model, hyper, init, { steps, arith }, (s: Step) => {
    sum.add(s);
    if (every && s.t % every === 0) out(JSON.stringify(stepJson(s, model.params)));
  });
  const summary = sum.finish(r, arith);
  out(values.json ? JSON.stringify({ model: model.spec.name, modelHash: model.hash, dynamics: dynamicsText(model.spec), hyper, init, ...summary }) : `${model.spec.projection ? `dynamics: ${dynamicsText(model.spec)}\n` : ''}${formatSummary(summary, hyper, init, model.params)}`);
  return 0;
}

import { givenHypers, hyperOptions, modelFromArgv, packArgument } from './model-arg.js';
import { dynamicsText, deriveModel } from '../symbolic/derive.js';
import { runGD, type Arithmetic, type Step } from '../dynamics/gd.js';
import { Summarizer } from '../dynamics/summary.js';
import { ExactGD } from '../dynamics/exact-step.js';
import { certifiedJson, formatCertified, formatSummary, stepJson } from '../report/trajectory-format.js';
import { intArg, listArg, numberArg, parse, UsageError } from './args.js';

/** The command's own options: a hyperparameter of the same name is given as --hyper NAME=V. */
const OWN = new Set(['hyper', 'init', 'steps', 'arith', 'json', 'every', 'model', 'certified']);

export async function trajectoryCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const pack = packArgument(modelFromArgv(argv));
  const { values } = parse(argv, {
    ...hyperOptions(pack.spec, OWN),
    init: { type: 'string' },
    steps: { type: 'string' },
    arith: { type: 'string' },
    json: { type: 'boolean' },
    every: { type: 'string' },
    model: { type: 'string' },
    certified: { type: 'boolean' },
  });
  const model = deriveModel(pack.spec);
  const given = givenHypers(values, pack.spec, OWN);
  const hyper: Record<string, number> = {};
  for (const h of model.hypers) {
    const v = numberArg(h, given.get(h), false) ?? pack.defaults.hyper?.[h];
    if (v === undefined) throw new UsageError(`--${h} is required by model ${pack.name} (its hyperparameters: ${model.hypers.join(', ')})`);
    hyper[h] = v;
  }
  if (!(hyper.eta! > 0)) throw new UsageError(`--eta must be > 0, got ${hyper.eta}`);
  const init = values.init === undefined && pack.defaults.init ? [...pack.defaults.init] : listArg('init', values.init, model.params.length);
  // The pack's default steps (pack.json "defaults"), else 1000.
  const steps = intArg('steps', values.steps, pack.defaults.steps ?? 1000, 0, 1e9);
  const arith = (values.arith ?? 'extended') as Arithmetic;
  if (arith !== 'extended' && arith !== 'float64') throw new UsageError(`--arith must be extended or float64, got "${values.arith}"`);
  const every = values.every === undefined ? 0 : intArg('every', values.every, 0, 1);

  const invariant = pack.roles.invariant ? model.quantities.get(pack.roles.invariant.quantity) : undefined;
  const sum = new Summarizer(model.params, hyper.eta!, pack.roles, { gd: new ExactGD(model, hyper), invariant });
  const r = runGD(model, hyper, init, { steps, arith }, (s: Step) => {
    sum.add(s);
    if (every && s.t % every === 0) out(JSON.stringify(stepJson(s, model.params)));
  });
  const summary = sum.finish(r, arith);
  // Loaded only for --certified: the plain command stays quick to start.
  const certified = values.certified ? (await import('../dynamics/certified-summary.js')).certifiedSummary(model, hyper, init, steps, { roles: pack.roles }) : undefined;
  out(
    values.json
      ? JSON.stringify({ model: model.spec.name, pack: pack.name, modelHash: model.hash, dynamics: dynamicsText(model.spec), hyper, init, ...summary, ...(certified ? { certified: certifiedJson(certified) } : {}) })
      : `${model.spec.projection ? `dynamics: ${dynamicsText(model.spec)}\n` : ''}${formatSummary(summary, hyper, init, model.params, pack.roles)}${certified ? `\n${formatCertified(certified)}` : ''}`,
  );
  return 0;
}

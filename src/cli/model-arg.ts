import { loadPack, PackError, type ModelPack } from '../model/pack.js';
import { UsageError } from './args.js';

/**
 * `--model NAME|path` for every command: a registered pack's name, a pack folder or pack.json, or a
 * bare model.json. Read before the other options, because the model decides which options exist
 * (`trajectory --HYPER` exists for the model's own hyperparameters).
 */
export function modelFromArgv(argv: readonly string[]): string | undefined {
  let ref: string | undefined;
  argv.forEach((a, i) => {
    if (a === '--model') ref = argv[i + 1];
    else if (a.startsWith('--model=')) ref = a.slice('--model='.length);
  });
  return ref;
}

export function packArgument(ref: string | undefined): ModelPack {
  try {
    return loadPack(ref);
  } catch (e) {
    if (e instanceof PackError) throw new UsageError(`--model ${e.message}`);
    throw e;
  }
}

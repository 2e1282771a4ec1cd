import { loadPack, PackError, type ModelPack } from '../model/pack.js';
import type { ModelSpec } from '../model/spec.js';
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

/**
 * The options that give a model's hyperparameters: --NAME for each one not named like an option of the
 * command itself (`own`), and --hyper NAME=V (repeatable) for any of them.
 */
export function hyperOptions(spec: ModelSpec, own: ReadonlySet<string>): Record<string, { type: 'string'; multiple?: true }> {
  return { ...Object.fromEntries(spec.hypers.filter((h) => !own.has(h)).map((h) => [h, { type: 'string' as const }])), hyper: { type: 'string', multiple: true } };
}

/** The hyperparameter values given on the command line (as text), by name; --hyper wins over --NAME. */
export function givenHypers(values: Record<string, unknown>, spec: ModelSpec, own: ReadonlySet<string>): Map<string, string> {
  const given = new Map<string, string>();
  for (const h of spec.hypers) if (!own.has(h) && typeof values[h] === 'string') given.set(h, values[h] as string);
  for (const kv of (values.hyper as string[] | undefined) ?? []) {
    const m = /^([A-Za-z]\w*)=(.*)$/.exec(kv);
    if (!m) throw new UsageError(`--hyper expects name=value, got "${kv}"`);
    if (!spec.hypers.includes(m[1]!)) throw new UsageError(`--hyper ${m[1]}: the model has no hyperparameter ${m[1]} (it has ${spec.hypers.join(', ')})`);
    given.set(m[1]!, m[2]!);
  }
  return given;
}

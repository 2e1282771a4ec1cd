import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { MODELS_DIR } from '../model/pack.js';
import { DATA_LEMMA_FILE } from './read-data.js';

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * The lemma files that are code (anything the loader would import rather than parse: .ts, .mts,
 * .js, .mjs, ...) and lie outside the package's own lemmas/ folder. Loading one runs it with the
 * user's rights, so it takes --allow-code (the CLI), and a replay command for it carries the flag;
 * the package's catalogue is part of what was installed.
 */
export function foreignCode(files: string[]): string[] {
  const own = real(resolve(MODELS_DIR, '..', 'lemmas'));
  return files.filter((f) => !DATA_LEMMA_FILE.test(f) && !real(f).startsWith(own + sep));
}

/**
 * Whether a bench module is the program being run (`npx tsx bench/x.ts`, or `node --import tsx bench/x.ts` with a
 * relative path, as `--cpu-prof` runs use), rather than imported by bench.ts: its figures print only then.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function isMain(meta: ImportMeta): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(resolve(arg)) === realpathSync(fileURLToPath(meta.url));
  } catch {
    return false;
  }
}

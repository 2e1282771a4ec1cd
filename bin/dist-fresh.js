// Whether dist/ (the compiled package) is at least as new as every file in src/: read by bin/eos-check.js to
// choose what to run, and by bench/startup.ts to say what it measured. Plain JavaScript: it runs before
// anything is compiled.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) t = Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs);
  return t;
}

/** root: the package folder. */
export function distIsFresh(root) {
  const built = join(root, 'dist', 'index.js');
  return existsSync(built) && statSync(built).mtimeMs >= newest(join(root, 'src'));
}

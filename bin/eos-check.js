#!/usr/bin/env node
// The CLI runs the compiled package (dist/, built by `npm install`) with Node alone. When dist/ is missing
// or older than a source file (a developer edited src/ and has not run `npm run build`), it runs the
// TypeScript sources through tsx instead, so the CLI never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/index.js`;

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

let main;
if (existsSync(built) && statSync(built).mtimeMs >= newestSource(`${root}src`)) {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  globalThis[Symbol.for('eos-check.tsx')] = true; // read by src/lemma/import-code.ts
  ({ main } = await import('../src/cli/main.ts'));
}
// Exit explicitly: the Z3 WebAssembly runtime keeps worker threads alive after a proof. Exit only once
// stdout has drained: process.exit on a pipe would cut off output still queued (trajectory --every 1 | wc -l).
const code = await main(process.argv.slice(2));
process.stdout.write('', () => process.exit(code));

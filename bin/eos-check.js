#!/usr/bin/env node
// The CLI runs the compiled package (dist/, built by `npm install`) with Node alone. When dist/ is missing
// or older than a source file (a developer edited src/ and has not run `npm run build`), it runs the
// TypeScript sources through tsx instead, so the CLI never runs stale code.
import { fileURLToPath } from 'node:url';
import { distIsFresh } from './dist-fresh.js';

let main;
if (distIsFresh(fileURLToPath(new URL('..', import.meta.url)))) {
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

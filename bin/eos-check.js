#!/usr/bin/env node
// The CLI is TypeScript, loaded through tsx, so lemma files written in TypeScript load the same way.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
// Exit explicitly: the Z3 WebAssembly runtime keeps worker threads alive after a proof. Exit only once
// stdout has drained: process.exit on a pipe would cut off output still queued (trajectory --every 1 | wc -l).
const code = await main(process.argv.slice(2));
process.stdout.write('', () => process.exit(code));

#!/usr/bin/env node
// The CLI is TypeScript, loaded through tsx, so lemma files written in TypeScript load the same way.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

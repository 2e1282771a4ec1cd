// Plain JavaScript on purpose: a worker does not inherit the parent's TypeScript loader, so this
// entry registers tsx first and only then imports the TypeScript module the worker is for.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
globalThis[Symbol.for('eos-check.tsx')] = true; // read by src/lemma/import-code.ts
await import(workerData.tsModule);

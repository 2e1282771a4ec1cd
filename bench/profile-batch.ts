/**
 * npm run profile -- [float64|extended] [steps]: CPU profile of the 1000-start batch of the bench in
 * this thread, summarised as samples per function (self time). The README's explanation of the
 * extended-arithmetic figure quotes this output.
 */
import { Session } from 'node:inspector/promises';
import { deriveModel } from '../src/symbolic/derive.js';
import { minimalistModel } from '../src/model/minimalist.js';
import type { BatchArith } from '../src/dynamics/batch.js';
import { benchBatch } from './bench-batch.js';

const arith = (process.argv[2] ?? 'extended') as BatchArith;
const steps = Number(process.argv[3] ?? 6000);
if (arith !== 'float64' && arith !== 'extended') throw new Error(`arith must be float64 or extended, got ${arith}`);
if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${process.argv[3]}`);

const model = deriveModel(minimalistModel);
benchBatch(model, 1000, arith).run(200); // warm-up, outside the profile
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 }); // microseconds
await session.post('Profiler.start');
const t0 = performance.now();
benchBatch(model, 1000, arith).run(steps);
const ms = performance.now() - t0;
const { profile } = await session.post('Profiler.stop');
session.disconnect();

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
for (const id of profile.samples ?? []) {
  const f = byId.get(id)!.callFrame;
  const key = f.functionName || `(anonymous ${f.url.split('/').pop()}:${f.lineNumber})`;
  self.set(key, (self.get(key) ?? 0) + 1);
}
const total = profile.samples?.length ?? 0;
console.log(`${arith}, batch 1000, ${steps} steps: ${ms.toFixed(0)} ms, ${((ms * 1e6) / (1000 * steps)).toFixed(1)} ns per lane-step, ${total} samples`);
for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`${((100 * c) / total).toFixed(1).padStart(5)}%  ${k}`);

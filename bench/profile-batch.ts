/**
 * npm run profile -- [float64|extended] [steps]: CPU profile of the 1000-start batch of the bench in
 * this thread, summarised as samples per function (self time). The README's explanation of the
 * extended-arithmetic figure quotes this output.
 */
import { Session } from 'node:inspector/promises';
import { deriveModel } from '../src/symbolic/derive.js';
import { minimalistModel } from '../src/model/minimalist.js';
import { GDBatch, type BatchArith } from '../src/dynamics/batch.js';

const arith = (process.argv[2] ?? 'extended') as BatchArith;
const steps = Number(process.argv[3] ?? 6000);
if (arith !== 'float64' && arith !== 'extended') throw new Error(`arith must be float64 or extended, got ${arith}`);
if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${process.argv[3]}`);

const model = deriveModel(minimalistModel);
/** The bench's batch: per-lane eta and start, shared lambdas (same generator and seed). */
function makeBatch(N: number): GDBatch {
  let s = 12345;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const eta = Float64Array.from({ length: N }, () => 1 + 0.9 * rnd());
  const inits = Array.from({ length: N }, () => [0.8 + 0.3 * rnd(), 1e-3 + 0.05 * rnd(), 0.3 * rnd()]);
  return new GDBatch(model, N, { eta, lambda1: 1, lambda2: 1e-3 }, (j) => inits[j]!, arith, false);
}

makeBatch(1000).run(200); // warm-up, outside the profile
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 }); // microseconds
await session.post('Profiler.start');
const t0 = performance.now();
makeBatch(1000).run(steps);
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

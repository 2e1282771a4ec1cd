/**
 * npx tsx bench/ext-ratio.ts [rounds] [steps] [other-checkout]: extended / float64 throughput of the
 * batch kernel on the bench's 1000-lane batch (bench-batch.ts), in this thread. The kernels run
 * interleaved round by round so that all see the same machine load; figures are medians of the
 * rounds. With a path to another checkout (e.g. `git archive HEAD | tar -x -C /tmp/before` plus a
 * node_modules link) its extended kernel runs in the same rounds, for a before/after ratio.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { deriveModel } from '../src/symbolic/derive.js';
import { minimalistModel } from '../src/model/minimalist.js';
import type { GDBatch } from '../src/dynamics/batch.js';
import { benchBatch } from './bench-batch.js';

const rounds = Number(process.argv[2] ?? 5);
const steps = Number(process.argv[3] ?? 1000);
const other = process.argv[4];
const N = 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

type Make = () => GDBatch;
const model = deriveModel(minimalistModel);
const kernels: [string, Make][] = [
  ['float64', () => benchBatch(model, N, 'float64')],
  ['extended', () => benchBatch(model, N, 'extended')],
];
if (other) {
  const root = resolve(other);
  const o = {
    derive: await import(`${root}/src/symbolic/derive.ts`),
    minimalist: await import(`${root}/src/model/minimalist.ts`),
    bench: await import(`${root}/bench/bench-batch.ts`),
  };
  const m = o.derive.deriveModel(o.minimalist.minimalistModel);
  kernels.push([`extended (${other})`, () => o.bench.benchBatch(m, N, 'extended')]);
}

/** Steps per second of CPU time of this process (wall time too is printed below): less sensitive to other load on the machine. */
const wall: number[][] = [];
function once(make: Make, k: number): number {
  const b = make();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  b.run(steps);
  const c = process.cpuUsage(c0);
  (wall[k] ??= []).push((N * steps * 1000) / (performance.now() - t0));
  return (N * steps * 1e6) / (c.user + c.system);
}

kernels.forEach(([, make], k) => once(make, k)); // warm-up: compile and optimize every kernel
wall.length = 0;
const rates = kernels.map(() => [] as number[]);
for (let r = 0; r < rounds; r++) kernels.forEach(([, make], k) => rates[k]!.push(once(make, k)));
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${rounds} rounds of ${N} lanes x ${steps} steps`);
kernels.forEach(([name], k) => {
  const perRound = rates[k]!.map((x, r) => x / rates[0]![r]!);
  const wallRatio = median(wall[k]!.map((x, r) => x / wall[0]![r]!));
  console.log(`${name.padEnd(34)} ${median(rates[k]!).toExponential(3)} steps/CPU-s   / float64: median of per-round ratios ${median(perRound).toFixed(3)} (wall clock: ${median(wall[k]!).toExponential(3)} steps/s, ratio ${wallRatio.toFixed(3)})`);
});

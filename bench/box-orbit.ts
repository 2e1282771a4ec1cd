/**
 * Throughput of the box-orbit engine (src/dynamics/box-orbit.ts, box-split.ts) on the minimalist
 * model: `npx tsx bench/box-orbit.ts`. Not a test: nothing here decides an outcome; it prints the
 * steps enclosed (a count, the same on any machine) and the time per box and per box-step (which
 * depend on the machine and its load, printed beside them).
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { deriveModel } from '../src/symbolic/derive.js';
import { loadPack } from '../src/model/pack.js';
import { Rational } from '../src/numeric/rational.js';
import { encloseBoxOrbit, type StartBox } from '../src/dynamics/box-orbit.js';
import { subdivide } from '../src/dynamics/box-split.js';

const model = deriveModel(loadPack('minimalist').spec);
const R = (s: string) => Rational.fromDecimalString(s);
const pm = (c: string, w: string) => [R(c).sub(R(w)), R(c).add(R(w))] as const;
const fixed = (c: string) => [R(c), R(c)] as const;

/** Run R1 of docs/paper.md (eta 1.9, lambda2 1e-3, start (1, 0.01, 0)) widened to a box of starts and etas. */
const r1: StartBox = {
  params: { alpha: pm('1', '1e-6'), beta1: pm('0.01', '1e-8'), beta2: [R('0'), R('1e-6')] },
  hypers: { eta: pm('1.9', '1e-9'), lambda1: fixed('1'), lambda2: fixed('0.001') },
};
/** A wider box, for subdivision: too wide to enclose whole through 300 steps (beta1's hull passes 0.5 at step 2xx). */
const wide: StartBox = {
  params: { alpha: pm('1', '1e-3'), beta1: pm('0.01', '1e-4'), beta2: [R('0'), R('1e-4')] },
  hypers: { eta: pm('1.9', '1e-4'), lambda1: fixed('1'), lambda2: fixed('0.001') },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(f: () => T, reps: number): { ms: number; value: T } {
  let value = f(); // warm-up: compiles the programs
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    value = f();
    ts.push(performance.now() - t0);
  }
  return { ms: median(ts), value };
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`load average before: ${load()}`);
for (const form of ['lohner', 'interval'] as const) {
  const { ms, value: o } = time(() => encloseBoxOrbit(model, r1, 4000, { bits: 128, form, maxWidth: 0.5 }), 3);
  const w = o.hulls[o.steps]!.map((x) => x.width().toNumber().toExponential(2)).join(', ');
  console.log(`R1 box, ${form}, 128 bits: ${o.steps} steps enclosed (${o.status}${o.wideParam ? ` in ${o.wideParam}` : ''}), widths at the last step ${w}; ${ms.toFixed(0)} ms, ${((1000 * o.steps) / ms).toFixed(0)} steps/s, ${(1000 / ms).toFixed(2)} boxes/s`);
}
{
  const steps = 300;
  const { ms, value: s } = time(() => subdivide(model, wide, steps, { bits: 128, maxWidth: 0.5, maxBoxes: 32 }), 1);
  const finished = s.leaves.filter((l) => l.state === 'finished');
  const boxSteps = s.leaves.reduce((n, l) => n + l.orbit.steps, 0);
  const fraction = finished.reduce((v, l) => v + 2 ** -l.depth, 0);
  const root = encloseBoxOrbit(model, wide, steps, { bits: 128, maxWidth: 0.5 });
  console.log(`wide box whole: ${root.status} at step ${root.steps}${root.wideParam ? ` (${root.wideParam})` : ''}`);
  console.log(
    `wide box, subdivide to ${steps} steps, budget 32: ${s.enclosed} boxes enclosed, ${s.leaves.length} leaves, ${finished.length} finished (${(100 * fraction).toFixed(1)}% of the volume); ` +
      `${ms.toFixed(0)} ms, ${((1000 * s.enclosed) / ms).toFixed(2)} boxes/s, leaves' steps ${boxSteps}`,
  );
}
console.log(`load average after: ${load()}`);

/**
 * npm run bench: throughput figures, each the median of several runs. Not part of npm test.
 * Covers part of issue 6 (single-trajectory GD throughput in both arithmetics, compiled vs
 * hand-written kernels, derivation cost, exact-decision cost); batch and worker figures are not here yet.
 */
import { performance } from 'node:perf_hooks';
import { deriveModel } from '../src/symbolic/derive.js';
import { minimalistModel } from '../src/model/minimalist.js';
import { GradientDescent } from '../src/dynamics/gd.js';
import { ExactIterate } from '../src/check/decide.js';
import { Interval } from '../src/numeric/interval.js';
import { Rational } from '../src/numeric/rational.js';
import type { ModelSpec } from '../src/model/spec.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeIt(reps: number, f: () => void): number {
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const line = (name: string, value: string) => console.log(`${name.padEnd(62)} ${value}`);

const t0 = performance.now();
const spec: ModelSpec = { ...minimalistModel, name: 'bench-cold' };
const model = deriveModel(spec);
line('derivation + nerdamer cross-check, cold (ms)', (performance.now() - t0).toFixed(1));
line('derivation, cached (ms)', timeIt(20, () => deriveModel(spec)).toFixed(4));

const hyper = { eta: 1.5, lambda1: 1, lambda2: 1e-3 };
for (const arith of ['float64', 'extended'] as const) {
  const steps = 20000;
  const ms = timeIt(5, () => {
    const gd = new GradientDescent(model, hyper, [1, 0.01, 0], arith);
    for (let i = 0; i < steps; i++) {
      gd.observe();
      gd.advance();
    }
  });
  line(`GD steps/s with sharpness and full record, ${arith}, 1 trajectory`, ((steps / ms) * 1000).toExponential(3));
}

// Compiled gradient kernel against the same formulas written by hand.
const th = new Float64Array([1.1, 0.01, 0.3]);
const h = new Float64Array([1.5, 1, 1e-3]);
const out = new Float64Array(3);
const hand = (t: Float64Array, p: Float64Array, o: Float64Array) => {
  const a = t[0]!, b1 = t[1]!, b2 = t[2]!, l1 = p[1]!, l2 = p[2]!;
  const r = a * b2 - 1;
  o[0] = l1 * a * b1 * b1 + l2 * b2 * r;
  o[1] = l1 * a * a * b1;
  o[2] = l2 * a * r;
};
const N = 5_000_000;
const compiled = timeIt(5, () => {
  for (let i = 0; i < N; i++) {
    th[1] = 0.01 + i * 1e-12;
    model.kernels.gradient(th, h, out);
  }
});
const handMs = timeIt(5, () => {
  for (let i = 0; i < N; i++) {
    th[1] = 0.01 + i * 1e-12;
    hand(th, h, out);
  }
});
line('gradient kernel: compiled / hand-written speed ratio', (handMs / compiled).toFixed(3));

// Cost of an exact decision ingredient: the certified sharpness enclosure at one iterate.
const gd = new GradientDescent(model, hyper, [1, 0.01, 0], 'extended');
for (let i = 0; i < 3000; i++) gd.advance();
const step = gd.observe();
const hx = new Map(model.hypers.map((k) => [k, Interval.point(Rational.fromDouble(hyper[k as keyof typeof hyper]))]));
line('certified sharpness enclosure per iterate (ms)', timeIt(50, () => new ExactIterate(model, step, hx).sharpness()).toFixed(3));

/**
 * npm run bench: throughput figures for issue 6, one line each, each the median of REPS runs (after
 * one warm-up run). Not part of npm test, and no test asserts a time: the numbers live here.
 *
 * To add a figure, push onto `figures` (a name and a function returning the printed value);
 * every figure runs in order, in this process.
 */
import { performance } from 'node:perf_hooks';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { deriveModel } from '../src/symbolic/derive.js';
import { minimalistModel } from '../src/model/minimalist.js';
import { GradientDescent } from '../src/dynamics/gd.js';
import { REC, type BatchArith } from '../src/dynamics/batch.js';
import { benchBatch } from './bench-batch.js';
import { BatchPool, type PoolRun } from '../src/dynamics/batch-pool.js';
import { topEigenvalue3 } from '../src/numeric/eigen3.js';
import { decideExact, ExactIterate } from '../src/check/decide.js';
import { compileLemma } from '../src/lemma/compile.js';
import { defineLemma } from '../src/lemma/types.js';
import { lemmaFiles, loadLemmas } from '../src/lemma/load.js';
import { DEFAULT_SEED, verifyFiles } from '../src/check/catalogue.js';
import { Interval } from '../src/numeric/interval.js';
import { Rational } from '../src/numeric/rational.js';
import type { ModelSpec } from '../src/model/spec.js';

const REPS = 5;

export interface Figure {
  name: string;
  run: () => string | Promise<string>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median time (ms) of `reps` runs of f after one warm-up; `setup` runs untimed before each. */
async function timeIt(f: () => unknown, reps = REPS, setup?: () => void): Promise<number> {
  const ts: number[] = [];
  for (let i = 0; i <= reps; i++) {
    setup?.();
    const t0 = performance.now();
    await f();
    if (i > 0) ts.push(performance.now() - t0);
  }
  return median(ts);
}

const fmtRate = (x: number) => x.toExponential(3);
const line = (name: string, value: string) => console.log(`${name.padEnd(78)} ${value}`);

const tFirst = performance.now();
const model = deriveModel(minimalistModel);
const firstDerivationMs = performance.now() - tFirst;
const hyper = { eta: 1.5, lambda1: 1, lambda2: 1e-3 };

/** Batch throughput (steps/s, sharpness at every iterate) in-process or over `workers` worker threads. */
async function batchRate(N: number, steps: number, arith: BatchArith, workers: number): Promise<{ rate: number; ms: number; last?: PoolRun }> {
  const b = benchBatch(model, N, arith, workers > 0);
  const snapshot = new Float64Array(b.buffer).slice();
  const restore = () => new Float64Array(b.buffer).set(snapshot);
  if (workers === 0) {
    const ms = await timeIt(() => b.run(steps), REPS, restore);
    return { rate: (N * steps * 1000) / ms, ms };
  }
  const pool = await BatchPool.create(b, workers);
  let last: PoolRun | undefined;
  try {
    const ms = await timeIt(async () => {
      last = await pool.run(steps);
    }, REPS, restore);
    return { rate: (N * steps * 1000) / ms, ms, last };
  } finally {
    await pool.close();
  }
}

const STEPS = 1000;
const figures: Figure[] = [];
/** Rates of the batch-1000 figures, by "arith workers", for the ratio line. */
const measured: Record<string, number> = {};
const cores = availableParallelism();

figures.push({
  name: 'machine',
  run: () => `${cores} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
});

figures.push({
  name: 'derivation + nerdamer cross-check, first in the process (ms)',
  run: () => firstDerivationMs.toFixed(1),
});
figures.push({
  name: 'derivation + nerdamer cross-check, cold model, warm process (ms)',
  run: async () => {
    let k = 0;
    // A different amount of trailing space per run changes the model hash, not the derivation: each run is cold.
    const ms = await timeIt(() => {
      const spec: ModelSpec = { ...minimalistModel, name: 'bench-cold', loss: minimalistModel.loss + ' '.repeat(++k) };
      deriveModel(spec);
    });
    return ms.toFixed(1);
  },
});
figures.push({
  name: 'derivation, cached (ms)',
  run: async () => (await timeIt(() => deriveModel(minimalistModel), 20)).toFixed(4),
});

for (const arith of ['float64', 'extended'] as const) {
  figures.push({
    name: `GD steps/s with sharpness and full record, ${arith}, 1 trajectory (GradientDescent)`,
    run: async () => {
      const steps = 20000;
      const ms = await timeIt(() => {
        const gd = new GradientDescent(model, hyper, [1, 0.01, 0], arith);
        for (let i = 0; i < steps; i++) {
          gd.observe();
          gd.advance();
        }
      });
      return fmtRate((steps / ms) * 1000);
    },
  });
  figures.push({
    name: `GD steps/s with sharpness, ${arith}, 1 trajectory (batch kernel, N = 1)`,
    run: async () => fmtRate((await batchRate(1, 100_000, arith, 0)).rate),
  });
  figures.push({
    name: `GD steps/s with sharpness, ${arith}, batch 1000, in-process (1 thread)`,
    run: async () => fmtRate((measured[`${arith} 0`] = (await batchRate(1000, STEPS, arith, 0)).rate)),
  });
  for (const w of [1, 2]) {
    figures.push({
      name: `GD steps/s with sharpness, ${arith}, batch 1000, ${w} worker${w > 1 ? 's' : ''}`,
      run: async () => {
        const r = await batchRate(1000, STEPS, arith, w);
        measured[`${arith} ${w}`] = r.rate;
        const split = r.last!.workers.map((x) => `${x.lanes} lanes ${x.ms.toFixed(1)} ms`).join(', ');
        return `${fmtRate(r.rate)}   (${split})`;
      },
    });
  }
}

figures.push({
  name: 'extended GD steps/s without sharpness, 1 trajectory (GradientDescent: the lane step kernel, batch of one)',
  run: async () => {
    const steps = 200_000;
    const ms = await timeIt(() => {
      const gd = new GradientDescent(model, hyper, [1, 0.01, 0], 'extended');
      for (let s = 0; s < steps; s++) gd.advance();
    });
    return fmtRate((steps / ms) * 1000);
  },
});

figures.push({
  name: 'extended / float64 speed, batch 1000, from the figures above (target >= 0.5)',
  run: () => {
    const r = (w: number) => (measured[`extended ${w}`]! / measured[`float64 ${w}`]!).toFixed(3);
    return `in-process ${r(0)}, 1 worker ${r(1)}, 2 workers ${r(2)}`;
  },
});

// Compiled kernels against the same derived formulas written by hand (the trees of derive.ts, same order).
{
  const th = new Float64Array([1.1, 0.01, 0.3]);
  const h = new Float64Array([1.5, 1, 1e-3]);
  const g = new Float64Array(3);
  const H = new Float64Array(9);
  const handGrad = (t: Float64Array, p: Float64Array, o: Float64Array) => {
    const a = t[0]!, b1 = t[1]!, b2 = t[2]!, l1 = p[1]!, l2 = p[2]!;
    // beta1^2*lambda1*alpha + (beta2^2*alpha - beta2)*lambda2, alpha^2*lambda1*beta1, (alpha^2*beta2 - alpha)*lambda2
    o[0] = b1 * b1 * l1 * a + (b2 * b2 * a - b2) * l2;
    o[1] = a * a * l1 * b1;
    o[2] = (a * a * b2 - a) * l2;
  };
  const handGradHess = (t: Float64Array, p: Float64Array, o: Float64Array, M: Float64Array) => {
    const a = t[0]!, b1 = t[1]!, b2 = t[2]!, l1 = p[1]!, l2 = p[2]!;
    const b1s = b1 * b1, b2s = b2 * b2, as = a * a;
    o[0] = b1s * l1 * a + (b2s * a - b2) * l2;
    o[1] = as * l1 * b1;
    o[2] = (as * b2 - a) * l2;
    M[0] = b1s * l1 + l2 * b2s;
    M[1] = 2 * a * l1 * b1;
    M[2] = l2 * (2 * a * b2 - 1);
    M[3] = 2 * b1 * l1 * a;
    M[4] = as * l1;
    M[5] = 0;
    M[6] = l2 * (2 * b2 * a - 1);
    M[7] = 0;
    M[8] = l2 * as;
  };
  const N = 5_000_000;
  const ratio = async (compiled: () => void, hand: () => void) => {
    // Interleave the two so that machine noise hits both alike.
    const c: number[] = [];
    const m: number[] = [];
    for (let r = 0; r <= REPS; r++) {
      c.push(await timeIt(compiled, 1));
      m.push(await timeIt(hand, 1));
    }
    return (median(m) / median(c)).toFixed(3);
  };
  const K = model.kernels;
  figures.push({
    name: 'gradient kernel: compiled / hand-written speed ratio (target >= 0.9)',
    run: () =>
      ratio(
        () => {
          for (let i = 0; i < N; i++) {
            th[1] = 0.01 + i * 1e-12;
            K.gradient(th, h, g);
          }
        },
        () => {
          for (let i = 0; i < N; i++) {
            th[1] = 0.01 + i * 1e-12;
            handGrad(th, h, g);
          }
        },
      ),
  });
  const stepWith = (gh: typeof handGradHess) => () => {
    let acc = 0;
    th[0] = 1.1;
    th[1] = 0.01;
    th[2] = 0.3;
    for (let i = 0; i < N / 5; i++) {
      gh(th, h, g, H);
      acc += topEigenvalue3(H[0]!, H[1]!, H[2]!, H[4]!, H[5]!, H[8]!);
      th[0] -= 1e-9 * g[0]!;
      th[1] -= 1e-9 * g[1]!;
      th[2] -= 1e-9 * g[2]!;
    }
    if (acc === 42) console.log(acc);
  };
  figures.push({
    name: 'step kernel (gradient + Hessian + top eigenvalue + update): compiled / hand-written',
    run: () => ratio(stepWith(K.gradHess), stepWith(handGradHess)),
  });
}

figures.push({
  name: 'certified sharpness enclosure per iterate (ms)',
  run: async () => {
    const gd = new GradientDescent(model, hyper, [1, 0.01, 0], 'extended');
    for (let i = 0; i < 3000; i++) gd.advance();
    const step = gd.observe();
    const hx = new Map(model.hypers.map((k) => [k, Interval.point(Rational.fromDouble(hyper[k as keyof typeof hyper]))]));
    return (await timeIt(() => new ExactIterate(model, step, hx).sharpness(), 50)).toFixed(3);
  },
});

// What a claim costs when float64 cannot decide it: both sides evaluated in exact rationals at the
// computed iterate (fresh ExactIterate each time, so the sharpness enclosure is not cached).
for (const [what, statement] of [
  ['polynomial claim, L <= 1e-12', 'L <= 1e-12'],
  ['sharpness claim, eta * S <= 2', 'eta * S <= 2'],
] as const) {
  figures.push({
    name: `exact confirmation of one ${what}, per iterate (ms)`,
    run: async () => {
      const spec = defineLemma({
        id: 'bench', title: 'bench', claim: 'C6', provenance: 'variant', description: 'bench',
        hypotheses: { hyper: hyper, init: { alpha: 1, beta1: 0.01, beta2: 0 } },
        quantifier: { kind: 'every-step' }, statement, steps: 1, runs: 1, expect: 'holds',
      });
      const c = compileLemma(spec, model, 'bench').statements[0]!;
      const gd = new GradientDescent(model, hyper, [1, 0.01, 0], 'extended');
      for (let i = 0; i < 3000; i++) gd.advance();
      const step = gd.observe();
      const hx = new Map(model.hypers.map((k) => [k, Interval.point(Rational.fromDouble(hyper[k as keyof typeof hyper]))]));
      let decided = '';
      const ms = await timeIt(() => {
        const d = decideExact(model, c, { iterates: { '': new ExactIterate(model, step, hx) }, scalars: hx });
        decided = d.how;
      }, 50);
      if (decided !== 'exact') throw new Error(`bench: ${statement} was not decided exactly (${decided})`);
      return ms.toFixed(3);
    },
  });
}

// The figure a user feels: every lemma of lemmas/ checked (shrinking and exact decisions included),
// at a quarter of the npm test budget so that three runs fit; in this thread, then over worker
// threads as `eos-check report` runs it (worker start-up included).
for (const jobs of [1, cores]) {
  figures.push({
    name: `lemma-iterate checks/s, whole catalogue, ${jobs === 1 ? '1 thread' : `${jobs} worker threads`}, budget 1/4 (iterates, s)`,
    run: async () => {
      const files = lemmaFiles('lemmas');
      const rates: number[] = [];
      let last = '';
      for (let rep = 0; rep < 3; rep++) {
        const t0 = performance.now();
        const outcomes = await verifyFiles(model, files, { seed: DEFAULT_SEED, budget: 0.25, jobs });
        const s = (performance.now() - t0) / 1000;
        const bad = outcomes.find((o) => o.kind === 'ERROR');
        if (bad) throw new Error(`bench: ${bad.id}: ${bad.detail}`);
        const iterates = outcomes.reduce((a, o) => a + o.iterates, 0);
        rates.push(iterates / s);
        last = `${iterates}, ${s.toFixed(1)}`;
      }
      return `${fmtRate(median(rates))} (${last})`;
    },
  });
}

// Scaling: both should be linear (time per lane-step flat).
for (const arith of ['float64', 'extended'] as const) {
  figures.push({
    name: `scaling in steps, ${arith}, batch 1000, 2 workers: steps -> ms (ns per lane-step)`,
    run: async () => {
      const out: string[] = [];
      for (const steps of [1000, 2000, 4000, 8000]) {
        const r = await batchRate(1000, steps, arith, 2);
        out.push(`${steps}: ${r.ms.toFixed(1)} (${((r.ms * 1e6) / (1000 * steps)).toFixed(1)})`);
      }
      return out.join(', ');
    },
  });
  figures.push({
    name: `scaling in lanes, ${arith}, ${STEPS} steps, 2 workers: lanes -> ms (ns per lane-step)`,
    run: async () => {
      const out: string[] = [];
      for (const N of [250, 500, 1000, 2000]) {
        const r = await batchRate(N, STEPS, arith, 2);
        out.push(`${N}: ${r.ms.toFixed(1)} (${((r.ms * 1e6) / (N * STEPS)).toFixed(1)})`);
      }
      return out.join(', ');
    },
  });
}

figures.push({
  name: 'sharpness: Newton iterations per iterate, closed-form fallbacks (batch 1000, 1000 steps)',
  run: () => {
    const b = benchBatch(model, 1000, 'float64');
    b.run(STEPS);
    let it = 0;
    let fb = 0;
    for (let j = 0; j < 1000; j++) {
      it += b.arrays.rec[REC.newtonIters * 1000 + j]!;
      fb += b.arrays.rec[REC.fallbacks * 1000 + j]!;
    }
    const evals = 1000 * (STEPS + 1);
    return `${(it / evals).toFixed(3)} iterations, ${((100 * fb) / evals).toFixed(3)}% fallbacks`;
  },
});

// Start-up first, while this process has not yet loaded the machine with worker threads.
{
  const { startupFigures } = await import('./startup.js');
  for (const f of startupFigures()) line(f.name, f.value);
}
for (const f of figures) line(f.name, await f.run());

// The guided search against the random draws it starts from, on every lemma with a tightness figure
// (at the npm test budget), and the peer comparison (bench/peer-compare.ts).
{
  const files = lemmaFiles('lemmas');
  const t0 = performance.now();
  const outcomes = await verifyFiles(model, files, { seed: DEFAULT_SEED, jobs: cores });
  const s = (performance.now() - t0) / 1000;
  const iterates = outcomes.reduce((a, o) => a + o.iterates, 0);
  line(`whole catalogue at the npm test budget, ${cores} worker threads: lemma-iterate checks/s (iterates, s)`, `${fmtRate(iterates / s)} (${iterates}, ${s.toFixed(1)})`);
  // Issue 13's targets, stated next to the figures; where they are not met, README "Performance" gives the profile.
  line('  target: >= 1e7 lemma-iterate checks/s on both cores', iterates / s >= 1e7 ? 'met' : `NOT met (${(iterates / s / 1e7).toFixed(3)} of it; profile in README "Performance")`);
  line('  target: npm test budget >= 2e8 iterates in < 3 min', iterates >= 2e8 && s < 180 ? 'met' : `NOT met (${iterates} iterates in ${s.toFixed(1)} s)`);
  // Issue 16: certifying every counterexample on the true orbit, against the catalogue run it is part of.
  {
    const { certifyViolation } = await import('../src/check/certify.js');
    const loaded = await loadLemmas(files, model);
    let ms = 0;
    let n = 0;
    let certified = 0;
    for (const o of outcomes) {
      const l = loaded.find((x) => x.ok && x.lemma.id === o.id);
      if (o.kind !== 'FALSIFIED' || !o.counterexample || o.counterexample.step === null || !l?.ok) continue;
      const t = performance.now();
      if (certifyViolation(model, l.lemma, o.counterexample).certified) certified++;
      ms += performance.now() - t;
      n++;
    }
    line('certifying the sampled counterexamples of the catalogue on the true orbit (s; share of the catalogue run)', `${(ms / 1000).toFixed(2)} (${n} counterexamples, ${certified} certified; ${((ms / 1000 / s) * 100).toFixed(1)}% of ${s.toFixed(1)} s)`);
  }
  for (const o of outcomes) {
    if (!o.tightness || !o.worstCase) continue;
    const w = o.worstCase;
    const verdict = w.searchBest !== null && w.randomBest !== null ? (w.searchBest > w.randomBest ? 'search beat the random draws' : 'search did not beat the random draws') : 'no search';
    if (o.id === 'c6-sharpness-bound-two-plus-delta') line('  target: c6 needed/stated >= 0.997', w.score >= 0.997 ? `met (${w.score.toPrecision(6)})` : `NOT met (${w.score.toPrecision(6)})`);
    line(`  worst case ${o.id} (${o.kind})`, `random ${w.randomBest?.toPrecision(6) ?? '-'}, search ${w.searchBest?.toPrecision(6) ?? '-'}: ${verdict} (${o.searchTrajectories} search trajectories)`);
  }
}
{
  // Issue 25: --jobs 2 against --jobs 1 as whole processes, and its claim against the NumPy peers and the ceiling loop.
  const { jobsFigures } = await import('./jobs.js');
  for (const f of jobsFigures()) line(f.name, f.value);
  const { peerBatchFigures } = await import('./peer-batch.js');
  for (const f of await peerBatchFigures()) line(f.name, f.value);
}
{
  const { peerFigures } = await import('./peer-compare.js');
  for (const f of await peerFigures()) line(f.name, f.value);
}
{
  // Issue 23: the region prover on its lemma files (bench/region.ts), each proof against re-checking its certificate.
  const { regionFigures } = await import('./region.js');
  for (const f of await regionFigures()) line(f.name, f.value);
}
// Issue 25 item 3: extended against float64 on the batch, kernels interleaved (bench/ext-ratio.ts prints its own lines).
await import('./ext-ratio.js');
// Issue 16: the cost of a certified step at the precision R3 needs (bench/certified.ts prints its own lines).
await import('./certified.js');
line('load average at the end (1, 5, 15 min)', loadavg().map((x) => x.toFixed(2)).join(', '));

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'mathjs';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { batchKernelSource, GDBatch, makeBatchKernel, REC, type HyperInput } from '../../src/dynamics/batch.js';
import { buildFunction, PAIR_RUNTIME_PARAMS, pairRuntime, ScaledProgram } from '../../src/symbolic/compile.js';
import { ExtArith, fromParts, type ExtFloat } from '../../src/numeric/extfloat.js';

/**
 * The scaled float64 variants of the extended kernel (ScaledProgram: one parameter far below the
 * double range, run as a double times 2^k) against the extended kernel without them, lane by lane,
 * step by step, every word of the state and the records (mantissas, exponents, warm start, eta*S,
 * loss) compared with Object.is. The oracle is the same generator with `scaled: false`: every step
 * then runs the pair or mixed code, which test/dynamics/batch.test.ts and ext-step.test.ts hold
 * bit for bit to ExtArith.
 */

const model = deriveModel(minimalistModel);
const n = model.params.length;
const oracle = makeBatchKernel(batchKernelSource(model, 'extended', { scaled: false }), n);

/** A new-kernel batch and an oracle batch from the same state; `set` may overwrite the start pairs. */
function pairOfBatches(N: number, hyper: HyperInput, init: (j: number) => number[], set?: (b: GDBatch) => void): [GDBatch, GDBatch] {
  const fast = new GDBatch(model, N, hyper, init, 'extended');
  const slow = new GDBatch(model, N, hyper, init, 'extended');
  set?.(fast);
  new Float64Array(slow.buffer).set(new Float64Array(fast.buffer));
  return [fast, slow];
}

/** Step both one iterate at a time and compare every word after each; returns the scaled steps taken. */
function lockstep(fast: GDBatch, slow: GDBatch, steps: number): number {
  const N = fast.N;
  const a = new Float64Array(fast.buffer);
  const b = new Float64Array(slow.buffer);
  const { th, thE, h, hE, warm, rec } = slow.arrays;
  // The scaled-step counter is the one word the oracle does not keep.
  const recBase = rec.byteOffset / 8;
  const skip = (w: number) => w >= recBase + REC.scaledSteps * N && w < recBase + (REC.scaledSteps + 1) * N;
  for (let t = 1; t <= steps; t++) {
    fast.run(1);
    oracle(0, N, N, 1, th, thE, h, hE, warm, rec);
    for (let w = 0; w < a.length; w++) {
      if (skip(w) || Object.is(a[w], b[w])) continue;
      throw new Error(`step ${t}: word ${w} (lane ${w % N}) differs: ${a[w]} (scaled kernel) vs ${b[w]} (oracle)`);
    }
  }
  let scaled = 0;
  for (let j = 0; j < N; j++) scaled += fast.arrays.rec[REC.scaledSteps * N + j]!;
  return scaled;
}

describe('the scaled float64 path of the extended kernel equals the extended kernel bit for bit', () => {
  // docs/paper.md section 3; R3 is the run where beta1 leaves the double range (1e-3071).
  // The share of steps on the scaled path: R1 keeps beta1 within the float64 shadow's range (it ends
  // near 3e-18), so it checks that the dispatch leaves such a run alone; in R2 and R3 beta1 falls
  // below 2^-167 early (to 2^-1638 and 2^-10204).
  it.each([
    ['R1', { eta: 1.9, lambda1: 1, lambda2: 1e-3 }, [1, 0.01, 0], 4000, 0],
    ['R2', { eta: 1.5, lambda1: 1, lambda2: 1e-3 }, [1, 0.01, 0], 6000, 0.8],
    ['R3', { eta: 1.5, lambda1: 1, lambda2: 1e-4 }, [1, 0.001, 0], 40000, 0.95],
  ] as const)('%s over its full horizon', (_name, hyper, init, steps, share) => {
    const [fast, slow] = pairOfBatches(1, hyper, () => [...init]);
    const scaled = lockstep(fast, slow, steps);
    expect(scaled).toBeGreaterThanOrEqual(share * steps);
    expect(fast.result(0).diverged).toBeNull();
  });

  // A component: an ordinary double, zero of either sign, a pair far below the double range, or a
  // double near the edges of the shadow range and of ExtFloat's band.
  const component = fc.oneof(
    fc.double({ min: -3, max: 3, noNaN: true }).map((x) => ({ m: x, e: 0 })),
    fc.constantFrom({ m: 0, e: 0 }, { m: -0, e: 0 }),
    fc.record({ m: fc.double({ min: 1, max: 2, maxExcluded: true, noNaN: true }), neg: fc.boolean(), e: fc.integer({ min: -20000, max: -401 }) }).map((r) => ({ m: r.neg ? -r.m : r.m, e: r.e })),
    fc.record({ s: fc.constantFrom(-1, 1), l: fc.integer({ min: -400, max: 60 }) }).map(({ s, l }) => ({ m: s * 1.3 * 2 ** l, e: 0 })),
  );
  const lane = fc.record({
    alpha: component,
    beta1: component,
    beta2: component,
    eta: fc.double({ min: 0.05, max: 2.5, noNaN: true }),
    lambda1: fc.constantFrom(1, 0.3, 7, 1e-3),
    lambda2: fc.constantFrom(1e-3, 1e-4, 0.05, 1e-7, 1e-60),
  });

  it('a few hundred random starts with tiny, huge, zero and far-below-range components (fast-check, fixed seed)', () => {
    let scaled = 0;
    let laneSteps = 0;
    fc.assert(
      fc.property(fc.array(lane, { minLength: 40, maxLength: 40 }), (lanes) => {
        const N = lanes.length;
        const hyper = { eta: lanes.map((l) => l.eta), lambda1: lanes.map((l) => l.lambda1), lambda2: lanes.map((l) => l.lambda2) };
        const [fast, slow] = pairOfBatches(N, hyper, () => [1, 1, 1], (b) => {
          lanes.forEach((l, j) =>
            [l.alpha, l.beta1, l.beta2].forEach((c, i) => {
              const x = fromParts(c.m, c.e);
              b.arrays.th[i * N + j] = x.m;
              b.arrays.thE[i * N + j] = x.e;
            }),
          );
        });
        scaled += lockstep(fast, slow, 300);
        laneSteps += N * 300;
      }),
      { seed: 20251206, numRuns: 8, endOnFailure: true },
    );
    // Evidence that the path under test ran (not only the oracle's own code).
    expect(scaled).toBeGreaterThan(0.1 * laneSteps);
  });
});

/**
 * The scaled code of `source` (x = z 2^k the scaled input, the other symbols doubles) as a function of (values of
 * `names` in order, z, k, res): true with the result (f, c) in res, or false where it gives up.
 */
function scaledRunner(source: string, names: string[]): { run: ScaledRun; sp: ScaledProgram } {
  const sp = new ScaledProgram(new Map([...names.map((v): [string, string] => [v, `v_${v}`]), ['x', 'z']]), 'x', 'k', 's_');
  const out = sp.emit(parse(source));
  const f = buildFunction<(...deps: unknown[]) => (...args: unknown[]) => boolean>(
    PAIR_RUNTIME_PARAMS,
    `return function (${names.map((v) => `v_${v}`).join(', ')}, z, k, res) {\n${sp.prologue().join('\n')}\n${sp.lines.join('\n')}\nres[0] = ${out.f}; res[1] = ${out.c}; return true;\n};`,
  )(...pairRuntime());
  return { run: (values, z, k, res) => f(...values, z, k, res), sp };
}

type ScaledRun = (values: number[], z: number, k: number, res: Float64Array) => boolean;

/**
 * Runs `runs` draws of `arb`, each giving the inputs (values, z, k) and ExtArith's value: every result the scaled code
 * gives must equal ExtArith's bit for bit; returns how many it gave and how many it refused.
 */
function againstExtArith<T>(run: ScaledRun, arb: fc.Arbitrary<T>, inputs: (d: T) => { values: number[]; z: number; k: number; ref: ExtFloat }, seed: number, runs: number): { decided: number; refused: number } {
  const res = new Float64Array(2);
  let decided = 0;
  let refused = 0;
  fc.assert(
    fc.property(arb, (d) => {
      const { values, z, k, ref } = inputs(d);
      if (!run(values, z, k, res)) {
        refused++;
        return;
      }
      decided++;
      const got = fromParts(res[0]!, res[1]! * k);
      if (!(Object.is(got.m, ref.m) && Object.is(got.e, ref.e))) throw new Error(`${values.join(', ')}, x=${z}*2^${k}: (${got.m}, ${got.e}) vs ExtArith (${ref.m}, ${ref.e})`);
    }),
    { seed, numRuns: runs },
  );
  return { decided, refused };
}

describe('ScaledProgram decides a sum of terms of different degree like ExtFloat', () => {
  // a + x^2 b - c x with x = z 2^k: the x^2 term is dropped only when it is below a quarter ulp of a.
  // Values are chosen around the cut-off (|x^2 b| near 2^-55 |a|) where a wrong bound would show.
  const { run, sp } = scaledRunner('a + x^2 * b - c * x', ['a', 'b', 'c']);
  // The code assumes its unscaled inputs within 2^±P (ScaledProgram.limits).
  const P = sp.limits(400)!.P;

  it('every result it gives equals ExtArith, and it gives up near the cut-off', () => {
    const A = ExtArith;
    const { decided, refused } = againstExtArith(
      run,
      fc.tuple(fc.double({ min: 1, max: 2, maxExcluded: true, noNaN: true }), fc.integer({ min: -200, max: -1 }), fc.double({ min: 0.5, max: 4, noNaN: true }), fc.double({ min: -4, max: 4, noNaN: true }), fc.integer({ min: -60, max: 60 })),
      ([z, k, b, c, shift]) => {
        // |a| near 2^(2k + 55 + shift) |b|, with its exponent clamped to the range the code assumes.
        const a = 1.5 * 2 ** Math.max(2 - P, Math.min(P - 2, 2 * k + 55 + shift));
        const x = fromParts(z, k);
        return { values: [a, b, c], z, k, ref: A.sub(A.add(A.fromNumber(a), A.mul(A.mul(x, x), A.fromNumber(b))), A.mul(A.fromNumber(c), x)) as ExtFloat };
      },
      7,
      3000,
    );
    expect(decided).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
  });
});

describe('ScaledProgram decides dominance exactly where the factor 2^(55 + d k) is far below the double range', () => {
  // a + x b with x = z 2^k and k from -900 to -2400: the test |z b| 2^(55 + k) < |a| with |b| near 2^1000 and |a| at
  // the cut-off, where 2^(55 + k) is subnormal or below every double (the factors 2^-g >= 1 of prologue).
  const { run } = scaledRunner('a + x * b', ['a', 'b']);

  it('every result it gives equals ExtArith, on both sides of the cut-off', () => {
    const { decided, refused } = againstExtArith(
      run,
      fc.tuple(fc.double({ min: 1, max: 2, maxExcluded: true, noNaN: true }), fc.integer({ min: -2400, max: -900 }), fc.integer({ min: 900, max: 1020 }), fc.integer({ min: -3, max: 3 }), fc.boolean()),
      ([z, k, lb, shift, neg]) => {
        const b = (neg ? -1.5 : 1.5) * 2 ** lb;
        const a = 1.25 * 2 ** Math.max(-1070, Math.min(1020, lb + 55 + k + shift));
        return { values: [a, b], z, k, ref: ExtArith.add(ExtArith.fromNumber(a), ExtArith.mul(fromParts(z, k), ExtArith.fromNumber(b))) as ExtFloat };
      },
      11,
      3000,
    );
    expect(decided).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
  });
});

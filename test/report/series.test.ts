import { describe, it, expect } from 'vitest';
import { MinMaxDecimator, runSeries } from '../../src/dynamics/series.js';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { loadPack } from '../../src/model/pack.js';

const pack = loadPack('minimalist');
const view = { series: pack.series, gfsSharpness: pack.roles.gfsSharpness?.quantity };
import { mulberry32 as makePrng } from '../support/prng.js';

function decimate(ys: number[], width: number) {
  const d = new MinMaxDecimator(1, width);
  ys.forEach((y, t) => d.add(t, [y]));
  d.finish();
  return { t: d.t, v: d.values[0]! };
}

describe('MinMaxDecimator', () => {
  it('keeps every point when a bucket would hold at most 2', () => {
    const ys = [3, 1, 4, 1, 5];
    expect(decimate(ys, 2)).toEqual({ t: [0, 1, 2, 3, 4], v: ys });
  });

  it('keeps the min and the max of each bucket, in the order they occurred, at the bucket ends', () => {
    // buckets of 4: [5 9 1 2] -> max first (9 at 1), then min (1 at 2); [0 0 7 3] -> 0 then 7; [8] alone
    const r = decimate([5, 9, 1, 2, 0, 0, 7, 3, 8], 4);
    expect(r.t).toEqual([0, 3, 4, 7, 8]);
    expect(r.v).toEqual([9, 1, 0, 7, 8]);
  });

  it('a one-step spike and a period-2 oscillation survive 1000-fold decimation', () => {
    const n = 100_000;
    const ys = Array.from({ length: n }, (_, t) => (t === 54_321 ? 100 : t > 80_000 ? (t % 2 ? 1 : -1) : 0));
    const r = decimate(ys, 1000);
    expect(r.t.length).toBeLessThanOrEqual(200);
    expect(Math.max(...(r.v as number[]))).toBe(100);
    const spikeAt = r.t[(r.v as number[]).indexOf(100)]!;
    expect(Math.abs(spikeAt - 54_321)).toBeLessThan(1000);
    const tail = r.v.slice(r.t.findIndex((t) => t > 81_000));
    expect(Math.min(...(tail as number[]))).toBe(-1);
    expect(Math.max(...(tail as number[]))).toBe(1);
  });

  it('the envelope of random data equals the true min and max of every bucket', () => {
    const rnd = makePrng(7);
    const ys = Array.from({ length: 12_345 }, () => rnd() * 2 - 1);
    const w = 37;
    const r = decimate(ys, w);
    for (let b = 0; b * w < ys.length; b++) {
      const chunk = ys.slice(b * w, (b + 1) * w);
      const got = chunk.length === 1 ? [r.v[2 * b]] : [r.v[2 * b], r.v[2 * b + 1]];
      expect(Math.min(...(got as number[]))).toBe(Math.min(...chunk));
      expect(Math.max(...(got as number[]))).toBe(Math.max(...chunk));
    }
  });

  it('non-finite values are gaps (null), never plotted numbers', () => {
    expect(decimate([1, NaN, -Infinity, 2], 1).v).toEqual([1, null, null, 2]);
    expect(decimate([NaN, NaN, NaN, 1, 2, 3], 3).v).toEqual([null, null, 1, 3]);
  });

  it('rejects a width that is not a positive integer', () => {
    expect(() => new MinMaxDecimator(1, 0)).toThrow(/width/);
    expect(() => new MinMaxDecimator(1, 1.5)).toThrow(/width/);
  });
});

describe('runSeries', () => {
  const model = deriveModel(minimalistModel);
  it('R3-like run: beta1 below the double range is still a finite log10 point, and the series stay small', () => {
    const r = runSeries(model, { name: 'R3', hyper: { eta: 1.5, lambda1: 1, lambda2: 1e-4 }, init: [1, 0.001, 0], steps: 8000 }, 500, view);
    const b1 = r.series.find((s) => s.key === 'log10|beta1|')!;
    expect(Math.min(...(b1.values as number[]))).toBeLessThan(-400); // about 1e-928 near step 5700: 0 as a double
    expect(r.t.length).toBeLessThanOrEqual(1000);
    expect(r.bucketWidth).toBe(17);
    expect(r.series.map((s) => s.key)).toEqual(['log10L', 'log10L_osc', 'log10L_conv', 'etaS', 'etaS_GFS', 'alpha', 'log10|beta1|', 'beta2', 'C']);
    for (const s of r.series) expect(s.values.length).toBe(r.t.length);
    expect(r.phases.eosStart).toBe(5740);
    expect(r.etaSgfsStart).toBeCloseTo(2.42705, 4);
  });

  it('reports a divergence as data and plots up to it', () => {
    const r = runSeries(model, { name: 'D', hyper: { eta: 50, lambda1: 1, lambda2: 1e-3 }, init: [1, 0.5, 0], steps: 100 });
    expect(r.termination.kind).toBe('diverged');
    expect(r.t.at(-1)).toBeLessThan(100);
  });
});

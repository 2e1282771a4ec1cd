import { describe, it, expect } from 'vitest';
import { axisValue, cellAt, cellCount, parseAxis, parseShard, shardCell, shardSize, specHash, type SweepSpec } from '../../src/sweep/grid.js';

const NAMES = ['eta', 'lambda1', 'lambda2', 'alpha', 'beta1', 'beta2'];

function spec(nx: number, ny: number): SweepSpec {
  return {
    model: { name: 'm', hash: 'h', params: ['alpha', 'beta1', 'beta2'], hypers: ['eta', 'lambda1', 'lambda2'] },
    x: { name: 'eta', min: 1, max: 2, count: nx, scale: 'linear' },
    y: { name: 'beta1', min: 1e-4, max: 1e-1, count: ny, scale: 'log' },
    hyper: { lambda1: 1, lambda2: 1e-3 },
    init: [1, null, 0],
    steps: 100,
    arith: 'extended',
    tol: 1e-8,
    catapult: 10,
  };
}

describe('sweep grid', () => {
  it('axes hit both ends exactly; log axes are evenly spaced in log10', () => {
    const a = parseAxis('y', 'lambda2=1e-4:1e-1:4:log', NAMES);
    expect(a).toEqual({ name: 'lambda2', min: 1e-4, max: 1e-1, count: 4, scale: 'log' });
    expect([0, 1, 2, 3].map((i) => Math.log10(axisValue(a, i)))).toEqual([-4, expect.closeTo(-3, 12), expect.closeTo(-2, 12), -1]);
    const l = parseAxis('x', 'eta=1:2.4:8', NAMES);
    expect(axisValue(l, 0)).toBe(1);
    expect(axisValue(l, 7)).toBe(2.4);
    expect(axisValue(l, 2)).toBeCloseTo(1.4, 14);
    expect(axisValue(parseAxis('x', 'alpha=0.5:0.5:1', NAMES), 0)).toBe(0.5);
  });

  it.each([
    ['eta=2:1:4', /min 2 is above max 1/],
    ['lambda2=0:1e-1:4:log', /log range needs min > 0/],
    ['lambda2=-1:1e-1:4:log', /log range needs min > 0/],
    ['eta=1:2:0', /count must be a whole number >= 1/],
    ['eta=1:2:-3', /count expects a whole number/],
    ['eta=1:2:2.5', /count expects a whole number/],
    ['gamma=1:2:3', /unknown axis "gamma"/],
    ['eta=0:2:3', /eta must be > 0/],
    ['eta=NaN:2:3', /expects a number, got "NaN"/],
    ['eta=1:2:3:cubic', /scale must be log or linear/],
    ['eta=1:2', /expects min:max:count/],
    ['eta', /expects name=min:max:count/],
    ['eta=1:1:3', /3 points on the empty range/],
  ])('refuses %s', (text, msg) => {
    expect(() => parseAxis('x', text, NAMES)).toThrow(msg);
  });

  it('cell k sits at ix = k mod nx, iy = k div nx, and puts the swept values in place', () => {
    const s = spec(5, 3);
    const c = cellAt(s, 13);
    expect([c.ix, c.iy]).toEqual([3, 2]);
    expect(c.hyper).toEqual({ lambda1: 1, lambda2: 1e-3, eta: axisValue(s.x, 3) });
    expect(c.init).toEqual([1, 1e-1, 0]);
  });

  it('the shards of any n partition the grid, each cell exactly once', () => {
    for (const total of [1, 7, 12, 100, 101]) {
      for (const n of [1, 2, 3, 8, 13, 150]) {
        const seen = new Array(total).fill(0);
        let sum = 0;
        for (let k = 1; k <= n; k++) {
          const size = shardSize(total, { k, n });
          sum += size;
          for (let p = 0; p < size; p++) seen[shardCell({ k, n }, p)]++;
        }
        expect(sum).toBe(total);
        expect(seen.every((c) => c === 1)).toBe(true);
      }
    }
  });

  it('parses k/n and refuses anything else', () => {
    expect(parseShard('2/8')).toEqual({ k: 2, n: 8 });
    for (const bad of ['0/2', '3/2', '1/0', '1', 'a/b', '-1/2', '1/2/3']) expect(() => parseShard(bad)).toThrow(/--shard/);
  });

  it('the grid hash changes with anything that changes a row, and only then', () => {
    const a = spec(4, 3);
    expect(specHash(a)).toBe(specHash(spec(4, 3)));
    expect(specHash(a)).not.toBe(specHash({ ...a, steps: 101 }));
    expect(specHash(a)).not.toBe(specHash({ ...a, arith: 'float64' }));
    expect(specHash(a)).not.toBe(specHash({ ...a, y: { ...a.y, scale: 'linear' } }));
    expect(specHash(a)).not.toBe(specHash({ ...a, hyper: { lambda1: 1, lambda2: 2e-3 } }));
    expect(cellCount(a)).toBe(12);
  });
});

import { describe, it, expect } from 'vitest';
import { parse } from '../../src/symbolic/mathjs.js';
import { compileExtInterval, evalExtInterval, type ExtInterval } from '../../src/symbolic/ext-interval-eval.js';
import { evalInterval } from '../../src/symbolic/interval-eval.js';
import { fromParts, toRational } from '../../src/numeric/extfloat.js';
import { Interval } from '../../src/numeric/interval.js';
import { mulberry32 } from '../support/prng.js';

/** Extended-exponent intervals must contain the exact value (rational arithmetic) at any exponent. */
describe('extended-exponent interval evaluation', () => {
  const exprs = ['a + b', 'a - b', 'a * b - c', '(a * b - 1)^2 + c^2', 'a / b + c', 'sqrt(a^2 + b^2) - c', 'max(a, b) * min(b, c) - abs(c)', '1/2 * 0.1 * (a * c)^2 + 0.3 * (a * b - 1)^2'];
  it('encloses the exact value for random operands from 2^-4000 to 2^4000', () => {
    const rand = mulberry32(77);
    let checked = 0;
    for (let t = 0; t < 600; t++) {
      const pick = () => fromParts((rand() * 2 - 1) * (1 + rand()), [0, 0, -4000, 4000, -60, -3000][Math.floor(rand() * 6)]! + Math.floor(rand() * 20));
      const vals = { a: pick(), b: pick(), c: pick() };
      const env = new Map<string, ExtInterval>(Object.entries(vals).map(([k, v]) => [k, { lo: v, hi: v }]));
      const exact = new Map<string, Interval>(Object.entries(vals).map(([k, v]) => [k, Interval.point(toRational(v))]));
      for (const e of exprs) {
        const node = parse(e);
        let got: ExtInterval;
        try {
          got = evalExtInterval(node, env);
        } catch {
          continue; // undefined or maybe undefined: the exact decider takes over
        }
        if (!Number.isFinite(got.lo.m) || !Number.isFinite(got.hi.m)) continue;
        const x = evalInterval(node, exact, 400);
        expect(toRational(got.lo).le(x.lo), `${e} lower`).toBe(true);
        expect(toRational(got.hi).ge(x.hi), `${e} upper`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('one program for several trees gives each tree its own result, and refuses operations it has no enclosure for', () => {
    const rand = mulberry32(78);
    const trees = ['(a * b - 1)^2 + c^2', 'a * b - c', '((a * b - 1)^2 + c^2) / (a^2 + 1)'].map((e) => parse(e));
    const prog = compileExtInterval(trees);
    expect([...prog.symbols].sort()).toEqual(['a', 'b', 'c']);
    for (let t = 0; t < 200; t++) {
      const pick = () => fromParts((rand() * 2 - 1) * (1 + rand()), [0, -3000, 3000][Math.floor(rand() * 3)]! + Math.floor(rand() * 20));
      const env = new Map<string, ExtInterval>(['a', 'b', 'c'].map((k) => { const v = pick(); return [k, { lo: v, hi: v }]; }));
      const got = prog.run(prog.symbols.map((s) => env.get(s)!));
      trees.forEach((tree, i) => {
        const one = evalExtInterval(tree, env);
        expect([got[i]!.lo, got[i]!.hi]).toEqual([one.lo, one.hi]);
      });
    }
    expect(() => compileExtInterval([parse('exp(a) + b')])).toThrow(/does not support exp/);
  });
});

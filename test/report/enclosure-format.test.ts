/**
 * Certified intervals as text (issue 16): the printed decimal ends are rounded outward, so the printed
 * interval contains the dyadic one at any exponent; and `trajectory --certified` prints run R1's last
 * step as such intervals, which contain the reference values of docs/paper.md section 3.
 */
import { describe, expect, it } from 'vitest';
import { decimalRounded } from '../../src/numeric/dyadic-decimal.js';
import { dyadic } from '../../src/numeric/dyadic.js';
import { Rational } from '../../src/numeric/rational.js';
import { mulberry32 } from '../support/prng.js';
import { runCli } from '../support/cli.js';

describe('outward decimal text of a dyadic', () => {
  it('rounds down and up at every exponent and digit count, and is exact when the value is', () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 2000; i++) {
      const m = BigInt(Math.floor(rand() * 2 ** 40)) * (rand() < 0.5 ? -1n : 1n) + (rand() < 0.5 ? 1n : 0n);
      if (m === 0n) continue;
      const x = dyadic(m, Math.floor(rand() * 8000) - 4000);
      const digits = 1 + Math.floor(rand() * 20);
      const exact = x.toRational();
      const lo = Rational.fromDecimalString(decimalRounded(x, digits, false));
      const hi = Rational.fromDecimalString(decimalRounded(x, digits, true));
      expect(lo.cmp(exact)).toBeLessThanOrEqual(0);
      expect(hi.cmp(exact)).toBeGreaterThanOrEqual(0);
      // The two ends are ordered (equal when x has at most `digits` digits).
      expect(lo.cmp(hi)).toBeLessThanOrEqual(0);
    }
    expect(decimalRounded(dyadic(3n, -1), 5, false)).toBe('1.5000e0');
    expect(decimalRounded(dyadic(-1n, 0), 3, true)).toBe('-1.00e0');
    expect(decimalRounded(dyadic(999n, 0), 2, true)).toBe('1.0e3');
    expect(decimalRounded(dyadic(999n, 0), 2, false)).toBe('9.9e2');
  });
});

describe('trajectory --certified', () => {
  it('encloses run R1 at its last step; the intervals contain the table values of docs/paper.md section 3', async () => {
    const r = await runCli(['trajectory', '--eta', '1.9', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0', '--steps', '4000', '--certified', '--json']);
    expect(r.code, r.err).toBe(0);
    const c = JSON.parse(r.out).certified;
    expect(c.status).toBe('certified');
    expect(c.steps).toBe(4000);
    const [lo, hi] = (c.etaS as string).slice(1, -1).split(', ').map(Number);
    // The table's 1.99534 stands for [1.995335, 1.995345).
    expect(lo).toBeGreaterThanOrEqual(1.995335);
    expect(hi).toBeLessThan(1.995345);
    const text = await runCli(['trajectory', '--eta', '1.9', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0', '--steps', '40', '--certified']);
    expect(text.out).toMatch(/^certified true orbit/m);
    expect(text.out).toMatch(/^eta S_T\s+\[\d\.\d+e0, \d\.\d+e0\]$/m);
  });
});

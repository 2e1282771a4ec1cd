import { describe, expect, it } from 'vitest';
import { DDOps, REL } from '../../src/numeric/double-double.js';
import { Rational } from '../../src/numeric/rational.js';
import { mulberry32 } from '../support/prng.js';

/**
 * The double-double tier's error bounds where they are tight: balls whose errors are large against their values, so
 * that the exact result at a corner of the two balls lies at the bound itself, and a bound rounded down by half an
 * ulp anywhere would miss it. (The enclosure conformance suite samples errors too small to reach this.)
 */
const R = (x: number) => Rational.fromDouble(x);
const ugly = (rand: () => number) => (1 + rand()) * (rand() < 0.5 ? 1 : 1 / 3) * 2 ** Math.floor((rand() - 0.5) * 60);

function ball(rand: () => number): [number, number, number] {
  const h = (rand() < 0.5 ? -1 : 1) * ugly(rand);
  // A low part of the same sign keeps |h| + |l| the value's exact magnitude (the bound's A is then attained).
  const l = rand() < 0.5 ? 0 : h * 2 ** -60 * rand();
  return [h, l, Math.abs(h) * (0.01 + rand())];
}

/** The largest |corner result - (hi + lo)| over the four corners of the two balls, exactly. */
function worst(a: [number, number, number], b: [number, number, number], op: (x: Rational, y: Rational) => Rational, hi: number, lo: number): Rational {
  const c = R(hi).add(R(lo));
  let w = Rational.ZERO;
  for (const sa of [-1, 1])
    for (const sb of [-1, 1]) {
      const x = R(a[0]).add(R(a[1])).add(R(sa * a[2]));
      const y = R(b[0]).add(R(b[1])).add(R(sb * b[2]));
      const d = op(x, y).sub(c).abs();
      if (d.gt(w)) w = d;
    }
  return w;
}

describe('DDOps error bounds', () => {
  it('mul and add bound the exact result at every corner of wide balls; the unscaled sum of their terms would not', () => {
    const rand = mulberry32(2501);
    const D = new DDOps();
    let unscaledShort = 0;
    for (let t = 0; t < 4000; t++) {
      const a = ball(rand);
      const b = ball(rand);
      D.mul(...a, ...b);
      const wm = worst(a, b, (x, y) => x.mul(y), D.hi, D.lo);
      if (wm.gt(R(D.err))) expect.fail(`mul(${a}, ${b}): corner error ${wm.toNumber()} above the bound ${D.err}`);
      // The same terms summed in round-to-nearest without the scaling: below the attained error in some cases.
      const A = Math.abs(a[0]) + Math.abs(a[1]);
      const B = Math.abs(b[0]) + Math.abs(b[1]);
      if (wm.gt(R(A * b[2] + B * a[2] + a[2] * b[2] + REL * Math.abs(D.hi)))) unscaledShort++;
      D.add(...a, ...b);
      const wa = worst(a, b, (x, y) => x.add(y), D.hi, D.lo);
      if (wa.gt(R(D.err))) expect.fail(`add(${a}, ${b}): corner error ${wa.toNumber()} above the bound ${D.err}`);
    }
    expect(unscaledShort).toBeGreaterThan(100);
  });
});

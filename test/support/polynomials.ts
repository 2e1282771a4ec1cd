import { Rational } from '../../src/numeric/rational.js';

/** Coefficients (constant term first) of scale * prod (z - r) over the given roots (repeats give multiple roots). */
export function fromRoots(roots: Rational[], scale = Rational.ONE): Rational[] {
  let c = [scale];
  for (const r of roots) {
    const next = new Array<Rational>(c.length + 1).fill(Rational.ZERO);
    c.forEach((x, k) => {
      next[k + 1] = next[k + 1]!.add(x);
      next[k] = next[k]!.sub(x.mul(r));
    });
    c = next;
  }
  return c;
}

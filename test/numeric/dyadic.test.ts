/**
 * Dyadic interval arithmetic against exact Rational arithmetic: every result contains the exact
 * result at every point of the operands (outward), and is no wider than a few units of 2^-P
 * beyond the exact range (tight); exact conversion; definedness; undecided comparisons; and the
 * certified evaluator on trees.
 */
import { describe, expect, it } from 'vitest';
import { Rational } from '../../src/numeric/rational.js';
import { mulberry32 } from '../../src/numeric/prng.js';
import { CertainlyUndefined, MaybeUndefined } from '../../src/numeric/partial.js';
import { addRounded, bitLength, compareIntervals, dyadic, dyadicFromDouble, DyadicArith, DyadicInterval, disjoint, mulRounded, type Dyadic } from '../../src/numeric/dyadic.js';
import { compileDyadic, evalDyadic, NotCertifiable } from '../../src/symbolic/dyadic-eval.js';
import { parse } from '../../src/symbolic/mathjs.js';
import { evalInterval } from '../../src/symbolic/interval-eval.js';
import { Interval } from '../../src/numeric/interval.js';

const rnd = mulberry32(16);
const int = (n: number) => Math.floor(rnd() * n);

/** A random bigint of up to `bits` bits, random sign. */
function randBig(bits: number): bigint {
  let x = 0n;
  const n = 1 + int(bits);
  for (let i = 0; i < n; i += 30) x = (x << 30n) | BigInt(int(2 ** 30));
  x >>= BigInt(Math.max(0, Math.ceil(n / 30) * 30 - n));
  if (x === 0n) x = 1n;
  return rnd() < 0.5 ? -x : x;
}

/** Random dyadics with exponents far apart (so sums exercise the sticky path) and occasional zeros. */
function randDyadic(): ReturnType<typeof dyadic> {
  if (rnd() < 0.04) return dyadic(0n);
  const spread = rnd() < 0.3 ? 6000 : 200;
  return dyadic(randBig(rnd() < 0.5 ? 60 : 400), int(spread) - spread / 2);
}

function randInterval(): DyadicInterval {
  const a = randDyadic();
  if (rnd() < 0.25) return DyadicInterval.point(a);
  // A nearby or a far second end.
  const b = rnd() < 0.5 ? dyadic(a.m + randBig(20), a.e) : randDyadic();
  return a.toRational().le(b.toRational()) ? new DyadicInterval(a, b) : new DyadicInterval(b, a);
}

const rq = (d: { toRational(): Rational }) => d.toRational();
const lo = (I: DyadicInterval) => I.lo.toRational();
const hi = (I: DyadicInterval) => I.hi.toRational();
const rmin = (xs: Rational[]) => xs.reduce((m, x) => (x.lt(m) ? x : m));
const rmax = (xs: Rational[]) => xs.reduce((m, x) => (x.gt(m) ? x : m));

/** |got - exact| <= 2^-slackBits * max(|exact|, 2^-tinyExp): tight to about 2^-P. */
function near(got: Rational, exact: Rational, slackBits: number): boolean {
  const d = got.sub(exact).abs();
  if (d.isZero()) return true;
  return d.log2Abs() <= exact.log2Abs() - slackBits;
}

/** The exact range of a binary operation over two intervals, from its values at the end points (monotone in each argument on each sign piece). */
function exactRange(a: DyadicInterval, b: DyadicInterval, f: (x: Rational, y: Rational) => Rational): [Rational, Rational] {
  const vs = [lo(a), hi(a)].flatMap((x) => [lo(b), hi(b)].map((y) => f(x, y)));
  return [rmin(vs), rmax(vs)];
}

describe('dyadic interval arithmetic vs exact rationals', () => {
  for (const P of [53, 128, 300]) {
    const A = new DyadicArith(P);
    it(`+ - * / at ${P} bits are outward and tight (random operands, exponents up to +-3000 apart)`, () => {
      let checked = 0;
      for (let k = 0; k < 400; k++) {
        const a = randInterval();
        const b = randInterval();
        const ops: [string, (x: DyadicInterval, y: DyadicInterval) => DyadicInterval, (x: Rational, y: Rational) => Rational][] = [
          ['add', (x, y) => A.add(x, y), (x, y) => x.add(y)],
          ['sub', (x, y) => A.sub(x, y), (x, y) => x.sub(y)],
          ['mul', (x, y) => A.mul(x, y), (x, y) => x.mul(y)],
        ];
        if (!b.containsZero()) ops.push(['div', (x, y) => A.div(x, y), (x, y) => x.div(y)]);
        for (const [name, f, g] of ops) {
          const r = f(a, b);
          const [elo, ehi] = exactRange(a, b, g);
          // Outward: the exact range lies inside, so every exact result at points of a and b does too.
          expect(lo(r).le(elo), `${name} lo`).toBe(true);
          expect(ehi.le(hi(r)), `${name} hi`).toBe(true);
          // Tight: each end at most a few units of the P-th bit beyond the exact end.
          expect(near(lo(r), elo, P - 2) || (elo.isZero() && lo(r).isZero()), `${name} lo tight`).toBe(true);
          expect(near(hi(r), ehi, P - 2) || (ehi.isZero() && hi(r).isZero()), `${name} hi tight`).toBe(true);
          // An interior exact point maps inside too.
          const x = lo(a).add(hi(a)).div(Rational.fromInt(2));
          const y = lo(b).add(hi(b)).div(Rational.fromInt(2));
          if (name !== 'div' || !y.isZero()) expect(r.contains(g(x, y)), `${name} interior`).toBe(true);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(1400);
    });

    it(`integer powers and sqrt at ${P} bits are outward and tight`, () => {
      for (let k = 0; k < 150; k++) {
        const a = randInterval();
        const p = 2 + int(9);
        const r = A.powi(a, p);
        const ends = [lo(a).pow(p), hi(a).pow(p)];
        const elo = a.containsZero() && p % 2 === 0 ? Rational.ZERO : rmin(ends);
        const ehi = rmax(ends);
        expect(lo(r).le(elo) && ehi.le(hi(r))).toBe(true);
        expect(near(lo(r), elo, P - 8) || elo.isZero()).toBe(true);
        expect(near(hi(r), ehi, P - 8)).toBe(true);
        if (!a.containsZero()) {
          const inv = A.powi(a, -p);
          expect(lo(inv).le(rmin(ends.map((e) => e.inv()))) && rmax(ends.map((e) => e.inv())).le(hi(inv))).toBe(true);
        }
        const pos = a.lo.m >= 0n ? a : A.abs(a);
        if (pos.lo.m >= 0n) {
          const s = A.sqrt(pos);
          // sqrt lo^2 <= x.lo and x.hi <= sqrt hi^2: the exact roots lie inside.
          expect(lo(s).pow(2).le(lo(pos)) && hi(pos).le(hi(s).pow(2))).toBe(true);
          if (!lo(pos).isZero()) expect(near(lo(s).pow(2), lo(pos), P - 3)).toBe(true);
          expect(near(hi(s).pow(2), hi(pos), P - 3)).toBe(true);
        }
      }
    });
  }

  it('values far outside the double range are ordinary: (2^-1074)^5 and 1e-300^11 exactly enclosed', () => {
    const A = new DyadicArith(64);
    const t = DyadicInterval.fromDouble(5e-324);
    expect(A.powi(t, 5).isPoint()).toBe(true);
    expect(rq(A.powi(t, 5).lo).eq(Rational.of(1n, 1n << 5370n))).toBe(true);
    const x = DyadicInterval.fromDouble(1e-300);
    const r = A.powi(x, 11);
    expect(r.contains(Rational.fromDouble(1e-300).pow(11))).toBe(true);
    expect(r.lo.log2Abs()).toBeCloseTo(11 * Math.log2(1e-300), 6);
  });

  it('doubles convert exactly from their bits (normal, subnormal, negative, -0)', () => {
    const xs = [1, -1, 0.1, 1e-3, 5e-324, -2.2250738585072014e-308, 1.7976931348623157e308, -0, 3.14159];
    for (let k = 0; k < 200; k++) xs.push((rnd() - 0.5) * 2 ** (int(2000) - 1000));
    for (const x of xs) expect(rq(dyadicFromDouble(x)).eq(Rational.fromDouble(x))).toBe(true);
    expect(() => dyadicFromDouble(NaN)).toThrow(RangeError);
  });

  it('rationals convert exactly when dyadic, else to a tight enclosure', () => {
    const A = new DyadicArith(100);
    expect(A.fromRational(Rational.of(3n, 1024n)).isPoint()).toBe(true);
    const third = A.fromRational(Rational.of(1n, 3n));
    expect(third.contains(Rational.of(1n, 3n)) && !third.isPoint()).toBe(true);
    expect(near(lo(third), Rational.of(1n, 3n), 98) && near(hi(third), Rational.of(1n, 3n), 98)).toBe(true);
    const negTenth = A.fromRational(Rational.of(-1n, 10n));
    expect(negTenth.contains(Rational.of(-1n, 10n))).toBe(true);
  });

  it('bitLength is exact, including at powers of two and above 2^1000', () => {
    for (const k of [1, 52, 53, 54, 999, 1000, 1001, 5000]) {
      expect(bitLength(1n << BigInt(k))).toBe(k + 1);
      expect(bitLength((1n << BigInt(k)) - 1n)).toBe(k);
      expect(bitLength(-(1n << BigInt(k)))).toBe(k + 1);
    }
  });

  it('partial operations: division by an enclosure of 0, sqrt below 0', () => {
    const A = new DyadicArith(64);
    const one = DyadicInterval.fromDouble(1);
    const zero = DyadicInterval.fromDouble(0);
    const straddle = new DyadicInterval(dyadicFromDouble(-1), dyadicFromDouble(2));
    expect(() => A.div(one, zero)).toThrow(CertainlyUndefined);
    expect(() => A.div(one, straddle)).toThrow(MaybeUndefined);
    expect(() => A.powi(straddle, -2)).toThrow(MaybeUndefined);
    expect(() => A.sqrt(straddle)).toThrow(MaybeUndefined);
    expect(() => A.sqrt(new DyadicInterval(dyadicFromDouble(-2), dyadicFromDouble(-1)))).toThrow(CertainlyUndefined);
    expect(A.sqrt(zero).isPoint()).toBe(true);
  });

  it('comparisons: separated enclosures decide, overlapping ones are undecided, equal points are equal', () => {
    const I = (a: number, b: number) => new DyadicInterval(dyadicFromDouble(a), dyadicFromDouble(b));
    expect(compareIntervals(I(1, 2), '<', I(3, 4))).toBe(true);
    expect(compareIntervals(I(1, 2), '>=', I(3, 4))).toBe(false);
    expect(compareIntervals(I(1, 3), '<', I(2, 4))).toBe('undecided');
    expect(compareIntervals(I(1, 3), '==', I(2, 4))).toBe('undecided');
    expect(compareIntervals(I(1, 2), '<=', I(2, 4))).toBe(true);
    expect(compareIntervals(I(1, 2), '<', I(2, 4))).toBe('undecided');
    expect(compareIntervals(I(2, 2), '==', I(2, 2))).toBe(true);
    expect(compareIntervals(I(1, 1), '==', I(2, 2))).toBe(false);
    expect(disjoint(I(1, 2), I(3, 4)) && !disjoint(I(1, 3), I(3, 4))).toBe(true);
  });

  it('relative width: exact threshold test and the report figure', () => {
    const A = new DyadicArith(80);
    const third = A.fromRational(Rational.of(1n, 3n));
    expect(third.relWidthExceeds(70)).toBe(false);
    expect(third.relWidthExceeds(85)).toBe(true);
    expect(third.relWidthLog2()).toBeLessThan(-78);
    expect(DyadicInterval.fromDouble(0.1).relWidthLog2()).toBe(-Infinity);
    expect(new DyadicInterval(dyadicFromDouble(-1), dyadicFromDouble(1)).relWidthExceeds(1)).toBe(true);
  });
});

describe('operations on points take one exact result, rounded both ways', () => {
  it('add, sub and mul of points have the ends addRounded and mulRounded give, and exact results stay points', () => {
    const rnd = mulberry32(2512);
    const draw = (): Dyadic => {
      const kind = Math.floor(rnd() * 6);
      if (kind === 0) return dyadic(0n);
      const bits = 1 + Math.floor(rnd() * (kind === 1 ? 300 : 70));
      let m = 0n;
      for (let i = 0; i < bits; i += 30) m = (m << 30n) | BigInt(Math.floor(rnd() * 2 ** 30));
      m = (m % (1n << BigInt(bits))) + 1n;
      // Exponents near each other, and far apart (the sticky shortcut).
      const e = kind === 2 ? Math.floor(rnd() * 4000) - 2000 : Math.floor(rnd() * 80) - 40;
      return dyadic(rnd() < 0.5 ? -m : m, e);
    };
    const same = (x: Dyadic, y: Dyadic) => x.m === y.m && x.e === y.e;
    let points = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const P = [8, 24, 53, 64, 128][trial % 5]!;
      const A = new DyadicArith(P);
      const a = draw();
      const b = draw();
      const nb = dyadic(-b.m, b.e);
      const cases: [DyadicInterval, Dyadic, Dyadic][] = [
        [A.add(DyadicInterval.point(a), DyadicInterval.point(b)), addRounded(a, b, P, false), addRounded(a, b, P, true)],
        [A.sub(DyadicInterval.point(a), DyadicInterval.point(b)), addRounded(a, nb, P, false), addRounded(a, nb, P, true)],
        [A.mul(DyadicInterval.point(a), DyadicInterval.point(b)), mulRounded(a, b, P, false), mulRounded(a, b, P, true)],
      ];
      for (const [r, lo, hi] of cases) {
        expect(same(r.lo, lo) && same(r.hi, hi), `P ${P}: ${a.m}*2^${a.e}, ${b.m}*2^${b.e}`).toBe(true);
        if (same(lo, hi)) {
          expect(r.lo === r.hi, 'an exact result is a point').toBe(true);
          points++;
        }
      }
    }
    expect(points).toBeGreaterThan(500);
  });
});

describe('the certified evaluator (dyadic-eval)', () => {
  const A = new DyadicArith(120);
  it('agrees with exact rational evaluation: the exact value lies in a tight enclosure', () => {
    const trees = ['1/2 * l1 * (a * b)^2 + 1/2 * l2 * (a * c - 1)^2', '(a - b) / (c^2 + 1) + sqrt(a^2 + 4) - max(a, b) * min(c, 0.1)', 'abs(a - 3) * (b - c)^-2'].map((t) => parse(t));
    const syms = ['a', 'b', 'c', 'l1', 'l2'];
    const prog = compileDyadic(trees, syms);
    for (let k = 0; k < 60; k++) {
      const xs = syms.map(() => (rnd() - 0.5) * 2 ** (int(40) - 20));
      const out = prog.run(xs.map((x) => DyadicInterval.fromDouble(x)), A);
      const env = new Map(syms.map((s, i) => [s, Interval.point(Rational.fromDouble(xs[i]!))]));
      trees.forEach((t, i) => {
        const ex = evalInterval(t, env, 400);
        // Rational evaluation is exact for rational trees; the sqrt tree is itself a tight enclosure.
        expect(lo(out[i]!).le(ex.lo) && ex.hi.le(hi(out[i]!)), t.toString()).toBe(true);
        expect(near(lo(out[i]!), ex.lo, 100) && near(hi(out[i]!), ex.hi, 100), `${t.toString()} tight`).toBe(true);
      });
    }
  });

  it('constants are exact decimals (0.1 is 1/10, not the double), folded at compile time', () => {
    const r = evalDyadic(parse('0.1 * 10 - 1'), new Map(), A);
    expect(r.isPoint() && r.lo.m === 0n).toBe(true);
    const tenth = evalDyadic(parse('0.1'), new Map(), A);
    expect(tenth.contains(Rational.of(1n, 10n)) && !tenth.contains(Rational.fromDouble(0.1))).toBe(true);
  });

  it('same definedness as the other evaluators, and no approximation of what it cannot enclose', () => {
    const env = new Map([['x', DyadicInterval.fromDouble(0)]]);
    expect(() => evalDyadic(parse('1 / x'), env, A)).toThrow(CertainlyUndefined);
    expect(() => evalDyadic(parse('1 / (x - 0.5)'), new Map([['x', new DyadicInterval(dyadicFromDouble(0), dyadicFromDouble(1))]]), A)).toThrow(MaybeUndefined);
    for (const t of ['exp(x)', 'log(x + 1)', 'log10(x + 1)', 'x^(1/2)']) expect(() => compileDyadic([parse(t)], ['x']), t).toThrow(/not supported by the certified evaluator/);
    expect(() => compileDyadic([parse('x + y')], ['x'])).toThrow(NotCertifiable);
  });

  it('logs on request: enclosed at any magnitude, with the same definedness', () => {
    for (const t of ['exp(x)', 'x^(1/2)']) expect(() => compileDyadic([parse(t)], ['x'], { logs: true }), t).toThrow(NotCertifiable);
    const p = compileDyadic([parse('log10(abs(x))'), parse('log2(x)'), parse('log(x)')], ['x'], { logs: true });
    // x = 3 * 2^-5000: log2 x = log2 3 - 5000, log10 x = log10 3 - 5000 log10 2, ln x = ln 3 - 5000 ln 2 (40 digits).
    const x = Rational.of(3n, 1n << 5000n);
    const [l10, l2, ln] = p.run([new DyadicInterval(A.fromRational(x).lo, A.fromRational(x).hi)], A);
    const dec = (s: string) => Rational.fromDecimalString(s);
    expect(l10!.contains(dec('0.4771212547196624372950279032551153092001').sub(dec('0.3010299956639811952137388947244930267682').mul(Rational.fromInt(5000))))).toBe(true);
    expect(l2!.contains(dec('1.584962500721156181453738943947816508759').sub(Rational.fromInt(5000)))).toBe(true);
    expect(ln!.contains(dec('1.098612288668109691395245236922525704647').sub(dec('0.6931471805599453094172321214581765680755').mul(Rational.fromInt(5000))))).toBe(true);
    expect(() => p.run([DyadicInterval.fromDouble(0)], A)).toThrow(CertainlyUndefined);
    expect(() => p.run([new DyadicInterval(dyadicFromDouble(0), dyadicFromDouble(1))], A)).toThrow(MaybeUndefined);
  });

  it('shares common subterms across trees', () => {
    const shared = compileDyadic([parse('(a * b + 1)^2'), parse('(a * b + 1) * 3')], ['a', 'b']);
    expect(shared.size).toBe(4); // a*b, +1, ^2, *3
  });
});

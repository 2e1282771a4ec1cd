/**
 * The certificate checker's own exact rationals: bigint fractions, normalized (gcd(n, d) = 1, d > 0).
 * Deliberately separate from src/numeric/rational.ts, so that the checker shares no arithmetic code
 * with the prover it re-checks (it shares only the mathjs parser).
 */

function babs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

const SAFE = 2n ** 53n - 1n;

function gcd(a: bigint, b: bigint): bigint {
  a = babs(a);
  b = babs(b);
  if (a === 0n) return b;
  if (b === 0n) return a;
  // A power of two (dyadic split points): the gcd is a power of two too.
  if ((b & (b - 1n)) === 0n) {
    const low = a & -a;
    return low < b ? low : b;
  }
  if ((a & (a - 1n)) === 0n) {
    const low = b & -b;
    return low < a ? low : a;
  }
  // gcd(2^i a', 2^j b') = 2^min(i, j) gcd(a', b') for odd a', b': the odd parts of the numbers a check meets are
  // small (denominators are 2^k times a power of 10 from a decimal literal), so Euclid runs on doubles after one
  // bigint remainder.
  const la = a & -a;
  const lb = b & -b;
  const two = la < lb ? la : lb;
  a /= la;
  b /= lb;
  if (a < b) [a, b] = [b, a];
  return two * oddGcd(a, b);
}

function oddGcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) {
    if (a <= SAFE && b <= SAFE) {
      // Both small: double arithmetic is exact below 2^53 and much faster than bigint.
      let x = Number(a);
      let y = Number(b);
      while (y !== 0) [x, y] = [y, x % y];
      return BigInt(x);
    }
    [a, b] = [b, a % b];
  }
  return a;
}

/** Bit length of a non-negative bigint (0 for 0). */
export function bitLength(x: bigint): number {
  if (x === 0n) return 0;
  const h = x.toString(16);
  return 4 * (h.length - 1) + (32 - Math.clz32(parseInt(h[0]!, 16)));
}

/** floor(sqrt(x)) of a non-negative bigint, by Newton's iteration from above. */
export function isqrt(x: bigint): bigint {
  if (x < 0n) throw new RangeError('isqrt of a negative number');
  if (x < 2n) return x;
  let r = 1n << BigInt((bitLength(x) + 1) >> 1); // >= sqrt(x)
  for (;;) {
    const next = (r + x / r) >> 1n;
    if (next >= r) return r;
    r = next;
  }
}

export class Q {
  private constructor(
    readonly n: bigint,
    readonly d: bigint,
  ) {}

  static readonly ZERO = new Q(0n, 1n);
  static readonly ONE = new Q(1n, 1n);

  /** n/d normalized; d must be nonzero. */
  static of(n: bigint, d: bigint = 1n): Q {
    if (d === 0n) throw new RangeError('rational with a zero denominator');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    if (d === 1n) return new Q(n, 1n);
    const g = gcd(n, d);
    return g === 1n ? new Q(n, d) : new Q(n / g, d / g);
  }

  static int(k: number | bigint): Q {
    return new Q(BigInt(k), 1n);
  }

  /** The certificate's number syntax: "p/q" or "p", decimal integers (q > 0). Undefined if malformed. */
  static parseRatio(s: unknown): Q | undefined {
    if (typeof s !== 'string') return undefined;
    const m = /^([+-]?\d+)(?:\/(\d+))?$/.exec(s.trim());
    if (!m) return undefined;
    const d = m[2] === undefined ? 1n : BigInt(m[2]);
    return d === 0n ? undefined : Q.of(BigInt(m[1]!), d);
  }

  /** A decimal literal exactly as written: 0.1 = 1/10, 2.5e-3 = 1/400, 7. = 7, .5 = 1/2. Undefined if malformed. */
  static parseDecimal(s: string): Q | undefined {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
    const frac = m[3] ?? '';
    let n = BigInt((m[2] || '0') + frac);
    if (m[1] === '-') n = -n;
    const e = (m[4] === undefined ? 0 : Number(m[4])) - frac.length;
    if (!Number.isSafeInteger(e) || Math.abs(e) > 4096) return undefined;
    return e >= 0 ? Q.of(n * 10n ** BigInt(e)) : Q.of(n, 10n ** BigInt(-e));
  }

  sign(): number {
    return this.n > 0n ? 1 : this.n < 0n ? -1 : 0;
  }
  isZero(): boolean {
    return this.n === 0n;
  }
  isInteger(): boolean {
    return this.d === 1n;
  }
  neg(): Q {
    return new Q(-this.n, this.d);
  }
  add(o: Q): Q {
    if (this.d === o.d) return Q.of(this.n + o.n, this.d);
    return Q.of(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Q): Q {
    return this.add(o.neg());
  }
  mul(o: Q): Q {
    if (this.n === 0n || o.n === 0n) return Q.ZERO;
    // Cross-cancel first: the operands are normalized, so this leaves a normalized product.
    const g1 = gcd(this.n, o.d);
    const g2 = gcd(o.n, this.d);
    return new Q((this.n / g1) * (o.n / g2), (this.d / g2) * (o.d / g1));
  }
  div(o: Q): Q {
    if (o.n === 0n) throw new RangeError('division by zero');
    return this.mul(o.n < 0n ? new Q(-o.d, -o.n) : new Q(o.d, o.n));
  }
  /** this^k for an integer k >= 0. */
  pow(k: number): Q {
    return new Q(this.n ** BigInt(k), this.d ** BigInt(k));
  }
  cmp(o: Q): number {
    const x = this.n * o.d - o.n * this.d;
    return x > 0n ? 1 : x < 0n ? -1 : 0;
  }
  lt(o: Q): boolean {
    return this.cmp(o) < 0;
  }
  le(o: Q): boolean {
    return this.cmp(o) <= 0;
  }
  eq(o: Q): boolean {
    return this.n === o.n && this.d === o.d;
  }
  static min(a: Q, b: Q): Q {
    return a.le(b) ? a : b;
  }
  static max(a: Q, b: Q): Q {
    return a.le(b) ? b : a;
  }
  /** The midpoint of this and o. */
  mid(o: Q): Q {
    return this.add(o).mul(Q.of(1n, 2n));
  }

  /**
   * Rational bounds [lo, hi] on sqrt(this) for this >= 0: exact when this is the square of a rational,
   * else dyadic bounds with about `bits` significant bits (lo <= sqrt <= hi, rounded outward).
   */
  sqrtBounds(bits = 128): [Q, Q] {
    if (this.n < 0n) throw new RangeError('sqrt of a negative number');
    if (this.n === 0n) return [Q.ZERO, Q.ZERO];
    const rn = isqrt(this.n);
    const rd = isqrt(this.d);
    if (rn * rn === this.n && rd * rd === this.d) {
      const r = new Q(rn, rd);
      return [r, r];
    }
    // sqrt(n/d) * 2^p = sqrt(n 4^p / d); p chosen so that the integer root has about `bits` bits.
    const half = (bitLength(this.n) - bitLength(this.d)) >> 1;
    const p = Math.max(0, bits - half);
    const scaled = this.n << BigInt(2 * p);
    const floor = scaled / this.d; // floor(n 4^p / d) <= n 4^p / d
    const ceil = floor * this.d === scaled ? floor : floor + 1n;
    const lo = isqrt(floor); // lo^2 <= n 4^p / d
    let hi = isqrt(ceil);
    if (hi * hi < ceil) hi += 1n; // hi^2 >= n 4^p / d
    const den = 1n << BigInt(p);
    return [Q.of(lo, den), Q.of(hi, den)];
  }

  /** Is the denominator a power of two? */
  isDyadic(): boolean {
    return (this.d & (this.d - 1n)) === 0n;
  }

  /**
   * A dyadic m 2^e with |m| < 2^(bits + 2) next to this on the side `up` says (>= this when up, <= when down):
   * an outward rounding for interval ends.
   */
  roundDyadic(bits: number, up: boolean): Q {
    if (this.n === 0n) return this;
    const e = bitLength(babs(this.n)) - bitLength(this.d) - bits;
    // this = n / d = (n 2^-e / d) 2^e; floor or ceil the scaled quotient.
    const num = e >= 0 ? this.n : this.n << BigInt(-e);
    const den = e >= 0 ? this.d << BigInt(e) : this.d;
    let m = num / den; // truncated toward 0
    if (m * den !== num) {
      if (up && num > 0n) m += 1n;
      if (!up && num < 0n) m -= 1n;
    }
    return e >= 0 ? Q.of(m << BigInt(e)) : Q.of(m, 1n << BigInt(-e));
  }

  toString(): string {
    return this.d === 1n ? this.n.toString() : `${this.n}/${this.d}`;
  }

  /** A short decimal approximation, for messages only. */
  approx(): string {
    if (this.n === 0n) return '0';
    const e = bitLength(babs(this.n)) - bitLength(this.d);
    if (e > 60 || e < -40) return `${this.sign() < 0 ? '-' : ''}~2^${e}`;
    const scale = 1n << 80n;
    const v = Number((this.n * scale) / this.d) / 2 ** 80;
    return String(Number(v.toPrecision(10)));
  }
}

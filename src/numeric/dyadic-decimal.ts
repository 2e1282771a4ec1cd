/**
 * Decimal text of a certified enclosure that is itself an enclosure: the lower end rounded down and the
 * upper end rounded up at the digits shown (exact BigInt arithmetic, any exponent), so a printed
 * interval contains every value the dyadic one does. Dyadic.toString is approximate and only for logs.
 */
import type { Dyadic, DyadicInterval } from './dyadic.js';

const TEN = 10n;

function pow10(k: number): bigint {
  return TEN ** BigInt(k);
}

/** x = m 2^e rounded to `digits` significant decimal digits, down (toward -inf) or up. */
export function decimalRounded(x: Dyadic, digits: number, up: boolean): string {
  if (x.m === 0n) return '0';
  // num / den is x exactly.
  let num = x.e >= 0 ? x.m << BigInt(x.e) : x.m;
  let den = x.e >= 0 ? 1n : 1n << BigInt(-x.e);
  const neg = num < 0n;
  if (neg) num = -num;
  // k with 10^(digits-1) <= |x| / 10^k < 10^digits: estimated from log2, then corrected exactly.
  let k = Math.floor(x.log2Abs() * Math.LOG10E * Math.LN2) - (digits - 1);
  const scaled = (kk: number): [bigint, bigint] => (kk >= 0 ? [num, den * pow10(kk)] : [num * pow10(-kk), den]);
  for (;;) {
    const [n, d] = scaled(k);
    if (n < pow10(digits - 1) * d) k--;
    else if (n >= pow10(digits) * d) k++;
    else break;
  }
  const [n, d] = scaled(k);
  // Rounding the magnitude away from zero is rounding up for a positive x and down for a negative one.
  const away = up !== neg;
  let q = n / d;
  if (away && q * d !== n) q++;
  let s = q.toString();
  if (s.length > digits) {
    // 9.99..9 rounded away became 10.00..0: one more power of ten.
    s = s.slice(0, digits);
    k++;
  }
  const exp = k + digits - 1;
  const mant = s.length > 1 ? `${s[0]}.${s.slice(1)}` : s;
  return `${neg ? '-' : ''}${mant}e${exp}`;
}

/** [lo, hi] at `digits` significant digits, rounded outward; a point prints once. */
export function intervalText(x: DyadicInterval, digits = 17): string {
  if (x.isPoint()) return decimalRounded(x.lo, digits, false) === decimalRounded(x.lo, digits, true) ? decimalRounded(x.lo, digits, false) : `[${decimalRounded(x.lo, digits, false)}, ${decimalRounded(x.lo, digits, true)}]`;
  return `[${decimalRounded(x.lo, digits, false)}, ${decimalRounded(x.hi, digits, true)}]`;
}

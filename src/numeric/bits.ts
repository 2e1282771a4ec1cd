/**
 * Bit lengths and powers of two of bigints: the one place rational, interval and dyadic arithmetic take them from.
 */

const P2: bigint[] = [];
/** 2^k as a bigint (cached: the working precisions use few distinct k). */
export function pow2(k: number): bigint {
  return (P2[k] ??= 1n << BigInt(k));
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
/** The index of the word holding a double's sign and exponent. */
const HI = U32[1] === 0x3ff00000 ? 1 : 0;
const TWO_1000 = 1n << 1000n;

/** Bit length of |x| (0 for 0). */
export function bitLength(x: bigint): number {
  if (x < 0n) x = -x;
  if (x === 0n) return 0;
  if (x < TWO_1000) {
    // Number(x) is x rounded to nearest, so its exponent is the bit length minus 1, or the bit length
    // when x rounds up to a power of two: one exact comparison tells (no string of the digits).
    F64[0] = Number(x);
    const E = ((U32[HI]! >>> 20) & 0x7ff) - 1023;
    return x < pow2(E) ? E : E + 1;
  }
  const h = x.toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0]!, 16)));
}

import type { MathNode } from 'mathjs';
import { Rational } from '../numeric/rational.js';
import { BIG, DDOps, FLOOR, GiveUp, GROW, REL, SMALL, SPLIT } from '../numeric/double-double.js';
import { up } from '../numeric/outward.js';
import { fold, type Backend } from './algebra.js';
import { constantToRational } from './rational-function.js';

/**
 * The float filter's second tier, as a backend of the expression algebra: straight-line code over
 * double-double values with a rigorous error bound (numeric/double-double.ts). Inputs E: symbol
 * slot i is value E[3i] + E[3i+1] with |error| <= E[3i+2]. Outputs O likewise. Throws GiveUp where
 * the tier cannot bound a result (the caller decides exactly). Operations it does not support
 * (exp, log, non-integer powers, division except by powers of two) are refused at compile time, and
 * the comparison simply has no second tier.
 */
export type DDKernel = (E: Float64Array, O: Float64Array) => void;

interface Atom {
  h: string;
  l: string;
  e: string;
}

function lit(x: number): string {
  return Object.is(x, -0) ? '(-0)' : x < 0 ? `(${String(x)})` : String(x);
}

/** The double-double nearest a decimal constant, with a bound on its error. */
function ddConstant(value: number): [number, number, number] {
  const exact = constantToRational(value);
  const hi = exact.toNumber();
  const rest = exact.sub(Rational.fromDouble(hi));
  const lo = rest.toNumber();
  const err = rest.sub(Rational.fromDouble(lo)).abs().toNumber();
  return [hi, lo, err === 0 ? 0 : up(up(err) * 2)];
}

export function compileDDKernel(trees: readonly MathNode[], slotOf: (name: string) => number): DDKernel | undefined {
  const lines: string[] = [];
  const memo = new Map<string, Atom>();
  let count = 0;
  const bind = (key: string, call: string): Atom => {
    const hit = memo.get(key);
    if (hit) return hit;
    const k = count++;
    const a = { h: `d${k}h`, l: `d${k}l`, e: `d${k}e` };
    lines.push(`${call}; const ${a.h} = R.hi, ${a.l} = R.lo, ${a.e} = R.err;`);
    memo.set(key, a);
    return a;
  };
  const args = (...xs: Atom[]) => xs.map((x) => `${x.h}, ${x.l}, ${x.e}`).join(', ');
  const op2 = (name: string) => (a: Atom, b: Atom) => bind(`${name}(${a.h},${b.h})`, `R.${name}(${args(a, b)})`);
  /**
   * add, sub and mul written out (no call, no field traffic per operation): DDOps' operations term for term, in its
   * order, so each gives DDOps' bits (test/symbolic/dd-kernel.test.ts); `body` leaves the result in locals h, l, e.
   */
  const inline = (key: string, body: string): Atom => {
    const hit = memo.get(key);
    if (hit) return hit;
    const k = count++;
    const a = { h: `d${k}h`, l: `d${k}l`, e: `d${k}e` };
    // DDOps.set: out of range gives up; a nonzero value below SMALL becomes 0 with its magnitude added to the error.
    lines.push(
      `let ${a.h}, ${a.l}, ${a.e}; { ${body} const a = Math.abs(h); if (!(a < ${BIG}) || !(e - e === 0)) throw new G('double-double range');` +
        ` if (a !== 0 && a < ${SMALL}) { ${a.h} = 0; ${a.l} = 0; ${a.e} = up(up(e + ${SMALL}) + up(a + Math.abs(l))); } else { ${a.h} = h; ${a.l} = l; ${a.e} = e; } }`,
    );
    memo.set(key, a);
    return a;
  };
  // AccurateDWPlusDW: twoSum of the highs and of the lows, then two renormalisations (DDOps.add).
  const addTerms = (ah: string, al: string, ae: string, bh: string, bl: string, be: string) =>
    `const s1 = ${ah} + ${bh}, b1 = s1 - ${ah}, sl = ${ah} - (s1 - b1) + (${bh} - b1);` +
    ` const t1 = ${al} + ${bl}, b2 = t1 - ${al}, tl = ${al} - (t1 - b2) + (${bl} - b2);` +
    ` const v1 = sl + t1, r1 = s1 + v1, q1 = v1 - (r1 - s1), v2 = q1 + tl, h = r1 + v2, l = v2 - (h - r1);` +
    ` const e = (${ae} + ${be} + ${REL} * Math.abs(h)) * ${GROW} + ${FLOOR};`;
  const add = (a: Atom, b: Atom) => inline(`add(${a.h},${b.h})`, addTerms(a.h, a.l, a.e, b.h, b.l, b.e));
  const sub = (a: Atom, b: Atom) => inline(`sub(${a.h},${b.h})`, addTerms(a.h, a.l, a.e, `(-${b.h})`, `(-${b.l})`, b.e));
  // Dekker's product of the highs (Veltkamp splitting), the cross terms, one renormalisation (DDOps.mul).
  const mul = (a: Atom, b: Atom) =>
    inline(
      `mul(${a.h},${b.h})`,
      `const p = ${a.h} * ${b.h}; let t = ${SPLIT} * ${a.h}; const ah = t - (t - ${a.h}), al = ${a.h} - ah; t = ${SPLIT} * ${b.h}; const bh = t - (t - ${b.h}), bl = ${b.h} - bh;` +
        ` const pl = ah * bh - p + ah * bl + al * bh + al * bl + (${a.h} * ${b.l} + ${a.l} * ${b.h}), h = p + pl, l = pl - (h - p);` +
        ` const A = Math.abs(${a.h}) + Math.abs(${a.l}), B = Math.abs(${b.h}) + Math.abs(${b.l});` +
        ` const e = (A * ${b.e} + B * ${a.e} + ${a.e} * ${b.e} + ${REL} * Math.abs(h)) * ${GROW} + ${FLOOR};`,
    );
  const powi = (a: Atom, k: number): Atom => {
    if (k === 0) return { h: '1', l: '0', e: '0' };
    if (k < 0) return op2('div')({ h: '1', l: '0', e: '0' }, powi(a, -k));
    if (k === 1) return a;
    const half = powi(a, Math.floor(k / 2));
    const sq = mul(half, half);
    return k % 2 === 0 ? sq : mul(sq, a);
  };
  const backend: Backend<Atom> = {
    name: 'the double-double filter',
    constant(value) {
      const [h, l, e] = ddConstant(value);
      return { h: lit(h), l: lit(l), e: lit(e) };
    },
    symbol(name) {
      const i = slotOf(name);
      return { h: `E[${3 * i}]`, l: `E[${3 * i + 1}]`, e: `E[${3 * i + 2}]` };
    },
    neg: (a) => bind(`neg(${a.h})`, `R.neg(${args(a)})`),
    add,
    sub,
    mul,
    div: op2('div'),
    powi,
    sqrt: (a) => bind(`sqrt(${a.h})`, `R.sqrt(${args(a)})`),
    abs: (a) => bind(`abs(${a.h})`, `R.abs(${args(a)})`),
    max: (a, b) => bind(`max(${a.h},${b.h})`, `R.maxMin(true, ${args(a, b)})`),
    min: (a, b) => bind(`min(${a.h},${b.h})`, `R.maxMin(false, ${args(a, b)})`),
  };
  let outs: Atom[];
  try {
    outs = trees.map((t) => fold(t, backend));
  } catch (e) {
    if ((e as Error).name === 'UnsupportedOperation') return undefined;
    throw e;
  }
  const body = [...lines, ...outs.map((a, k) => `O[${3 * k}] = ${a.h}; O[${3 * k + 1}] = ${a.l}; O[${3 * k + 2}] = ${a.e};`)].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function('R', 'G', 'up', `return function ddKernel(E, O) {\n${body}\n};`) as (R: DDOps, G: typeof GiveUp, u: typeof up) => DDKernel;
  return make(new DDOps(), GiveUp, up);
}

import type { MathNode } from 'mathjs';
import { Rational } from '../numeric/rational.js';
import { DDCode, type DDAtom } from '../numeric/double-double.js';
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
  const code = new DDCode();
  const args = (...xs: DDAtom[]) => xs.map((x) => `${x.h}, ${x.l}, ${x.e}`).join(', ');
  const op2 = (name: string) => (a: DDAtom, b: DDAtom) => code.call(`${name}(${a.h},${b.h})`, `R.${name}(${args(a, b)})`);
  const mul = (a: DDAtom, b: DDAtom) => code.mul(a, b);
  const powi = (a: DDAtom, k: number): DDAtom => {
    if (k === 0) return { h: '1', l: '0', e: '0' };
    if (k < 0) return op2('div')({ h: '1', l: '0', e: '0' }, powi(a, -k));
    if (k === 1) return a;
    const half = powi(a, Math.floor(k / 2));
    const sq = mul(half, half);
    return k % 2 === 0 ? sq : mul(sq, a);
  };
  const backend: Backend<DDAtom> = {
    name: 'the double-double filter',
    constant(value) {
      const [h, l, e] = ddConstant(value);
      return { h: lit(h), l: lit(l), e: lit(e) };
    },
    symbol(name) {
      const i = slotOf(name);
      return { h: `E[${3 * i}]`, l: `E[${3 * i + 1}]`, e: `E[${3 * i + 2}]` };
    },
    neg: (a) => code.call(`neg(${a.h})`, `R.neg(${args(a)})`),
    add: (a, b) => code.add(a, b),
    sub: (a, b) => code.sub(a, b),
    mul,
    div: op2('div'),
    powi,
    sqrt: (a) => code.call(`sqrt(${a.h})`, `R.sqrt(${args(a)})`),
    abs: (a) => code.call(`abs(${a.h})`, `R.abs(${args(a)})`),
    max: (a, b) => code.call(`max(${a.h},${b.h})`, `R.maxMin(true, ${args(a, b)})`),
    min: (a, b) => code.call(`min(${a.h},${b.h})`, `R.maxMin(false, ${args(a, b)})`),
  };
  let outs: DDAtom[];
  try {
    outs = trees.map((t) => fold(t, backend));
  } catch (e) {
    if ((e as Error).name === 'UnsupportedOperation') return undefined;
    throw e;
  }
  return code.compile<DDKernel>('ddKernel', ['E', 'O'], outs.map((a, k) => `O[${3 * k}] = ${a.h}; O[${3 * k + 1}] = ${a.l}; O[${3 * k + 2}] = ${a.e};`));
}

import type { MathNode } from 'mathjs';
import { Interval, iround, iabs, iadd, idiv, imax, imin, imonotone, imul, ineg, ipow, isqrt, isub } from '../numeric/interval.js';
import { fold, type Backend } from './algebra.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import { constantToRational } from './rational-function.js';
import { logInterval } from '../numeric/log-enclosure.js';

/**
 * Exact evaluation over rational intervals, one backend of the expression algebra. With point
 * inputs and a rational expression the result is the exact value; sqrt and log (to about `bits` bits),
 * exp (double precision) and enclosed inputs (a certified eigenvalue) give a certified enclosure. Undefined terms throw
 * CertainlyUndefined (at exact points) or MaybeUndefined (an enclosure touching the domain's edge).
 */

/** Constants of the (immutable, shared) expression trees, converted once. */
const CONSTANTS = new WeakMap<MathNode, Interval>();

/**
 * `round` (optional): round every intermediate result outward to about that many bits, which turns
 * exact evaluation into rigorous multiple-precision interval arithmetic (a cheap first try where
 * the exact values are huge rationals: a parameter ~ 2^-10000 makes every sum carry 10^4 bits).
 */
export function exactBackend(env: ReadonlyMap<string, Interval>, bits = 160, round?: number): Backend<Interval> {
  const b = exactOps(env, bits);
  if (round === undefined) return b;
  const r = (x: Interval) => iround(x, round);
  const out: any = { name: b.name, constant: b.constant, symbol: (name: string, node: MathNode) => r(b.symbol(name, node)) };
  for (const [k, f] of Object.entries(b)) if (typeof f === 'function' && k !== 'constant' && k !== 'symbol') out[k] = (...xs: any[]) => r((f as any)(...xs));
  return out as Backend<Interval>;
}

function exactOps(env: ReadonlyMap<string, Interval>, bits: number): Backend<Interval> {
  return {
    name: 'exact rational arithmetic',
    constant(value, node) {
      let c = CONSTANTS.get(node);
      if (!c) CONSTANTS.set(node, (c = Interval.point(constantToRational(value))));
      return c;
    },
    symbol(name) {
      const v = env.get(name);
      if (v === undefined) throw new Error(`no value for symbol ${name}`);
      return v;
    },
    neg: ineg,
    add: iadd,
    sub: isub,
    mul: imul,
    div: idiv,
    powi: ipow,
    sqrt: (a) => isqrt(a, bits),
    abs: iabs,
    max: imax,
    min: imin,
    exp: (a) => imonotone(a, Math.exp, 'exp'),
    // To the precision of the evaluation (numeric/log-enclosure.ts): a library log widened is double precision only.
    log: (a) => logInterval(a, 'log', bits),
    log10: (a) => logInterval(a, 'log10', bits),
    log2: (a) => logInterval(a, 'log2', bits),
    powr: (a, p) => {
      if (a.hi.sign() < 0 || (p < 0 && a.hi.sign() <= 0)) throw new CertainlyUndefined(`a non-integer power of a ${p < 0 ? 'non-positive' : 'negative'} number`);
      if (a.lo.sign() < 0 || (p < 0 && a.lo.sign() <= 0)) throw new MaybeUndefined('a non-integer power of an enclosure that leaves the domain');
      if (p > 0) return imonotone(a, (x) => Math.pow(x, p), 'pow');
      const r = imonotone(new Interval(a.hi.neg(), a.lo.neg()), (x) => Math.pow(-x, p), 'pow');
      return r;
    },
  };
}

export function evalInterval(node: MathNode, env: ReadonlyMap<string, Interval>, bits = 160, round?: number): Interval {
  return fold(node, exactBackend(env, bits, round));
}

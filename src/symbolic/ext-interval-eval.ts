import type { MathNode } from 'mathjs';
import { ExtFloat, add, sub, mul, div, sqrt, ext, fromParts, cmp } from '../numeric/extfloat.js';
import { down, up } from '../numeric/outward.js';
import { Rational } from '../numeric/rational.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import { fold, type Backend } from './algebra.js';
import { constantToRational } from './rational-function.js';
import { freeSymbols } from './expr.js';

/**
 * Interval arithmetic over extended-exponent doubles (a double mantissa, an unbounded exponent), a
 * backend of the expression algebra. ExtFloat's + - * / sqrt are correctly rounded to 53 bits at
 * every exponent (numeric/extfloat.ts), so stepping each result's mantissa one ulp outward encloses
 * the exact result; a zero result is exact (there is no underflow to round to zero). This is the
 * exact decider's cheap first try where parameters lie far outside the double range (a parameter ~
 * 1e-3000): the same comparison in rationals carries 10^4-bit numbers. Unsupported: exp, log and
 * non-integer powers (the exact decider takes over).
 */
export interface ExtInterval {
  lo: ExtFloat;
  hi: ExtFloat;
}

function dn(x: ExtFloat): ExtFloat {
  if (x.m === 0 || !Number.isFinite(x.m)) return x;
  return x.e === 0 ? ext(down(x.m)) : fromParts(down(x.m), x.e);
}

function upx(x: ExtFloat): ExtFloat {
  if (x.m === 0 || !Number.isFinite(x.m)) return x;
  return x.e === 0 ? ext(up(x.m)) : fromParts(up(x.m), x.e);
}

const NAN = ext(NaN);
// NaN propagates (cmp with NaN is NaN, which would otherwise pick one side silently).
const min = (a: ExtFloat, b: ExtFloat) => (a.m !== a.m || b.m !== b.m ? NAN : cmp(a, b) <= 0 ? a : b);
const max = (a: ExtFloat, b: ExtFloat) => (a.m !== a.m || b.m !== b.m ? NAN : cmp(a, b) >= 0 ? a : b);
const ZERO = ext(0);
const sign = (x: ExtFloat) => (x.m > 0 ? 1 : x.m < 0 ? -1 : 0);

function imul(a: ExtInterval, b: ExtInterval): ExtInterval {
  const p = [mul(a.lo, b.lo), mul(a.lo, b.hi), mul(a.hi, b.lo), mul(a.hi, b.hi)];
  return { lo: dn(p.reduce(min)), hi: upx(p.reduce(max)) };
}

function isqr(a: ExtInterval): ExtInterval {
  if (sign(a.lo) >= 0) return { lo: dn(mul(a.lo, a.lo)), hi: upx(mul(a.hi, a.hi)) };
  if (sign(a.hi) <= 0) return { lo: dn(mul(a.hi, a.hi)), hi: upx(mul(a.lo, a.lo)) };
  return { lo: ZERO, hi: upx(max(mul(a.lo, a.lo), mul(a.hi, a.hi))) };
}

function idiv(a: ExtInterval, b: ExtInterval): ExtInterval {
  if (sign(b.lo) === 0 && sign(b.hi) === 0) throw new CertainlyUndefined('division by 0');
  if (!(sign(b.lo) > 0 || sign(b.hi) < 0)) throw new MaybeUndefined('division by an enclosure of 0');
  const q = [div(a.lo, b.lo), div(a.lo, b.hi), div(a.hi, b.lo), div(a.hi, b.hi)];
  return { lo: dn(q.reduce(min)), hi: upx(q.reduce(max)) };
}

function ipow(a: ExtInterval, k: number): ExtInterval {
  if (k === 0) return { lo: ext(1), hi: ext(1) };
  if (k < 0) return idiv({ lo: ext(1), hi: ext(1) }, ipow(a, -k));
  if (k === 1) return a;
  const h = isqr(ipow(a, Math.floor(k / 2)));
  return k % 2 === 0 ? h : imul(h, a);
}

const OPS: Required<Pick<Backend<ExtInterval>, 'neg' | 'add' | 'sub' | 'mul' | 'div' | 'powi' | 'sqrt' | 'abs' | 'max' | 'min'>> = {
  neg: (a) => ({ lo: fromParts(-a.hi.m, a.hi.e), hi: fromParts(-a.lo.m, a.lo.e) }),
  add: (a, b) => ({ lo: dn(add(a.lo, b.lo)), hi: upx(add(a.hi, b.hi)) }),
  sub: (a, b) => ({ lo: dn(sub(a.lo, b.hi)), hi: upx(sub(a.hi, b.lo)) }),
  mul: imul,
  div: idiv,
  powi: ipow,
  sqrt: (a) => {
    if (sign(a.hi) < 0) throw new CertainlyUndefined('sqrt of a negative number');
    if (sign(a.lo) < 0) throw new MaybeUndefined('sqrt of an enclosure that reaches below 0');
    return { lo: max(ZERO, dn(sqrt(a.lo))), hi: upx(sqrt(a.hi)) };
  },
  abs: (a) => {
    if (sign(a.lo) >= 0) return a;
    const na = { lo: fromParts(-a.hi.m, a.hi.e), hi: fromParts(-a.lo.m, a.lo.e) };
    if (sign(a.hi) <= 0) return na;
    return { lo: ZERO, hi: max(na.hi, a.hi) };
  },
  max: (a, b) => ({ lo: max(a.lo, b.lo), hi: max(a.hi, b.hi) }),
  min: (a, b) => ({ lo: min(a.lo, b.lo), hi: min(a.hi, b.hi) }),
};

type Instr = (r: ExtInterval[]) => ExtInterval;

/**
 * Trees compiled once into a straight-line program over registers (inputs, then one per operation), so that a
 * comparison decided at every iterate (c12's beta1_next^2 <= beta1^2 with beta1 ~ 1e-3000) walks no tree and looks up
 * no symbol by name. The operations run in the fold's order (post-order, a shared subtree at its first use), so a
 * partial term throws where the tree walk would. A tree with an operation this arithmetic lacks (exp, log,
 * non-integer powers) does not compile: UnsupportedOperation at compile time.
 */
export class ExtIntervalProgram {
  private readonly regs: ExtInterval[];
  constructor(
    /** Input symbols, in the order run() takes their values. */
    readonly symbols: readonly string[],
    private readonly code: readonly Instr[],
    private readonly outputs: readonly number[],
  ) {
    this.regs = new Array(symbols.length + code.length);
  }

  run(inputs: readonly ExtInterval[]): ExtInterval[] {
    const r = this.regs;
    const k = this.symbols.length;
    for (let i = 0; i < k; i++) r[i] = inputs[i]!;
    const code = this.code;
    for (let i = 0; i < code.length; i++) r[k + i] = code[i]!(r);
    return this.outputs.map((o) => r[o]!);
  }
}

export function compileExtInterval(trees: readonly MathNode[]): ExtIntervalProgram {
  const symbols: string[] = [];
  const symbolAt = new Map<string, number>();
  const code: Instr[] = [];
  // Symbols first (their registers precede every operation's); an operation's register is k + its index.
  for (const t of trees)
    for (const name of freeSymbols(t))
      if (!symbolAt.has(name)) {
        symbolAt.set(name, symbols.length);
        symbols.push(name);
      }
  const k = () => symbols.length;
  const emit = (f: Instr): number => {
    code.push(f);
    return k() + code.length - 1;
  };
  const backend: Backend<number> = {
    name: 'extended-exponent interval arithmetic',
    constant(value) {
      const x = ext(value);
      const v = Rational.fromDouble(value).eq(constantToRational(value)) ? { lo: x, hi: x } : { lo: dn(x), hi: upx(x) };
      return emit(() => v);
    },
    symbol(name) {
      const i = symbolAt.get(name);
      if (i === undefined) throw new Error(`no value for symbol ${name}`);
      return i;
    },
    neg: (a) => emit((r) => OPS.neg(r[a]!)),
    add: (a, b) => emit((r) => OPS.add(r[a]!, r[b]!)),
    sub: (a, b) => emit((r) => OPS.sub(r[a]!, r[b]!)),
    mul: (a, b) => emit((r) => OPS.mul(r[a]!, r[b]!)),
    div: (a, b) => emit((r) => OPS.div(r[a]!, r[b]!)),
    powi: (a, p) => emit((r) => OPS.powi(r[a]!, p)),
    sqrt: (a) => emit((r) => OPS.sqrt(r[a]!)),
    abs: (a) => emit((r) => OPS.abs(r[a]!)),
    max: (a, b) => emit((r) => OPS.max(r[a]!, r[b]!)),
    min: (a, b) => emit((r) => OPS.min(r[a]!, r[b]!)),
  };
  const memo = new Map<MathNode, number>();
  const outputs = trees.map((t) => fold(t, backend, memo));
  return new ExtIntervalProgram(symbols, code, outputs);
}

/** One tree at once (tests, one-off evaluations): the compiled program run on `env`. */
export function evalExtInterval(node: MathNode, env: ReadonlyMap<string, ExtInterval>): ExtInterval {
  const p = compileExtInterval([node]);
  return p.run(p.symbols.map((s) => {
    const v = env.get(s);
    if (!v) throw new Error(`no value for symbol ${s}`);
    return v;
  }))[0]!;
}

/**
 * Polynomial expression trees (a model's gradient, Hessian, loss, residuals) as straight-line
 * programs over outward-rounded double intervals (the OUTWARD row of numeric/enclosure.ts, through
 * its allocation-free OutwardOps), evaluated three ways: on a box (values), with forward derivatives
 * (values and gradients, for Jacobians over a box), and as truncated Taylor series in time (the
 * coefficients of a solution of theta' = F(theta), for the validated flow integrator,
 * flow-enclosure.ts). Only + - * , integer powers and division by a constant: a flow field outside
 * that class is refused (NotPolynomial), never approximated.
 */
import type { MathNode } from '../symbolic/mathjs.js';
import { fold, type Backend } from '../symbolic/algebra.js';
import { constantToRational } from '../symbolic/rational-function.js';
import { fiFromRational } from '../numeric/float-interval.js';
import { down, downSum, OutwardOps, up, upSum } from '../numeric/outward.js';
import { Rational } from '../numeric/rational.js';

export class NotPolynomial extends Error {
  constructor(what: string) {
    super(`not a polynomial flow: ${what}`);
    this.name = 'NotPolynomial';
  }
}

const VAR = 0, CONST = 1, ADD = 2, SUB = 3, MUL = 4, NEG = 5;

/** One straight-line program: op k reads ops a[k], b[k] < k; `outputs` are op indices. */
export class IntervalProgram {
  readonly code: number[] = [];
  readonly a: number[] = [];
  readonly b: number[] = [];
  /** Constants' enclosures (CONST), or the variable index (VAR) in cLo. */
  readonly cLo: number[] = [];
  readonly cHi: number[] = [];
  outputs: number[] = [];
  private readonly memo = new Map<string, number>();

  constructor(readonly nvars: number) {
    for (let i = 0; i < nvars; i++) this.push(VAR, -1, -1, i, i);
  }

  push(code: number, a: number, b: number, lo = 0, hi = 0): number {
    const key = `${code},${a},${b},${lo},${hi}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    this.code.push(code);
    this.a.push(a);
    this.b.push(b);
    this.cLo.push(lo);
    this.cHi.push(hi);
    const k = this.code.length - 1;
    this.memo.set(key, k);
    return k;
  }

  get size(): number {
    return this.code.length;
  }

  isConst(k: number): boolean {
    return this.code[k] === CONST;
  }
}

/**
 * Compiles trees over `vars` (the program's variables, in order) and `fixed` symbols (hyperparameters:
 * exact doubles, as points) into one program whose outputs are the trees in order.
 */
export function compilePrograms(trees: readonly MathNode[], vars: readonly string[], fixed: ReadonlyMap<string, number>): IntervalProgram {
  const P = new IntervalProgram(vars.length);
  const R = new OutwardOps();
  const constant = (lo: number, hi: number) => P.push(CONST, -1, -1, lo, hi);
  const memo = new Map<MathNode, number>();
  const backend: Backend<number> = {
    name: 'interval program',
    constant: (v) => {
      const f = fiFromRational(constantToRational(v));
      return constant(f.lo, f.hi);
    },
    symbol: (name) => {
      const i = vars.indexOf(name);
      if (i >= 0) return i;
      const h = fixed.get(name);
      if (h === undefined) throw new NotPolynomial(`unknown symbol ${name}`);
      return constant(h, h);
    },
    neg: (x) => P.push(NEG, x, -1),
    add: (x, y) => P.push(ADD, x, y),
    sub: (x, y) => P.push(SUB, x, y),
    mul: (x, y) => P.push(MUL, x, y),
    div: (x, y) => {
      if (!P.isConst(y)) throw new NotPolynomial('division by a non-constant');
      if (R.div(1, 1, P.cLo[y]!, P.cHi[y]!) !== 0) throw new NotPolynomial('division by a constant enclosure holding 0');
      return P.push(MUL, x, constant(R.lo, R.hi));
    },
    powi: (x, k) => {
      if (k < 0) throw new NotPolynomial('a negative power');
      if (k === 0) return constant(1, 1);
      let out = -1;
      let base = x;
      for (let n = k; n > 0; n >>= 1) {
        if (n & 1) out = out < 0 ? base : P.push(MUL, out, base);
        if (n > 1) base = P.push(MUL, base, base);
      }
      return out;
    },
  };
  try {
    P.outputs = trees.map((t) => fold(t, backend, memo));
  } catch (e) {
    if (e instanceof NotPolynomial) throw e;
    throw new NotPolynomial((e as Error).message);
  }
  return P;
}

/** A rational as a double interval around it. */
export function ratInterval(r: Rational): [number, number] {
  const f = fiFromRational(r);
  return [f.lo, f.hi];
}

/** Values of every op over the box (xLo, xHi); returns the work arrays (index: op). */
export class BoxEvaluator {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  private readonly R = new OutwardOps();
  constructor(readonly P: IntervalProgram) {
    this.lo = new Float64Array(P.size);
    this.hi = new Float64Array(P.size);
  }
  run(xLo: ArrayLike<number>, xHi: ArrayLike<number>): void {
    const { P, lo, hi, R } = this;
    for (let k = 0; k < P.size; k++) {
      const a = P.a[k]!, b = P.b[k]!;
      switch (P.code[k]) {
        case VAR:
          lo[k] = xLo[P.cLo[k]!]!;
          hi[k] = xHi[P.cLo[k]!]!;
          continue;
        case CONST:
          lo[k] = P.cLo[k]!;
          hi[k] = P.cHi[k]!;
          continue;
        case ADD:
          R.add(lo[a]!, hi[a]!, lo[b]!, hi[b]!);
          break;
        case SUB:
          R.sub(lo[a]!, hi[a]!, lo[b]!, hi[b]!);
          break;
        case MUL:
          R.mul(lo[a]!, hi[a]!, lo[b]!, hi[b]!);
          break;
        case NEG:
          lo[k] = -hi[a]!;
          hi[k] = -lo[a]!;
          continue;
      }
      lo[k] = R.lo;
      hi[k] = R.hi;
    }
  }
  /** Output i's enclosure. */
  out(i: number): [number, number] {
    const k = this.P.outputs[i]!;
    return [this.lo[k]!, this.hi[k]!];
  }
}

/**
 * Values and first derivatives of every op over a box (forward mode): d[k*n + i] encloses
 * d op_k / d x_i at every point of the box.
 */
export class GradientEvaluator {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly dLo: Float64Array;
  readonly dHi: Float64Array;
  private readonly R = new OutwardOps();
  constructor(readonly P: IntervalProgram) {
    const n = P.nvars;
    this.lo = new Float64Array(P.size);
    this.hi = new Float64Array(P.size);
    this.dLo = new Float64Array(P.size * n);
    this.dHi = new Float64Array(P.size * n);
  }
  run(xLo: ArrayLike<number>, xHi: ArrayLike<number>): void {
    const { P, lo, hi, dLo, dHi, R } = this;
    const n = P.nvars;
    for (let k = 0; k < P.size; k++) {
      const a = P.a[k]!, b = P.b[k]!;
      const o = k * n, oa = a * n, ob = b * n;
      switch (P.code[k]) {
        case VAR: {
          const v = P.cLo[k]!;
          lo[k] = xLo[v]!;
          hi[k] = xHi[v]!;
          for (let i = 0; i < n; i++) dLo[o + i] = dHi[o + i] = i === v ? 1 : 0;
          break;
        }
        case CONST:
          lo[k] = P.cLo[k]!;
          hi[k] = P.cHi[k]!;
          for (let i = 0; i < n; i++) dLo[o + i] = dHi[o + i] = 0;
          break;
        case ADD:
        case SUB: {
          const sub = P.code[k] === SUB;
          if (sub) R.sub(lo[a]!, hi[a]!, lo[b]!, hi[b]!);
          else R.add(lo[a]!, hi[a]!, lo[b]!, hi[b]!);
          lo[k] = R.lo;
          hi[k] = R.hi;
          for (let i = 0; i < n; i++) {
            if (sub) R.sub(dLo[oa + i]!, dHi[oa + i]!, dLo[ob + i]!, dHi[ob + i]!);
            else R.add(dLo[oa + i]!, dHi[oa + i]!, dLo[ob + i]!, dHi[ob + i]!);
            dLo[o + i] = R.lo;
            dHi[o + i] = R.hi;
          }
          break;
        }
        case MUL: {
          R.mul(lo[a]!, hi[a]!, lo[b]!, hi[b]!);
          lo[k] = R.lo;
          hi[k] = R.hi;
          for (let i = 0; i < n; i++) {
            R.mul(dLo[oa + i]!, dHi[oa + i]!, lo[b]!, hi[b]!);
            const pl = R.lo, ph = R.hi;
            R.mul(lo[a]!, hi[a]!, dLo[ob + i]!, dHi[ob + i]!);
            R.add(pl, ph, R.lo, R.hi);
            dLo[o + i] = R.lo;
            dHi[o + i] = R.hi;
          }
          break;
        }
        case NEG:
          lo[k] = -hi[a]!;
          hi[k] = -lo[a]!;
          for (let i = 0; i < n; i++) {
            dLo[o + i] = -dHi[oa + i]!;
            dHi[o + i] = -dLo[oa + i]!;
          }
          break;
      }
    }
  }
}

/**
 * Taylor coefficients in time of the solution of x' = F(x), F the program's outputs (one per
 * variable), from every start in a box: x_[0] is the box and x_[j+1] = F(x)_[j] / (j + 1), the
 * series arithmetic of each op computed order by order (Moore's recursion). Coefficient j of
 * variable i is [cLo[j*n + i], cHi[j*n + i]]; for a box start it encloses the coefficient of every
 * solution from the box (so the last one, over an a priori enclosure, bounds the Lagrange remainder).
 */
export class TaylorEvaluator {
  readonly cLo: Float64Array;
  readonly cHi: Float64Array;
  private readonly sLo: Float64Array;
  private readonly sHi: Float64Array;
  private readonly kernel: TaylorKernel;
  /** The program's constants (CONST ops' enclosures, by op), which the kernel reads. */
  private readonly kLo: Float64Array;
  private readonly kHi: Float64Array;
  constructor(
    readonly P: IntervalProgram,
    readonly order: number,
  ) {
    if (P.outputs.length !== P.nvars) throw new Error('TaylorEvaluator: one output per variable');
    const m = order + 1;
    this.cLo = new Float64Array(m * P.nvars);
    this.cHi = new Float64Array(m * P.nvars);
    this.sLo = new Float64Array(P.size * m);
    this.sHi = new Float64Array(P.size * m);
    this.kLo = Float64Array.from(P.cLo);
    this.kHi = Float64Array.from(P.cHi);
    this.kernel = taylorKernel(P, order);
  }
  /** Coefficients 0..order of x from the box (xLo, xHi). */
  run(xLo: ArrayLike<number>, xHi: ArrayLike<number>): void {
    this.kernel(xLo, xHi, this.kLo, this.kHi, this.cLo, this.cHi, this.sLo, this.sHi);
  }
}

type TaylorKernel = (xLo: ArrayLike<number>, xHi: ArrayLike<number>, kLo: Float64Array, kHi: Float64Array, cLo: Float64Array, cHi: Float64Array, sLo: Float64Array, sHi: Float64Array) => void;

/**
 * Kernels by source: a program's source depends on its ops and order, not on its constants' values (they are read
 * from kLo, kHi), so the flows of every start and every hyperparameter draw share one function, compiled and
 * optimized once.
 */
const KERNELS = new Map<string, TaylorKernel>();

/**
 * TaylorEvaluator's recursion generated for one program and order: each order j runs the ops as straight-line code
 * with their offsets written in (no dispatch on the op code, no operand lookup), every operation rounded outward.
 * Exact zeros stay exact (a constant's coefficients beyond the first, the coefficients of a variable that starts and
 * stays at 0, their products): a sum or difference is rounded by downSum/upSum, a term of a Cauchy product with a
 * factor exactly [0, 0] is exactly 0 and is left out, and 0 / (j + 1) is 0. Widening them by 2^-1074 instead made
 * every later product subnormal, which cost 85% of the recursion's time. test/dynamics/flow-program.test.ts holds
 * the kernel to an interpreter of these rules, bit for bit, and its enclosures to the true coefficients.
 */
function taylorKernel(P: IntervalProgram, order: number): TaylorKernel {
  const n = P.nvars;
  const m = order + 1;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`cLo[${i}] = xLo[${i}]; cHi[${i}] = xHi[${i}];`);
  lines.push(`for (let j = 0; j < ${order}; j++) {`, `const jn = j * ${n};`);
  // Ops that depend on no variable: every coefficient beyond the first is an exact 0, written as such.
  const constant: boolean[] = [];
  // One term a_[i] b_[j-i] of a Cauchy product (left out where a factor is exactly [0, 0]), into lo, hi.
  const term = (x: string, y: string) =>
    `const al = sLo[${x}], ah = sHi[${x}], bl = sLo[${y}], bh = sHi[${y}];` +
    ` if (!((al === 0 && ah === 0) || (bl === 0 && bh === 0))) { const p1 = al * bl, p2 = al * bh, p3 = ah * bl, p4 = ah * bh;` +
    ` const pl = down(Math.min(p1, p2, p3, p4)), ph = up(Math.max(p1, p2, p3, p4));` +
    ` if (first) { lo = pl; hi = ph; first = false; } else { lo = downSum(lo + pl); hi = upSum(hi + ph); } }`;
  for (let k = 0; k < P.size; k++) {
    const code = P.code[k]!;
    const A = P.a[k]! * m;
    const B = P.b[k]! * m;
    const o = `${k * m} + j`;
    const cA = constant[P.a[k]!] === true;
    const cB = constant[P.b[k]!] === true;
    constant[k] = code === CONST || (code === NEG && cA) || ((code === ADD || code === SUB || code === MUL) && cA && cB);
    let line: string;
    switch (code) {
      case VAR:
        line = `sLo[${o}] = cLo[jn + ${P.cLo[k]!}]; sHi[${o}] = cHi[jn + ${P.cLo[k]!}];`;
        break;
      case CONST:
        line = `sLo[${o}] = kLo[${k}]; sHi[${o}] = kHi[${k}];`;
        break;
      case ADD:
        line = `sLo[${o}] = downSum(sLo[${A} + j] + sLo[${B} + j]); sHi[${o}] = upSum(sHi[${A} + j] + sHi[${B} + j]);`;
        break;
      case SUB:
        line = `sLo[${o}] = downSum(sLo[${A} + j] - sHi[${B} + j]); sHi[${o}] = upSum(sHi[${A} + j] - sLo[${B} + j]);`;
        break;
      case NEG:
        line = `sLo[${o}] = -sHi[${A} + j]; sHi[${o}] = -sLo[${A} + j];`;
        break;
      case MUL:
        // The Cauchy product sum_i a_[i] b_[j-i], each product and each partial sum rounded outward; of a constant
        // factor only its first coefficient is nonzero, so one term is left.
        line =
          `{ let lo = 0, hi = 0, first = true; ` +
          (cA ? `{ ${term(`${A}`, `${B} + j`)} }` : cB ? `{ ${term(`${A} + j`, `${B}`)} }` : `for (let i = 0; i <= j; i++) { ${term(`${A} + i`, `${B} + j - i`)} }`) +
          ` sLo[${o}] = lo; sHi[${o}] = hi; }`;
        break;
      default:
        throw new Error(`taylorKernel: op code ${code}`);
    }
    lines.push(constant[k] ? `if (j === 0) { ${line} } else { sLo[${o}] = 0; sHi[${o}] = 0; }` : line);
  }
  // x_[j+1] = F(x)_[j] / (j + 1), rounded outward (a quotient may underflow) unless it is an exact 0.
  lines.push('const d = j + 1;');
  P.outputs.forEach((k, i) => {
    lines.push(
      `{ const l = sLo[${k * m} + j], h = sHi[${k * m} + j];` +
        ` if (l === 0 && h === 0) { cLo[d * ${n} + ${i}] = 0; cHi[d * ${n} + ${i}] = 0; }` +
        ` else { const q1 = l / d, q3 = h / d; cLo[d * ${n} + ${i}] = down(Math.min(q1, q3)); cHi[d * ${n} + ${i}] = up(Math.max(q1, q3)); } }`,
    );
  });
  lines.push('}');
  const source = lines.join('\n');
  let kernel = KERNELS.get(source);
  if (!kernel) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const make = new Function('down', 'up', 'downSum', 'upSum', `return function taylorKernel(xLo, xHi, kLo, kHi, cLo, cHi, sLo, sHi) {\n${source}\n};`) as (
      d: typeof down,
      u: typeof up,
      ds: typeof downSum,
      us: typeof upSum,
    ) => TaylorKernel;
    kernel = make(down, up, downSum, upSum);
    KERNELS.set(source, kernel);
  }
  return kernel;
}

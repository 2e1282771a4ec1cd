/**
 * The fused rung of the float filter: one generated function per lemma and steady state that decides, at an iterate
 * of the lane, every comparison the steady loop reads (the `along` hypotheses, the event and triggers it watches,
 * the `when` premises, the statements), with no call, allocation or slot traffic per comparison.
 *
 * Main result: `fusedRung(model, lemma, steady)` returns the rung, or undefined where a comparison it would read
 * is outside its reach (build throws NotFusable naming it). Its decisions are rigorous:
 *  - each side is evaluated in float64 together with a running bound on its error (Wilkinson's running error
 *    analysis: a sum or product of values with errors ea, eb is off by at most the propagated errors plus half an
 *    ulp of the result, bounded here by 2^-52 |result| + 2^-1074, which also covers an underflow), and a
 *    comparison is decided only where its difference clears that bound (inflated by 2^-40 for the roundings of
 *    the bound's own computation, and by 2^-1060 for their underflows); the bounds are carried times 2^600, so
 *    that neither they nor their products are subnormal (a multiplication with a subnormal costs about 50 normal
 *    ones here);
 *  - where every parameter is an exact double and all the rung's arithmetic is + - * (and abs) of exact values, a
 *    first variant bounds the errors a priori instead (Apriori: gamma_k of the computed absolute evaluation, with
 *    2^-1022 added to every product for an underflow), one extra operation per operation; what it leaves open goes
 *    on to the running bounds;
 *  - a parameter is its double, or outside the double band (extended exponent) the lower end of its double
 *    enclosure with the width as its error, and below 2^-401 in magnitude 0 with error 2^-400 (its square would be
 *    subnormal); the trajectory's constants (hyperparameters, start values `_0`,
 *    T_event and every subterm built from them only) are enclosed once per steady stretch by the filter's outward
 *    interval kernels and enter the same way;
 *  - a bound on the sharpness, `c S < R` (c a positive constant, S on one side alone), is decided without an
 *    eigenvalue: it holds when x I - H is positive definite for a double x <= R / c, by Sylvester's criterion on
 *    the leading minors of x I - H, each evaluated with its running error (models of at most 3 parameters);
 *  - a definedness condition (division, square root) not shown by the bounds leaves the comparison open.
 * A comparison it cannot decide leaves the iterate to the filter's interval rung and the decision ladder
 * (steady-run.ts), so the rung changes which code decides an iterate, never its verdict.
 *
 * Nor the figures: a trajectory's worst slack and worst margin are the smallest offered, so a statement settles here
 * with its slack shown above both so far (`threshold`, with room 2^-19 for any rung's figure, which lies within
 * 2^-20 of the slack where that rung settles) and offers that bound, which changes neither. Where the slack may be
 * a new smallest, the statement is shown to hold and its exact slack bracketed: a polynomial statement's by its
 * running error, a bound c S < R by a Rayleigh quotient below S (the vector kept from iterate to iterate, one
 * power step each, seeded from the interval rung's eigenvector) and a double above it where Sylvester's criterion
 * shows S is below. The steady loop (steady-run.ts) takes the interval rung's figure only for the brackets a later
 * iterate's does not undercut. With and without the fused rung a trajectory's result is the same field by field on
 * every pack's catalogue (test/check/fused-rung.test.ts); which iterates needed exact decisions aside.
 *
 * `runner(arith)` is the same decisions in the lane's own loop (FusedRun: dynamics/batch.ts laneLoopSource calling
 * settle at each iterate): it steps and settles the iterates that change no record, and stops at the first that may,
 * so the steady loop handles only those (test/check/fused-loop.test.ts: the same results as settle iterate by iterate).
 */
import type { MathNode } from 'mathjs';
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import type { Steady } from '../lemma/quantifiers/kind.js';
import { shapeOf } from '../symbolic/algebra.js';
import { OperatorNode, SymbolNode } from '../symbolic/mathjs.js';
import { affineIn } from '../symbolic/sharpness-bound.js';
import { freeSymbols } from '../symbolic/expr.js';
import { compileIntervalKernel, constantEnclosure, type IntervalKernel } from '../symbolic/interval-kernel.js';
import { FI_OK, up } from '../numeric/outward.js';
import { EXT_HI_WORD, EXT_POW2, pairToNumber } from '../numeric/extfloat.js';
import { compileLaneSource, laneLoopSource, type BatchArith, type LaneLoopHook } from '../dynamics/batch.js';
import { captureSource, captureSetup, type CandidateQueue } from './candidate-queue.js';

/** settle's answers. */
export const FUSED_OPEN = 0;
export const FUSED_ASSERT = 1;
export const FUSED_IDLE = 2;

/** settle's io slots: the threshold a statement's slack is shown above, the bound the tightness value is shown below, the answer. */
export const IO_THRESHOLD = 0;
export const IO_NEEDED = 1;
export const IO_NEEDED_BELOW = 2;
/** Where the value is not shown below the bound: a bracket of it (NaN where the rung has none). */
export const IO_NEEDED_LO = 3;
export const IO_NEEDED_HI = 4;

export interface FusedRung {
  /**
   * Starts a steady stretch: resets the brackets' vector and encloses the trajectory's constants from the filter's
   * slots E (hyperparameters, `_0` values, T_event set), unless `token` is the one it last enclosed them for (the
   * caller's promise that they are the same).
   */
  prepare(E: Float64Array, token?: object): void;
  /**
   * Decides the iterate (lane state th, thE) at time t: FUSED_ASSERT (the statements hold), FUSED_IDLE (a `when`
   * premise is false: nothing asserted), or FUSED_OPEN. Per statement j, where FUSED_ASSERT: either its slack is shown
   * above `threshold` (lo[j] NaN: it changes no figure), or it may be a new smallest and [lo[j], hi[j]] holds its
   * exact slack. `io[IO_THRESHOLD]`: the larger of the trajectory's worst slack and worst margin so far (Infinity:
   * none). Where FUSED_ASSERT and the lemma has a tightness value the rung can bound (`boundsNeeded`),
   * `io[IO_NEEDED_BELOW]` is 1 where that value is shown below `io[IO_NEEDED]` (-Infinity: never), else 0. The doubles
   * travel in an array, so that they are not boxed at every call.
   */
  settle(th: Float64Array, thE: Float64Array, t: number, io: Float64Array, lo: Float64Array, hi: Float64Array): number;
  /**
   * The lane loop of the stretch's constants in arithmetic `arith` (FusedRun): the lane steps and settle in one
   * generated loop, compiled once per pattern of exact constants and arithmetic.
   */
  runner(arith: BatchArith): FusedRun;
  /** settle answers io[IO_NEEDED_BELOW]: the lemma's tightness value is affine in S with a constant coefficient > 0, or free of S. */
  readonly boundsNeeded: boolean;
  /** A vector close to the top eigenvector of H at the lane's iterate (from the interval rung's enclosure of S), for the brackets. */
  seed(v: ArrayLike<number>): void;
}

/**
 * Up to `steps` iterates of the lane (th, thE; N = 1) from step t0, each stepped as the lane run kernel steps it
 * (dynamics/batch.ts, LaneRunKernel: the same bits, the same stops before a refused step and after a repeat, out[0] = 1
 * there) and settled as settle settles it, with io's threshold and bound read once: it returns how many it took, all
 * of them settled with no record to change (nothing asserted, or every statement's slack above the threshold and the
 * tightness value, if any, shown below its bound); out[1] counts those asserted. It stops before any other iterate,
 * with settle's answer in out[2] (its lo, hi and io as settle leaves them) and the iterate's successor in nth, nthE;
 * out[2] is -1 where it stopped for another reason. The lane is left at the iterate it stopped at.
 */
export type FusedRun = (
  th: Float64Array,
  thE: Float64Array,
  h: Float64Array,
  hE: Float64Array,
  steps: number,
  out: Float64Array,
  t0: number,
  io: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  nth: Float64Array,
  nthE: Float64Array,
  q: CandidateQueue,
) => number;

/**
 * Options for tests: `bounds: false` drops every error bound (the mutation a test must catch); `apriori: false` leaves
 * out the a priori variant (the running bounds decide alone).
 */
export interface FusedOptions {
  bounds?: boolean;
  apriori?: boolean;
}

class NotFusable extends Error {}

interface Atom {
  v: string;
  /** A bound on |v - exact| (an expression; '0': v is exact). */
  e: string;
  /** A priori mode (Emitter.apriori): the computed absolute evaluation A, and the orders k, j below. */
  ap?: Apriori;
}

/**
 * The a priori error analysis of one value v of a tree of + - * on exact doubles (Higham, Accuracy and Stability,
 * ch. 3, with underflow): the absolute evaluation Â (|inputs|, sums for differences, and 2^-1022 added to every
 * product) satisfies |v - exact| <= gamma_k Â and |exact| <= Â, and its computed value `a` satisfies
 * a >= Â (1 - gamma_j), gamma_k = k u / (1 - k u), u = 2^-53. A sum has k = max + 1, j = max + 1; a product
 * k = ka + kb + 1 (the 2^-1022 term covers an underflow's 2^-1075), j = ja + jb + 2 (its product and its sum).
 */
interface Apriori {
  a: string;
  k: number;
  j: number;
}

class NotApriori extends Error {}

const UNIT = 2 ** -53;
const gamma = (k: number) => (k * UNIT) / (1 - k * UNIT);
/** 2^-1073: what fl(c a) may lose below the normal range (an underflow), and more. */
const TINY2 = 2 ** -1073;
const MIN_NORMAL_LIT = 2 ** -1022;

const U = 2 ** -52;
const TINY = 2 ** -1074;
const INFLATE = 1 + 2 ** -40;
const FLOOR = 2 ** -1060;
/**
 * The running bounds are carried times 2^ERR_EXP, so that neither they nor their products fall below the normal
 * range: a multiplication with a subnormal operand or result costs about 50 times a normal one here, and the
 * unscaled bounds met them at every iterate where an extended parameter entered (x^2 of x below 2^-537, and the
 * 2^-1074 of an exact zero times whatever it met next). Multiplying by a power of two is exact above the subnormal
 * range; below it the loss is under 2^-1074 of the scaled bound, covered by FLOOR as any other underflow of a bound.
 * A value above about 2^476 gets an infinite bound (its half ulp, scaled, overflows), which decides nothing.
 */
const ERR_EXP = 600;
const ERR_SCALE = 2 ** ERR_EXP;
const ERR_UNSCALE = 2 ** -ERR_EXP;
const ERR_HALF_UNSCALE = 2 ** -(ERR_EXP / 2);
/**
 * An extended parameter below this (in magnitude) enters as 0 with error SMALL * 2: its square would be subnormal, so
 * the value is dropped for a bound that keeps every product of errors normal. The double band of the lane kernels
 * starts at 2^-400 (dynamics/batch.ts), so every extended parameter below it is dropped: the rung then decides only
 * what does not hinge on that parameter below 2^-400, and leaves the rest to the interval rung.
 */
const SMALL = 2 ** -401;
/** Power-step vectors' entries below this are set to 0 (any vector gives a rigorous Rayleigh bound): the same reason. */
const SMALL_V = 2 ** -450;
/** Room for the interval rung's figure, within 2^-20 of the true slack where that rung settles (decide.ts, LOOSE). */
const ROOM = 1 - 2 ** -19;

function lit(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '(-Infinity)';
  return Object.is(x, -0) ? '(-0)' : x < 0 ? `(${String(x)})` : String(x);
}

const ZERO: Atom = { v: '0', e: '0' };

/** The value of an exact literal atom (a number in the source, error 0), else undefined. */
function exactLiteral(a: Atom): number | undefined {
  if (a.e !== '0') return undefined;
  const x = Number(a.v.startsWith('(') ? a.v.slice(1, -1) : a.v);
  return a.v.length > 0 && Number.isFinite(x) ? x : undefined;
}

/** The symbol of the bound the tightness value is shown below (settle's io[IO_NEEDED]; a double, exact). */
const NEEDED_BOUND = 'needed_bound__';

const CONSTANT_SYMBOLS = (model: DerivedModel, name: string) => model.hypers.includes(name) || name.endsWith('_0') || name === 'T_event';

/**
 * The generator: straight-line code over (value, error) pairs with common subterms shared, and the trajectory's
 * constants as slots of K (value, error) filled by `prepare`.
 */
class Emitter {
  readonly lines: string[] = [];
  /** The statement that gives up where a decision is not shown: the iterate is open, or (set by a caller) only its block. */
  open = `return ${FUSED_OPEN};`;
  private memo = new Map<string, Atom>();
  private readonly perIter = new Map<MathNode, boolean>();
  private count = 0;
  /** Constant subterms, in K order (shared by the emitters of one rung's variants). */
  readonly constants: MathNode[];
  private readonly constKey: Map<string, number>;

  /**
   * `exactK[k]`: slot k of K holds an exact value (error 0) in the variant emitted; `exactParams`: the parameters are
   * exact doubles (no extended exponent) there. Error terms of exact values are not emitted.
   */
  constructor(
    private readonly model: DerivedModel,
    readonly bounds: boolean,
    layout?: Emitter,
    private readonly exactK: readonly boolean[] = [],
    readonly exactParams = false,
    /**
     * Error bounds by a priori analysis (Apriori), not by a running bound per operation: about a third of the
     * operations. Only + - * of exact doubles (the exact-parameters variant): anything else throws NotApriori.
     */
    readonly apriori = false,
  ) {
    this.constants = layout ? layout.constants : [];
    this.constKey = layout ? layout.constKey : new Map();
    if (apriori) this.open = 'break ap;';
    this.scaled = bounds && !apriori;
  }

  /** The running bounds are carried times ERR_SCALE (not in the a priori mode, whose bounds are its own). */
  readonly scaled: boolean;

  /** An error bound as emitted (scaled where `scaled`) as an expression for a bound of the error itself. */
  real(e: string): string {
    if (e === '0' || !this.scaled) return e;
    // The product's underflow loses under half of TINY.
    return `(${e} * ${ERR_UNSCALE} + ${TINY})`;
  }

  /** A bound of an error, as this emitter carries errors (ERR_SCALE times it where `scaled`); e a double, exact. */
  carried(e: number): number {
    return this.scaled ? e * ERR_SCALE : e;
  }

  /** The a priori analysis of an operand: its own, that of an exact value (k = 0), or of a literal with an error. */
  private apOf(x: Atom): Apriori {
    if (x.ap) return x.ap;
    const c = Number(x.v.startsWith('(') ? x.v.slice(1, -1) : x.v);
    const numeric = x.v.length > 0 && Number.isFinite(c);
    if (x.e === '0') return { a: numeric ? lit(Math.abs(c)) : `Math.abs(${x.v})`, k: 0, j: 0 };
    const e = Number(x.e);
    if (!numeric || !Number.isFinite(e)) throw new NotApriori(`an operand with a run-time error bound (${x.v})`);
    // A literal v with |v - exact| <= e: Â = |v| + e, exact as written (rounded up), and the least k with gamma_k Â >= e.
    const A = up(Math.abs(c) + e);
    let k = 1;
    // With room for the rounding of gamma(k) A itself.
    while (gamma(k) * A < e * (1 + 2 ** -20)) k++;
    return { a: lit(A), k, j: 0 };
  }

  /** A value of the a priori mode: its value, its absolute evaluation, and the error bound the analysis gives. */
  private apBind(key: string, v: string, a: string, k: number, j: number): Atom {
    const hit = this.memo.get(key);
    if (hit) return hit;
    if (gamma(j) >= 0.5 || gamma(k) >= 0.5) throw new NotApriori('a tree too deep for the analysis');
    const n = this.fresh();
    this.lines.push(`const ${n} = ${v}; const ${n}a = ${a};`);
    // gamma_k Â <= gamma_k / (1 - gamma_j) a, inflated for the bound's own two roundings and an underflow of c a; a
    // value that overflowed makes the bound NaN (v - v), so it shows nothing.
    const c = (gamma(k) / (1 - gamma(j))) * (1 + 2 ** -20);
    const at: Atom = { v: n, e: `(${lit(c)} * ${n}a + ${TINY2} + (${n} - ${n}))`, ap: { a: `${n}a`, k, j } };
    this.memo.set(key, at);
    return at;
  }

  private fresh(): string {
    return `v${this.count++}`;
  }

  private bind(key: string, v: string, e: string, pre = ''): Atom {
    const hit = this.memo.get(key);
    if (hit) return hit;
    const n = this.fresh();
    const ev = this.bounds ? e : '0';
    // An exact value (error 0) carries the literal 0, so no term of its error is emitted downstream.
    this.lines.push(ev === '0' ? `${pre}const ${n} = ${v};` : `${pre}const ${n} = ${v}; const ${n}e = ${ev};`);
    const a = { v: n, e: ev === '0' ? '0' : `${n}e` };
    this.memo.set(key, a);
    return a;
  }

  /** Emits `f`'s lines inside a block: its bindings are not shared with the code after it. */
  block(f: () => void): void {
    const saved = new Map(this.memo);
    this.lines.push('{');
    f();
    this.lines.push('}');
    this.memo = saved;
  }

  /**
   * `name` = the value of `expr` (one IEEE operation, or a double) moved one ulp toward -Infinity (dir -1) or
   * +Infinity (dir 1): a bound of its exact value. Without bounds, the value itself.
   */
  rounded(name: string, expr: string, dir: 1 | -1): void {
    const step = this.bounds ? ` ${name} ${dir < 0 ? '-=' : '+='} Math.abs(${name}) * ${U} + ${TINY};` : '';
    this.lines.push(`let ${name} = ${expr};${step}`);
  }

  /** Bounds of an atom's exact value: `name`Lo <= x <= `name`Hi. */
  bracket(name: string, a: Atom): void {
    this.rounded(`${name}W`, this.bounds && a.e !== '0' ? `${this.real(a.e)} * ${INFLATE} + ${FLOOR}` : '0', 1);
    this.rounded(`${name}Lo`, `${a.v} - ${name}W`, -1);
    this.rounded(`${name}Hi`, `${a.v} + ${name}W`, 1);
  }

  /** Whether a subterm reads a per-iterate symbol (a parameter, t, S). */
  varies(node: MathNode): boolean {
    const hit = this.perIter.get(node);
    if (hit !== undefined) return hit;
    const s = shapeOf(node);
    let out: boolean;
    if (s.kind === 'constant') out = false;
    else if (s.kind === 'symbol') {
      if (CONSTANT_SYMBOLS(this.model, s.name)) out = false;
      else if (this.model.params.includes(s.name) || s.name === 't' || s.name === 'S' || s.name === NEEDED_BOUND) out = true;
      else throw new NotFusable(`reads ${s.name}`);
    } else if (s.kind === 'powi' || s.kind === 'powr') out = this.varies(s.base);
    else out = s.args.some((a) => this.varies(a));
    this.perIter.set(node, out);
    return out;
  }

  /** A constant subterm: slot k of K, enclosed by prepare. */
  constant(node: MathNode): Atom {
    const key = node.toString();
    let k = this.constKey.get(key);
    if (k === undefined) {
      k = this.constants.length;
      this.constants.push(node);
      this.constKey.set(key, k);
    }
    return this.bind(`K${k}`, `K[${2 * k}]`, this.exactK[k] ? '0' : this.scaled ? `K[${2 * k + 1}] * ${ERR_SCALE}` : `K[${2 * k + 1}]`);
  }

  atom(node: MathNode): Atom {
    if (!this.varies(node)) {
      const s = shapeOf(node);
      if (s.kind === 'constant') {
        const [lo, hi] = constantEnclosure(s.value);
        return lo === hi ? { v: lit(lo), e: '0' } : { v: lit(lo), e: lit(this.carried(up(hi - lo))) };
      }
      return this.constant(node);
    }
    const s = shapeOf(node);
    switch (s.kind) {
      case 'symbol':
        if (s.name === 'S') throw new NotFusable('S outside a bound c S < R');
        if (s.name === 't') return { v: 't', e: '0' };
        if (s.name === NEEDED_BOUND) return { v: 'NB', e: '0' };
        return { v: `p${this.model.params.indexOf(s.name)}`, e: this.exactParams ? '0' : `p${this.model.params.indexOf(s.name)}e` };
      case 'powi':
        return this.powi(this.atom(s.base), s.k);
      case 'powr':
        throw new NotFusable('a non-integer power');
      case 'constant':
        throw new Error('unreachable');
      case 'op': {
        const args = s.args.map((a) => this.atom(a));
        switch (s.op) {
          case 'neg':
            return this.neg(args[0]!);
          case 'add':
            return args.reduce((a, b) => this.add(a, b));
          case 'sub':
            return this.sub(args[0]!, args[1]!);
          case 'mul':
            return args.reduce((a, b) => this.mul(a, b));
          case 'div':
            return this.div(args[0]!, args[1]!);
          case 'sqrt':
            return this.sqrt(args[0]!);
          case 'abs': {
            // ||v| - |x|| <= |v - x| and |x| <= Â: the analysis of the argument holds for its absolute value.
            if (!this.apriori) return this.bind(`abs(${args[0]!.v})`, `Math.abs(${args[0]!.v})`, args[0]!.e);
            const x = this.apOf(args[0]!);
            return this.apBind(`abs(${args[0]!.v})`, `Math.abs(${args[0]!.v})`, x.a, x.k, x.j);
          }
          case 'max':
          case 'min':
            if (this.apriori) throw new NotApriori(s.op);
            return args.reduce((a, b) => this.bind(`${s.op}(${a.v},${b.v})`, `Math.${s.op}(${a.v}, ${b.v})`, `Math.max(${a.e}, ${b.e})`));
          default:
            throw new NotFusable(s.op);
        }
      }
    }
  }

  /** Half an ulp of a result, and an underflow: 2^-52 |v| + 2^-1074 (as carried). */
  private rnd(v: string): string {
    return `Math.abs(${v}) * ${this.carried(U)} + ${this.carried(TINY)}`;
  }

  neg(a: Atom): Atom {
    const c = exactLiteral(a);
    if (c !== undefined) return { v: lit(-c), e: '0' };
    if (this.apriori) {
      const x = this.apOf(a);
      return this.apBind(`neg(${a.v})`, `-${a.v}`, x.a, x.k, x.j);
    }
    return this.bind(`neg(${a.v})`, `-${a.v}`, a.e);
  }

  /** a + b or a - b in the a priori mode. */
  private apSum(op: '+' | '-', a: Atom, b: Atom): Atom {
    const x = this.apOf(a);
    const y = this.apOf(b);
    return this.apBind(`${op === '+' ? 'add' : 'sub'}(${a.v},${b.v})`, `${a.v} ${op} ${b.v}`, `${x.a} + ${y.a}`, Math.max(x.k, y.k) + 1, Math.max(x.j, y.j) + 1);
  }

  // Exact 0 and 1 fold away (the exact value of 0 x is 0 whatever float x holds): the Hessian's structural zeros.
  add(a: Atom, b: Atom): Atom {
    if (exactLiteral(a) === 0) return b;
    if (exactLiteral(b) === 0) return a;
    if (this.apriori) return this.apSum('+', a, b);
    const n = `v${this.count}`;
    return this.bind(`add(${a.v},${b.v})`, `${a.v} + ${b.v}`, `${a.e} + ${b.e} + ${this.rnd(n)}`);
  }

  sub(a: Atom, b: Atom): Atom {
    if (exactLiteral(b) === 0) return a;
    if (exactLiteral(a) === 0) return this.neg(b);
    if (this.apriori) return this.apSum('-', a, b);
    const n = `v${this.count}`;
    return this.bind(`sub(${a.v},${b.v})`, `${a.v} - ${b.v}`, `${a.e} + ${b.e} + ${this.rnd(n)}`);
  }

  mul(a: Atom, b: Atom): Atom {
    const ca = exactLiteral(a);
    const cb = exactLiteral(b);
    if (ca === 0 || cb === 0) return ZERO;
    if (ca === 1) return b;
    if (cb === 1) return a;
    if (this.apriori) {
      const x = this.apOf(a);
      const y = this.apOf(b);
      return this.apBind(`mul(${a.v},${b.v})`, `${a.v} * ${b.v}`, `${x.a} * ${y.a} + ${MIN_NORMAL_LIT}`, x.k + y.k + 1, x.j + y.j + 2);
    }
    const n = `v${this.count}`;
    const abs = (x: Atom, c: number | undefined) => (c === undefined ? `Math.abs(${x.v})` : lit(Math.abs(c)));
    // Scaled, each factor is unscaled by half first: a product of two carried bounds would overflow (2^548 each for
    // values near 1), and one fully unscaled factor would be subnormal where its bound is the floor alone.
    const ee = this.scaled ? `${a.e} * ${ERR_HALF_UNSCALE} * (${b.e} * ${ERR_HALF_UNSCALE})` : `${a.e} * ${b.e}`;
    const terms = [a.e === '0' ? '' : `${abs(b, cb)} * ${a.e}`, b.e === '0' ? '' : `${abs(a, ca)} * ${b.e}`, a.e === '0' || b.e === '0' ? '' : ee].filter(Boolean);
    return this.bind(`mul(${a.v},${b.v})`, `${a.v} * ${b.v}`, [...terms, this.rnd(n)].join(' + '));
  }

  /** |x/y - va/vb| <= (ea + |va/vb| eb) / (|vb| - eb), defined where |vb| > eb; the quotient's rounding on top. */
  div(a: Atom, b: Atom): Atom {
    if (this.apriori) throw new NotApriori('a division');
    const n = `v${this.count}`;
    const be = this.real(b.e);
    const guard = this.bounds ? `if (!(Math.abs(${b.v}) > ${be})) ${this.open} ` : `if (${b.v} === 0) ${this.open} `;
    return this.bind(`div(${a.v},${b.v})`, `${a.v} / ${b.v}`, `(${a.e} + Math.abs(${n}) * ${1 + 2 ** -51} * ${b.e}) / (Math.abs(${b.v}) - ${be}) * ${1 + 2 ** -50} + ${this.rnd(n)}`, guard);
  }

  /** |sqrt(x) - sqrt(va)| <= ea / sqrt(va), defined where va > ea (or va = ea = 0). */
  sqrt(a: Atom): Atom {
    if (this.apriori) throw new NotApriori('a square root');
    const n = `v${this.count}`;
    const guard = this.bounds ? `if (!(${a.v} > ${this.real(a.e)} || (${a.e} === 0 && ${a.v} >= 0))) ${this.open} ` : `if (!(${a.v} >= 0)) ${this.open} `;
    return this.bind(`sqrt(${a.v})`, `Math.sqrt(${a.v})`, `(${a.e} === 0 ? 0 : ${a.e} * ${1 + 2 ** -50} / ${n}) + ${this.rnd(n)}`, guard);
  }

  powi(a: Atom, k: number): Atom {
    if (k === 0) return { v: '1', e: '0' };
    if (k < 0) return this.div({ v: '1', e: '0' }, this.powi(a, -k));
    if (k === 1) return a;
    const half = this.powi(a, Math.floor(k / 2));
    const sq = this.mul(half, half);
    return k % 2 === 0 ? sq : this.mul(sq, a);
  }

  /** A value certainly above 0 (the error inflated for its own roundings). */
  positive(a: Atom): string {
    return this.bounds ? `${a.v} > ${this.real(a.e)} * ${INFLATE} + ${FLOOR}` : `${a.v} > 0`;
  }
}

/** `c S rel R` or `R rel c S`, S on one side alone (c a constant): the orientation and the sides; else undefined. */
function sharpnessBound(c: Relation, em: Emitter): { coef: MathNode | null; other: MathNode; upper: boolean } | undefined {
  const l = freeSymbols(c.lhsExact).has('S');
  const r = freeSymbols(c.rhsExact).has('S');
  if (!l && !r) return undefined;
  if (l && r) throw new NotFusable('S on both sides');
  const side = l ? c.lhsExact : c.rhsExact;
  const other = l ? c.rhsExact : c.lhsExact;
  const s = shapeOf(side);
  let coef: MathNode | null;
  if (s.kind === 'symbol') coef = null;
  else if (s.kind === 'op' && s.op === 'mul' && s.args.length === 2) {
    const [a, b] = s.args as [MathNode, MathNode];
    const isS = (x: MathNode) => {
      const sx = shapeOf(x);
      return sx.kind === 'symbol' && sx.name === 'S';
    };
    if (isS(b) && !em.varies(a)) coef = a;
    else if (isS(a) && !em.varies(b)) coef = b;
    else throw new NotFusable('S in a product that is not c S');
  } else throw new NotFusable('S inside a term');
  if (c.rel === '==') throw new NotFusable('an equality with S');
  // c S on the left of < or <= (or on the right of > or >=): the comparison says S is below; otherwise above.
  const upper = l ? c.rel === '<' || c.rel === '<=' : c.rel === '>' || c.rel === '>=';
  return { coef, other, upper };
}

/** x I - H positive definite, shown by its leading minors (each with its running error): the condition's source. */
function sylvester(em: Emitter, H: Atom[][], X: Atom): string {
  const n = H.length;
  const M = H.map((row, i) => row.map((h, j) => (i === j ? em.sub(X, h) : em.neg(h))));
  const minors: Atom[] = [M[0]![0]!];
  if (n >= 2) minors.push(em.sub(em.mul(M[0]![0]!, M[1]![1]!), em.mul(M[0]![1]!, M[0]![1]!)));
  if (n === 3) {
    const c00 = em.sub(em.mul(M[1]![1]!, M[2]![2]!), em.mul(M[1]![2]!, M[1]![2]!));
    const c01 = em.sub(em.mul(M[0]![1]!, M[2]![2]!), em.mul(M[1]![2]!, M[0]![2]!));
    const c02 = em.sub(em.mul(M[0]![1]!, M[1]![2]!), em.mul(M[1]![1]!, M[0]![2]!));
    minors.push(em.add(em.sub(em.mul(M[0]![0]!, c00), em.mul(M[0]![1]!, c01)), em.mul(M[0]![2]!, c02)));
  }
  return minors.map((d) => em.positive(d)).join(' && ');
}

/**
 * Bounds of S around the iterate, emitted into the current block under suffix k: sl{k} <= S (the Rayleigh quotient
 * of V after one power step, V kept from iterate to iterate) and S < xu{k} (a double just above that quotient, shown
 * by Sylvester's criterion); em.open where either is not shown.
 */
function sBounds(em: Emitter, H: Atom[][], k: number): void {
  const L = em.lines;
  const n = H.length;
  const w = (i: number) => `w${k}_${i}`;
  for (let i = 0; i < n; i++) L.push(`const ${w(i)} = ${H[i]!.map((h, j) => `${h.v} * V[${j}]`).join(' + ')};`);
  L.push(`const wn${k} = ${Array.from({ length: n }, (_, i) => `Math.abs(${w(i)})`).join(' + ')};`);
  L.push(`if (wn${k} > 0 && wn${k} < Infinity) { ${Array.from({ length: n }, (_, i) => `V[${i}] = ${w(i)} / wn${k}; if (Math.abs(V[${i}]) < ${SMALL_V}) V[${i}] = 0;`).join(' ')} }`);
  L.push(Array.from({ length: n }, (_, i) => `const u${k}_${i} = V[${i}];`).join(' '));
  const u = (i: number): Atom => ({ v: `u${k}_${i}`, e: '0' });
  let q: Atom | undefined;
  let vv: Atom | undefined;
  for (let i = 0; i < n; i++) {
    const sq = em.mul(u(i), u(i));
    vv = vv ? em.add(vv, sq) : sq;
    for (let j = i; j < n; j++) {
      let term = em.mul(em.mul(u(i), u(j)), H[i]![j]!);
      if (i !== j) term = em.mul({ v: '2', e: '0' }, term);
      q = q ? em.add(q, term) : term;
    }
  }
  em.bracket(`q${k}`, q!);
  em.bracket(`vv${k}`, vv!);
  L.push(`if (!(vv${k}Lo > 0)) ${em.open}`);
  em.rounded(`sl${k}`, `q${k}Lo >= 0 ? q${k}Lo / vv${k}Hi : q${k}Lo / vv${k}Lo`, -1);
  // A trial point above the quotient (any double will do: Sylvester's criterion decides).
  L.push(`const r${k} = ${q!.v} / ${vv!.v}; const xu${k} = r${k} + Math.abs(r${k}) * ${2 ** -24} + ${2 ** -1000};`);
  L.push(`if (!(${sylvester(em, H, { v: `xu${k}`, e: '0' })})) ${em.open}`);
}

/**
 * The tightness value's bracket where it was not shown below the bound, into io[IO_NEEDED_LO], io[IO_NEEDED_HI]
 * (left NaN where not shown): A S + B from bounds of S (sBounds), A > 0 shown; a value free of S by its error bound.
 */
function emitNeededBracket(em: Emitter, f: NeededForm, k: number, hess: () => Atom[][]): void {
  const L = em.lines;
  if (!f.A) {
    em.bracket(`nv${k}`, em.atom(f.node));
    L.push(`if (!(nv${k}Hi >= nv${k}Lo)) ${em.open}`);
    L.push(`io[${IO_NEEDED_LO}] = nv${k}Lo; io[${IO_NEEDED_HI}] = nv${k}Hi;`);
    return;
  }
  em.bracket(`nA${k}`, em.atom(f.A));
  L.push(`if (!(nA${k}Lo > 0)) ${em.open}`);
  const B = f.B ? em.atom(f.B) : { v: '0', e: '0' };
  em.bracket(`nB${k}`, B);
  sBounds(em, hess(), k);
  em.rounded(`na${k}`, `sl${k} >= 0 ? nA${k}Lo * sl${k} : nA${k}Hi * sl${k}`, -1);
  em.rounded(`nLo${k}`, `na${k} + nB${k}Lo`, -1);
  em.rounded(`nb${k}`, `xu${k} >= 0 ? nA${k}Hi * xu${k} : nA${k}Lo * xu${k}`, 1);
  em.rounded(`nHi${k}`, `nb${k} + nB${k}Hi`, 1);
  L.push(`if (!(nHi${k} >= nLo${k})) ${em.open}`);
  L.push(`io[${IO_NEEDED_LO}] = nLo${k}; io[${IO_NEEDED_HI}] = nHi${k};`);
}

type Need = 'true' | 'false' | 'either';

/** What the emitter reads of a comparison. */
type Relation = Pick<CompiledComparison, 'lhsExact' | 'rhsExact' | 'rel'>;

/** The lemma's tightness value as the rung sees it: A S + B (A, B free of S) or, A undefined, free of S. */
interface NeededForm {
  node: MathNode;
  A?: MathNode;
  B?: MathNode;
  /** "The value is below NB": A S < NB - B (sharpnessBound's form; A's sign is tested at run time), or node < NB. */
  below: Relation;
}

/**
 * The tightness value's form where it is affine in S (a coefficient that varies along the orbit is beyond the rung:
 * the build then drops it), else undefined.
 */
function neededForm(lemma: CompiledLemma): NeededForm | undefined {
  const tt = lemma.tightness;
  if (!tt) return undefined;
  const f = affineIn(tt.neededExact, 'S');
  if (!f) return undefined;
  const nb = new SymbolNode(NEEDED_BOUND) as unknown as MathNode;
  if (f.a === undefined) return { node: tt.neededExact, below: { lhsExact: tt.neededExact, rhsExact: nb, rel: '<' } };
  const S = new SymbolNode('S') as unknown as MathNode;
  return {
    node: tt.neededExact,
    A: f.a,
    B: f.b,
    below: {
      lhsExact: new OperatorNode('*', 'multiply', [f.a, S]) as unknown as MathNode,
      rhsExact: f.b === undefined ? nb : (new OperatorNode('-', 'subtract', [nb, f.b]) as unknown as MathNode),
      rel: '<',
    },
  };
}

/**
 * Emits the decision of one comparison: sets `ok{k}` (1: holds, 0: fails) or returns FUSED_OPEN; for a statement
 * (`slackOut` >= 0) also writes its bracket, or NaN where its slack is shown above T. `need` limits the work to the answers the caller can use.
 */
function emitComparison(em: Emitter, model: DerivedModel, c: Relation, k: number, need: Need, slackOut: number, hess: () => Atom[][]): void {
  const L = em.lines;
  const sb = sharpnessBound(c, em);
  if (sb) {
    // The sharpness bound can only be shown to hold with S below (c S < R); the other answer stays open.
    const answer = sb.upper ? 'true' : 'false';
    if (need !== 'either' && need !== answer) throw new NotFusable('a bound on S in the direction it cannot show');
    const n = model.params.length;
    if (n > 3) throw new NotFusable('S of more than 3 parameters');
    const R = em.atom(sb.other);
    const c0 = sb.coef ? em.atom(sb.coef) : { v: '1', e: '0' };
    const H = hess();
    em.bracket(`R${k}`, R);
    em.bracket(`c${k}`, c0);
    L.push(`if (!(c${k}Lo > 0)) ${em.open}`);
    // x <= (R - T) / c: S < x shows R - c S > T (T = 0 for a premise, the slack a statement must clear for one).
    const x = `x${k}`;
    em.rounded(`${x}n`, `R${k}Lo - ${slackOut >= 0 ? 'T' : '0'}`, -1);
    em.rounded(x, `${x}n >= 0 ? ${x}n / c${k}Hi : ${x}n / c${k}Lo`, -1);
    const shown = sylvester(em, H, { v: x, e: '0' });
    if (slackOut < 0) {
      L.push(`if (!(${shown})) ${em.open}`);
      L.push(`ok${k} = ${answer === 'true' ? 1 : 0};`);
      return;
    }
    // Where the slack is not shown above T, the statement's slack is bracketed: S >= the Rayleigh quotient of V
    // (one power step on the vector kept from the last such iterate), S < xu just above that quotient, shown by
    // Sylvester's criterion again; then R - c S lies in [R_lo - c_hi xu, R_hi - c_lo sl].
    L.push(`if (${shown}) lo[${slackOut}] = NaN; else`);
    em.block(() => {
      sBounds(em, H, k);
      em.rounded(`a${k}`, `xu${k} >= 0 ? c${k}Hi * xu${k} : c${k}Lo * xu${k}`, 1);
      em.rounded(`s${k}Lo`, `R${k}Lo - a${k}`, -1);
      L.push(`if (!(s${k}Lo > 0)) ${em.open}`);
      em.rounded(`b${k}`, `sl${k} >= 0 ? c${k}Lo * sl${k} : c${k}Hi * sl${k}`, -1);
      em.rounded(`s${k}Hi`, `R${k}Hi - b${k}`, 1);
      // A bracket with a NaN end (an overflow on the way) orders nothing.
      L.push(`if (!(s${k}Hi >= s${k}Lo)) ${em.open}`);
      L.push(`lo[${slackOut}] = s${k}Lo; hi[${slackOut}] = s${k}Hi;`);
    });
    L.push(`ok${k} = 1;`);
    return;
  }
  const l = em.atom(c.lhsExact);
  const r = em.atom(c.rhsExact);
  if (c.rel === '==') {
    // An equality is shown false where its sides are shown apart (a trigger t == 0 after the start); never true here.
    if (need === 'true') throw new NotFusable('an equality that must hold');
    const d = em.sub(r, l);
    const apart = em.bounds ? `Math.abs(${d.v}) > ${em.real(d.e)} * ${INFLATE} + ${FLOOR}` : `${d.v} !== 0`;
    L.push(`if (!(${apart})) ${em.open} ok${k} = 0;`);
    return;
  }
  // d = rhs - lhs for < and <=, lhs - rhs for > and >=: the comparison holds where d > 0 is shown.
  const below = c.rel === '<' || c.rel === '<=';
  const d = below ? em.sub(r, l) : em.sub(l, r);
  const holds = em.positive(d);
  const fails = em.positive(em.neg(d));
  if (slackOut >= 0) {
    // d - T shown positive: the slack is above the threshold. Else, where it holds, its bracket.
    const clear = em.bounds ? `${d.v} - T > ${em.real(d.e)} * ${INFLATE} + Math.abs(${d.v}) * ${U} + ${FLOOR}` : `${d.v} > T`;
    L.push(`if (${clear}) lo[${slackOut}] = NaN; else`);
    em.block(() => {
      L.push(`if (!(${holds})) ${em.open}`);
      em.bracket(`d${k}`, d);
      L.push(`lo[${slackOut}] = d${k}Lo; hi[${slackOut}] = d${k}Hi;`);
    });
    L.push(`ok${k} = 1;`);
    return;
  }
  if (need === 'true') L.push(`if (!(${holds})) ${em.open} ok${k} = 1;`);
  else if (need === 'false') L.push(`if (!(${fails})) ${em.open} ok${k} = 0;`);
  else L.push(`if (${holds}) ok${k} = 1; else if (${fails}) ok${k} = 0; else ${em.open}`);
}

/** extIn's answer: [value, error]. */
export const EXT = new Float64Array(2);
const MIN_NORMAL = 2 ** -1022;

const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);

/**
 * Lane value i, th[i] 2^thE[i], as EXT[0] with error EXT[1]: ldexp's arithmetic (extfloat.ts), one rounding at most
 * and only to a subnormal (or 0), where it is off by at most half the subnormal spacing; a normal result is exact.
 * False where it overflows. It takes the arrays and reads them itself, and calls nothing on the common path: a double
 * passed to or returned from a call that is not inlined is boxed, an allocation at every iterate.
 */
export function extIn(th: Float64Array, thE: Float64Array, i: number): boolean {
  const m = th[i]!;
  const k = thE[i]!;
  let r: number;
  BITS[0] = m;
  const be = (WORDS[EXT_HI_WORD]! >>> 20) & 0x7ff;
  if (m === 0 || k === 0 || be === 0 || be === 0x7ff) r = pairToNumber(m, k);
  else {
    const E = be - 1023;
    const T = E + k;
    if (T > 1023) return false;
    if (T < -1076) r = m > 0 ? 0 : -0;
    else {
      const f = m * EXT_POW2[1074 - E]!; // 1 <= |f| < 2, exact
      r = T >= -1074 ? f * EXT_POW2[T + 1074]! : f * 0.25 * EXT_POW2[T + 2 + 1074]!;
    }
  }
  if (!Number.isFinite(r)) return false;
  EXT[0] = r;
  EXT[1] = Math.abs(r) >= MIN_NORMAL ? 0 : Number.MIN_VALUE;
  return true;
}

const CACHE = new WeakMap<CompiledLemma, Map<string, FusedRung | null>>();

/** The fused rung of `lemma` in steady state `s`, or undefined where a comparison it reads is beyond it (above). */
export function fusedRung(model: DerivedModel, lemma: CompiledLemma, s: Steady, options: FusedOptions = {}): FusedRung | undefined {
  const bounds = options.bounds ?? true;
  const key = `${s.does}/${s.watchEvent ? 1 : 0}/${s.watchTrigger ? 1 : 0}/${bounds ? 1 : 0}/${options.apriori === false ? 0 : 1}`;
  let byKey = CACHE.get(lemma);
  if (!byKey) CACHE.set(lemma, (byKey = new Map()));
  if (byKey.has(key)) return byKey.get(key) ?? undefined;
  let rung: FusedRung | null = null;
  try {
    rung = build(model, lemma, s, bounds, options);
  } catch (e) {
    if (!(e instanceof NotFusable)) throw e;
  }
  byKey.set(key, rung);
  return rung ?? undefined;
}

/**
 * The body of settle as emitted by `em` (every comparison the steady state reads), ending in a return. Trigger and
 * when comparisons are all evaluated before their answers are read: a later open one opens the iterate.
 */
function emitBody(em: Emitter, model: DerivedModel, lemma: CompiledLemma, s: Steady, needed: NeededForm | undefined): { lines: string[]; decl: string[] } {
  const L = em.lines;
  const n = model.params.length;
  let H: Atom[][] | undefined;
  const hess = () => (H ??= model.hessian.map((row) => row.map((h) => em.atom(h))));
  // A parameter outside the double band (thE != 0) enters as its double enclosure's lower end with the width as error.
  for (let i = 0; i < n; i++)
    L.push(
      em.exactParams
        ? `const p${i} = th[${i}];`
        : `let p${i} = th[${i}], p${i}e = 0; if (thE[${i}] !== 0) { if (!extIn(th, thE, ${i})) return ${FUSED_OPEN}; p${i} = EXT[0]; p${i}e = ${em.carried(1)} * EXT[1]; ` +
            // |exact| <= |p| + EXT[1] < 2 SMALL.
            `if (Math.abs(p${i}) < ${SMALL}) { p${i} = 0; p${i}e = ${em.carried(2 * SMALL)}; } }`,
    );
  let k = 0;
  const decl: string[] = [];
  const next = () => {
    decl.push(`ok${k}`);
    return k++;
  };
  for (const c of lemma.along) emitComparison(em, model, c, next(), 'true', -1, hess);
  if (s.watchEvent && lemma.event) emitComparison(em, model, lemma.event, next(), 'false', -1, hess);
  if (s.watchTrigger && lemma.trigger.length > 0) {
    // The first trigger that is not shown true must be shown false (the triggers do not all hold).
    const ks: number[] = [];
    for (const c of lemma.trigger) {
      const kk = next();
      ks.push(kk);
      emitComparison(em, model, c, kk, 'either', -1, hess);
    }
    L.push(`if (${ks.map((kk) => `ok${kk} === 1`).join(' && ')}) return ${FUSED_OPEN};`);
  }
  const asserts = s.does !== 'idle';
  if (asserts) {
    if (s.does === 'assert-when' && lemma.when.length > 0) {
      const ks = lemma.when.map((c) => {
        const kk = next();
        emitComparison(em, model, c, kk, 'either', -1, hess);
        return kk;
      });
      L.push(`if (!(${ks.map((kk) => `ok${kk} === 1`).join(' && ')})) return ${FUSED_IDLE};`);
    }
    lemma.statements.forEach((c, j) => emitComparison(em, model, c, next(), 'true', j, hess));
    if (needed) {
      // Not shown below the bound: only the answer is 0, the iterate stays settled.
      L.push(`io[${IO_NEEDED_BELOW}] = 0; io[${IO_NEEDED_LO}] = NaN; io[${IO_NEEDED_HI}] = NaN;`, 'nd: {');
      const open = em.open;
      em.block(() => {
        em.open = 'break nd;';
        emitComparison(em, model, needed.below, next(), 'true', -1, hess);
        L.push(`io[${IO_NEEDED_BELOW}] = 1;`);
      });
      // Not below: the value's bracket, for the steady loop to defer its record (a later value may be shown above it).
      L.push('}', `if (io[${IO_NEEDED_BELOW}] === 0) nb: {`);
      em.block(() => {
        em.open = 'break nb;';
        emitNeededBracket(em, needed, next(), hess);
      });
      em.open = open;
      L.push('}');
    }
    L.push(`return ${FUSED_ASSERT};`);
  } else L.push(`return ${FUSED_IDLE};`);
  return { lines: L, decl };
}

function build(model: DerivedModel, lemma: CompiledLemma, s: Steady, bounds: boolean, options: FusedOptions): FusedRung {
  if (lemma.floatOnly) throw new NotFusable('float-only');
  // The general variant fixes the layout of K (and throws NotFusable where a comparison is beyond the rung).
  let needed = neededForm(lemma);
  let layout = new Emitter(model, bounds);
  try {
    emitBody(layout, model, lemma, s, needed);
  } catch (e) {
    // A tightness value beyond the rung leaves record to the interval rung: the rest may still be fused.
    if (!(e instanceof NotFusable) || !needed) throw e;
    needed = undefined;
    layout = new Emitter(model, bounds);
    emitBody(layout, model, lemma, s, undefined);
  }
  const n = model.params.length;
  const K = new Float64Array(2 * Math.max(1, layout.constants.length));
  // The vector of the Rayleigh brackets: reset by prepare, so a stretch's decisions depend on its own iterates only.
  const V = new Float64Array(n);
  // T: what a statement's slack must be shown above (Infinity before the trajectory has a smallest slack).
  const T =
    `const thr = io[${IO_THRESHOLD}]; const T = ${bounds ? `thr > 0 ? thr / ${ROOM} * ${INFLATE} + ${TINY} : 0` : 'thr > 0 ? thr : 0'};` +
    (needed ? ` const NB = io[${IO_NEEDED}];` : '');
  /**
   * settle for the stretch's pattern of exact constants: the general code, and before it the same comparisons with
   * the parameters exact doubles (every lane value with exponent 0, the common case), each without the error terms
   * of exact values (compiled once per pattern).
   */
  const compile = (exactK: boolean[]): FusedRung['settle'] => {
    const fast = emitBody(new Emitter(model, bounds, layout, exactK, true), model, lemma, s, needed);
    const general = emitBody(new Emitter(model, bounds, layout, exactK, false), model, lemma, s, needed);
    // First the a priori bounds (where every operation is + - * of exact values); what they leave open, the running ones.
    let apriori = '';
    if (bounds && options.apriori !== false)
      try {
        apriori = `ap: {\n${emitBody(new Emitter(model, bounds, layout, exactK, true, true), model, lemma, s, needed).lines.join('\n')}\n}\n`;
      } catch (e) {
        if (!(e instanceof NotApriori)) throw e;
      }
    const exact = Array.from({ length: n }, (_, i) => `thE[${i}] === 0`).join(' && ');
    const body = `${general.decl.length ? `let ${general.decl.join(', ')};` : ''}\n${T}\nif (${exact}) {\n${apriori}${fast.lines.join('\n')}\n}\n${general.lines.join('\n')}`;
    return new Function('K', 'extIn', 'EXT', 'V', `return function settle(th, thE, t, io, lo, hi) {\n${body}\n};`)(K, extIn, EXT, V) as FusedRung['settle'];
  };
  /**
   * The lane loop (dynamics/batch.ts, laneLoopSource) that settles each iterate by `settle` (called: inlined, a body
   * with a tightness value's bracket made a function beyond the 60 KB of bytecode V8 optimizes, and inlining measured
   * no faster): it goes on while the answer changes no record (nothing asserted, or every slack above the threshold
   * and the tightness value below its bound or absent) or captures a candidate, and stops at any other answer with
   * the iterate's successor in nth.
   */
  const compileRun = (settle: FusedRung['settle'], arith: BatchArith): FusedRun => {
    const nS = lemma.statements.length;
    // The tightness value changes no record: shown below its bound, or there is none.
    const neededQuiet = needed ? `io[${IO_NEEDED_BELOW}] === 1` : lemma.tightness ? 'false' : 'true';
    const unbracketed = lemma.statements.map((_, j) => `lo[${j}] !== lo[${j}]`).join(' && ') || 'true';
    // A bracketed iterate is captured here where the steady loop defers its figures (steady-run.ts, `defer`).
    const captures = lemma.tightness === undefined || needed !== undefined;
    const hook: LaneLoopHook = {
      name: 'settleRun',
      params: ['tStart_', 'io', 'lo', 'hi', 'nth', 'nthE', 'q'],
      // The threshold: the extremes so far (io's) and the pending candidates' figures, lowered by each capture.
      setup: `const thr0_ = io[${IO_THRESHOLD}];\n${captureSetup('q')}\nlet asserted_ = 0; out[1] = 0; out[2] = -1;`,
      visit: (cur, next) => {
        const stop = `${next.map(([m, e], i) => `nth[${i}] = ${m}; nthE[${i}] = ${e};`).join(' ')} out[2] = r_; break run;`;
        const lowered = `io[${IO_THRESHOLD}] = Math.min(thr0_, QS_[1]);`;
        const capture = captures ? captureSource(model.params.length, nS, cur, 'tStart_ + k', 'k', 'asserted_', stop, `asserted_++; ${lowered}`) : stop;
        return (
          `${cur.map(([m, e], i) => `th[${i}] = ${m}; thE[${i}] = ${e};`).join(' ')}\nconst r_ = settle_(th, thE, tStart_ + k, io, lo, hi);\n` +
          `if (r_ === ${FUSED_ASSERT} && ${neededQuiet}) {\nif (${unbracketed}) asserted_++; else ${capture}\n} else if (r_ !== ${FUSED_IDLE}) { ${stop} }`
        );
      },
      finish: 'out[1] = asserted_;',
    };
    return compileLaneSource<FusedRun>(laneLoopSource(model, arith, hook), { settle_: settle });
  };
  const variants = new Map<string, { settle: FusedRung['settle']; runs: Partial<Record<BatchArith, FusedRun>> }>();
  let current: { settle: FusedRung['settle']; runs: Partial<Record<BatchArith, FusedRun>> } | undefined;
  const exactK = new Array<boolean>(layout.constants.length).fill(false);
  const kernels: IntervalKernel[] = layout.constants.map((node) =>
    compileIntervalKernel([node], (name) => {
      const i = lemma.fiSlots.get(name);
      if (i === undefined) throw new NotFusable(`no filter slot for ${name}`);
      return i;
    }),
  );
  const O = new Float64Array(2);
  let prepared: object | undefined;
  const rung: FusedRung = {
    prepare(E: Float64Array, token?: object) {
      V.fill(1);
      if (token !== undefined && token === prepared) return;
      prepared = token;
      for (let i = 0; i < kernels.length; i++) {
        let v = NaN;
        let e = NaN;
        if (kernels[i]!(E, O) === FI_OK) {
          const lo = O[0]!;
          const hi = O[1]!;
          if (lo === hi && Number.isFinite(lo)) (v = lo), (e = 0);
          else if (Number.isFinite(lo) && Number.isFinite(hi)) {
            v = lo / 2 + hi / 2;
            e = up(Math.max(hi - v, v - lo));
          }
        }
        K[2 * i] = v;
        K[2 * i + 1] = e;
        exactK[i] = e === 0;
      }
      const key = exactK.map((x) => (x ? 1 : 0)).join('');
      let v = variants.get(key);
      if (!v) variants.set(key, (v = { settle: compile(exactK), runs: {} }));
      current = v;
      rung.settle = v.settle;
    },
    settle: () => FUSED_OPEN,
    runner(arith: BatchArith): FusedRun {
      if (!current) throw new Error('fused rung: runner() before prepare()');
      return (current.runs[arith] ??= compileRun(current.settle, arith));
    },
    boundsNeeded: needed !== undefined,
    seed(v: ArrayLike<number>) {
      if (v.length === n) for (let i = 0; i < n; i++) V[i] = v[i]!;
    },
  };
  return rung;
}

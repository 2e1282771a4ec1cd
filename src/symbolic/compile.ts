import type { MathNode } from 'mathjs';
import { fold, integerExponent, type Backend } from './algebra.js';
import { EXT_BAND_HI, EXT_BAND_LO, EXT_HI_WORD, EXT_MAX_E, EXT_POW2, ExtPairScratch, ext } from '../numeric/extfloat.js';

/**
 * Compile validated expression trees to JavaScript. The source is generated from the tree, never
 * copied from user text: symbols become slot accesses chosen by the caller (`th[0]`, `h[2]`, ...)
 * and constants are printed from their numeric values, so only arithmetic can come out.
 */

/** Symbol name -> JS access expression, e.g. the first parameter -> "th[0]". */
export type Slots = ReadonlyMap<string, string>;

const MATH_FN: Record<string, string> = {
  sqrt: 'Math.sqrt',
  abs: 'Math.abs',
  max: 'Math.max',
  min: 'Math.min',
  exp: 'Math.exp',
  log: 'Math.log',
  log10: 'Math.log10',
  log2: 'Math.log2',
};

function num(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`non-finite constant ${v}`);
  return Object.is(v, -0) ? '(-0)' : v < 0 ? `(${v})` : String(v);
}

/** Float64 source for a scalar expression (a backend of the expression algebra). */
export function floatSource(node: MathNode, slots: Slots): string {
  const call = (f: string) => (...xs: string[]) => `${f}(${xs.join(', ')})`;
  return fold<string>(node, {
    name: 'the float64 code generator',
    constant: (v) => num(v),
    symbol: (name) => {
      const s = slots.get(name);
      if (s === undefined) throw new Error(`no slot for symbol ${name}`);
      return s;
    },
    neg: (a) => `(-${a})`,
    add: (a, b) => `(${a} + ${b})`,
    sub: (a, b) => `(${a} - ${b})`,
    mul: (a, b) => `(${a} * ${b})`,
    div: (a, b) => `(${a} / ${b})`,
    powi: (b, k) => {
      if (Math.abs(k) <= 4) {
        if (k === 0) return '1';
        const prod = `(${Array(Math.abs(k)).fill(b).join(' * ')})`;
        return k > 0 ? prod : `(1 / ${prod})`;
      }
      return `Math.pow(${b}, ${num(k)})`;
    },
    powr: (b, p) => `Math.pow(${b}, ${num(p)})`,
    sqrt: call(MATH_FN.sqrt!),
    abs: call(MATH_FN.abs!),
    max: call(MATH_FN.max!),
    min: call(MATH_FN.min!),
    exp: call(MATH_FN.exp!),
    log: call(MATH_FN.log!),
    log10: call(MATH_FN.log10!),
    log2: call(MATH_FN.log2!),
  });
}

/**
 * Source over an arithmetic object `A` (see numeric/extfloat.ts ExtArith): every operation is a
 * call, so the same tree runs in float64 or in extended-exponent arithmetic.
 * Constants are hoisted by the caller through `constSlot`.
 */
export function arithSource(node: MathNode, slots: Slots, constSlot: (v: number) => string): string {
  const bin = (op: string) => (a: string, b: string) => `A.${op}(${a}, ${b})`;
  return fold<string>(node, {
    name: 'extended arithmetic',
    constant: (v) => constSlot(v),
    symbol: (name) => {
      const s = slots.get(name);
      if (s === undefined) throw new Error(`no slot for symbol ${name}`);
      return s;
    },
    neg: (a) => `A.neg(${a})`,
    add: bin('add'),
    sub: bin('sub'),
    mul: bin('mul'),
    div: bin('div'),
    powi: (b, k) => (k === 2 ? `A.mul(${b}, ${b})` : `A.powInt(${b}, ${k})`),
    sqrt: (a) => `A.sqrt(${a})`,
    abs: (a) => `A.abs(${a})`,
    max: bin('max'),
    min: bin('min'),
  });
}

// ---- straight-line programs with common-subexpression elimination -------------------------

/** Free symbols of the trees, in first-use order (function names excluded). */
export function usedSymbols(nodes: readonly MathNode[]): string[] {
  const out = new Set<string>();
  for (const node of nodes)
    node.traverse((n: MathNode, _p: string, parent: MathNode | null) => {
      if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && (parent as any).fn === n)) out.add((n as any).name);
    });
  return [...out];
}

/**
 * Float64 straight-line code for several trees at once. Every operation of floatSource is kept, in
 * the same association order (n-ary sums and products fold left, x^k for |k| <= 4 is a product), so
 * results are bit-identical to floatSource; what changes is that every distinct subexpression is
 * computed once into a `const` (the gradient and Hessian share products of parameters) and inputs
 * are read once by the caller. Commutative operands are put in a canonical order for the lookup only,
 * which is sound because IEEE a+b and a*b are commutative bit for bit.
 */
export class FloatProgram {
  readonly lines: string[] = [];
  private readonly memo = new Map<string, string>();
  private count = 0;

  /** `slots` maps a symbol to a local name or any side-effect-free JS expression. */
  constructor(
    private readonly slots: Slots,
    private readonly prefix = 't',
  ) {}

  private bind(key: string, src: string): string {
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const name = `${this.prefix}${this.count++}`;
    this.lines.push(`const ${name} = ${src};`);
    this.memo.set(key, name);
    return name;
  }

  private bin(op: '+' | '-' | '*' | '/', a: string, b: string): string {
    const commutes = op === '+' || op === '*';
    const key = commutes && b < a ? `${b}${op}${a}` : `${a}${op}${b}`;
    return this.bind(key, `${a} ${op} ${b}`);
  }

  private readonly backend: Backend<string> = {
    name: 'the float64 code generator',
    constant: (v) => num(v),
    symbol: (name) => {
      const s = this.slots.get(name);
      if (s === undefined) throw new Error(`no slot for symbol ${name}`);
      return s;
    },
    neg: (x) => this.bind(`neg(${x})`, `-${x}`),
    add: (a, b) => this.bin('+', a, b),
    sub: (a, b) => this.bin('-', a, b),
    mul: (a, b) => this.bin('*', a, b),
    div: (a, b) => this.bin('/', a, b),
    powi: (b, k) => {
      if (Math.abs(k) <= 4) {
        if (k === 0) return '1';
        let prod = b;
        for (let i = 1; i < Math.abs(k); i++) prod = this.bin('*', prod, b);
        return k > 0 ? prod : this.bin('/', '1', prod);
      }
      const e = num(k);
      return this.bind(`pow(${b},${e})`, `Math.pow(${b}, ${e})`);
    },
    powr: (b, p) => this.bind(`pow(${b},${num(p)})`, `Math.pow(${b}, ${num(p)})`),
    ...Object.fromEntries(
      (['sqrt', 'abs', 'max', 'min', 'exp', 'log', 'log10', 'log2'] as const).map((fn) => [
        fn,
        (...args: string[]) => this.bind(`${MATH_FN[fn]}(${args.join(',')})`, `${MATH_FN[fn]}(${args.join(', ')})`),
      ]),
    ),
  };

  /** Emit the tree; returns an atom (a local name, a slot or a literal). */
  emit(node: MathNode): string {
    return fold(node, this.backend);
  }
}

/** A (mantissa, exponent) atom of pair code: two local names or literals. */
export interface PairAtom {
  m: string;
  e: string;
}

const BAND_TEST = (m: string) => `!(Math.abs(${m}) >= ${EXT_BAND_LO} && Math.abs(${m}) < ${EXT_BAND_HI})`;

/** Names generated pair code expects in scope, and their values (see pairRuntime). */
export const PAIR_RUNTIME_PARAMS = ['P', 'F64S', 'U32S', 'POW2T'];
/** Fresh runtime objects for one compiled pair kernel: the slow-path scratch and the bit-view scratch. */
export function pairRuntime(): unknown[] {
  const F = new Float64Array(1);
  return [new ExtPairScratch(), F, new Uint32Array(F.buffer), EXT_POW2];
}

/**
 * ExtFloat's norm(m, e) inline for the common cases: m a normal double (true of a product, quotient
 * or sum of canonical mantissas) and either already canonical (e = 0, m in the band) or with a result
 * outside the band and inside 2^±MAX_E, where norm scales m into [1, 2) by the exact power of two
 * 2^-E0 and sets e = E0 + e. Every other case (zero, non-finite, subnormal m, a result moving back
 * into the band, an exponent overflow) calls P.norm.
 */
export function normInline(m: string, e: string): string {
  const call = `{ P.norm(${m}, ${e}); ${m} = P.m; ${e} = P.e; }`;
  return `{ F64S[0] = ${m}; const b_ = (U32S[${EXT_HI_WORD}] >>> 20) & 2047; const E_ = b_ - 1023 + ${e};
      if (b_ === 0 || b_ === 2047 || E_ > 1125899906842624 || E_ < -1125899906842624) ${call}
      else if (E_ >= -400 && E_ < 400) { if (${e} !== 0) ${call} }
      else { ${m} = ${m} * POW2T[2097 - b_]; ${e} = E_; } }`;
}

/**
 * The operations an extended-arithmetic code generator supplies; `emitExtended` walks the tree and
 * `powIntWith` does ExtFloat's binary powering, so the pair code and its float64 shadow perform the
 * same operations in the same order (their bit-identity rests on it).
 */
interface ExtendedOps<A> {
  constant(v: number): A;
  symbol(name: string): A;
  neg(x: A): A;
  addSub(op: '+' | '-', a: A, b: A): A;
  mulDiv(op: '*' | '/', a: A, b: A): A;
  /** x^0: 1, or NaN for a non-finite x (ExtFloat's rule). */
  pow0(x: A): A;
  sqrt(x: A): A;
  abs(x: A): A;
  /** ExtFloat max/min of two: NaN if either is NaN, else the first argument on ties. */
  maxMin(fn: 'max' | 'min', a: A, b: A): A;
}

function powIntWith<A>(ops: ExtendedOps<A>, a: A, k: number): A {
  if (k === 0) return ops.pow0(a);
  if (k < 0) return ops.mulDiv('/', ops.constant(1), powIntWith(ops, a, -k));
  let result: A | undefined;
  let base = a;
  for (;;) {
    if (k % 2 === 1) result = result === undefined ? base : ops.mulDiv('*', result, base);
    k = Math.floor(k / 2);
    if (k === 0) return result!;
    base = ops.mulDiv('*', base, base);
  }
}

/** The algebra backend of an extended-arithmetic generator (ExtFloat's operations, in its order). */
function extendedBackend<A>(ops: ExtendedOps<A>): Backend<A> {
  return {
    name: 'extended arithmetic',
    constant: (v) => ops.constant(v),
    symbol: (name) => ops.symbol(name),
    neg: (x) => ops.neg(x),
    add: (a, b) => ops.addSub('+', a, b),
    sub: (a, b) => ops.addSub('-', a, b),
    mul: (a, b) => ops.mulDiv('*', a, b),
    div: (a, b) => ops.mulDiv('/', a, b),
    powi: (b, k) => (k === 2 ? ops.mulDiv('*', b, b) : powIntWith(ops, b, k)),
    sqrt: (x) => ops.sqrt(x),
    abs: (x) => ops.abs(x),
    max: (a, b) => ops.maxMin('max', a, b),
    min: (a, b) => ops.maxMin('min', a, b),
  };
}

/** One node; subtrees go through `emit`, the generator's own (possibly overridden) entry point. */
function emitExtended<A>(ops: ExtendedOps<A>, node: MathNode, emit: (x: MathNode) => A): A {
  return fold(node, extendedBackend(ops), undefined, emit);
}

/**
 * Extended-exponent straight-line code over pairs of plain numbers (numeric/extfloat.ts
 * ExtPairScratch), following arithSource operation for operation, so that every result is
 * bit-identical to the ExtArith kernel of the same tree, with no allocation. The common case is
 * inlined (both exponents 0 and the result inside the band: one float64 operation, exactly ExtArith's
 * fast path); anything else calls the scratch object `P`, which mirrors ExtArith's slow path and
 * leaves its result in P.m, P.e. Constants are ext(c), printed as literals.
 */
export class PairProgram {
  readonly lines: string[] = [];
  private readonly memo = new Map<string, PairAtom>();
  private count = 0;

  constructor(
    private readonly slots: ReadonlyMap<string, PairAtom>,
    private readonly prefix = 'x',
  ) {}

  private fresh(): string {
    return `${this.prefix}${this.count++}`;
  }

  private memoized(key: string, make: () => PairAtom): PairAtom {
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const r = make();
    this.memo.set(key, r);
    return r;
  }

  private key(op: string, a: PairAtom, b: PairAtom, commutes: boolean): string {
    const ka = `${a.m}:${a.e}`;
    const kb = `${b.m}:${b.e}`;
    return commutes && kb < ka ? `${op}(${kb},${ka})` : `${op}(${ka},${kb})`;
  }

  private mulDiv(op: '*' | '/', a: PairAtom, b: PairAtom): PairAtom {
    return this.memoized(this.key(op, a, b, op === '*'), () => {
      const r = this.fresh();
      const m = `${r}m`;
      const e = `${r}e`;
      const eSrc =
        op === '*'
          ? a.e === '0' ? b.e : b.e === '0' ? a.e : `${a.e} + ${b.e}`
          : b.e === '0' ? a.e : `${a.e} - ${b.e}`;
      const slow = normInline(m, e);
      this.lines.push(`let ${m} = ${a.m} ${op} ${b.m}, ${e} = ${eSrc};`);
      this.lines.push(eSrc === '0' ? `if (${BAND_TEST(m)}) ${slow}` : `if (${e} !== 0 || ${BAND_TEST(m)}) ${slow}`);
      return { m, e };
    });
  }

  private addSub(op: '+' | '-', a: PairAtom, b: PairAtom): PairAtom {
    return this.memoized(this.key(op, a, b, op === '+'), () => {
      const r = this.fresh();
      const m = `${r}m`;
      const e = `${r}e`;
      const bSlow = op === '+' ? b.m : `-${b.m}`;
      const zero = [a.e, b.e].filter((x) => x !== '0').map((x) => `${x} === 0`);
      const fast = `${m} = ${a.m} ${op} ${b.m}; ${e} = 0; if (${BAND_TEST(m)}) { P.norm(${m}, 0); ${m} = P.m; ${e} = P.e; }`;
      this.lines.push(`let ${m} = 0, ${e} = 0;`);
      if (zero.length === 0) this.lines.push(fast);
      else {
        // addSlow inline for two finite nonzero operands: with d = difference of exponents, d = 0 is a
        // sum then norm; 0 < d <= 1074 adds the smaller mantissa times 2^-d (one correctly rounded
        // multiplication, exactly the ldexp of addSlow, since 2^-d is a double) then norm;
        // d > ADD_CUTOFF = 1100 is the larger operand unchanged. Zeros, non-finite values and
        // 1074 < d <= 1100 call addSlow.
        const ok = `${a.m} - ${a.m} === 0 && ${b.m} - ${b.m} === 0 && ${a.m} !== 0 && ${b.m} !== 0`;
        this.lines.push(
          `if (${zero.join(' && ')}) { ${fast} }
    else if (${ok}) {
      const d_ = ${a.e} - ${b.e};
      if (d_ === 0) { ${m} = ${a.m} ${op} ${b.m}; ${e} = ${a.e}; ${normInline(m, e)} }
      else if (d_ > 0 && d_ <= 1074) { ${m} = ${a.m} ${op} ${b.m} * POW2T[1074 - d_]; ${e} = ${a.e}; ${normInline(m, e)} }
      else if (d_ < 0 && d_ >= -1074) { ${m} = ${bSlow} + ${a.m} * POW2T[1074 + d_]; ${e} = ${b.e}; ${normInline(m, e)} }
      else if (d_ > 1100) { ${m} = ${a.m}; ${e} = ${a.e}; }
      else if (d_ < -1100) { ${m} = ${bSlow}; ${e} = ${b.e}; }
      else { P.addSlow(${a.m}, ${a.e}, ${bSlow}, ${b.e}); ${m} = P.m; ${e} = P.e; }
    }
    else { P.addSlow(${a.m}, ${a.e}, ${bSlow}, ${b.e}); ${m} = P.m; ${e} = P.e; }`,
        );
      }
      return { m, e };
    });
  }

  private call(name: string, args: PairAtom[]): PairAtom {
    return this.memoized(`${name}(${args.map((x) => `${x.m}:${x.e}`).join(',')})`, () => {
      const r = this.fresh();
      this.lines.push(`P.${name}(${args.map((x) => `${x.m}, ${x.e}`).join(', ')}); const ${r}m = P.m, ${r}e = P.e;`);
      return { m: `${r}m`, e: `${r}e` };
    });
  }

  private unary(key: string, mSrc: (m: string) => string, a: PairAtom): PairAtom {
    return this.memoized(`${key}(${a.m}:${a.e})`, () => {
      const r = this.fresh();
      this.lines.push(`const ${r}m = ${mSrc(a.m)};`);
      return { m: `${r}m`, e: a.e };
    });
  }

  private constant(v: number): PairAtom {
    const c = ext(v);
    return { m: num(c.m), e: String(c.e) };
  }

  /** a op b with ExtArith's rounding, for callers composing programs (the GD update). */
  binary(op: '+' | '-' | '*' | '/', a: PairAtom, b: PairAtom): PairAtom {
    return op === '+' || op === '-' ? this.addSub(op, a, b) : this.mulDiv(op, a, b);
  }

  private readonly ops: ExtendedOps<PairAtom> = {
    constant: (v) => this.constant(v),
    symbol: (name) => {
      const s = this.slots.get(name);
      if (s === undefined) throw new Error(`no slot for symbol ${name}`);
      return s;
    },
    neg: (x) => this.unary('neg', (m) => `-${m}`, x),
    addSub: (op, a, b) => this.addSub(op, a, b),
    mulDiv: (op, a, b) => this.mulDiv(op, a, b),
    pow0: (x) => this.unary('pow0', (m) => `Number.isFinite(${m}) ? 1 : NaN`, { m: x.m, e: '0' }),
    sqrt: (x) => (x.e === '0' ? this.unary('sqrt', (m) => `Math.sqrt(${m})`, x) : this.call('sqrt', [x])),
    abs: (x) => this.unary('abs', (m) => `Math.abs(${m})`, x),
    maxMin: (fn, a, b) => this.call(fn, [a, b]),
  };

  emit(node: MathNode): PairAtom {
    return emitExtended(this.ops, node, (x) => this.emit(x));
  }
}

/**
 * Float64 shadow of PairProgram: the same operations in the same order (binary powering, ExtFloat's
 * max/min tie rules), on plain doubles. Where no intermediate leaves the normal double range, every
 * ExtFloat operation rounds exactly like its float64 counterpart (numeric/extfloat.ts), so the shadow
 * computes the same values as the pair code and its results, put into canonical form, are
 * bit-identical. `bounds` is the static range check that makes that so: with every input either 0 or
 * of magnitude in [2^-P, 2^P], it bounds log2 |x| of every nonzero intermediate (a sum that cancels is
 * still a multiple of the smaller operand's ulp, so it loses at most 53 binary orders), and
 * `safeInputExponent()` is the largest P for which all of them stay within 2^-1000 .. 2^1000.
 */
export class ShadowProgram {
  readonly lines: string[] = [];
  private readonly memo = new Map<string, string>();
  /** [lo, hi]: nonzero |x| in [2^lo, 2^hi], as functions of the input bound P (lo = a - b P etc.). */
  private readonly range = new Map<string, [Lin, Lin]>();
  private count = 0;

  /** `fixed`: inputs with a known constant range [lo, hi] of log2 |x| instead of [-P, P]. */
  constructor(
    private readonly slots: Slots,
    private readonly prefix = 'f',
    fixed: ReadonlyMap<string, [number, number]> = new Map(),
  ) {
    for (const v of slots.values()) {
      const f = fixed.get(v);
      this.range.set(v, f ? [{ c: f[0], p: 0 }, { c: f[1], p: 0 }] : [{ c: 0, p: -1 }, { c: 0, p: 1 }]);
    }
  }

  /** [lo, hi] with every nonzero |atom| in [2^lo, 2^hi] when the inputs are within 2^-P .. 2^P. */
  rangeAt(atom: string, P: number): [number, number] {
    const [lo, hi] = this.r(atom);
    return [lo.c + lo.p * P, hi.c + hi.p * P];
  }

  private bind(key: string, src: string, r: [Lin, Lin]): string {
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const name = `${this.prefix}${this.count++}`;
    this.lines.push(`const ${name} = ${src};`);
    this.memo.set(key, name);
    this.range.set(name, r);
    return name;
  }

  private r(atom: string): [Lin, Lin] {
    const hit = this.range.get(atom);
    if (hit) return hit;
    const v = Number(atom.replace(/[()]/g, ''));
    // A zero constant contributes nothing nonzero; give it a neutral range.
    const l = v === 0 || !Number.isFinite(v) ? 0 : Math.floor(Math.log2(Math.abs(v)));
    return [{ c: l, p: 0 }, { c: l + 1, p: 0 }];
  }

  private mul(op: '*' | '/', a: string, b: string): string {
    const commutes = op === '*';
    const key = commutes && b < a ? `${b}${op}${a}` : `${a}${op}${b}`;
    const [al, ah] = this.r(a);
    const [bl, bh] = this.r(b);
    const r: [Lin, Lin] = op === '*' ? [add(al, bl), add(ah, bh)] : [add(sub(al, bh), { c: -1, p: 0 }), add(sub(ah, bl), { c: 1, p: 0 })];
    return this.bind(key, `${a} ${op} ${b}`, r);
  }

  private addSub(op: '+' | '-', a: string, b: string): string {
    const key = op === '+' && b < a ? `${b}${op}${a}` : `${a}${op}${b}`;
    const [al, ah] = this.r(a);
    const [bl, bh] = this.r(b);
    return this.bind(key, `${a} ${op} ${b}`, [add(minL(al, bl), { c: -53, p: 0 }), add(maxL(ah, bh), { c: 1, p: 0 })]);
  }

  /** a op b (for callers composing programs). */
  binary(op: '+' | '-' | '*' | '/', a: string, b: string): string {
    return op === '+' || op === '-' ? this.addSub(op, a, b) : this.mul(op, a, b);
  }

  /** The float64 operations, for ScaledProgram (which adds a static scale to each atom). */
  readonly ops: ExtendedOps<string> = {
    // ext() of a constant is exact, so its double value is the constant itself.
    constant: (v) => {
      const c = ext(v);
      return num(c.e === 0 ? c.m : v);
    },
    symbol: (name) => {
      const s = this.slots.get(name);
      if (s === undefined) throw new Error(`no slot for symbol ${name}`);
      return s;
    },
    neg: (x) => this.bind(`neg(${x})`, `-${x}`, this.r(x)),
    addSub: (op, a, b) => this.addSub(op, a, b),
    mulDiv: (op, a, b) => this.mul(op, a, b),
    pow0: (x) => this.bind(`pow0(${x})`, `Number.isFinite(${x}) ? 1 : NaN`, [{ c: 0, p: 0 }, { c: 1, p: 0 }]),
    sqrt: (x) => {
      const [l, h] = this.r(x);
      return this.bind(`sqrt(${x})`, `Math.sqrt(${x})`, [half(l, -1), half(h, 1)]);
    },
    abs: (x) => this.bind(`abs(${x})`, `Math.abs(${x})`, this.r(x)),
    maxMin: (fn, s, x) => {
      const [sl, sh] = this.r(s);
      const [xl, xh] = this.r(x);
      const lt = fn === 'max' ? '<' : '>';
      return this.bind(`${fn}(${s},${x})`, `${s} !== ${s} || ${x} !== ${x} ? NaN : ${s} ${lt} ${x} ? ${x} : ${s}`, [minL(sl, xl), maxL(sh, xh)]);
    },
  };

  emit(node: MathNode): string {
    return emitExtended(this.ops, node, (x) => this.emit(x));
  }

  /** Largest P (<= 400) for which every intermediate stays within 2^-1000 .. 2^1000, or 0 if none. */
  safeInputExponent(): number {
    let P = 400;
    for (const [lo, hi] of this.range.values()) {
      // c + p P >= -1000 and c + p P <= 1000 for the given linear bounds.
      if (lo.p < 0) P = Math.min(P, Math.floor((lo.c + 1000) / -lo.p));
      else if (lo.c < -1000) return 0;
      if (hi.p > 0) P = Math.min(P, Math.floor((1000 - hi.c) / hi.p));
      else if (hi.c > 1000) return 0;
    }
    return Math.max(0, P);
  }
}

/** c + p P, a bound on a binary exponent as a function of the input bound P. */
interface Lin {
  c: number;
  p: number;
}
const add = (a: Lin, b: Lin): Lin => ({ c: a.c + b.c, p: a.p + b.p });
const sub = (a: Lin, b: Lin): Lin => ({ c: a.c - b.c, p: a.p - b.p });
// min/max of two linear bounds for all P in [0, 400]: compare at both ends and keep a bound valid on the whole range.
const minL = (a: Lin, b: Lin): Lin => ({ c: Math.min(a.c, b.c), p: Math.min(a.p, b.p) });
const maxL = (a: Lin, b: Lin): Lin => ({ c: Math.max(a.c, b.c), p: Math.max(a.p, b.p) });
const half = (a: Lin, round: number): Lin => ({ c: round < 0 ? Math.floor(a.c / 2) - 1 : Math.ceil(a.c / 2) + 1, p: a.p / 2 });

/**
 * Pair code in which every subtree over inputs known (at run time) to be inside the shadow's safe
 * range is computed by `shadow` in float64 and lifted into canonical pair form only where it meets a
 * subtree that involves an out-of-range input. Values are identical to the all-pair program for the
 * same reason as ShadowProgram's (every such subtree is also a subtree of the full shadow program,
 * so the same static range check covers it). `shadow.lines` must be placed before `lines`.
 */
export class MixedProgram extends PairProgram {
  private readonly lifted = new Map<string, PairAtom>();
  private liftCount = 0;

  constructor(
    slots: ReadonlyMap<string, PairAtom>,
    readonly shadow: ShadowProgram,
    private readonly inRange: ReadonlySet<string>,
    prefix = 'y',
  ) {
    super(slots, prefix);
  }

  /** Canonical pair of a float64 atom whose value is a normal double or zero. */
  lift(f: string): PairAtom {
    const hit = this.lifted.get(f);
    if (hit) return hit;
    const r = `l${this.liftCount++}`;
    this.lines.push(`let ${r}m = ${f}, ${r}e = 0; if (${BAND_TEST(`${r}m`)}) ${normInline(`${r}m`, `${r}e`)}`);
    const atom = { m: `${r}m`, e: `${r}e` };
    this.lifted.set(f, atom);
    return atom;
  }

  /** The float64 atom of a subtree over in-range inputs, or undefined. */
  floatAtom(node: MathNode): string | undefined {
    return usedSymbols([node]).every((v) => this.inRange.has(v)) ? this.shadow.emit(node) : undefined;
  }

  override emit(node: MathNode): PairAtom {
    // Constants and inputs are already canonical pairs; lifting them would only add a band test.
    if (node.type === 'ConstantNode' || node.type === 'SymbolNode') return super.emit(node);
    const f = this.floatAtom(node);
    return f !== undefined ? this.lift(f) : super.emit(node);
  }
}

/** An atom of scaled code: a double `f` and a static multiple `c` of the lane's scale k; its value is f 2^(c k). */
export interface ScaledAtom {
  f: string;
  c: number;
}

/**
 * Float64 code for a lane in which one input x = z 2^k is far below the double range (k < 0, z in
 * [1, 2)) and every other input is in the normal range: it runs on z, and each subexpression is a
 * double f standing for f 2^(c k), c a static integer (the degree in x of a polynomial tree).
 *
 * Why it is ExtFloat bit for bit: ExtFloat rounds every operation to 53 bits with an unbounded
 * exponent (up to 2^±MAX_E), i.e. like float64 without overflow or underflow. A product or quotient
 * (c adds or subtracts) and a sum of atoms of the same c are the float64 operation on values scaled
 * by an exact power 2^(-c k), so they round the same way as long as no double leaves the normal
 * range, which the ShadowProgram range analysis guarantees for inputs within 2^±P (x's own double z:
 * [2^0, 2^1)). A sum of atoms with different c is its dominant term D (smaller c, as k < 0) when the
 * other term O satisfies |O| < 2^-55 |D|, checked at run time as |f_O| 2^(55 + d k) < |f_D| exactly,
 * d = c_O - c_D (by factors that are powers of two >= 1, see prologue): O is
 * then below a quarter of D's ulp and the exact sum, hence ExtFloat's correctly rounded sum, rounds
 * to D. A failed test or a zero divisor abandons the code (the caller then runs the pair code), so
 * every value is finite. Roots, max/min and x^0 would need rules of their own: trees with them throw
 * and get no scaled variant.
 */
export class ScaledProgram {
  readonly shadow: ShadowProgram;
  private readonly decided = new Map<string, ScaledAtom>();
  /** Differences d of multiples that a dominance test uses (each needs its T). */
  private readonly gaps = new Set<number>();
  private cMax = 1;

  /**
   * `slots` as for ShadowProgram, with the scaled input `scaled` mapped to the name of its double z;
   * `k`: the name of the scale; `bail`: the statement that abandons the code (a return or a break).
   */
  constructor(
    slots: Slots,
    private readonly scaled: string,
    private readonly k: string,
    private readonly prefix: string,
    private readonly bail = 'return false;',
  ) {
    this.shadow = new ShadowProgram(slots, prefix, new Map([[slots.get(scaled)!, [0, 1]]]));
  }

  get lines(): string[] {
    return this.shadow.lines;
  }

  private atom(f: string, c: number): ScaledAtom {
    this.cMax = Math.max(this.cMax, Math.abs(c));
    return { f, c };
  }

  private addSub(op: '+' | '-', a: ScaledAtom, b: ScaledAtom): ScaledAtom {
    if (a.c === b.c) return this.atom(this.shadow.ops.addSub(op, a.f, b.f), a.c);
    const key = `${op}(${a.f}:${a.c},${b.f}:${b.c})`;
    const hit = this.decided.get(key);
    if (hit) return hit;
    const aWins = a.c < b.c;
    const [dom, other] = aWins ? [a, b] : [b, a];
    const d = other.c - dom.c;
    this.gaps.add(d);
    const p = this.prefix;
    this.shadow.lines.push(`if (!(Math.abs(${other.f}) * ${p}P${d} < Math.abs(${dom.f}) * ${p}U${d}a * ${p}U${d}b * ${p}U${d}c)) ${this.bail}`);
    const r = aWins || op === '+' ? dom : this.atom(this.shadow.ops.neg(dom.f), dom.c);
    this.decided.set(key, r);
    return r;
  }

  private readonly ops: ExtendedOps<ScaledAtom> = {
    constant: (v) => this.atom(this.shadow.ops.constant(v), 0),
    symbol: (name) => this.atom(this.shadow.ops.symbol(name), name === this.scaled ? 1 : 0),
    neg: (x) => this.atom(this.shadow.ops.neg(x.f), x.c),
    abs: (x) => this.atom(this.shadow.ops.abs(x.f), x.c),
    addSub: (op, a, b) => this.addSub(op, a, b),
    mulDiv: (op, a, b) => {
      if (op === '/' && !(Number(b.f.replace(/[()]/g, '')) !== 0)) this.shadow.lines.push(`if (${b.f} === 0) ${this.bail}`);
      return this.atom(this.shadow.ops.mulDiv(op, a.f, b.f), op === '*' ? a.c + b.c : a.c - b.c);
    },
    pow0: () => {
      throw new Error('scaled code: no x^0');
    },
    sqrt: () => {
      throw new Error('scaled code: no square roots');
    },
    maxMin: () => {
      throw new Error('scaled code: no max/min');
    },
  };

  emit(node: MathNode): ScaledAtom {
    return emitExtended(this.ops, node, (x) => this.emit(x));
  }

  /**
   * Declarations of the dominance factors, to precede `lines`: the test |O| 2^g < |D|, g = 55 + d k, is run as
   * |O| P < |D| U1 U2 U3 with P = 2^max(g, 0) and U1 U2 U3 = 2^max(-g, 0), each factor a power of two >= 1 (U3
   * Infinity below g = -2174). A product by a power of two >= 1 is exact or overflows to Infinity with an exact value
   * of at least 2^1024, above every finite double, so the comparison is that of the exact values; below 2^-2174 every
   * finite double times 2^g lies under every nonzero double, and |D| U1 U2 Infinity is Infinity for D != 0 and NaN
   * (false) for D = 0. No factor is subnormal: T = 2^g clamped up to 2^-1074, as before, made the test stricter than
   * the exact one and cost a subnormal product (about 50 normal ones here) at most iterates of a lane far below the
   * double range.
   */
  prologue(): string[] {
    return [...this.gaps].map((d) => {
      const g = `${this.prefix}g${d}`;
      return (
        `const ${g} = ${55} + ${d} * ${this.k}; ` +
        `const ${this.prefix}P${d} = ${g} > 0 ? POW2T[1074 + Math.min(${g}, 1023)] : 1; ` +
        `const ${this.prefix}U${d}a = ${g} < 0 ? POW2T[1074 + Math.min(-${g}, 1023)] : 1; ` +
        `const ${this.prefix}U${d}b = ${g} < -1023 ? POW2T[1074 + Math.min(-${g} - 1023, 1023)] : 1; ` +
        `const ${this.prefix}U${d}c = ${g} < -2174 ? Infinity : ${g} < -2046 ? POW2T[1074 - ${g} - 2046] : 1;`
      );
    });
  }

  /**
   * The input bound P (at most `bound`) and the scales kMin <= k <= -1 for which the code is exact,
   * or undefined if there are none: every double within 2^±1000 (range analysis), and no ExtFloat
   * value of the trees (terms a dominance drops included) beyond 2^±MAX_E.
   */
  limits(bound: number): { P: number; kMin: number; kMax: number } | undefined {
    const P = Math.min(bound, this.shadow.safeInputExponent());
    if (P <= 0) return undefined;
    return { P, kMin: -Math.floor((EXT_MAX_E - 1001) / this.cMax), kMax: -1 };
  }
}

/**
 * `lines` without the `const` declarations nothing live reads (the terms a dominance dropped); every
 * other line is kept. `roots`: expressions read after the lines.
 */
export function pruneDead(lines: readonly string[], roots: readonly string[]): string[] {
  const ident = /[A-Za-z_$][\w$]*/g;
  const live = new Set<string>(roots.flatMap((r) => r.match(ident) ?? []));
  const out: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const decl = /^const ([A-Za-z_$][\w$]*) = /.exec(line);
    if (decl && !live.has(decl[1]!)) continue;
    for (const id of line.match(ident) ?? []) live.add(id);
    out.push(line);
  }
  return out.reverse();
}

/** Build a function from generated source. Only ever called with output of the generators above. */
export function buildFunction<F>(params: string[], body: string): F {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(...params, body) as F;
}

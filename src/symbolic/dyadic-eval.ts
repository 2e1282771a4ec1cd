/**
 * The certified evaluator: expression trees compiled once, by the one fold of the expression
 * algebra (algebra.ts), into a straight-line program over dyadic intervals (numeric/dyadic.ts), run
 * at any working precision. Each result encloses the exact value of its tree at every point of the
 * input enclosures. Shared subterms (the same operation on the same registers, within one tree or
 * across the trees compiled together, such as the GD map's three components) are computed once;
 * constant subterms are folded exactly in rational arithmetic at compile time.
 *
 * Definedness is the project's one semantics (README "Partial terms"): division by, or a negative
 * power of, an enclosure of 0, and sqrt of an enclosure below 0, throw CertainlyUndefined when every
 * enclosed point is outside the domain and MaybeUndefined when only some might be (log of an
 * enclosure reaching 0 likewise). On request (compileDyadic's `logs`) log, log10 and log2 are
 * enclosed at the working precision (numeric/log-enclosure.ts, at any magnitude); exp and
 * non-integer powers have no rigorous dyadic enclosure here: compiling a tree that uses one throws
 * NotCertifiable, never an approximation.
 */
import type { MathNode } from 'mathjs';
import { fold, type Backend } from './algebra.js';
import { constantToRational } from './rational-function.js';
import { Rational } from '../numeric/rational.js';
import { DyadicArith, DyadicInterval } from '../numeric/dyadic.js';
import { Interval } from '../numeric/interval.js';
import { logInterval } from '../numeric/log-enclosure.js';

const LOGS = { log: true, log10: true, log2: true } as const;

/** A logarithm of a dyadic interval at the working precision (numeric/log-enclosure.ts), back as exact dyadics. */
function dyadicLog(name: keyof typeof LOGS, v: DyadicInterval, A: DyadicArith): DyadicInterval {
  const e = logInterval(new Interval(A.toRational(v.lo), A.toRational(v.hi)), name, A.bits);
  return new DyadicInterval(A.fromRational(e.lo).lo, A.fromRational(e.hi).hi);
}

export class NotCertifiable extends Error {
  constructor(what: string) {
    super(`${what} is not supported by the certified evaluator`);
    this.name = 'NotCertifiable';
  }
}

type Instr = (r: DyadicInterval[], A: DyadicArith) => DyadicInterval;

/** A compiled set of trees: run(inputs, A) gives one enclosure per tree, inputs in the order of `symbols`. */
export class DyadicProgram {
  private constBits = -1;
  private constVals: DyadicInterval[] = [];
  private readonly regs: DyadicInterval[];

  constructor(
    readonly symbols: readonly string[],
    /** Exact constants, enclosed at the working precision when it changes. */
    private readonly constants: readonly Rational[],
    private readonly code: readonly Instr[],
    private readonly outputs: readonly number[],
  ) {
    this.regs = new Array(symbols.length + constants.length + code.length);
  }

  /** Number of interval operations per run (after sharing and constant folding). */
  get size(): number {
    return this.code.length;
  }

  run(inputs: readonly DyadicInterval[], A: DyadicArith): DyadicInterval[] {
    const r = this.regs;
    const k = this.symbols.length;
    if (inputs.length !== k) throw new RangeError(`DyadicProgram: ${inputs.length} inputs for ${k} symbols (${this.symbols.join(', ')})`);
    for (let i = 0; i < k; i++) r[i] = inputs[i]!;
    if (this.constBits !== A.bits) {
      this.constVals = this.constants.map((c) => A.fromRational(c));
      this.constBits = A.bits;
    }
    const c = this.constVals;
    for (let i = 0; i < c.length; i++) r[k + i] = c[i]!;
    const base = k + c.length;
    const code = this.code;
    for (let i = 0; i < code.length; i++) r[base + i] = code[i]!(r, A);
    return this.outputs.map((o) => r[o]!);
  }
}

/**
 * Compile `trees` over `symbols` (every free symbol of the trees must be one of them; an implicit
 * quantity or a float-only symbol has no certified enclosure and is refused here).
 */
/**
 * `logs`: enclose log, log10 and log2 (double precision). Off by default: the region prover's certificates are
 * re-checked by src/certificate/, which has no logarithm, so only the certified orbit asks for them.
 */
export function compileDyadic(trees: readonly MathNode[], symbols: readonly string[], { logs = false }: { logs?: boolean } = {}): DyadicProgram {
  const index = new Map(symbols.map((s, i) => [s, i]));
  const constants: Rational[] = [];
  const constKey = new Map<string, number>();
  const code: Instr[] = [];
  const codeKey = new Map<string, number>();
  // A register is an input, a constant or an instruction; constants are numbered after the inputs and
  // instructions after the constants, fixed once compilation ends (negative placeholders until then).
  type Reg = { kind: 'in' | 'const' | 'op'; i: number; value?: Rational };
  const regs: Reg[] = [];
  const constant = (q: Rational): number => {
    const key = q.toString();
    let c = constKey.get(key);
    if (c === undefined) {
      constKey.set(key, (c = constants.length));
      constants.push(q);
    }
    regs.push({ kind: 'const', i: c, value: q });
    return regs.length - 1;
  };
  const ops: { key: string; args: number[]; make: (slots: number[]) => Instr }[] = [];
  const emit = (key: string, args: number[], make: (slots: number[]) => Instr): number => {
    const k = `${key}(${args.map((a) => slotKey(a)).join(',')})`;
    const hit = codeKey.get(k);
    if (hit !== undefined) {
      regs.push({ kind: 'op', i: hit });
      return regs.length - 1;
    }
    codeKey.set(k, ops.length);
    ops.push({ key, args, make });
    regs.push({ kind: 'op', i: ops.length - 1 });
    return regs.length - 1;
  };
  const slotKey = (a: number) => `${regs[a]!.kind[0]}${regs[a]!.i}`;
  const value = (a: number) => regs[a]!.value;
  // Exact folding of a constant subterm; a partial operation at a constant (1/0) is left to run time,
  // where it throws CertainlyUndefined like every evaluator.
  const foldable = (args: number[], f: (...q: Rational[]) => Rational | undefined, key: string, make: (slots: number[]) => Instr): number => {
    const qs = args.map(value);
    if (qs.every((q) => q !== undefined)) {
      const q = f(...(qs as Rational[]));
      if (q !== undefined) return constant(q);
    }
    return emit(key, args, make);
  };
  const unsupported = (what: string) => (): never => {
    throw new NotCertifiable(what);
  };
  const logOp = (f: keyof typeof LOGS) => (logs ? (a: number) => emit(f, [a], ([x]) => (r, A) => dyadicLog(f, r[x!]!, A)) : unsupported(f));
  const b: Backend<number> = {
    name: 'the certified evaluator',
    constant: (v) => constant(constantToRational(v)),
    symbol: (name) => {
      const i = index.get(name);
      if (i === undefined) throw new NotCertifiable(`symbol "${name}" (no certified enclosure is given for it)`);
      regs.push({ kind: 'in', i });
      return regs.length - 1;
    },
    neg: (a) => foldable([a], (x) => x.neg(), 'neg', ([x]) => (r, A) => A.neg(r[x!]!)),
    add: (a, c) => foldable([a, c], (x, y) => x.add(y), 'add', ([x, y]) => (r, A) => A.add(r[x!]!, r[y!]!)),
    sub: (a, c) => foldable([a, c], (x, y) => x.sub(y), 'sub', ([x, y]) => (r, A) => A.sub(r[x!]!, r[y!]!)),
    mul: (a, c) => foldable([a, c], (x, y) => x.mul(y), 'mul', ([x, y]) => (r, A) => A.mul(r[x!]!, r[y!]!)),
    div: (a, c) => foldable([a, c], (x, y) => (y.isZero() ? undefined : x.div(y)), 'div', ([x, y]) => (r, A) => A.div(r[x!]!, r[y!]!)),
    powi: (a, k) => foldable([a], (x) => (k < 0 && x.isZero() ? undefined : x.pow(k)), `powi${k}`, ([x]) => (r, A) => A.powi(r[x!]!, k)),
    sqrt: (a) => emit('sqrt', [a], ([x]) => (r, A) => A.sqrt(r[x!]!)),
    abs: (a) => foldable([a], (x) => x.abs(), 'abs', ([x]) => (r, A) => A.abs(r[x!]!)),
    max: (a, c) => foldable([a, c], (x, y) => (x.ge(y) ? x : y), 'max', ([x, y]) => (r, A) => A.max(r[x!]!, r[y!]!)),
    min: (a, c) => foldable([a, c], (x, y) => (x.le(y) ? x : y), 'min', ([x, y]) => (r, A) => A.min(r[x!]!, r[y!]!)),
    exp: unsupported('exp'),
    log: logOp('log'),
    log10: logOp('log10'),
    log2: logOp('log2'),
    powr: unsupported('a non-integer power'),
  };
  const memo = new Map<MathNode, number>();
  const outs = trees.map((t) => fold(t, b, memo));
  const k = symbols.length;
  const slot = (a: number) => {
    const g = regs[a]!;
    return g.kind === 'in' ? g.i : g.kind === 'const' ? k + g.i : k + constants.length + g.i;
  };
  for (const o of ops) code.push(o.make(o.args.map(slot)));
  return new DyadicProgram(symbols, constants, code, outs.map(slot));
}

/** One tree evaluated once (compile with compileDyadic to evaluate a tree many times). */
export function evalDyadic(tree: MathNode, env: ReadonlyMap<string, DyadicInterval>, A: DyadicArith): DyadicInterval {
  const symbols = [...env.keys()];
  return compileDyadic([tree], symbols).run(symbols.map((s) => env.get(s)!), A)[0]!;
}

import { ConstantNode, FunctionNode, OperatorNode, SymbolNode, parse, type MathNode } from './mathjs.js';
import { fold, shapeOf, type Backend, type Definedness } from './algebra.js';
import { substitute, type Relation } from './expr.js';
import { Poly, RatFunc, NotRationalFunctionError, constantToRational, polySqrt } from './rational-function.js';
import { normalize } from './factor.js';
import { ANY, NEG, POS, ZERO, SignKnowledge, relationSigns, sMul, sNeg, sPow, signText, treeSign, type SignSet } from './signs.js';
import { Rational } from '../numeric/rational.js';

/**
 * Reductions of a comparison before (and instead of) a Z3 query, each one sound on its own:
 *
 * - rewriting: sqrt(X)^2 -> X (X >= 0 where the term is defined), sqrt(Y^2) -> |Y|, sqrt(P) -> |R|
 *   when P = R^2 as polynomials, |X| -> X or -X and max/min -> one argument where the sign of the
 *   argument (or of the difference of the arguments) is known;
 * - the root algebra: polynomials over the variables and one symbol r per square root, reduced
 *   modulo r^2 = X, so sqrt(X) * sqrt(X) and sqrt(X)^3 - X sqrt(X) expand like rational terms;
 * - signs: the difference of the two sides as N/D, N and D factored over Q (symbolic/factor.ts),
 *   each factor's sign from the signs of the variables, the premises, even powers and the
 *   structure of the terms (symbolic/signs.ts);
 * - case splits on abs, max and min (each case has the condition that selects its branch);
 * - abstraction: repeated subterms become fresh variables (with or without their definitions).
 */

export interface Cmp {
  lhs: MathNode;
  rel: Relation;
  rhs: MathNode;
}

export function cmpText(c: Cmp, show: (n: MathNode) => string = (n) => n.toString()): string {
  return `${show(c.lhs)} ${c.rel} ${show(c.rhs)}`;
}

const ONE = Rational.fromInt(1);

// ---- tree helpers ---------------------------------------------------------------------------

function op(o: string, fn: string, args: MathNode[]): MathNode {
  return new OperatorNode(o as any, fn as any, args) as unknown as MathNode;
}
function call(name: string, args: MathNode[]): MathNode {
  return new FunctionNode(name, args) as unknown as MathNode;
}
export function num(v: number): MathNode {
  return v < 0 ? op('-', 'unaryMinus', [new ConstantNode(-v) as unknown as MathNode]) : (new ConstantNode(v) as unknown as MathNode);
}
export function minus(a: MathNode): MathNode {
  return op('-', 'unaryMinus', [a]);
}
export function sub(a: MathNode, b: MathNode): MathNode {
  return op('-', 'subtract', [a, b]);
}
function pow(a: MathNode, k: number): MathNode {
  return k === 1 ? a : op('^', 'pow', [a, num(k)]);
}

/** The same node with other children (parentheses dropped: the tree carries the structure). */
function rebuildWith(node: MathNode, kids: MathNode[]): MathNode {
  const n = node as any;
  switch (node.type) {
    case 'OperatorNode':
      return op(n.op, n.fn, kids);
    case 'FunctionNode':
      return call(n.fn.name, kids);
    default:
      return node;
  }
}

/** The children a fold sees (parentheses and unary plus are transparent). */
function children(node: MathNode): MathNode[] {
  const s = shapeOf(node);
  if (s.kind === 'constant' || s.kind === 'symbol') return [];
  if (s.kind === 'powi' || s.kind === 'powr') return [s.base];
  return s.args;
}

/** Strip parentheses and unary plus at the top. */
export function bare(node: MathNode): MathNode {
  const n = node as any;
  if (node.type === 'ParenthesisNode') return bare(n.content);
  if (node.type === 'OperatorNode' && n.fn === 'unaryPlus') return bare(n.args[0]);
  return node;
}

/** Rebuild a tree bottom-up with `f` applied to every node after its children. */
export function mapTree(node: MathNode, f: (n: MathNode) => MathNode): MathNode {
  const b = bare(node);
  const s = shapeOf(b);
  if (s.kind === 'constant' || s.kind === 'symbol') return f(b);
  if (s.kind === 'powi' || s.kind === 'powr') {
    const base = mapTree(s.base, f);
    return f(op('^', 'pow', [base, (b as any).args[1]]));
  }
  return f(rebuildWith(b, s.args.map((a) => mapTree(a, f))));
}

/** Replace every subtree whose text is `key` by `by`. */
export function replaceKey(node: MathNode, key: string, by: MathNode): MathNode {
  const visit = (n: MathNode): MathNode => {
    const b = bare(n);
    if (b.toString() === key) return by.cloneDeep();
    const s = shapeOf(b);
    if (s.kind === 'constant' || s.kind === 'symbol') return b;
    if (s.kind === 'powi' || s.kind === 'powr') return op('^', 'pow', [visit(s.base), (b as any).args[1]]);
    return rebuildWith(b, s.args.map(visit));
  };
  return visit(node);
}

function isFn(node: MathNode, name: string): boolean {
  const s = shapeOf(bare(node));
  return s.kind === 'op' && s.op === name;
}

// ---- the root algebra -------------------------------------------------------------------------

export interface Atom {
  name: string;
  node: MathNode;
  key: string;
  kind: 'sqrt' | 'opaque';
  /** For a square root whose argument is a polynomial: r^2 = square. */
  square?: Poly;
  /** Another atom with the same square (the same root). */
  alias?: string;
}

function exactKey(p: Poly): string {
  return [...p.terms]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${v.toString()}@${k}`)
    .join(' ');
}

/**
 * Polynomials over the variables and the atoms of a set of trees: square roots (with r^2 = X when
 * X is a polynomial), and opaque terms (abs, max, min, S, non-integer powers) as plain symbols.
 */
export class RootAlgebra {
  readonly vars: string[];
  readonly atoms: Atom[] = [];
  private readonly byKey = new Map<string, Atom>();
  private readonly memo = new Map<MathNode, RatFunc>();

  constructor(
    readonly base: readonly string[],
    trees: readonly MathNode[],
  ) {
    const visit = (n: MathNode) => {
      const b = bare(n);
      const s = shapeOf(b);
      if (s.kind === 'constant') return;
      if (s.kind === 'symbol') {
        if (!base.includes(s.name)) this.register(b, 'opaque');
        return;
      }
      if (s.kind === 'powi') return visit(s.base);
      if (s.kind === 'powr') {
        visit(s.base);
        return this.register(b, 'opaque');
      }
      s.args.forEach(visit);
      if (s.op === 'sqrt') this.register(b, 'sqrt');
      else if (!['add', 'sub', 'mul', 'div', 'neg'].includes(s.op)) this.register(b, 'opaque');
    };
    trees.forEach(visit);
    this.vars = [...base, ...this.atoms.map((a) => a.name)];
    const squares = new Map<string, Atom>();
    for (const a of this.atoms) {
      if (a.kind !== 'sqrt') continue;
      try {
        const f = this.toRF((shapeOf(a.node) as any).args[0]);
        const c = f.den.constantValue();
        if (c === undefined) continue;
        const sq = f.num.mul(Poly.constant(this.vars, ONE.div(c)));
        a.square = sq;
        const k = exactKey(sq);
        const first = squares.get(k);
        if (first) a.alias = first.name;
        else squares.set(k, a);
      } catch (e) {
        if (!(e instanceof NotRationalFunctionError)) throw e;
      }
    }
  }

  private register(node: MathNode, kind: Atom['kind']): void {
    const key = node.toString();
    if (this.byKey.has(key)) return;
    const a: Atom = { name: `$${this.atoms.length + 1}`, node, key, kind };
    this.atoms.push(a);
    this.byKey.set(key, a);
  }

  atomOf(node: MathNode): Atom | undefined {
    const b = bare(node);
    const s = shapeOf(b);
    if (s.kind === 'constant' || (s.kind === 'symbol' && this.base.includes(s.name))) return undefined;
    return this.byKey.get(b.toString());
  }

  private atomVar(a: Atom): RatFunc {
    return RatFunc.of(Poly.variable(this.vars, a.alias ?? a.name));
  }

  /** A tree as a rational function over the variables and atoms (not reduced). */
  toRF(node: MathNode): RatFunc {
    const vars = this.vars;
    const backend: Backend<RatFunc> = {
      name: 'the root algebra',
      constant: (v) => RatFunc.of(Poly.constant(vars, constantToRational(v))),
      symbol: (name) => {
        if (!this.base.includes(name)) throw new NotRationalFunctionError(`unknown symbol ${name}`);
        return RatFunc.of(Poly.variable(vars, name));
      },
      neg: (a) => a.neg(),
      add: (a, b) => a.add(b),
      sub: (a, b) => a.sub(b),
      mul: (a, b) => a.mul(b),
      div: (a, b) => a.div(b),
      powi: (a, k) => a.pow(k),
    };
    const rec = (x: MathNode): RatFunc => {
      const hit = this.memo.get(x);
      if (hit) return hit;
      const a = this.atomOf(x);
      if (a) return this.atomVar(a);
      const out = fold(x, backend, undefined, rec);
      this.memo.set(x, out);
      return out;
    };
    try {
      return rec(node);
    } catch (e) {
      if (e instanceof NotRationalFunctionError) throw e;
      if ((e as Error).name === 'UnsupportedOperation') throw new NotRationalFunctionError((e as Error).message);
      throw e;
    }
  }

  /** p with every r^k (k >= 2) of a root with a polynomial square replaced by r^(k mod 2) square^(k div 2). */
  reduce(p: Poly): Poly {
    let out = p;
    for (let j = this.atoms.length - 1; j >= 0; j--) {
      const a = this.atoms[j]!;
      if (!a.square || a.alias) continue;
      const i = this.vars.indexOf(a.name);
      let changed = false;
      let next = new Poly(this.vars);
      for (const [k, c] of out.terms) {
        const e = k.split(',').map(Number);
        if (e[i]! < 2) {
          next = next.add(new Poly(this.vars, new Map([[k, c]])));
          continue;
        }
        changed = true;
        const q = Math.floor(e[i]! / 2);
        e[i] = e[i]! % 2;
        next = next.add(new Poly(this.vars, new Map([[e.join(','), c]])).mul(a.square.pow(q)));
      }
      if (changed) out = next;
    }
    return out;
  }

  /** lhs - rhs as N/D with the roots reduced. */
  difference(c: Cmp): { num: Poly; den: Poly } {
    const d = this.toRF(c.lhs).sub(this.toRF(c.rhs));
    return { num: this.reduce(d.num), den: this.reduce(d.den) };
  }

  /** The tree of a polynomial (atoms as their own trees). */
  toNode(p: Poly): MathNode {
    if (p.isZero()) return num(0);
    const placeholder = new Map<string, MathNode>();
    const names = this.vars.map((v, i) => {
      if (i < this.base.length) return v;
      const a = this.atoms[i - this.base.length]!;
      const ph = `__atom${i}`;
      placeholder.set(ph, (a.alias ? this.atoms.find((x) => x.name === a.alias)! : a).node);
      return ph;
    });
    const terms = [...p.terms].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0));
    const text = terms
      .map(([k, c], idx) => {
        const mono = k
          .split(',')
          .map((e, i) => (e === '0' ? '' : e === '1' ? names[i] : `${names[i]}^${e}`))
          .filter(Boolean)
          .join(' * ');
        const abs = c.abs();
        const coef = abs.den === 1n ? abs.num.toString() : `(${abs.num}/${abs.den})`;
        const body = mono ? (abs.eq(ONE) ? mono : `${coef} * ${mono}`) : coef;
        return `${idx === 0 ? (c.sign() < 0 ? '-' : '') : c.sign() < 0 ? ' - ' : ' + '}${body}`;
      })
      .join('');
    return substitute(parse(text), placeholder);
  }

  /** A readable name of an atom variable for certificates. */
  describe(p: Poly): string {
    let s = p.toString();
    for (let i = this.atoms.length - 1; i >= 0; i--) s = s.split(this.atoms[i]!.name).join(`[${this.atoms[i]!.key}]`);
    return s;
  }
}

// ---- knowledge of signs over one claim ---------------------------------------------------------

export interface ClaimContext {
  base: readonly string[];
  /** Signs of base variables (ranges), with reasons. */
  varSigns: ReadonlyMap<string, { sign: SignSet; why: string }>;
  /** Range bounds as polynomial facts: x - lo >= 0, hi - x >= 0. */
  bounds: { name: string; lo?: Rational; hi?: Rational }[];
}

/** The algebra and the sign knowledge of one claim (premises, conditions, the goal's definedness). */
export class ClaimKnowledge {
  readonly alg: RootAlgebra;
  readonly K: SignKnowledge;
  readonly hints: Poly[] = [];

  constructor(
    readonly ctx: ClaimContext,
    readonly premises: readonly Cmp[],
    readonly goal: Cmp,
    readonly defined: readonly Definedness[],
    extraTrees: readonly MathNode[] = [],
    /** How the certificate names each premise (default: its text). */
    premiseTexts: readonly string[] = [],
  ) {
    const trees = [goal.lhs, goal.rhs, ...premises.flatMap((p) => [p.lhs, p.rhs]), ...defined.map((d) => d.expr), ...extraTrees];
    this.alg = new RootAlgebra(ctx.base, trees);
    const K = (this.K = new SignKnowledge(this.alg.vars));
    for (const [v, s] of ctx.varSigns) K.setVar(v, s.sign, s.why);
    for (const a of this.alg.atoms) {
      if (a.kind === 'sqrt') K.setVar(a.alias ?? a.name, POS | ZERO, `a square root`);
      else if (isFn(a.node, 'abs')) K.setVar(a.name, POS | ZERO, 'an absolute value');
    }
    for (const b of ctx.bounds) {
      const x = Poly.variable(this.alg.vars, b.name);
      if (b.lo !== undefined && !(b.hi !== undefined && b.lo.eq(b.hi))) K.addFact(x.sub(Poly.constant(this.alg.vars, b.lo)), POS | ZERO, `${b.name} >= ${b.lo.toString()}`);
      if (b.hi !== undefined && !(b.lo !== undefined && b.lo.eq(b.hi))) K.addFact(Poly.constant(this.alg.vars, b.hi).sub(x), POS | ZERO, `${b.name} <= ${b.hi.toString()}`);
    }
    // Where the goal is defined: square-root arguments >= 0, denominators != 0.
    for (const d of defined) this.fact({ lhs: d.expr, rel: d.is === '>= 0' ? '>=' : d.is === '> 0' ? '>' : '==', rhs: num(0) }, `where the statement is defined: ${d.expr.toString()} ${d.is}`, d.is === '!= 0');
    premises.forEach((p, i) => this.fact(p, `premise ${premiseTexts[i] ?? cmpText(p)}`));
    // Roots of positive terms are positive.
    for (const a of this.alg.atoms) if (a.kind === 'sqrt' && a.square && !a.alias && K.factorSign(a.square).sign === POS) K.setVar(a.name, POS, 'the square root of a positive term');
    // The structure of the terms: sums and products of terms of known sign.
    const seen = new Set<string>();
    const structural = (n: MathNode) => {
      const b = bare(n);
      const s = shapeOf(b);
      if (s.kind === 'constant' || s.kind === 'symbol') return;
      children(b).forEach(structural);
      const key = b.toString();
      if (seen.has(key)) return;
      seen.add(key);
      const sg = this.structuralSign(b);
      if (sg === ANY || this.alg.atomOf(b)) return;
      try {
        const f = this.alg.toRF(b);
        if (f.den.constantValue() === undefined) return;
        const p = this.alg.reduce(f.num);
        const c = f.den.constantValue()!;
        if (p.terms.size > 1) K.addFact(p, c.sign() < 0 ? sNeg(sg) : sg, `the structure of ${key.length > 60 ? key.slice(0, 57) + '...' : key}`);
      } catch (e) {
        if (!(e instanceof NotRationalFunctionError)) throw e;
      }
    };
    [goal.lhs, goal.rhs, ...premises.flatMap((p) => [p.lhs, p.rhs])].forEach(structural);
  }

  /** Record the sign a comparison gives to lhs - rhs (its numerator, when the denominator's sign is known). */
  private fact(c: Cmp, why: string, notEqual = false): void {
    try {
      const { num: n, den } = this.alg.difference(c);
      let s = notEqual ? NEG | POS : relationSigns(c.rel);
      const ds = this.K.factorSign(den).sign & ~ZERO;
      if (ds !== POS && ds !== NEG) return;
      if (ds === NEG) s = sNeg(s);
      if (n.constantValue() !== undefined) return;
      this.hints.push(n);
      this.K.addFact(n, s, why);
      // A single factor of unknown sign beside factors of known nonzero sign takes the remaining sign.
      const sg = this.K.polySign(n, this.hints);
      const unknown = sg.factorization.factors.filter((_, i) => sg.factorSigns[i]!.sign === ANY || sg.factorSigns[i]!.sign === (NEG | POS));
      if (unknown.length === 1 && unknown[0]!.e % 2 === 1 && sg.factorization.factors.length > 1) {
        let rest: SignSet = sg.factorization.unit.sign() < 0 ? NEG : POS;
        sg.factorization.factors.forEach(({ f, e }, i) => {
          if (f !== unknown[0]!.f) rest = sMul(rest, sPow(sg.factorSigns[i]!.sign, e));
        });
        if (rest === POS || rest === NEG) this.K.addFact(unknown[0]!.f, rest === POS ? s : sNeg(s), `${why}, divided by factors of known sign`);
      }
    } catch (e) {
      if (!(e instanceof NotRationalFunctionError)) throw e;
    }
  }

  private symbolSign = (name: string): SignSet => this.K.varSign(name)?.sign ?? ANY;

  /** The sign of a tree from its structure alone. */
  structuralSign(node: MathNode): SignSet {
    return treeSign(node, this.symbolSign, (n) => {
      const a = this.alg.atomOf(n);
      return a ? this.K.varSign(a.alias ?? a.name)?.sign : undefined;
    });
  }

  /** The sign of a tree: its structure, then its expansion factored. */
  signOf(node: MathNode): SignSet {
    const s = this.structuralSign(node);
    if (s === POS || s === NEG || s === ZERO) return s;
    try {
      const f = this.alg.toRF(node);
      const n = this.K.polySign(this.alg.reduce(f.num), this.hints).sign;
      const d = this.K.polySign(this.alg.reduce(f.den), this.hints).sign & ~ZERO;
      return s & sMul(n, d);
    } catch (e) {
      if (e instanceof NotRationalFunctionError) return s;
      throw e;
    }
  }
}

// ---- rewriting --------------------------------------------------------------------------------

/**
 * Rewrite a tree bottom-up: roots of squares, squares of roots, abs/max/min of known sign. `signOf`
 * may answer ANY for trees it cannot read. Each rule applied is logged once.
 */
export function rewriteTree(node: MathNode, base: readonly string[], signOf: (n: MathNode) => SignSet, log: Set<string>, show: (n: MathNode) => string = (n) => clip(n.toString())): MathNode {
  return mapTree(node, (n) => {
    const s = shapeOf(n);
    if (s.kind === 'powi' && s.k >= 2 && isFn(s.base, 'sqrt')) {
      const x = (shapeOf(bare(s.base)) as any).args[0] as MathNode;
      log.add(`sqrt(X)^${s.k} -> ${s.k === 2 ? 'X' : s.k % 2 === 0 ? `X^${s.k / 2}` : `X^${(s.k - 1) / 2} sqrt(X)`} (X >= 0 where the term is defined), X = ${show(x)}`);
      const p = pow(x, Math.floor(s.k / 2));
      return s.k % 2 === 0 ? p : op('*', 'multiply', [p, bare(s.base)]);
    }
    if (s.kind === 'op' && s.op === 'sqrt') {
      const a = bare(s.args[0]!);
      const sa = shapeOf(a);
      if (sa.kind === 'powi' && sa.k >= 2 && sa.k % 2 === 0) {
        log.add(`sqrt(Y^${sa.k}) -> |Y|${sa.k === 2 ? '' : `^${sa.k / 2}`}, Y = ${show(sa.base)}`);
        return simplifyAbs(pow(call('abs', [sa.base]), sa.k / 2), signOf, log, show);
      }
      // sqrt(P) with P = R^2 as rational functions (no roots inside): |R|.
      try {
        const alg = new RootAlgebra(base, [a]);
        if (alg.atoms.length === 0) {
          const f = alg.toRF(a);
          const nr = polySqrt(normalizeSquare(f.num));
          const dr = polySqrt(normalizeSquare(f.den));
          const nc = squareScale(f.num);
          const dc = squareScale(f.den);
          if (nr && dr && nc && dc && !nr.isZero() && nr.degree() + dr.degree() > 0) {
            const r = op('/', 'divide', [op('*', 'multiply', [ratNode(nc.div(dc)), alg.toNode(nr)]), alg.toNode(dr)]);
            const rr = dr.constantValue() !== undefined ? op('*', 'multiply', [ratNode(nc.div(dc).div(dr.constantValue()!)), alg.toNode(nr)]) : r;
            log.add(`sqrt(R^2) -> |R| for a perfect square, R = ${show(rr)}`);
            return simplifyAbs(call('abs', [rr]), signOf, log, show);
          }
        }
      } catch (e) {
        if (!(e instanceof NotRationalFunctionError)) throw e;
      }
      return n;
    }
    if (s.kind === 'op' && s.op === 'abs') return simplifyAbs(n, signOf, log, show);
    if (s.kind === 'op' && (s.op === 'max' || s.op === 'min')) {
      const args = [...s.args];
      for (let i = 0; i < args.length; i++)
        for (let j = 0; j < args.length; j++) {
          if (i === j) continue;
          const d = signOf(sub(args[i]!, args[j]!));
          // For max: a_i >= a_j makes a_j redundant (min: a_i <= a_j).
          if (s.op === 'max' ? (d & NEG) === 0 : (d & POS) === 0) {
            log.add(`${s.op}: dropped ${show(args[j]!)}, never ${s.op === 'max' ? 'above' : 'below'} ${show(args[i]!)} (${signText(d)} difference)`);
            args.splice(j, 1);
            if (j < i) i--;
            j--;
          }
        }
      return args.length === 1 ? args[0]! : args.length === s.args.length ? n : call(s.op, args);
    }
    return n;
  });
}

function simplifyAbs(n: MathNode, signOf: (n: MathNode) => SignSet, log: Set<string>, show: (n: MathNode) => string): MathNode {
  const b = bare(n);
  const s = shapeOf(b);
  if (s.kind === 'powi') {
    const inner = simplifyAbs(s.base, signOf, log, show);
    return inner === s.base ? b : pow(inner, s.k);
  }
  if (s.kind !== 'op' || s.op !== 'abs') return b;
  const x = s.args[0]!;
  const sg = signOf(x);
  if ((sg & NEG) === 0) {
    log.add(`|X| -> X, X ${signText(sg)}: X = ${show(x)}`);
    return x;
  }
  if ((sg & POS) === 0) {
    log.add(`|X| -> -X, X ${signText(sg)}: X = ${show(x)}`);
    return minus(x);
  }
  return b;
}

function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function ratNode(r: Rational): MathNode {
  return r.den === 1n ? num(Number(r.num)) : op('/', 'divide', [num(Number(r.num)), num(Number(r.den))]);
}

/** p / c for the largest square rational c that keeps integer coefficients: we only need p = c q^2 with c a rational square. */
function normalizeSquare(p: Poly): Poly {
  const { c, q } = normalize(p);
  return c.sign() < 0 ? q.mul(Poly.constant(p.vars, Rational.fromInt(-1))) : q;
}
function squareScale(p: Poly): Rational | undefined {
  const { c } = normalize(p);
  if (c.sign() < 0) return undefined;
  const sq = (x: bigint) => {
    let r = BigInt(Math.floor(Math.sqrt(Number(x))));
    while (r * r > x) r--;
    while ((r + 1n) * (r + 1n) <= x) r++;
    return r * r === x ? r : undefined;
  };
  const n = sq(c.num);
  const d = sq(c.den);
  return n === undefined || d === undefined ? undefined : Rational.of(n, d);
}

// ---- the sign decision --------------------------------------------------------------------------

export interface SignDecision {
  /** proved: the sign of lhs - rhs is within the relation's; reduced: a sufficient claim on the factors of unknown sign. */
  kind: 'proved' | 'reduced' | 'none';
  lines: string[];
  reduced?: Cmp;
}

/** Decide lhs REL rhs from the signs of the factors of lhs - rhs (roots reduced), where the goal is defined. */
export function decideBySigns(k: ClaimKnowledge, goal: Cmp): SignDecision {
  const { alg, K } = k;
  let d: { num: Poly; den: Poly };
  try {
    d = alg.difference(goal);
  } catch (e) {
    if (e instanceof NotRationalFunctionError) return { kind: 'none', lines: [] };
    throw e;
  }
  const allowed = relationSigns(goal.rel);
  if (d.num.isZero()) {
    if (allowed & ZERO) return { kind: 'proved', lines: ['lhs - rhs expands to 0 (square roots reduced by r^2 = X)'] };
    return { kind: 'none', lines: [] };
  }
  if (d.num.terms.size > 4000 || d.den.terms.size > 4000) return { kind: 'none', lines: [] };
  const ns = K.polySign(d.num, k.hints);
  const ds = K.polySign(d.den, k.hints);
  const dsign = ds.sign & ~ZERO;
  const total = sMul(ns.sign, dsign);
  const describe = (x: ReturnType<SignKnowledge['polySign']>) =>
    [`${x.factorization.unit.toString()}`, ...x.factorization.factors.map(({ f, e }, i) => `(${clip(alg.describe(f))})${e > 1 ? `^${e}` : ''} [${signText(sPow(x.factorSigns[i]!.sign, 1))}: ${clip(x.factorSigns[i]!.why)}]`)].join(' * ');
  const lines = [`lhs - rhs = N / D with N = ${describe(ns)}`];
  if (d.den.constantValue() === undefined) lines.push(`D = ${describe(ds)} (D != 0 where the statement is defined)`);
  if (total !== 0 && (total & ~allowed) === 0) {
    lines.push(`so lhs - rhs ${signText(total)}: ${cmpText(goal).length < 200 ? cmpText(goal) : 'the statement'} holds`);
    return { kind: 'proved', lines };
  }
  if (total === 0) {
    lines.push('the recorded signs are contradictory: no point satisfies the premises and conditions of this case');
    return { kind: 'proved', lines };
  }
  if (goal.rel === '==') return { kind: 'none', lines };
  // The factors of unknown sign, and the sign of the rest.
  let known: SignSet = sMul(ns.factorization.unit.sign() < 0 ? NEG : POS, dsign);
  let unknown = Poly.constant(alg.vars, ONE);
  let removed = 0;
  ns.factorization.factors.forEach(({ f, e }, i) => {
    const s = ns.factorSigns[i]!.sign;
    if (s === ANY || s === (NEG | POS)) unknown = unknown.mul(f.pow(e));
    else {
      known = sMul(known, sPow(s, e));
      if (f.constantValue() === undefined) removed++;
    }
  });
  if (removed === 0 || unknown.constantValue() !== undefined) return { kind: 'none', lines };
  const strict = goal.rel === '<' || goal.rel === '>';
  let rel: Relation | undefined;
  if (known === POS || (!strict && known === (POS | ZERO))) rel = goal.rel;
  else if (known === NEG || (!strict && known === (NEG | ZERO))) rel = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const)[goal.rel as '<' | '<=' | '>' | '>='];
  if (!rel) return { kind: 'none', lines };
  const reduced: Cmp = { lhs: alg.toNode(unknown), rel, rhs: num(0) };
  lines.push(`the factors of known sign have sign ${signText(known)}, so it suffices that the product U of the others satisfies U ${rel} 0`);
  return { kind: 'reduced', lines, reduced };
}

// ---- case splits --------------------------------------------------------------------------------

export interface CaseClaim {
  /** The conditions selecting this case (asserted beside the premises). */
  conditions: Cmp[];
  premises: Cmp[];
  goal: Cmp;
  /** What was split, for the certificate. */
  labels: string[];
}

function firstSplittable(trees: MathNode[]): MathNode | undefined {
  let found: MathNode | undefined;
  const visit = (n: MathNode) => {
    if (found) return;
    const b = bare(n);
    children(b).forEach(visit);
    if (found) return;
    const s = shapeOf(b);
    if (s.kind === 'op' && (s.op === 'abs' || s.op === 'max' || s.op === 'min')) found = b;
  };
  trees.forEach(visit);
  return found;
}

/**
 * Split abs, max and min into cases (innermost first, every occurrence of the same term at once),
 * up to `maxCases`. Each case: the branch conditions and the claim with the term replaced. Cases
 * whose conditions `impossible` refutes are dropped (they hold vacuously).
 */
export function splitCases(claim: { premises: Cmp[]; goal: Cmp }, impossible: (c: Cmp[]) => boolean, maxCases = 32, show: (n: MathNode) => string = (n) => clip(n.toString())): { cases: CaseClaim[]; complete: boolean; dropped: string[] } {
  let cases: CaseClaim[] = [{ conditions: [], premises: claim.premises, goal: claim.goal, labels: [] }];
  const dropped: string[] = [];
  for (let round = 0; round < 16; round++) {
    const next: CaseClaim[] = [];
    let split = false;
    for (const c of cases) {
      const node = firstSplittable([c.goal.lhs, c.goal.rhs, ...c.premises.flatMap((p) => [p.lhs, p.rhs])]);
      if (!node) {
        next.push(c);
        continue;
      }
      const s = shapeOf(node) as { kind: 'op'; op: 'abs' | 'max' | 'min'; args: MathNode[] };
      const key = node.toString();
      const branches: { conds: Cmp[]; by: MathNode; label: string }[] =
        s.op === 'abs'
          ? [
              { conds: [{ lhs: s.args[0]!, rel: '>=', rhs: num(0) }], by: s.args[0]!, label: `${show(node)} = X where X >= 0` },
              { conds: [{ lhs: s.args[0]!, rel: '<', rhs: num(0) }], by: minus(s.args[0]!), label: `${show(node)} = -X where X < 0` },
            ]
          : s.args.map((a, i) => ({
              conds: s.args.filter((_, j) => j !== i).map((b) => ({ lhs: a, rel: (s.op === 'max' ? '>=' : '<=') as Relation, rhs: b })),
              by: a,
              label: `${show(node)} = argument ${i + 1} where it is the ${s.op === 'max' ? 'largest' : 'smallest'}`,
            }));
      for (const b of branches) {
        const conditions = [...c.conditions, ...b.conds];
        const label = [...c.labels, b.label];
        if (impossible(conditions)) {
          dropped.push(label.join('; '));
          continue;
        }
        next.push({
          conditions,
          premises: c.premises.map((p) => ({ lhs: replaceKey(p.lhs, key, b.by), rel: p.rel, rhs: replaceKey(p.rhs, key, b.by) })),
          goal: { lhs: replaceKey(c.goal.lhs, key, b.by), rel: c.goal.rel, rhs: replaceKey(c.goal.rhs, key, b.by) },
          labels: label,
        });
      }
      split = true;
    }
    if (!split) return { cases: next, complete: true, dropped };
    if (next.length > maxCases) return { cases, complete: false, dropped };
    cases = next;
  }
  return { cases, complete: false, dropped };
}

// ---- abstraction --------------------------------------------------------------------------------

export interface Abstraction {
  name: string;
  key: string;
  /** The definition in terms of the base variables and earlier fresh variables. */
  def: MathNode;
  /** The definition with earlier fresh variables expanded: the subterm of the original trees. */
  original: MathNode;
  sign: SignSet;
}

function treeSize(n: MathNode): number {
  let k = 0;
  bare(n).traverse(() => void k++);
  return k;
}

/** An upper bound of the polynomial degree of a tree, or undefined when it is not polynomial (roots, abs, division). */
function polyDegree(n: MathNode, base: ReadonlySet<string>): number | undefined {
  const s = shapeOf(bare(n));
  if (s.kind === 'constant') return 0;
  if (s.kind === 'symbol') return 1;
  if (s.kind === 'powi') {
    const d = polyDegree(s.base, base);
    return d === undefined || s.k < 0 ? undefined : d * s.k;
  }
  if (s.kind !== 'op') return undefined;
  const ds = s.args.map((a) => polyDegree(a, base));
  if (ds.some((d) => d === undefined)) return undefined;
  if (s.op === 'add' || s.op === 'sub') return Math.max(...(ds as number[]));
  if (s.op === 'neg') return ds[0];
  if (s.op === 'mul') return (ds as number[]).reduce((a, b) => a + b, 0);
  return undefined;
}

function symbolsOf(n: MathNode): Set<string> {
  const out = new Set<string>();
  bare(n).traverse((x: MathNode, _p: string, parent: MathNode | null) => {
    if (x.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && (parent as any).fn === x)) out.add((x as any).name);
  });
  return out;
}

/**
 * Choose repeated polynomial subterms of degree >= 2 and replace them by fresh variables, one at a
 * time, smallest first (or largest first), recounting after each. Square-root arguments stay whole
 * (so the root keeps its defining equation), and a power of one fresh variable is not abstracted
 * (that would cut t^2 loose from t).
 */
export function abstractRepeated(
  trees: MathNode[],
  opts: { order: 'small-first' | 'large-first'; base: readonly string[]; names: ReadonlyMap<string, string>; reserved: ReadonlySet<string>; signOf: (n: MathNode) => SignSet; max?: number },
): { abstractions: Abstraction[]; trees: MathNode[] } {
  const abstractions: Abstraction[] = [];
  const fresh = new Set<string>();
  const used = new Set<string>(opts.reserved);
  const base = new Set(opts.base);
  let current = trees;
  for (let round = 0; round < (opts.max ?? 24); round++) {
    const count = new Map<string, { n: number; node: MathNode }>();
    const visit = (n: MathNode, parentIsSqrt: boolean) => {
      const b = bare(n);
      const s = shapeOf(b);
      if (s.kind === 'constant' || s.kind === 'symbol') return;
      const kids = children(b);
      const isSqrt = s.kind === 'op' && s.op === 'sqrt';
      kids.forEach((k) => visit(k, isSqrt));
      if (parentIsSqrt) return;
      const d = polyDegree(b, base);
      if (d === undefined || d < 2) return;
      const syms = symbolsOf(b);
      if (syms.size === 1 && fresh.has([...syms][0]!)) return;
      const key = b.toString();
      const c = count.get(key);
      if (c) c.n++;
      else count.set(key, { n: 1, node: b });
    };
    current.forEach((t) => visit(t, false));
    const candidates = [...count.entries()].filter(([, v]) => v.n >= 2);
    if (candidates.length === 0) break;
    candidates.sort(([ka, a], [kb, b]) => {
      const sa = treeSize(a.node);
      const sb = treeSize(b.node);
      if (sa !== sb) return opts.order === 'small-first' ? sa - sb : sb - sa;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    const [key, { node }] = candidates[0]!;
    // The original subterm: earlier fresh variables expanded.
    const expand = new Map(abstractions.map((a) => [a.name, a.original] as const));
    const original = substitute(node.cloneDeep(), expand);
    let name = opts.names.get(original.toString()) ?? `t_${abstractions.length + 1}`;
    while (used.has(name)) name = `${name}_`;
    used.add(name);
    fresh.add(name);
    abstractions.push({ name, key, def: node, original, sign: opts.signOf(original) });
    const sym = new SymbolNode(name) as unknown as MathNode;
    current = current.map((t) => replaceKey(t, key, sym));
  }
  return { abstractions, trees: current };
}

/** Apply abstractions (in order) to another tree. */
export function applyAbstractions(tree: MathNode, abstractions: readonly Abstraction[]): MathNode {
  let t = tree;
  for (const a of abstractions) t = replaceKey(t, a.key, new SymbolNode(a.name) as unknown as MathNode);
  return t;
}

export function signFact(name: string, s: SignSet): Cmp | undefined {
  const v = new SymbolNode(name) as unknown as MathNode;
  const z = num(0);
  switch (s) {
    case POS:
      return { lhs: v, rel: '>', rhs: z };
    case POS | ZERO:
      return { lhs: v, rel: '>=', rhs: z };
    case NEG:
      return { lhs: v, rel: '<', rhs: z };
    case NEG | ZERO:
      return { lhs: v, rel: '<=', rhs: z };
    case ZERO:
      return { lhs: v, rel: '==', rhs: z };
    default:
      return undefined;
  }
}

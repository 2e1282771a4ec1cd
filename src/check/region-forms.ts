/**
 * The exact polynomial forms the region prover (check/region-prove.ts) evaluates where the trees as
 * written lose too much to interval dependency: the difference rhs - lhs of a comparison, expanded over Q
 * once (so that L_conv - L_conv_next, a difference of two nearly equal quantities, is enclosed through
 * its own coefficients, not as the difference of two enclosures) and factored over Q (so that a square
 * factor, or a factor that is a premise's own difference, contributes its sign exactly where the
 * enclosure of the whole cannot: lambda - lambda_next = eta s^2 f^2 (4 - eta lambda) is >= 0 where the
 * premise eta lambda < 4 holds, on every box, however close to f = 0 or to eta lambda = 4).
 *
 * A form is exact algebra, not an approximation: the factors multiply back to rhs - lhs (factor.ts checks
 * the product), and the certificate checker re-expands both sides with its own polynomial code. Only
 * polynomial differences get a form (after the fixed hyperparameters are substituted); a comparison with
 * S, a square root, max/min/abs or a non-constant denominator keeps the natural and centered rungs.
 */
import { ConstantNode, OperatorNode, SymbolNode, type MathNode } from '../symbolic/mathjs.js';
import { constantToRational, NotRationalFunctionError, Poly, polySqrt, toRatFunc } from '../symbolic/rational-function.js';
import { fold, type Backend } from '../symbolic/algebra.js';
import { canonicalKey, divideExact, normalize } from '../symbolic/factor.js';
import { partials } from './region-derivative.js';
import { ANY, NEG, POS, sMul, sPow, ZERO, type SignSet } from '../symbolic/signs.js';
import { compileDyadic, NotCertifiable, type DyadicProgram } from '../symbolic/dyadic-eval.js';
import { Rational } from '../numeric/rational.js';
import type { DyadicArith, DyadicInterval } from '../numeric/dyadic.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';

export type FormRel = '<' | '<=' | '>' | '>=' | '==';

/** The signs of rhs - lhs that make `lhs rel rhs` true. */
export function marginSigns(rel: FormRel): SignSet {
  return { '<': POS, '<=': POS | ZERO, '>': NEG, '>=': NEG | ZERO, '==': ZERO }[rel];
}

export interface PolyFactor {
  /** The factor over the free variables (integer coefficients, primitive). */
  poly: Poly;
  tree: MathNode;
  power: number;
  /** rhs - lhs of premise `premise` is scale * poly^power + offset: where that premise holds, poly^power has a sign in `signs`. */
  hint?: { premise: number; scale: Rational; offset: Rational; signs: SignSet };
  /** The factor's value (one output), and its gradient over the free variables (differentiating `tree`). */
  value: DyadicProgram;
  grad: DyadicProgram;
}

export interface FactoredForm {
  /** rhs - lhs = unit * prod factor^power, as polynomials in the free variables. */
  unit: Rational;
  factors: PolyFactor[];
}

/** A comparison as the form builder reads it: both sides over the box's variables. */
export interface FormComparison {
  rel: FormRel;
  lhs: MathNode;
  rhs: MathNode;
}

const sub = (a: MathNode, b: MathNode) => new OperatorNode('-', 'subtract', [a, b]) as unknown as MathNode;

/** rhs - lhs as a polynomial over `free` with the fixed variables' values substituted, or undefined when it is not a polynomial. */
export function differencePoly(c: FormComparison, names: readonly string[], fixed: ReadonlyMap<string, Rational>, free: readonly string[]): Poly | undefined {
  let f;
  try {
    f = toRatFunc(sub(c.rhs, c.lhs), names);
  } catch (e) {
    if (e instanceof NotRationalFunctionError) return undefined;
    throw e;
  }
  const num = restrict(f.num, fixed, free);
  const den = restrict(f.den, fixed, free).constantValue();
  if (den === undefined || den.isZero()) return undefined;
  return scalePoly(num, Rational.fromInt(1).div(den));
}

/**
 * The polynomial subterms of a tree (over the free variables, the fixed ones at their values), as candidate
 * divisors: f = s (u . v) is a subterm of the catapult's GD step, and divides lambda - lambda_next twice, which
 * a factorization from the expanded polynomial alone finds only through costly gcds. Only subterms of 2 to 64
 * terms are kept, at most 256 of them.
 */
export function subtermPolys(trees: readonly MathNode[], free: readonly string[], fixed: ReadonlyMap<string, Rational>): Poly[] {
  // The fixed variables stay symbols while the subterms are built (s = 0.7071067811865476 as a value gives
  // every product 30-digit coefficients: 15 s instead of 0.2 s on catapult-n3), and take their values at the end.
  const all = [...free, ...fixed.keys()];
  const found = new Map<string, Poly>();
  const keep = (p: Poly | null): Poly | null => {
    if (p && p.terms.size >= 2 && p.terms.size <= 64 && found.size < 256) {
      const key = canonicalKey(p).key;
      if (!found.has(key)) found.set(key, p);
    }
    return p;
  };
  const two = (f: (a: Poly, b: Poly) => Poly | null) => (a: Poly | null, b: Poly | null) => keep(a && b ? f(a, b) : null);
  const tooBig = (p: Poly) => (p.terms.size > 1024 ? null : p);
  const b: Backend<Poly | null> = {
    name: 'the subterm collector',
    constant: (v) => Poly.constant(all, constantToRational(v)),
    symbol: (name) => (all.includes(name) ? Poly.variable(all, name) : null),
    neg: (a) => (a ? scalePoly(a, Rational.fromInt(-1)) : null),
    add: two((x, y) => tooBig(x.add(y))),
    sub: two((x, y) => tooBig(x.sub(y))),
    mul: two((x, y) => (x.terms.size * y.terms.size > 4096 ? null : tooBig(x.mul(y)))),
    div: two((x, y) => {
      const c = y.constantValue();
      return c === undefined || c.isZero() ? null : scalePoly(x, Rational.fromInt(1).div(c));
    }),
    powi: (a, k) => keep(a && k >= 0 && a.terms.size ** k <= 4096 ? tooBig(a.pow(k)) : null),
    powr: () => null,
    sqrt: () => null,
    abs: () => null,
    max: () => null,
    min: () => null,
    exp: () => null,
    log: () => null,
    log10: () => null,
    log2: () => null,
  };
  for (const t of trees) fold(t, b);
  const out = new Map<string, Poly>();
  for (const p of found.values()) {
    const q = restrict(p, fixed, free);
    if (q.terms.size < 2) continue;
    const key = canonicalKey(q).key;
    if (!out.has(key)) out.set(key, q);
  }
  return [...out.values()];
}

/** p with the fixed variables replaced by their values, over the free variables only. */
function restrict(p: Poly, fixed: ReadonlyMap<string, Rational>, free: readonly string[]): Poly {
  const out = new Poly(free);
  const at = free.map((v) => p.vars.indexOf(v));
  for (const [k, c] of p.terms) {
    const e = k.split(',').map(Number);
    let v = c;
    e.forEach((x, i) => {
      if (x > 0 && fixed.has(p.vars[i]!)) v = v.mul(fixed.get(p.vars[i]!)!.pow(x));
    });
    if (v.isZero()) continue;
    const key = at.map((i) => e[i]!).join(',');
    const s = (out.terms.get(key) ?? Rational.ZERO).add(v);
    if (s.isZero()) out.terms.delete(key);
    else out.terms.set(key, s);
  }
  return out;
}

function scalePoly(p: Poly, c: Rational): Poly {
  const out = new Poly(p.vars);
  if (c.isZero()) return out;
  for (const [k, v] of p.terms) out.terms.set(k, v.mul(c));
  return out;
}

/** An exact integer as a tree of double-exact literals (base 2^32 digits beyond 2^53), so the certificate text reads back exactly. */
function integerTree(n: bigint): MathNode {
  const neg = n < 0n;
  let a = neg ? -n : n;
  let t: MathNode;
  if (a < 2n ** 53n) t = new ConstantNode(Number(a)) as unknown as MathNode;
  else {
    const digits: number[] = [];
    while (a > 0n) {
      digits.push(Number(a & 0xffffffffn));
      a >>= 32n;
    }
    t = new ConstantNode(digits.pop()!) as unknown as MathNode;
    while (digits.length > 0) {
      t = new OperatorNode('*', 'multiply', [t, new ConstantNode(4294967296) as unknown as MathNode]) as unknown as MathNode;
      t = new OperatorNode('+', 'add', [t, new ConstantNode(digits.pop()!) as unknown as MathNode]) as unknown as MathNode;
    }
  }
  return neg ? (new OperatorNode('-', 'unaryMinus', [t]) as unknown as MathNode) : t;
}

export function rationalTree(q: Rational): MathNode {
  const n = integerTree(q.num);
  return q.den === 1n ? n : (new OperatorNode('/', 'divide', [n, integerTree(q.den)]) as unknown as MathNode);
}

/**
 * A polynomial as a tree in recursive Horner form (in the variable order of `p.vars`): fewer operations
 * than the sum of monomials, and an enclosure no wider than it.
 */
export function polyTree(p: Poly): MathNode {
  const terms = [...p.terms].map(([k, v]) => ({ e: k.split(',').map(Number), c: v }));
  const build = (ts: typeof terms, i: number): MathNode => {
    if (i >= p.vars.length || ts.every((t) => t.e.slice(i).every((x) => x === 0))) {
      let s = Rational.ZERO;
      for (const t of ts) s = s.add(t.c);
      return rationalTree(s);
    }
    const byDeg = new Map<number, typeof terms>();
    for (const t of ts) {
      const d = t.e[i]!;
      if (!byDeg.has(d)) byDeg.set(d, []);
      byDeg.get(d)!.push(t);
    }
    const degs = [...byDeg.keys()].sort((a, b) => a - b);
    const x = new SymbolNode(p.vars[i]!) as unknown as MathNode;
    const pw = (k: number) => (k === 1 ? x : (new OperatorNode('^', 'pow', [x, new ConstantNode(k) as unknown as MathNode]) as unknown as MathNode));
    const mul = (a: MathNode, b: MathNode) => new OperatorNode('*', 'multiply', [a, b]) as unknown as MathNode;
    // p = x^d0 (c0 + x^(d1-d0) (c1 + x^(d2-d1) (c2 + ...))), degrees d0 < d1 < ... present in p.
    let acc = build(byDeg.get(degs[degs.length - 1]!)!, i + 1);
    for (let j = degs.length - 2; j >= 0; j--) acc = new OperatorNode('+', 'add', [build(byDeg.get(degs[j]!)!, i + 1), mul(pw(degs[j + 1]! - degs[j]!), acc)]) as unknown as MathNode;
    return degs[0]! > 0 ? mul(pw(degs[0]!), acc) : acc;
  };
  if (p.isZero()) return new ConstantNode(0) as unknown as MathNode;
  return build(terms, 0);
}

/**
 * A light factorization over Q, cheap whatever the coefficients (factor.ts's gcds took 27 s on the 20-term
 * eta lambda_next of the catapult model, whose decimal s gives 60-digit coefficients), recursively: the
 * rational content, exact division by the premises' differences, a piece kept whole when `keepWhole` says so
 * (a premise ties it affinely), the monomial content, perfect squares. What is left stays one factor: nothing here claims irreducibility, and the factors
 * multiply back to p exactly (checked).
 */
export function lightFactor(p: Poly, hints: readonly Poly[], keepWhole: (q: Poly) => boolean = () => false): { unit: Rational; factors: { f: Poly; e: number }[] } {
  const out: { f: Poly; e: number }[] = [];
  let unit = Rational.fromInt(1);
  /** Records f^e as its primitive part to the power e, the constant going to the unit. */
  const add = (f: Poly, e: number) => {
    const n = normalize(f);
    unit = unit.mul(n.c.pow(e));
    const key = canonicalKey(n.q).key;
    const x = out.find((o) => canonicalKey(o.f).key === key);
    if (x) x.e += e;
    else out.push({ f: n.q, e });
  };
  const hs = hints.filter((h) => !h.isZero() && h.constantValue() === undefined).map((h) => normalize(h).q);
  const work = (x: Poly, e: number, depth: number): void => {
    const n = normalize(x);
    unit = unit.mul(n.c.pow(e));
    x = n.q;
    const k = x.constantValue();
    if (k !== undefined) {
      unit = unit.mul(k.pow(e));
      return;
    }
    if (depth >= 32) return add(x, e);
    for (const h of hs) {
      if (h.terms.size > x.terms.size) continue;
      const d = divideExact(x, h);
      if (d) {
        add(h, e);
        return work(d, e, depth + 1);
      }
    }
    // A piece that is a premise's difference up to a constant term stays whole (eta^2 s^2 f^2 - eta lambda is
    // x - 2 - w shifted: its sign where w < x - 2 is known, that of its parts is not).
    if (keepWhole(x)) return add(x, e);
    for (let i = 0; i < x.vars.length; i++) {
      let m = Infinity;
      for (const key of x.terms.keys()) m = Math.min(m, Number(key.split(',')[i]));
      if (m > 0 && Number.isFinite(m)) {
        const v = Poly.variable(x.vars, x.vars[i]!);
        add(v, m * e);
        return work(divideExact(x, v.pow(m))!, e, depth + 1);
      }
    }
    const r = polySqrt(x);
    if (r && r.constantValue() === undefined) return work(r, 2 * e, depth + 1);
    add(x, e);
  };
  work(p, 1, 0);
  let prod = Poly.constant(p.vars, unit);
  for (const { f, e } of out) prod = prod.mul(f.pow(e));
  if (!prod.sub(p).isZero()) return { unit: Rational.fromInt(1), factors: [{ f: p, e: 1 }] };
  return { unit, factors: out };
}

/**
 * The signs y may take where a premise holds, when that premise's difference is p = scale * y + offset and
 * the premise allows p the signs `allowed` (> 0, >= 0, < 0, <= 0 or = 0).
 */
export function affineHintSigns(allowed: SignSet, scale: Rational, offset: Rational): SignSet {
  // y = (p - offset) / scale, and b = -offset / scale is y where p = 0.
  const b = offset.neg().div(scale).sign();
  const up = scale.sign() > 0;
  const gt = (strict: boolean): SignSet => (b > 0 ? POS : b === 0 ? (strict ? POS : POS | ZERO) : ANY);
  const lt = (strict: boolean): SignSet => (b < 0 ? NEG : b === 0 ? (strict ? NEG : NEG | ZERO) : ANY);
  switch (allowed) {
    case POS:
      return up ? gt(true) : lt(true);
    case POS | ZERO:
      return up ? gt(false) : lt(false);
    case NEG:
      return up ? lt(true) : gt(true);
    case NEG | ZERO:
      return up ? lt(false) : gt(false);
    case ZERO:
      return b > 0 ? POS : b < 0 ? NEG : ZERO;
    default:
      return ANY;
  }
}

/**
 * The factored form of rhs - lhs over the free variables, with the premises' own differences recognized
 * among the factors (hints apply to statements only), or undefined when rhs - lhs is not a polynomial.
 */
export function factoredForm(c: FormComparison, names: readonly string[], fixed: ReadonlyMap<string, Rational>, free: readonly string[], premises: readonly FormComparison[] = []): FactoredForm | undefined {
  const d = differencePoly(c, names, fixed, free);
  if (d === undefined) return undefined;
  const prem = premises.map((p) => differencePoly(p, names, fixed, free));
  const hintPolys = prem.filter((p): p is Poly => p !== undefined && !p.isZero());
  if (d.isZero()) return { unit: Rational.ZERO, factors: [] };
  const symbols = [...names];
  /** A premise whose difference is scale * q + offset (offset a constant), and the hint it gives q. */
  const hintFor = (q: Poly): PolyFactor['hint'] => {
    const mono = [...q.terms.keys()].find((k) => k.split(',').some((x) => x !== '0'));
    if (mono === undefined) return undefined;
    // Of the premises tied to q, the one that leaves q the fewest signs (eta lambda > 2 says nothing of the sign
    // of 4 - eta lambda; eta lambda < 4 does).
    let best: PolyFactor['hint'];
    const count = (x: SignSet) => (x & NEG ? 1 : 0) + (x & ZERO ? 1 : 0) + (x & POS ? 1 : 0);
    for (let k = 0; k < prem.length; k++) {
      const p = prem[k];
      const pc = p?.terms.get(mono);
      if (!p || pc === undefined || p.terms.size > q.terms.size + 1) continue;
      const scale = pc.div(q.terms.get(mono)!);
      const offset = p.sub(scalePoly(q, scale)).constantValue();
      if (offset === undefined) continue;
      const signs = affineHintSigns(marginSigns(premises[k]!.rel), scale, offset);
      if (signs !== ANY && (!best || count(signs) < count(best.signs))) best = { premise: k, scale, offset, signs };
    }
    return best;
  };
  const f = lightFactor(d, [...hintPolys, ...subtermPolys([c.lhs, c.rhs], free, fixed)], (q) => hintFor(q) !== undefined);
  const factors: PolyFactor[] = [];
  const push = (poly: Poly, power: number, hint: PolyFactor['hint']): boolean => {
    const tree = squareTree(poly) ?? polyTree(poly);
    try {
      const value = compileDyadic([tree], symbols);
      // The gradient by differentiating the tree itself (not the derivative polynomial): the same expressions
      // as the checker's forward differentiation, so its exact enclosures lie inside these.
      const grad = compileDyadic(
        partials(tree, free).map((x) => x ?? (new ConstantNode(0) as unknown as MathNode)),
        symbols,
      );
      factors.push({ poly, tree, power, ...(hint ? { hint } : {}), value, grad });
      return true;
    } catch (err) {
      if (err instanceof NotCertifiable) return false;
      throw err;
    }
  };
  for (const { f: poly, e } of f.factors) {
    // A premise may state the factor's power (f^2 > 0) or the factor itself (eta lambda < 4): the hint then
    // covers the whole power, or one copy of the factor beside the others.
    const whole = e > 1 ? hintFor(poly.pow(e)) : undefined;
    if (whole) {
      if (!push(poly, e, whole)) return undefined;
      continue;
    }
    const one = hintFor(poly);
    if (one && e > 1) {
      if (!push(poly, 1, one) || !push(poly, e - 1, undefined)) return undefined;
    } else if (!push(poly, e, one)) return undefined;
  }
  return { unit: f.unit, factors };
}

/**
 * The factor as c0 + c h^2 when it is a constant plus a constant times the square of a polynomial
 * (1 + eta^2 s^2 f^2 in the catapult models): natural evaluation then sees the square's sign, which the
 * Horner form of the expansion hides. Undefined otherwise.
 */
export function squareTree(q: Poly): MathNode | undefined {
  const zero = q.vars.map(() => 0).join(',');
  const c0 = q.terms.get(zero) ?? Rational.ZERO;
  const rest = new Poly(q.vars, new Map([...q.terms].filter(([k]) => k !== zero)));
  if (rest.isZero() || rest.terms.size < 2) return undefined;
  const { c, q: r } = normalize(rest);
  const h = polySqrt(r);
  if (!h) return undefined;
  const sq = new OperatorNode('^', 'pow', [polyTree(h), new ConstantNode(2) as unknown as MathNode]) as unknown as MathNode;
  const scaled = c.eq(Rational.fromInt(1)) ? sq : (new OperatorNode('*', 'multiply', [rationalTree(c), sq]) as unknown as MathNode);
  return c0.isZero() ? scaled : (new OperatorNode('+', 'add', [rationalTree(c0), scaled]) as unknown as MathNode);
}

/** The signs an enclosure allows. */
export function signsOf(x: DyadicInterval): SignSet {
  const lo = x.lo.sign();
  const hi = x.hi.sign();
  return (lo < 0 ? NEG : 0) | (lo <= 0 && hi >= 0 ? ZERO : 0) | (hi > 0 ? POS : 0);
}

export interface FormEval {
  /** The signs rhs - lhs may take on the box (where the hinted premises hold, when `hinted`). */
  signs: SignSet;
  /** A premise's sign was used: the signs hold only where that premise holds. */
  hinted: boolean;
  /** rhs - lhs enclosed (without the hints), or null when a factor failed. */
  margin: DyadicInterval | null;
}

/** A program over the box's variables and its gradient over the free ones (a factor's, a Rayleigh form's Q). */
export interface CenteredProgram {
  value: DyadicProgram;
  grad: DyadicProgram;
}

/** A program's runs on one box that several of its bounds share (pure, so each is made once; null: undefined there). */
export interface BoxRuns {
  grad?: DyadicInterval[] | null;
  centre?: DyadicInterval | null;
}

/** f's result, or null where a term is undefined on the enclosures (the one semantics of partial terms). */
function attempt<T>(f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof CertainlyUndefined || e instanceof MaybeUndefined) return null;
    throw e;
  }
}

/**
 * A program over a box: natural evaluation at `inputs` intersected with the centered form p(c) + grad p(X) . (X - c)
 * (`centre`: the inputs at the box's centre c; X: the variables' enclosures, freeIdx the free ones), and the
 * gradient it used (null without free variables); null where a term is undefined on the box.
 */
export function centeredEnclosure(p: CenteredProgram, inputs: readonly DyadicInterval[], centre: readonly DyadicInterval[], X: readonly DyadicInterval[], freeIdx: readonly number[], A: DyadicArith, runs: BoxRuns = {}): { v: DyadicInterval; g: DyadicInterval[] | null } | null {
  const v = attempt(() => p.value.run(inputs, A)[0]!);
  if (!v) return null;
  if (freeIdx.length === 0) return { v, g: null };
  const g = runs.grad !== undefined ? runs.grad : (runs.grad = attempt(() => p.grad.run(inputs, A)));
  if (!g) return null;
  const c = runs.centre !== undefined ? runs.centre : (runs.centre = attempt(() => p.value.run(centre, A)[0]!));
  if (!c) return null;
  const r = attempt(() => {
    let m = c;
    freeIdx.forEach((i, k) => (m = A.add(m, A.mul(g[k]!, A.sub(X[i]!, centre[i]!)))));
    return A.intersect(v, m);
  });
  return r && { v: r, g };
}

/** A factor's enclosure on one box and the gradient behind it (v null: undefined there). */
export interface FactorRun {
  v: DyadicInterval | null;
  g?: DyadicInterval[] | null;
}

/**
 * One factor over the box X (centre C): its Horner form's centered enclosure (the gradient's polynomials exact).
 * `runs` (one map per box) keeps it with its gradient, for the other readers of the same box (the split choice).
 */
export function encloseFactor(f: PolyFactor, X: readonly DyadicInterval[], C: readonly DyadicInterval[], freeIdx: readonly number[], A: DyadicArith, runs?: Map<PolyFactor, FactorRun>): DyadicInterval | null {
  const hit = runs?.get(f);
  if (hit) return hit.v;
  const e = centeredEnclosure(f, X, C, X, freeIdx, A);
  runs?.set(f, e ? { v: e.v, g: e.g } : { v: null });
  return e ? e.v : null;
}

export function evalForm(form: FactoredForm, X: readonly DyadicInterval[], C: readonly DyadicInterval[], freeIdx: readonly number[], A: DyadicArith, useHints: boolean, runs?: Map<PolyFactor, FactorRun>): FormEval {
  let signs: SignSet = form.unit.sign() > 0 ? POS : form.unit.sign() < 0 ? NEG : ZERO;
  let margin: DyadicInterval | null = A.fromRational(form.unit);
  let hinted = false;
  for (const f of form.factors) {
    const x = encloseFactor(f, X, C, freeIdx, A, runs);
    let s = sPow(x ? signsOf(x) : ANY, f.power);
    if (useHints && f.hint) {
      const t = s & f.hint.signs;
      if (t !== s) hinted = true;
      s = t;
    }
    signs = sMul(signs, s);
    margin = x && margin ? A.mul(margin, A.powi(x, f.power)) : null;
  }
  return { signs, hinted, margin };
}

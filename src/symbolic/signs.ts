import type { MathNode } from './mathjs.js';
import { shapeOf } from './algebra.js';
import { Poly } from './rational-function.js';
import { canonicalKey, factorPoly, isConstant, type Factorization } from './factor.js';
import { Rational } from '../numeric/rational.js';

/**
 * Signs of terms and polynomials from what is known: the signs of variables (hyperparameter and
 * parameter ranges, square roots), recorded facts about polynomials (premises, case conditions,
 * definedness conditions, range bounds), even powers, and factorization over Q. A sign is a set of
 * possible signs (a bitmask): the answer is always sound (the true sign is in the set) and may be
 * weaker than the truth.
 */

export type SignSet = number;
export const NEG = 1;
export const ZERO = 2;
export const POS = 4;
export const ANY = 7;

export function signText(s: SignSet): string {
  switch (s) {
    case POS:
      return '> 0';
    case POS | ZERO:
      return '>= 0';
    case NEG:
      return '< 0';
    case NEG | ZERO:
      return '<= 0';
    case ZERO:
      return '= 0';
    case NEG | POS:
      return '!= 0';
    case 0:
      return 'impossible';
    default:
      return 'unknown sign';
  }
}

const SIGNS: [number, SignSet][] = [
  [-1, NEG],
  [0, ZERO],
  [1, POS],
];

function members(s: SignSet): number[] {
  return SIGNS.filter(([, b]) => s & b).map(([v]) => v);
}
function of(v: number): SignSet {
  return v < 0 ? NEG : v > 0 ? POS : ZERO;
}

export function sNeg(a: SignSet): SignSet {
  return (a & ZERO) | (a & NEG ? POS : 0) | (a & POS ? NEG : 0);
}
export function sMul(a: SignSet, b: SignSet): SignSet {
  let out = 0;
  for (const x of members(a)) for (const y of members(b)) out |= of(x * y);
  return out;
}
export function sAdd(a: SignSet, b: SignSet): SignSet {
  let out = 0;
  for (const x of members(a))
    for (const y of members(b)) {
      if (x === 0) out |= of(y);
      else if (y === 0 || x === y) out |= of(x);
      else out |= ANY;
    }
  return out;
}
export function sPow(a: SignSet, k: number): SignSet {
  if (k === 0) return POS;
  const base = k < 0 ? a & ~ZERO : a;
  if (Math.abs(k) % 2 === 1) return base;
  return (base & ZERO) | (base & (NEG | POS) ? POS : 0);
}
function sMax(a: SignSet, b: SignSet): SignSet {
  let out = 0;
  for (const x of members(a)) for (const y of members(b)) out |= of(Math.max(x, y));
  return out;
}
function sMin(a: SignSet, b: SignSet): SignSet {
  let out = 0;
  for (const x of members(a)) for (const y of members(b)) out |= of(Math.min(x, y));
  return out;
}
/** The possible signs of f given that f * rest has a sign in `prod` and rest a sign in `rest`. */
export function sDivide(prod: SignSet, rest: SignSet): SignSet {
  let out = 0;
  for (const f of [-1, 0, 1]) for (const r of members(rest)) if (prod & of(f * r)) out |= of(f);
  return out;
}

/** The signs a relation `x REL 0` allows for x. */
export function relationSigns(rel: '<' | '<=' | '>' | '>=' | '=='): SignSet {
  return { '<': NEG, '<=': NEG | ZERO, '>': POS, '>=': POS | ZERO, '==': ZERO }[rel];
}

export interface SignFact {
  sign: SignSet;
  why: string;
}

/** Known signs over one variable list (the polynomials' variables). */
export class SignKnowledge {
  private readonly varSigns = new Map<string, SignFact>();
  private readonly facts = new Map<string, SignFact & { poly: Poly }>();
  private readonly cache = new Map<string, SignFact>();

  constructor(readonly vars: readonly string[]) {}

  setVar(name: string, sign: SignSet, why: string): void {
    const old = this.varSigns.get(name);
    const s = old ? old.sign & sign : sign;
    this.varSigns.set(name, { sign: s, why: old && old.sign !== s ? `${old.why}; ${why}` : old ? old.why : why });
    this.cache.clear();
  }

  varSign(name: string): SignFact | undefined {
    return this.varSigns.get(name);
  }

  /** Record that p has a sign in `sign` (intersected with what was known). */
  addFact(p: Poly, sign: SignSet, why: string): void {
    if (isConstant(p)) return;
    if (p.terms.size === 1) {
      // A monomial c x^k: a fact about one variable when k = 1.
      const [k, c] = [...p.terms][0]!;
      const e = k.split(',').map(Number);
      const nz = e.filter((x) => x > 0);
      if (nz.length === 1 && nz[0] === 1) {
        const i = e.findIndex((x) => x > 0);
        this.setVar(this.vars[i]!, c.sign() < 0 ? sNeg(sign) : sign, why);
        return;
      }
    }
    const { key, sign: cs } = canonicalKey(p);
    const s = cs < 0 ? sNeg(sign) : sign;
    const old = this.facts.get(key);
    const poly = old?.poly ?? p;
    const merged = old ? old.sign & s : s;
    this.facts.set(key, { sign: merged, why: old && old.sign !== merged ? `${old.why}; ${why}` : old ? old.why : why, poly: cs < 0 ? p : p });
    void poly;
    this.cache.clear();
  }

  /** The polynomials facts are recorded about: candidate factors for factorization. */
  factPolys(): Poly[] {
    return [...this.facts.values()].map((f) => f.poly);
  }

  private lookup(p: Poly): SignFact | undefined {
    const { key, sign } = canonicalKey(p);
    const f = this.facts.get(key);
    if (!f) return undefined;
    return { sign: sign < 0 ? sNeg(f.sign) : f.sign, why: f.why };
  }

  /** The sign of a monomial-wise argument: every monomial's sign from the variables' signs. */
  private monomialSign(p: Poly): SignFact | undefined {
    let total: SignSet | undefined;
    const used = new Set<string>();
    for (const [k, c] of p.terms) {
      let s: SignSet = of(c.sign());
      k.split(',').forEach((x, i) => {
        const e = Number(x);
        if (e === 0) return;
        const v = this.varSigns.get(this.vars[i]!);
        const vs = v?.sign ?? ANY;
        if (v && (e % 2 === 1 || vs !== ANY)) used.add(this.vars[i]!);
        s = sMul(s, sPow(vs, e));
      });
      total = total === undefined ? s : sAdd(total, s);
      if (total === ANY) return undefined;
    }
    if (total === undefined || total === ANY) return undefined;
    const reasons = [...used].map((u) => `${u} ${signText(this.varSigns.get(u)!.sign)} (${this.varSigns.get(u)!.why})`);
    return { sign: total, why: reasons.length ? `term by term: ${reasons.join(', ')}; even powers >= 0` : 'term by term: even powers >= 0' };
  }

  /** The sign of a polynomial that is not split further: a recorded fact, term by term, or a constant. */
  factorSign(p: Poly): SignFact {
    const c = p.constantValue();
    if (c !== undefined) return { sign: of(c.sign()), why: 'a constant' };
    const key = canonicalKey(p);
    const hit = this.cache.get(key.key);
    if (hit) return { sign: key.sign < 0 ? sNeg(hit.sign) : hit.sign, why: hit.why };
    let sign = ANY;
    const why: string[] = [];
    const f = this.lookup(p);
    if (f) {
      sign &= f.sign;
      why.push(f.why);
    }
    if (p.terms.size === 1 || sign === ANY || sign === (NEG | POS) || sign === (NEG | ZERO | POS)) {
      const m = this.monomialSign(p);
      if (m && (m.sign & sign) !== sign) {
        sign &= m.sign;
        why.push(m.why);
      }
    }
    const out = { sign, why: why.join('; ') || 'not known' };
    this.cache.set(key.key, key.sign < 0 ? { sign: sNeg(out.sign), why: out.why } : out);
    return out;
  }

  /**
   * The sign of p through its factorization (hints: candidate factors), with one line per factor
   * for the certificate.
   */
  polySign(p: Poly, hints: readonly Poly[] = []): { sign: SignSet; factorization: Factorization; factorSigns: SignFact[] } {
    if (p.isZero()) return { sign: ZERO, factorization: { unit: Rational.fromInt(0), factors: [] }, factorSigns: [] };
    const direct = this.factorSign(p);
    if (direct.sign === POS || direct.sign === NEG || direct.sign === ZERO) return { sign: direct.sign, factorization: { unit: Rational.fromInt(1), factors: [{ f: p, e: 1 }] }, factorSigns: [direct] };
    const factorization = factorPoly(p, [...hints, ...this.factPolys()]);
    let sign: SignSet = of(factorization.unit.sign());
    const factorSigns = factorization.factors.map(({ f, e }) => {
      const s = this.factorSign(f);
      sign = sMul(sign, sPow(s.sign, e));
      return s;
    });
    // A recorded fact about the whole polynomial can say more than the product of its factors.
    if ((direct.sign & sign) !== sign) return { sign: direct.sign & sign, factorization: { unit: Rational.fromInt(1), factors: [{ f: p, e: 1 }] }, factorSigns: [{ sign: direct.sign & sign, why: direct.why }] };
    return { sign, factorization, factorSigns };
  }
}

/** The sign of a term from its structure (sums and products of terms of known sign, even powers, roots). */
export function treeSign(node: MathNode, symbolSign: (name: string) => SignSet, polySign?: (n: MathNode) => SignSet | undefined, memo = new Map<MathNode, SignSet>()): SignSet {
  const hit = memo.get(node);
  if (hit !== undefined) return hit;
  const rec = (x: MathNode) => treeSign(x, symbolSign, polySign, memo);
  const s = shapeOf(node);
  let out: SignSet;
  switch (s.kind) {
    case 'constant':
      out = of(Math.sign(s.value));
      break;
    case 'symbol':
      out = symbolSign(s.name);
      break;
    case 'powi':
      out = sPow(rec(s.base), s.k);
      break;
    case 'powr':
      out = s.p < 0 ? POS : POS | ZERO;
      break;
    case 'op': {
      const a = s.args.map(rec);
      switch (s.op) {
        case 'neg':
          out = sNeg(a[0]!);
          break;
        case 'add':
          out = a.reduce(sAdd);
          break;
        case 'sub':
          out = sAdd(a[0]!, sNeg(a[1]!));
          break;
        case 'mul':
          out = a.reduce(sMul);
          break;
        case 'div':
          out = sMul(a[0]!, a[1]! & ~ZERO);
          break;
        case 'sqrt':
          out = a[0] === POS ? POS : POS | ZERO;
          break;
        case 'abs':
          out = sPow(a[0]!, 2);
          break;
        case 'max':
          out = a.reduce(sMax);
          break;
        case 'min':
          out = a.reduce(sMin);
          break;
        case 'exp':
          out = POS;
          break;
        default:
          out = ANY;
      }
    }
  }
  if (polySign && (out === ANY || out === (NEG | POS) || out === (POS | ZERO) || out === (NEG | ZERO)) && s.kind !== 'symbol' && s.kind !== 'constant') {
    const p = polySign(node);
    if (p !== undefined && (p & out) !== 0) out &= p;
  }
  memo.set(node, out);
  return out;
}

export function polyOfVariable(vars: readonly string[], name: string): Poly {
  return Poly.variable(vars, name);
}

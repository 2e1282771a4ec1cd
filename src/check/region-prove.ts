/**
 * The region prover: an identity lemma over a bounded region of theta (`hypotheses.params` bounds
 * every parameter, and the hyperparameters always have ranges), decided box by box by branch and
 * bound with rigorous enclosures, never by sampling.
 *
 * Semantics (README, "Partial terms", as check/prove.ts): the premises are the `where` relations and
 * the `when` premises; a premise holds where its terms are defined and its relation holds; each
 * statement is asserted where its own terms are defined. Hyperparameter and parameter ranges are the
 * decimal values as written (max 0.1 is 1/10), so a box's ends are exact rationals; every split point
 * is a dyadic number strictly inside its box.
 *
 * Each box is evaluated in outward-rounded dyadic interval arithmetic (symbolic/dyadic-eval.ts) at one
 * precision (the decision ladder's row, numeric/ladder.ts LADDER.regionProver), up a ladder of four
 * rungs (a leaf records the highest it needed):
 *  - natural: each tree's interval evaluation over the box;
 *  - centered: for a comparison without S, the mean-value form d(c) + sum_j dd/dx_j(X) (X_j - c_j) of
 *    d = rhs - lhs, c the box's exact centre (enclosed), with the partial derivatives built symbolically here
 *    (d is continuously differentiable on X wherever the derivative program evaluates without a
 *    partial term failing: divisions, negative powers, sqrt and abs all need their argument away from
 *    0, which the evaluator refuses to assume);
 *  - factored: a polynomial rhs - lhs expanded and factored over Q once (check/region-forms.ts), each
 *    factor's sign enclosed, a factor that is a premise's own difference given the sign the premise allows;
 *  - rayleigh: a comparison linear in S and S_next bounded through the Rayleigh quotient of one vector per
 *    box, as functions of theta rather than constants (check/region-rayleigh.ts), so that S_next - S keeps
 *    the correlation of its two terms.
 * S and S_next over a box (for the natural and centered rungs): the Hessian entries enclosed on the box (for S_next with each parameter
 * replaced by its exact GD step tree, so the dependence on the box is kept), a lower bound from the
 * Rayleigh quotient of a short rational vector v (the float top eigenvector of the midpoint matrix)
 * and an upper bound hi with hi I - H positive definite on the whole box (Sylvester: every leading
 * principal minor, by Laplace expansion of the interval matrix, has a positive lower end). Both are
 * written to the certificate so a checker confirms them.
 *
 * A box where a premise is certainly false (or certainly undefined) is discarded; a box where every
 * statement certainly holds or is certainly undefined is a proved leaf; any other box is split at the
 * dyadic midpoint of one variable (chooseSplit: width x |partial derivative of the margin| on the box,
 * S through v^T dH/dx_j v, the undecided premises first; without derivatives the width relative to the
 * region). Boxes are taken first in, first out. The work is bounded by a COUNT of boxes (the ladder
 * row's maxBoxes), never a clock: the same verdict on a loaded machine.
 *
 * While splitting it searches for counterexamples: at a dyadic centre of every box it splits, the
 * premises and statements are evaluated at the point; a premise-true point where a statement is
 * certainly false is confirmed by exact evaluation (check/prove.ts, the same decision as a Z3 witness)
 * and gives FALSIFIED with the exact witness. Outcomes: PROVED (the box tree as a certificate,
 * check/region-certificate.ts), FALSIFIED, VACUOUS (every box premise-false), or UNDECIDED (the
 * undecided fraction of the region's volume, fixed hyperparameters excluded as zero-width dimensions,
 * and the worst box). Lemmas it cannot represent (assume, mu, equations as statements, implicit
 * quantities, exp/log) are declined with the reason, and the lemma goes the existing way.
 */
import { ConstantNode, OperatorNode, type MathNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma, DrawSpec } from '../lemma/compile.js';
import { freeSymbols, parseComparison, substitute } from '../symbolic/expr.js';
import { fold, UnsupportedOperation, type Backend } from '../symbolic/algebra.js';
import { compileDyadic, NotCertifiable, type DyadicProgram } from '../symbolic/dyadic-eval.js';
import { addRounded, cmpDyadic, Dyadic, DyadicArith, DyadicInterval, dyadic } from '../numeric/dyadic.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import { Rational } from '../numeric/rational.js';
import { constantToRational } from '../symbolic/rational-function.js';
import { topEigenpair } from '../numeric/symmetric-eigen.js';
import { rayleighInterval } from '../numeric/dyadic-eigen.js';
import { regionStep } from '../numeric/ladder.js';
import { exactPointTruth } from './prove.js';
import { searchWitness } from './witness-search.js';
import type { CertComparison, CertFactoredForm, CertLeaf, CertNode, CertRayleigh, CertRelation, CertRung, CertSharpForm, CertSharpnessBound, CertStatementVerdict, RegionCertificate } from './region-certificate.js';
import { partials } from './region-derivative.js';
import { leadingMinorsPositiveShift } from '../numeric/eigen-enclosure.js';
import { evalSharpForm, sharpForm, type PremiseTerm, type RayleighModel, type RayleighSite, type SharpForm } from './region-rayleigh.js';
import { encloseFactor, evalForm, factoredForm, marginSigns, polyTree, type FactoredForm, type FactorRun, type PolyFactor } from './region-forms.js';

export interface RegionOptions {
  /** Boxes evaluated at most (default: the ladder row's maxBoxes): the budget is a count, so the verdict does not depend on load. */
  maxBoxes?: number;
  /** Working precision of the dyadic enclosures (default: the ladder row's bits). */
  bits?: number;
  /** Use the centered (mean-value) rung where the natural one does not decide (default true; false for tests). */
  centered?: boolean;
  /** Use the factored rung (check/region-forms.ts) where the centered one does not decide (default true; false for tests). */
  forms?: boolean;
  /** Let the Rayleigh rung take premises as multiplier terms (default true; false for tests). */
  multipliers?: boolean;
  /**
   * A test seam: the arithmetic of the box enclosures (default new DyadicArith(bits)). The mutation tests pass
   * one with a rounding dropped or an enclosure shrunk, to show that the certificate checker catches the
   * unsound proofs it then produces.
   */
  arith?: (bits: number) => DyadicArith;
}

/** The undecided box that came closest to failing, for the report. */
export interface WorstBox {
  /** Per variable [lo, hi] as exact rationals. */
  box: Record<string, [string, string]>;
  /** Its share of the region's volume. */
  volumeFraction: number;
  /** The first comparison it could not decide (a statement, or a premise). */
  comparison: string;
  /** The enclosure of rhs - lhs on the box (decimal, rounded outward), when the comparison was defined on it. */
  margin: [number, number] | null;
}

export type RegionResult =
  | { status: 'not-applicable'; reason: string }
  | { status: 'proved'; boxes: number; leaves: number; certificate: RegionCertificate; detail: string }
  | { status: 'vacuous'; boxes: number; certificate: RegionCertificate; detail: string }
  | { status: 'falsified'; boxes: number; statement: string; witness: Record<string, string>; detail: string }
  | { status: 'undecided'; boxes: number; undecidedFraction: number; undecidedBoxes: number; worst: WorstBox | null; detail: string };

/** The default box budget, as the ladder gives it when this module loads (the prover reads the row at each call). */
export const REGION_MAX_BOXES = regionStep().maxBoxes;
/**
 * Boxes evaluated before a search for a counterexample by float local search (check/witness-search.ts): a false
 * claim whose failures lie in a thin shell (next to a premise's boundary, where a constant is just past the
 * truth) is missed by the box centres, and a true claim decided in fewer boxes never pays for the search.
 */
const WITNESS_CHECKPOINT = 2000;
/** Boxes searched along their premises' boundaries at the checkpoint, and bisection steps per search. */
const BOUNDARY_BOXES = 64;
const BOUNDARY_STEPS = 40;
/** Points probed for non-vacuity once every box is decided (a count, like the box budget). */
const WITNESS_PROBES = 4096;

// ---- applicability ----------------------------------------------------------------------------

/** Every parameter bounded by hypotheses.params (the hyperparameters always have ranges). */
export function regionBounded(model: DerivedModel, lemma: CompiledLemma): boolean {
  return model.params.every((p) => lemma.paramDraws.some((d) => d.name === p));
}

/** The premises the identity prover reads: `where` relations without start values, and `when`. */
function premiseComparisons(lemma: CompiledLemma): CompiledComparison[] {
  return [...lemma.where.filter((w) => ![...w.uses].some((u) => u.endsWith('_0'))), ...lemma.when];
}

/**
 * The lemma with its parameter ranges as premises ("alpha >= 0.8", "alpha <= 1.1", "beta2 == 0.1"),
 * for the provers that read only premises (check/prove.ts): the same claim, stated over the region.
 */
export function withParamRanges(model: DerivedModel, lemma: CompiledLemma): CompiledLemma {
  if (lemma.paramDraws.length === 0) return lemma;
  const syms = new Set(model.params);
  const extra: CompiledComparison[] = [];
  const add = (text: string) => {
    const c = parseComparison(text, syms, `${lemma.file} [${lemma.id}]: hypotheses.params`);
    const unavailable = () => {
      throw new Error(`${text}: a range premise has no float kernel`);
    };
    extra.push({ text, latex: text, rel: c.rel, lhs: unavailable, rhs: unavailable, lhsExact: c.lhs, rhsExact: c.rhs, uses: new Set([...freeSymbols(c.lhs), ...freeSymbols(c.rhs)]), usesS: false });
  };
  for (const d of lemma.paramDraws) {
    if ('fixed' in d.draw) add(`${d.name} == ${numberText(d.draw.fixed)}`);
    else {
      add(`${d.name} >= ${numberText(d.draw.min)}`);
      add(`${d.name} <= ${numberText(d.draw.max)}`);
    }
  }
  return { ...lemma, when: [...lemma.when, ...extra] };
}

/** A double as expression text that parses back to the same decimal (String gives "1e-7", which mathjs reads). */
function numberText(x: number): string {
  return x < 0 ? `(${String(x)})` : String(x);
}

// ---- the trees --------------------------------------------------------------------------------

type Rel = CertRelation;

interface Comp {
  text: string;
  rel: Rel;
  lhs: MathNode;
  rhs: MathNode;
  /** The sharpness symbols it reads. */
  sharp: string[];
  /** Both sides over the box's symbols (vars, then S and S_next). */
  prog: DyadicProgram;
  /**
   * Built the first time the natural rung does not decide: d = rhs - lhs and its partial derivatives
   * with respect to the free variables, then S and S_next (over the box's symbols). `rigorous`: no
   * max/min (the derivatives are the true ones) and no S, so the centered rung may use them; otherwise
   * they only steer the choice of the variable to split. null: no derivatives.
   */
  deriv?: { d: DyadicProgram; grad: DyadicProgram; rigorous: boolean } | null;
  /** Built the first time the centered rung does not decide: rhs - lhs expanded and factored over Q (check/region-forms.ts); null: not a polynomial. */
  form?: FactoredForm | null;
  /** Built the first time natural evaluation does not decide a statement reading S: check/region-rayleigh.ts; null: not linear in S. */
  sharpForm?: SharpForm | null;
  /** Its index among the premises, or -1 for a statement (a statement's form may use the premises' signs). */
  premiseIndex: number;
}

const op = (o: string, fn: string, args: MathNode[]) => new OperatorNode(o as any, fn as any, args) as unknown as MathNode;
const num = (k: number) => new ConstantNode(k) as unknown as MathNode;

/** A statement's Rayleigh form as the certificate carries it. */
function sharpFormText(c: Comp): CertSharpForm | null {
  const f = c.sharpForm;
  if (!f) return null;
  return { coefficients: Object.fromEntries(f.coef.map(([s, q]) => [s, ratText(q)])), rest: exprText(polyTree(f.rest)), vector: f.vNames, poly: exprText(f.q.tree) };
}

/** A comparison's factored form as the certificate carries it. */
function formText(c: Comp): CertFactoredForm | null {
  if (!c.form) return null;
  return {
    unit: ratText(c.form.unit),
    factors: c.form.factors.map((f) => ({ poly: exprText(f.tree), power: f.power, ...(f.hint ? { premise: { index: f.hint.premise, scale: ratText(f.hint.scale), ...(f.hint.offset.isZero() ? {} : { offset: ratText(f.hint.offset) }) } } : {}) })),
  };
}

/** Expression text the certificate carries: fully parenthesized, constants as exact rationals. */
function exprText(tree: MathNode): string {
  const b: Backend<string> = {
    name: 'the certificate printer',
    constant: (v) => {
      const q = constantToRational(v);
      const small = (x: bigint) => (x < 0n ? -x : x) < 2n ** 53n;
      if (small(q.num) && small(q.den)) return q.den === 1n ? (q.num < 0n ? `(${q.num})` : `${q.num}`) : `(${q.num}/${q.den})`;
      return `(${String(v)})`;
    },
    symbol: (name) => name,
    neg: (a) => `(-${a})`,
    add: (a, c) => `(${a} + ${c})`,
    sub: (a, c) => `(${a} - ${c})`,
    mul: (a, c) => `(${a} * ${c})`,
    div: (a, c) => `(${a} / ${c})`,
    powi: (a, k) => `(${a} ^ (${k}))`,
    sqrt: (a) => `sqrt(${a})`,
    abs: (a) => `abs(${a})`,
    max: (a, c) => `max(${a}, ${c})`,
    min: (a, c) => `min(${a}, ${c})`,
  };
  return fold(tree, b);
}

// ---- boxes ------------------------------------------------------------------------------------

interface Var {
  name: string;
  lo: Rational;
  hi: Rational;
  fixed: boolean;
  /** hi - lo as a double (volume fractions). */
  width: number;
  /** The region's extent enclosed in dyadics (the fixed value's enclosure for a fixed variable). */
  enc: DyadicInterval;
}

interface Box {
  lo: Rational[];
  hi: Rational[];
}

function rangeOf(d: DrawSpec): [Rational, Rational] {
  if ('fixed' in d.draw) {
    const v = constantToRational(d.draw.fixed);
    return [v, v];
  }
  return [constantToRational(d.draw.min), constantToRational(d.draw.max)];
}

/** A dyadic strictly inside (lo, hi): the midpoint when it is dyadic, else the midpoint rounded down to a grid far finer than the width. */
function splitPoint(lo: Rational, hi: Rational): Rational {
  const m = lo.add(hi).div(Rational.fromInt(2));
  if ((m.den & (m.den - 1n)) === 0n) return m;
  const k = Math.ceil(-hi.sub(lo).log2Abs()) + 16;
  const scale = k >= 0 ? Rational.of(1n << BigInt(k)) : Rational.of(1n, 1n << BigInt(-k));
  const q = Rational.of(m.mul(scale).floor()).div(scale);
  return q.gt(lo) && q.lt(hi) ? q : m;
}

function ratText(q: Rational): string {
  return q.toString();
}

/** A dyadic rounded to `bits` significant bits (down or up), exactly as a Rational. */
function roundDyadic(x: Dyadic, bits: number, up: boolean): Dyadic {
  const A = new DyadicArith(Math.max(8, bits));
  const r = A.round(new DyadicInterval(x, x));
  if (r.lo === x) return x;
  return up ? r.hi : r.lo;
}

// ---- the prover -------------------------------------------------------------------------------

type Verdict = true | false | 'undefined' | 'undecided';

interface CompEval {
  verdict: Verdict;
  rung: CertRung;
  /** rhs - lhs on the box by the deciding rung (null: a term failed). */
  margin: DyadicInterval | null;
}

interface SharpBound {
  lo: Dyadic;
  hi: Dyadic;
  /** The Rayleigh vector (short dyadics). */
  v: Dyadic[];
}

interface Node {
  box: Box;
  split?: { v: number; at: Rational; lo: number; hi: number };
  leaf?: CertLeaf;
  undecided?: { comparison: string; margin: DyadicInterval | null; orientedLow: number };
}

/** What an enclosure of rhs - lhs says of the comparison: it holds at every point (true), at none (false), or neither. */
function decideMargin(rel: Rel, d: DyadicInterval): Verdict {
  const lo = d.lo.sign();
  const hi = d.hi.sign();
  switch (rel) {
    case '<':
      return lo > 0 ? true : hi <= 0 ? false : 'undecided';
    case '<=':
      return lo >= 0 ? true : hi < 0 ? false : 'undecided';
    case '>':
      return hi < 0 ? true : lo >= 0 ? false : 'undecided';
    case '>=':
      return hi <= 0 ? true : lo > 0 ? false : 'undecided';
    case '==':
      return lo === 0 && hi === 0 ? true : lo > 0 || hi < 0 ? false : 'undecided';
  }
}

/** The low end of the margin oriented so that positive means "holds" (for choosing the worst box). */
function orientedLow(rel: Rel, m: DyadicInterval | null): number {
  if (!m) return -Infinity;
  return rel === '>' || rel === '>=' ? -m.hi.toNumber() : m.lo.toNumber();
}

const ZERO_IN = DyadicInterval.point(Dyadic.ZERO);
/** The ladder of rungs, lowest first: a leaf's rung says how far up the checker must climb. */
const RUNGS: readonly CertRung[] = ['natural', 'centered', 'factored', 'rayleigh'];
const TWO = Rational.fromInt(2);

/** Everything the prover reads and evaluates for one lemma, or why the region prover does not apply (a sentence). */
function regionContext(model: DerivedModel, lemma: CompiledLemma, opts: RegionOptions) {
  const na = (reason: string) => reason;
  if (lemma.spec.assume && Object.keys(lemma.spec.assume).length > 0) return na('the lemma uses assume, which the region prover does not read');
  const unbounded = model.params.filter((p) => !lemma.paramDraws.some((d) => d.name === p));
  if (unbounded.length > 0) return na(`not a bounded region: ${unbounded.join(', ')} ${unbounded.length === 1 ? 'has' : 'have'} no range in hypotheses.params`);
  if (lemma.statements.some((s) => s.rel === '==')) return na('an equation is decided by expansion or Z3, not by enclosures on boxes');

  const row = regionStep();
  const bits = opts.bits ?? row.bits[0]!;
  const A = opts.arith ? opts.arith(bits) : new DyadicArith(bits);
  const maxBoxes = opts.maxBoxes ?? row.maxBoxes;
  const { certificateBits, vectorBits } = row;
  const useCentered = opts.centered ?? true;
  const useForms = opts.forms ?? true;

  // Variables: the parameters, then the hyperparameters, with their ranges as written.
  const draws = [...model.params.map((p) => lemma.paramDraws.find((d) => d.name === p)!), ...model.hypers.map((h) => lemma.hyperDraws.find((d) => d.name === h)!)];
  const vars: Var[] = draws.map((d) => {
    const [lo, hi] = rangeOf(d);
    return { name: d.name, lo, hi, fixed: lo.eq(hi), width: hi.sub(lo).toNumber(), enc: new DyadicInterval(A.fromRational(lo).lo, A.fromRational(hi).hi) };
  });
  const names = vars.map((v) => v.name);
  const free = vars.map((v, i) => (v.fixed ? -1 : i)).filter((i) => i >= 0);
  const freeNames = free.map((i) => names[i]!);
  const symbols = [...names, 'S', 'S_next'];

  // Sharpness symbols: S (Hessian at theta) and S_next (at one exact GD step from theta).
  const n = model.params.length;
  const upper: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) upper.push([i, j]);
  const toNext = new Map(model.params.map((p, i) => [p, model.step[i]!]));
  const sharpTrees: Record<string, MathNode[]> = {
    S: upper.map(([i, j]) => model.hessian[i]![j]!),
    S_next: upper.map(([i, j]) => substitute(model.hessian[i]![j]!, toNext)),
  };
  const known = new Set(symbols);
  const comps = (list: CompiledComparison[], premise: boolean): Comp[] | string => {
    const out: Comp[] = [];
    for (const c of list) {
      const uses = new Set([...freeSymbols(c.lhsExact), ...freeSymbols(c.rhsExact)]);
      const other = [...uses].filter((u) => !known.has(u));
      if (other.length > 0) return `"${c.text}" reads ${other.join(', ')}, which has no enclosure on a box`;
      const sharp = ['S', 'S_next'].filter((s) => uses.has(s));
      try {
        out.push({ text: c.text, rel: c.rel, lhs: c.lhsExact, rhs: c.rhsExact, sharp, prog: compileDyadic([c.lhsExact, c.rhsExact], symbols), premiseIndex: premise ? out.length : -1 });
      } catch (e) {
        if (e instanceof NotCertifiable) return `"${c.text}": ${e.message}`;
        throw e;
      }
    }
    return out;
  };
  const premises = comps(premiseComparisons(lemma), true);
  if (typeof premises === 'string') return na(premises);
  const statements = comps(lemma.statements, false);
  if (typeof statements === 'string') return na(statements);
  const usedSharp = ['S', 'S_next'].filter((s) => [...premises, ...statements].some((c) => c.sharp.includes(s)));
  const sharpProgs = new Map(usedSharp.map((s) => [s, compileDyadic(sharpTrees[s]!, names)]));
  /** Per sharpness symbol, the partial derivatives of the Hessian entries (entry-major, then free variable): only to steer splits. */
  const sharpGrads = new Map<string, DyadicProgram | null>();
  const sharpGrad = (s: string): DyadicProgram | null => {
    if (!sharpGrads.has(s)) {
      try {
        sharpGrads.set(s, compileDyadic(sharpTrees[s]!.flatMap((t) => partials(t, freeNames, true).map((x) => x ?? num(0))), names));
      } catch (e) {
        if (!(e instanceof NotCertifiable) && !(e instanceof UnsupportedOperation)) throw e;
        sharpGrads.set(s, null);
      }
    }
    return sharpGrads.get(s)!;
  };
  const derivOf = (c: Comp): NonNullable<Comp['deriv']> | null => {
    if (c.deriv === undefined) {
      const d = op('-', 'subtract', [c.rhs, c.lhs]);
      const wrt = [...freeNames, 'S', 'S_next'];
      const build = (lenient: boolean) => compileDyadic(partials(d, wrt, lenient).map((x) => x ?? num(0)), symbols);
      try {
        let grad: DyadicProgram;
        let rigorous = c.sharp.length === 0;
        try {
          grad = build(false);
        } catch (e) {
          if (!(e instanceof NotCertifiable)) throw e;
          grad = build(true);
          rigorous = false;
        }
        c.deriv = { d: compileDyadic([d], symbols), grad, rigorous };
      } catch (e) {
        if (!(e instanceof NotCertifiable) && !(e instanceof UnsupportedOperation)) throw e;
        c.deriv = null;
      }
    }
    return c.deriv;
  };

  const fixedValues = new Map(vars.filter((v) => v.fixed).map((v) => [v.name, v.lo] as const));
  const formOf = (c: Comp): FactoredForm | null => {
    if (c.form === undefined) {
      if (c.sharp.length > 0 || !useForms) c.form = null;
      else {
        // A statement's factors may be recognized as premises' differences (their signs then hold where those premises do).
        const hints = c.premiseIndex < 0 ? premises : [];
        c.form = factoredForm(c, names, fixedValues, freeNames, hints) ?? null;
      }
    }
    return c.form;
  };

  const sharpFormOf = (c: Comp): SharpForm | null => {
    if (c.sharpForm === undefined) {
      const trees = Object.fromEntries(c.sharp.map((s) => [s, sharpTrees[s]!]));
      c.sharpForm = useForms ? (sharpForm(c, names, fixedValues, freeNames, trees, n) ?? null) : null;
    }
    return c.sharpForm;
  };

  /**
   * The premises a Rayleigh bound may take as multiplier terms (check/region-rayleigh.ts PremiseTerm): those
   * without S, with d = rhs - lhs and its gradient compiled once; per direction of the bound, the sign its
   * multiplier must have.
   */
  let premiseTermCache: { term: Omit<PremiseTerm, 'cSign'>; rel: Rel }[] | undefined;
  const premiseTerms = (dir: 1 | -1): PremiseTerm[] => {
    if (opts.multipliers === false) return [];
    if (premiseTermCache === undefined) {
      premiseTermCache = [];
      premises.forEach((p, index) => {
        if (p.sharp.length > 0) return;
        try {
          const d = op('-', 'subtract', [p.rhs, p.lhs]);
          premiseTermCache!.push({ rel: p.rel, term: { index, value: compileDyadic([d], names), grad: compileDyadic(partials(d, freeNames).map((x) => x ?? num(0)), names) } });
        } catch (e) {
          if (!(e instanceof NotCertifiable) && !(e instanceof UnsupportedOperation)) throw e;
        }
      });
    }
    return premiseTermCache.map(({ term, rel }) => ({ ...term, cSign: rel === '==' ? 0 : ((rel === '<' || rel === '<=' ? 1 : -1) * dir) as 1 | -1 }));
  };

  const exact = exactPointTruth(model, lemma);

  // ---- evaluation on a box ----

  const enclose = (box: Box): DyadicInterval[] =>
    vars.map((v, i) => (v.fixed ? v.enc : new DyadicInterval(A.fromRational(box.lo[i]!).lo, A.fromRational(box.hi[i]!).hi)));

  /** Certified bounds of a sharpness symbol on the box, or null when they cannot be shown. */
  const sharpness = (s: string, X: DyadicInterval[]): SharpBound | null => {
    let up: DyadicInterval[];
    try {
      up = sharpProgs.get(s)!.run(X, A);
    } catch (e) {
      if (e instanceof CertainlyUndefined || e instanceof MaybeUndefined) return null;
      throw e;
    }
    const H: DyadicInterval[] = new Array(n * n);
    upper.forEach(([i, j], k) => (H[i * n + j] = H[j * n + i] = up[k]!));
    // The guess: the float top eigenvector of the midpoint matrix, scaled to max |v_i| = 1 and rounded to 2^-vectorBits.
    const M = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => H[i * n + j]!.mid(64).toNumber()));
    let cand: Dyadic[][] = [];
    if (M.every((r) => r.every(Number.isFinite))) {
      const { vector } = topEigenpair(M);
      const big = Math.max(...vector.map(Math.abs));
      if (big > 0 && Number.isFinite(big)) cand.push(vector.map((x) => dyadic(BigInt(Math.round((x / big) * 2 ** vectorBits)), -vectorBits)));
    }
    let diag = 0;
    for (let i = 1; i < n; i++) if (cmpDyadic(H[i * n + i]!.lo, H[diag * n + diag]!.lo) > 0) diag = i;
    cand.push(Array.from({ length: n }, (_, i) => (i === diag ? dyadic(1n) : Dyadic.ZERO)));
    cand = cand.filter((v) => v.some((x) => x.m !== 0n));
    let best: { lo: Dyadic; v: Dyadic[] } | undefined;
    for (const v of cand) {
      const q = rayleighInterval(H, n, v, A);
      if (q && (!best || cmpDyadic(q.lo, best.lo) > 0)) best = { lo: q.lo, v };
    }
    if (!best) return null;
    const lo = roundDyadic(best.lo, certificateBits, false);
    // Upper end: the first hi = lo + delta (delta growing from the enclosure's width) with hi I - H positive definite.
    let scale = Dyadic.ZERO;
    let radius = Dyadic.ZERO;
    for (const h of H) {
      if (cmpDyadic(h.mag(), scale) > 0) scale = h.mag();
      if (cmpDyadic(h.width(), radius) > 0) radius = h.width();
    }
    // delta doubles from an eighth of the entries' largest width (plus the precision's scale) until the test passes.
    let delta = addRounded(scale.m === 0n ? dyadic(1n, -bits) : new Dyadic(scale.m, scale.e - 60, scale.n), new Dyadic(radius.m, radius.e - 3, radius.n), 64, true);
    for (let k = 0; k < 24; k++) {
      const hi = roundDyadic(addRounded(lo, delta, bits, true), certificateBits, true);
      if (leadingMinorsPositive(H, n, hi, A)) return { lo, hi, v: best.v };
      delta = new Dyadic(delta.m, delta.e + 1, delta.n);
    }
    return null;
  };

  /** The enclosures a box (or a point) gives: its variables, and the sharpness bounds computed on demand. */
  class Site {
    readonly sb = new Map<string, SharpBound | null>();
    /** Each factor's enclosure and gradient on the box, run once for the comparisons and the split choice. */
    readonly factorRuns = new Map<PolyFactor, FactorRun>();
    private C: DyadicInterval[] | undefined;
    private ray: RayleighSite | undefined;
    constructor(
      readonly box: Box,
      readonly X: DyadicInterval[],
    ) {}
    /** What the Rayleigh rung reads of the box; its model (vector, upper models) is shared by the box's statements. */
    rayleigh(): RayleighSite {
      if (!this.ray) {
        const cache = new Map<string, DyadicInterval[] | null>();
        const entries = (s: string) => {
          if (!cache.has(s)) {
            try {
              cache.set(s, sharpProgs.get(s)!.run(this.X, A));
            } catch (e) {
              if (!(e instanceof CertainlyUndefined || e instanceof MaybeUndefined)) throw e;
              cache.set(s, null);
            }
          }
          return cache.get(s)!;
        };
        const ends = (i: number): [DyadicInterval, DyadicInterval] => [A.fromRational(this.box.lo[i]!), A.fromRational(this.box.hi[i]!)];
        this.ray = { X: this.X, C: this.centre(), freeIdx: free, entries, ends };
      }
      return this.ray!;
    }
    /** The Rayleigh model the box's statements used, if any. */
    model(): RayleighModel | null | undefined {
      return this.ray?.model;
    }
    /** S and S_next as the program's last two inputs (0 where the comparison does not read them); null: not enclosed. */
    sharpIn(c: Comp): DyadicInterval[] | null {
      const out: DyadicInterval[] = [];
      for (const s of ['S', 'S_next']) {
        if (!c.sharp.includes(s)) {
          out.push(ZERO_IN);
          continue;
        }
        if (!this.sb.has(s)) this.sb.set(s, sharpness(s, this.X));
        const b = this.sb.get(s);
        if (!b) return null;
        out.push(new DyadicInterval(b.lo, b.hi));
      }
      return out;
    }
    /** The box's exact centre, enclosed (a fixed variable: its value's enclosure, the same as in X). */
    centre(): DyadicInterval[] {
      return (this.C ??= vars.map((v, i) => (v.fixed ? v.enc : A.fromRational(this.box.lo[i]!.add(this.box.hi[i]!).div(TWO)))));
    }
  }

  /** The centered rung: d(c) + sum_j dd/dx_j(X) (X_j - c_j), or null where the derivatives fail on the box. */
  const centeredMargin = (c: Comp, site: Site): DyadicInterval | null => {
    const dv = derivOf(c);
    if (!dv || !dv.rigorous) return null;
    try {
      const grad = dv.grad.run([...site.X, ZERO_IN, ZERO_IN], A);
      const C = site.centre();
      let m = dv.d.run([...C, ZERO_IN, ZERO_IN], A)[0]!;
      free.forEach((i, k) => (m = A.add(m, A.mul(grad[k]!, A.sub(site.X[i]!, C[i]!)))));
      return m;
    } catch (e) {
      // A derivative term that fails on the box only means the mean-value form is not available here.
      if (e instanceof CertainlyUndefined || e instanceof MaybeUndefined) return null;
      throw e;
    }
  };

  /** One comparison on the box: the natural rung, then the centered one where it applies. */
  const evalComp = (c: Comp, site: Site): CompEval => {
    const sv = site.sharpIn(c);
    if (!sv) return { verdict: 'undecided', rung: 'natural', margin: null };
    let lr: DyadicInterval[];
    try {
      lr = c.prog.run([...site.X, ...sv], A);
    } catch (e) {
      if (e instanceof CertainlyUndefined) return { verdict: 'undefined', rung: 'natural', margin: null };
      if (e instanceof MaybeUndefined) return { verdict: 'undecided', rung: 'natural', margin: null };
      throw e;
    }
    let margin = A.sub(lr[1]!, lr[0]!);
    const nat = decideMargin(c.rel, margin);
    if (nat !== 'undecided') return { verdict: nat, rung: 'natural', margin };
    if (c.sharp.length > 0) {
      const sf = c.premiseIndex < 0 && free.length > 0 ? sharpFormOf(c) : null;
      if (sf && evalSharpForm(sf, site.rayleigh(), n, A, statements.indexOf(c), premiseTerms(sf.dir)).holds) return { verdict: true, rung: 'rayleigh', margin };
      return { verdict: nat, rung: 'natural', margin };
    }
    if (useCentered && free.length > 0) {
      const m = centeredMargin(c, site);
      if (m) {
        const cen = decideMargin(c.rel, m);
        if (cen !== 'undecided') return { verdict: cen, rung: 'centered', margin: m };
        margin = A.intersect(margin, m);
      }
    }
    const form = formOf(c);
    if (form) {
      const f = evalForm(form, site.X, site.centre(), free, A, c.premiseIndex < 0, site.factorRuns);
      const want = marginSigns(c.rel);
      if (f.margin) margin = A.intersect(margin, f.margin);
      // Where the premises' signs were used the statement is shown only where those premises hold: enough for a proved leaf, never a refutation.
      if ((f.signs & ~want) === 0) return { verdict: true, rung: 'factored', margin };
      if (!f.hinted && (f.signs & want) === 0) return { verdict: false, rung: 'factored', margin };
    }
    return { verdict: 'undecided', rung: 'natural', margin };
  };

  interface BoxEval {
    leaf?: CertLeaf;
    /** The undecided comparisons (statements first). */
    blocking: { c: Comp; e: CompEval }[];
  }

  const sharpText = (b: Map<string, SharpBound | null>): { sharpness?: Record<string, CertSharpnessBound> } => {
    const out: Record<string, CertSharpnessBound> = {};
    for (const s of ['S', 'S_next']) {
      const v = b.get(s);
      if (v) out[s] = { lo: ratText(v.lo.toRational()), hi: ratText(v.hi.toRational()), v: v.v.map((x) => ratText(x.toRational())) };
    }
    return Object.keys(out).length > 0 ? { sharpness: out } : {};
  };
  const rayleighText = (m: RayleighModel | null | undefined): { rayleigh?: CertRayleigh } => {
    if (!m) return {};
    const q = (x: Dyadic) => ratText(x.toRational());
    const upper: CertRayleigh['upper'] = {};
    for (const [s, u] of m.upper) if (u) upper[s] = { rho: q(u.rho), delta: q(u.delta), K: q(u.K), mu: q(u.mu) };
    const faces: NonNullable<CertRayleigh['faces']> = {};
    for (const [k, f] of m.faces) faces[String(k)] = f.map(([i, end]) => [names[i]!, end]);
    const multipliers: NonNullable<CertRayleigh['multipliers']> = {};
    for (const [k, x] of m.multipliers) multipliers[String(k)] = { premise: x.premise, c: q(x.c) };
    return { rayleigh: { v: m.v.map(q), upper, ...(m.faces.size > 0 ? { faces } : {}), ...(m.multipliers.size > 0 ? { multipliers } : {}) } };
  };
  const marginText = (m: DyadicInterval): [string, string] => [ratText(roundDyadic(m.lo, 24, false).toRational()), ratText(roundDyadic(m.hi, 24, true).toRational())];

  const evaluate = (site: Site): BoxEval => {
    const blocking: BoxEval['blocking'] = [];
    for (let k = 0; k < premises.length; k++) {
      const e = evalComp(premises[k]!, site);
      if (e.verdict === false || e.verdict === 'undefined') return { leaf: { premiseFalse: k, rung: e.rung, ...sharpText(site.sb) }, blocking: [] };
      if (e.verdict === 'undecided') blocking.push({ c: premises[k]!, e });
    }
    const ev = statements.map((s) => evalComp(s, site));
    const open = ev.map((e, k) => ({ c: statements[k]!, e })).filter((x) => x.e.verdict !== true && x.e.verdict !== 'undefined');
    if (open.length > 0) return { blocking: [...open, ...blocking] };
    // Every statement holds or is undefined on the whole box. The leaf names the highest rung any statement
    // needed; the checker climbs the ladder (natural, centered, factored) up to it for each statement.
    const rung = ev.reduce<CertRung>((r, e) => (e.verdict === true && RUNGS.indexOf(e.rung) > RUNGS.indexOf(r) ? e.rung : r), 'natural');
    const verdicts: CertStatementVerdict[] = ev.map((e) => (e.verdict === true ? 'holds' : 'undefined'));
    const bounds = ev.map((e) => (e.verdict === true && e.margin && e.rung !== 'rayleigh' ? marginText(e.margin) : null));
    return { leaf: { statements: verdicts, rung, bounds, ...sharpText(site.sb), ...(rung === 'rayleigh' ? rayleighText(site.model()) : {}) }, blocking: [] };
  };

  /**
   * The variable to split: each blocking comparison scores each free variable by its width times the
   * size of the margin's partial derivative on the box (S and S_next through v^T dH/dx_j v / v^T v with
   * the box's Rayleigh vector), normalized to sum 1; without derivatives, by its width relative to the
   * region. The scores of the blocking comparisons are added; the largest wins (the first on a tie).
   */
  const relWidth = (box: Box, i: number) => (vars[i]!.width > 0 ? box.hi[i]!.sub(box.lo[i]!).toNumber() / vars[i]!.width : 0);
  const chooseSplit = (site: Site, blocking: BoxEval['blocking']): number => {
    const total = free.map(() => 0);
    const widths = free.map((i) => site.box.hi[i]!.sub(site.box.lo[i]!).toNumber());
    const rel = free.map((i) => relWidth(site.box, i));
    const addNormalized = (s: number[]) => {
      const sum = s.reduce((a, b) => a + b, 0);
      if (!(sum > 0) || !Number.isFinite(sum)) return false;
      s.forEach((x, k) => (total[k]! += x / sum));
      return true;
    };
    // A statement certainly false on the box is not what splitting can settle: its premises are (they must
    // fail there). Otherwise every undecided comparison steers: a box straddling a premise's boundary is
    // settled as soon as the statement is decided on it, which may need splitting other variables than the
    // premise's (measured on c5's L_conv_next <= L_conv: with premises alone steering, boxes on the
    // boundary eta S = 2 were split in alpha and eta only, never in lambda2).
    const steer = blocking.filter((b) => b.e.verdict !== false);
    for (const { c } of steer) {
      const g = formGradientSizes(c, site) ?? rayleighSteer(c, site) ?? gradientSizes(c, site);
      if (!g || !addNormalized(g.map((x, k) => x * widths[k]!))) addNormalized(rel);
    }
    // A little of the relative width, so that a variable the derivatives ignore (but the enclosures do not) is split too.
    const relSum = rel.reduce((a, b) => a + b, 0);
    if (relSum > 0) rel.forEach((x, k) => (total[k]! += (steer.length > 0 ? 0.1 * steer.length : 1) * (x / relSum)));
    let best = 0;
    total.forEach((x, k) => {
      if (x > total[best]!) best = k;
    });
    return free[best]!;
  };

  /**
   * From the factored form: per free variable, the sum over the factors whose sign the box leaves open of
   * |d factor / d x_j| on the box relative to the factor's magnitude (so a factor of small value is not
   * outweighed by a large one whose sign is already known), as doubles; null without a form.
   */
  const formGradientSizes = (c: Comp, site: Site): number[] | null => {
    if (!c.form) return null;
    const out = free.map(() => 0);
    let any = false;
    for (const f of c.form.factors) {
      const x = encloseFactor(f, site.X, site.centre(), free, A, site.factorRuns);
      if (x && (x.lo.sign() > 0 || x.hi.sign() < 0)) continue;
      let g = site.factorRuns.get(f)?.g;
      if (!g) {
        try {
          g = f.grad.run(site.X, A);
        } catch (e) {
          if (e instanceof CertainlyUndefined || e instanceof MaybeUndefined) continue;
          throw e;
        }
      }
      g.forEach((d, k) => (out[k]! += d.mag().toNumber()));
      any = true;
    }
    return any && out.every(Number.isFinite) ? out : null;
  };

  /** From the Rayleigh rung's model of the box (check/region-rayleigh.ts), when the statement used it. */
  const rayleighSteer = (c: Comp, site: Site): number[] | null => {
    const m = site.model();
    if (!c.sharpForm || !m || !m.steer.some((x) => x > 0) || !m.steer.every(Number.isFinite)) return null;
    // The scores already include the widths: divide them out, chooseSplit multiplies by the widths again.
    return m.steer.map((x, k) => {
      const w = site.box.hi[free[k]!]!.sub(site.box.lo[free[k]!]!).toNumber();
      return w > 0 ? x / w : 0;
    });
  };

  /** |d margin / d x_j| on the box per free variable (upper ends, as doubles), or null when unavailable. */
  const gradientSizes = (c: Comp, site: Site): number[] | null => {
    const dv = derivOf(c);
    if (!dv) return null;
    const sv = site.sharpIn(c);
    if (!sv) return null;
    let g: DyadicInterval[];
    try {
      g = dv.grad.run([...site.X, ...sv], A);
    } catch (e) {
      if (e instanceof CertainlyUndefined || e instanceof MaybeUndefined) return null;
      throw e;
    }
    const out = free.map((_, k) => g[k]!.mag().toNumber());
    for (const [t, s] of (['S', 'S_next'] as const).entries()) {
      if (!c.sharp.includes(s)) continue;
      const dS = g[free.length + t]!.mag().toNumber();
      const b = site.sb.get(s);
      const prog = sharpGrad(s);
      if (!b || !prog) return null;
      let dH: DyadicInterval[];
      try {
        dH = prog.run(site.X, A);
      } catch (e) {
        if (e instanceof CertainlyUndefined || e instanceof MaybeUndefined) return null;
        throw e;
      }
      const v = b.v.map((x) => x.toNumber());
      const vv = v.reduce((a, x) => a + x * x, 0);
      free.forEach((_, k) => {
        let q = 0;
        // |v^T dH/dx_j v| / v^T v, bounded with the entries' magnitudes on the box (their overestimation included: it is what the enclosure of S suffers too).
        upper.forEach(([i, j], e) => (q += (i === j ? 1 : 2) * Math.abs(v[i]! * v[j]!) * dH[e * free.length + k]!.mag().toNumber()));
        out[k]! += dS * (q / vv);
      });
    }
    return out.every(Number.isFinite) ? out : null;
  };

  // ---- points: counterexamples and non-vacuity witnesses ----

  const witnessed = statements.map(() => false);
  const pointOf = (box: Box): Map<string, Rational> => new Map(vars.map((v, i) => [v.name, v.fixed ? v.lo : splitPoint(box.lo[i]!, box.hi[i]!)]));
  /**
   * The box's centre as an exact point: where the premises certainly hold there, a statement defined
   * there is a non-vacuity witness, and one certainly false there, confirmed by exact evaluation, is
   * a counterexample.
   */
  const probe = (box: Box): { statement: number; point: Map<string, Rational>; how?: string } | undefined => probePoint(pointOf(box));
  const pointSite = (pt: Map<string, Rational>) => new Site({ lo: names.map((k) => pt.get(k)!), hi: names.map((k) => pt.get(k)!) }, vars.map((v) => (v.fixed ? v.enc : A.fromRational(pt.get(v.name)!))));
  /** An exact point: a non-vacuity witness for the statements defined there, or a counterexample (confirmed exactly). */
  const probePoint = (pt: Map<string, Rational>): { statement: number; point: Map<string, Rational>; how?: string } | undefined => {
    const site = pointSite(pt);
    for (const c of premises) if (evalComp(c, site).verdict !== true) return undefined;
    for (let k = 0; k < statements.length; k++) {
      const v = evalComp(statements[k]!, site).verdict;
      if (v === true || v === false) witnessed[k] = true;
      if (v === false && exact.premises(pt) === true && exact.statement(k, pt) === false) return { statement: k, point: pt };
    }
    return undefined;
  };

  /**
   * A counterexample next to a premise's boundary, where a claim with a constant just past the truth fails in a
   * shell too thin for any box centre: from the box's centre (every premise true there), towards the corner
   * where premise j's margin is smallest (its gradient's signs at the centre), bisected on premise j's truth
   * BOUNDARY_STEPS times; the last point inside is probed. Exact dyadic points, so it is deterministic.
   */
  const boundarySearch = (box: Box): { statement: number; point: Map<string, Rational>; how?: string } | undefined => {
    const c = pointOf(box);
    const cs = pointSite(c);
    if (!premises.every((p) => evalComp(p, cs).verdict === true)) return undefined;
    const boxSite = new Site(box, enclose(box));
    for (const p of premises) {
      if (p.rel === '==' || evalComp(p, boxSite).verdict !== 'undecided') continue;
      const dv = derivOf(p);
      const sv = cs.sharpIn(p);
      if (!dv || !sv) continue;
      let g: DyadicInterval[];
      try {
        g = dv.grad.run([...cs.X, ...sv], A);
      } catch (e) {
        if (e instanceof CertainlyUndefined || e instanceof MaybeUndefined) continue;
        throw e;
      }
      // The premise holds where rhs - lhs > 0 ('<', '<=') or < 0: leave it by moving rhs - lhs the other way.
      const down = p.rel === '<' || p.rel === '<=';
      const q = new Map(c);
      free.forEach((i, k) => {
        const sg = g[k]!.lo.sign() > 0 ? 1 : g[k]!.hi.sign() < 0 ? -1 : 0;
        if (sg !== 0) q.set(names[i]!, (sg > 0) === down ? box.lo[i]! : box.hi[i]!);
      });
      if (evalComp(p, pointSite(q)).verdict !== false) continue;
      let lo = Rational.ZERO;
      let hi = Rational.fromInt(1);
      const at = (t: Rational) => new Map(names.map((k) => [k, c.get(k)!.add(q.get(k)!.sub(c.get(k)!).mul(t))]));
      for (let step = 0; step < BOUNDARY_STEPS; step++) {
        const mid = lo.add(hi).div(TWO);
        if (evalComp(p, pointSite(at(mid))).verdict === true) lo = mid;
        else hi = mid;
      }
      const cx = probePoint(at(lo));
      if (cx) return { ...cx, how: `a bisection towards the boundary of "${p.text}" from the centre of a box undecided after ${WITNESS_CHECKPOINT} boxes` };
    }
    return undefined;
  };

  /** The float witness search over the whole region, every candidate confirmed exactly. */
  const searchCounterexample = (): { statement: number; point: Map<string, Rational>; how?: string } | undefined => {
    const found = searchWitness({
      vars: names,
      ranges: vars.map((v) => ({ name: v.name, lo: v.lo, hi: v.hi })),
      premises: premises.map((c) => ({ lhs: c.lhs, rel: c.rel, rhs: c.rhs })),
      statements: statements.map((c) => ({ lhs: c.lhs, rel: c.rel, rhs: c.rhs })),
      grid: [],
      confirm: (pt) => {
        if (exact.premises(pt) !== true) return undefined;
        const k = statements.findIndex((_, i) => exact.statement(i, pt) === false);
        return k < 0 ? undefined : k;
      },
    });
    return found ? { statement: found.statement, point: found.point, how: `the float witness search after ${WITNESS_CHECKPOINT} boxes, ${found.how}` } : undefined;
  };

  return { A, bits, maxBoxes, useCentered, vars, names, free, n, premises, statements, usedSharp, sharpTrees, Site, enclose, evalComp, centeredMargin, sharpness, evaluate, chooseSplit, relWidth, probe, witnessed, searchCounterexample, boundarySearch };
}

export function proveRegion(model: DerivedModel, lemma: CompiledLemma, opts: RegionOptions = {}): RegionResult {
  const search = startRegion(model, lemma, opts);
  return 'run' in search ? (search.run() as RegionResult) : search;
}

/** Answered by RegionSearch.run(true) at the first box left undecided: the search can no longer prove or find vacuity. */
export const UNPROVABLE = 'unprovable';
/** Answered by RegionSearch.run(_, slice) after `slice` boxes: the search stopped there and a later run goes on. */
export const PAUSED = 'paused';

/** A region proof under way (startRegion): the branch and bound goes on from where it stopped. */
export interface RegionSearch {
  /**
   * Runs the search to its result. With `stopWhenUnprovable`, stops once at the first box left undecided (the budget
   * allows it no split) and answers UNPROVABLE: from there the result is UNDECIDED or FALSIFIED. A later run goes on.
   * With `slice`, answers PAUSED after that many boxes (so an async caller can yield to its event loop between
   * slices); the boxes and their order are the same however the search is sliced.
   */
  run(stopWhenUnprovable?: boolean, slice?: number): RegionResult | typeof UNPROVABLE | typeof PAUSED;
}

/** The region prover set up on a lemma, or not applicable (the reason). */
export function startRegion(model: DerivedModel, lemma: CompiledLemma, opts: RegionOptions = {}): RegionSearch | { status: 'not-applicable'; reason: string } {
  const ctx = regionContext(model, lemma, opts);
  if (typeof ctx === 'string') return { status: 'not-applicable', reason: ctx };
  const { bits, maxBoxes, vars, names, free, n, premises, statements, usedSharp, sharpTrees, Site, enclose, evaluate, chooseSplit, relWidth, probe, witnessed, searchCounterexample, boundarySearch } = ctx;

  // ---- branch and bound ----

  const nodes: Node[] = [{ box: { lo: vars.map((v) => v.lo), hi: vars.map((v) => v.hi) } }];
  const queue: number[] = [0];
  let head = 0;
  let evaluated = 0;
  let stopped = false;
  const run = (stopWhenUnprovable = false, slice = Infinity): RegionResult | typeof UNPROVABLE | typeof PAUSED => {
    let inSlice = 0;
    while (head < queue.length) {
      if (inSlice++ >= slice) return PAUSED;
      const id = queue[head++]!;
      const node = nodes[id]!;
      evaluated++;
      const site = new Site(node.box, enclose(node.box));
      const ev = evaluate(site);
      if (ev.leaf) {
        node.leaf = ev.leaf;
        continue;
      }
      let cx = probe(node.box);
      if (!cx && evaluated === WITNESS_CHECKPOINT) {
        // The queued boxes, evenly spaced (at most BOUNDARY_BOXES), each searched along its premises' boundaries.
        const open = queue.slice(head);
        const stride = Math.max(1, Math.floor(open.length / BOUNDARY_BOXES));
        for (let k = 0; k < open.length && !cx; k += stride) cx = boundarySearch(nodes[open[k]!]!.box);
        cx ??= searchCounterexample();
      }
      if (cx) {
        const witness = Object.fromEntries([...cx.point].map(([k, v]) => [k, ratText(v)]));
        return {
          status: 'falsified',
          boxes: evaluated,
          statement: statements[cx.statement]!.text,
          witness,
          detail: `the region prover found an exact point inside the region where the premises hold and the statement fails (${cx.how ?? `the centre of box ${evaluated}`}; confirmed by exact evaluation)`,
        };
      }
      const first = ev.blocking[0];
      // Split only while every box already queued can still be evaluated within the budget.
      if (free.length === 0 || evaluated + (queue.length - head) + 2 > maxBoxes) {
        node.undecided = { comparison: first ? first.c.text : '(none)', margin: first?.e.margin ?? null, orientedLow: first ? orientedLow(first.c.rel, first.e.margin) : -Infinity };
        if (stopWhenUnprovable && !stopped) {
          stopped = true;
          return UNPROVABLE;
        }
        continue;
      }
      const v = chooseSplit(site, ev.blocking);
      const at = splitPoint(node.box.lo[v]!, node.box.hi[v]!);
      const loBox: Box = { lo: [...node.box.lo], hi: node.box.hi.map((x, i) => (i === v ? at : x)) };
      const hiBox: Box = { lo: node.box.lo.map((x, i) => (i === v ? at : x)), hi: [...node.box.hi] };
      node.split = { v, at, lo: nodes.length, hi: nodes.length + 1 };
      nodes.push({ box: loBox }, { box: hiBox });
      queue.push(node.split.lo, node.split.hi);
    }
    return finish();
  };

  const finish = (): RegionResult => {
    const leaves = nodes.filter((x) => x.leaf);
    const undecided = nodes.filter((x) => x.undecided);
    const volume = (box: Box) => free.reduce((p, i) => p * relWidth(box, i), 1);

    const certificate = (): RegionCertificate => {
      const cmp = (c: Comp): CertComparison => ({ text: c.text, rel: c.rel, lhs: exprText(c.lhs), rhs: exprText(c.rhs) });
      const tree = (id: number): CertNode => {
        const x = nodes[id]!;
        if (x.split) return { split: x.split.v, at: ratText(x.split.at), lo: tree(x.split.lo), hi: tree(x.split.hi) };
        return x.leaf!;
      };
      return {
        format: 'eos-check-region/1',
        vars: names,
        region: vars.map((v) => [ratText(v.lo), ratText(v.hi)]),
        premises: premises.map(cmp),
        statements: statements.map(cmp),
        sharpness: Object.fromEntries(usedSharp.map((s) => [s, { n, entries: sharpTrees[s]!.map(exprText) }])),
        ...([...premises, ...statements].some((c) => c.form) ? { forms: { premises: premises.map(formText), statements: statements.map(formText) } } : {}),
        ...(statements.some((c) => c.sharpForm) ? { sharpForms: statements.map(sharpFormText) } : {}),
        tree: tree(0),
        boxes: leaves.length,
      };
    };

    if (undecided.length === 0) {
      if (leaves.every((x) => 'premiseFalse' in x.leaf!))
        return { status: 'vacuous', boxes: evaluated, certificate: certificate(), detail: `no point of the region satisfies the premises: one is certainly false (or undefined) on each of the ${leaves.length} boxes that cover it (region prover, ${evaluated} boxes evaluated)` };
      // Non-vacuity: a point where the premises hold and each statement is defined, at the centres of the proved
      // leaves, then at the centres of their halves, quarters, ... (a leaf decided wide, e.g. by a premise's sign,
      // may have its centre outside the premises), breadth first, at most WITNESS_PROBES points.
      const pending: Box[] = leaves.filter((x) => !('premiseFalse' in x.leaf!)).map((x) => x.box);
      for (let probes = 0, head = 0; head < pending.length && probes < WITNESS_PROBES && !witnessed.every(Boolean); probes++) {
        const box = pending[head++]!;
        const cx = probe(box);
        if (cx) throw new Error(`region prover: "${statements[cx.statement]!.text}" fails at the centre of a box where it was proved to hold`);
        if (free.length === 0) continue;
        let v = free[0]!;
        for (const i of free) if (relWidth(box, i) > relWidth(box, v)) v = i;
        const at = splitPoint(box.lo[v]!, box.hi[v]!);
        pending.push({ lo: [...box.lo], hi: box.hi.map((x, i) => (i === v ? at : x)) }, { lo: box.lo.map((x, i) => (i === v ? at : x)), hi: [...box.hi] });
      }
      const missing = statements.filter((_, k) => !witnessed[k]);
      if (missing.length > 0)
        return {
          status: 'undecided',
          boxes: evaluated,
          undecidedFraction: 0,
          undecidedBoxes: 0,
          worst: null,
          detail: `region prover: every box is decided, but no box centre is a point where the premises hold and "${missing[0]!.text}" is defined (the claim may be vacuous)`,
        };
      return {
        status: 'proved',
        boxes: evaluated,
        leaves: leaves.length,
        certificate: certificate(),
        detail: `region prover: on each of the ${leaves.length} boxes covering the region every statement holds (or is undefined there), or a premise is false (${evaluated} boxes evaluated, dyadic enclosures at ${bits} bits); non-vacuous`,
      };
    }

    if (process.env.REGION_DEBUG) {
      const by = new Map<string, { n: number; vol: number; w: number[] }>();
      for (const x of undecided) {
        const k = x.undecided!.comparison;
        const e = by.get(k) ?? { n: 0, vol: 0, w: free.map(() => 0) };
        e.n++;
        e.vol += volume(x.box);
        free.forEach((i, j) => (e.w[j]! += relWidth(x.box, i)));
        by.set(k, e);
      }
      for (const [k, e] of by) console.error('DEBUG', k, e.n, e.vol.toExponential(3), e.w.map((w) => (w / e.n).toExponential(2)).join(' '));
      const pb = new Map<string, number>();
      const centres = free.map(() => 0);
      let tv = 0;
      for (const x of undecided) {
        const ev = evaluate(new Site(x.box, enclose(x.box)));
        const key = ev.blocking.map((b) => b.c.text.slice(0, 20)).join(' | ');
        pb.set(key, (pb.get(key) ?? 0) + volume(x.box));
        free.forEach((i, j) => (centres[j]! += volume(x.box) * (x.box.lo[i]!.toNumber() + x.box.hi[i]!.toNumber()) / 2));
        tv += volume(x.box);
      }
      for (const [k, v] of pb) console.error('DEBUG blocking', k, v.toExponential(3));
      for (const x of [...undecided].sort((a, b) => volume(b.box) - volume(a.box)).slice(0, 3)) console.error('DEBUG box', JSON.stringify(Object.fromEntries(free.map((i) => [names[i], [x.box.lo[i]!.toNumber(), x.box.hi[i]!.toNumber()]]))));
      console.error('DEBUG volume-weighted centre', centres.map((c) => (c / tv).toPrecision(3)).join(' '));
    }
    // Undecided: the volume left, and the box that came closest to failing.
    // (Summed in doubles: clamped to 1, which rounding can pass by an ulp.)
    const fraction = Math.min(1, undecided.reduce((s, x) => s + volume(x.box), 0));
    let worst: Node | undefined;
    for (const x of undecided) {
      const k = x.undecided!.orientedLow;
      const w = worst?.undecided!.orientedLow ?? Infinity;
      if (worst === undefined || k < w || (k === w && volume(x.box) > volume(worst.box))) worst = x;
    }
    const wb: WorstBox | null = worst
      ? {
          box: Object.fromEntries(vars.map((v, i) => [v.name, [ratText(worst!.box.lo[i]!), ratText(worst!.box.hi[i]!)]])),
          volumeFraction: volume(worst.box),
          comparison: worst.undecided!.comparison,
          margin: worst.undecided!.margin ? [worst.undecided!.margin.lo.toNumber(), worst.undecided!.margin.hi.toNumber()] : null,
        }
      : null;
    return {
      status: 'undecided',
      boxes: evaluated,
      undecidedFraction: fraction,
      undecidedBoxes: undecided.length,
      worst: wb,
      detail: `region prover: ${undecided.length} of ${leaves.length + undecided.length} boxes undecided after ${evaluated} boxes (budget ${maxBoxes}): ${fractionText(fraction)} of the region's volume${wb ? `; worst box ${boxText(wb)}` : ''}`,
    };
  };
  return { run };
}

/** What the prover's rungs give for one comparison on a box (exact rationals: the dyadic ends). */
export interface ComparisonEnclosure {
  /** rhs - lhs by natural evaluation, or why there is none. */
  natural: [Rational, Rational] | 'undefined' | 'maybe-undefined' | 'no-sharpness';
  /** rhs - lhs by the centered form (null: not available for this comparison or box). */
  centered: [Rational, Rational] | null;
}

/**
 * The enclosures the region prover computes on one box (variables by name, [lo, hi] exact; a fixed
 * hyperparameter takes its value whatever is given): per premise and statement, rhs - lhs by each rung,
 * and each sharpness symbol's certified bounds. For tests and diagnosis; a string says why the region
 * prover does not apply to the lemma.
 */
export function encloseOnBox(model: DerivedModel, lemma: CompiledLemma, box: Record<string, [Rational, Rational]>, opts: RegionOptions = {}): { premises: ComparisonEnclosure[]; statements: ComparisonEnclosure[]; sharpness: Record<string, { lo: Rational; hi: Rational; v: Rational[] } | null> } | string {
  const ctx = regionContext(model, lemma, opts);
  if (typeof ctx === 'string') return ctx;
  const b: Box = { lo: ctx.names.map((k) => box[k]![0]), hi: ctx.names.map((k) => box[k]![1]) };
  const site = new ctx.Site(b, ctx.enclose(b));
  const q = (x: DyadicInterval): [Rational, Rational] => [x.lo.toRational(), x.hi.toRational()];
  const one = (c: Comp): ComparisonEnclosure => {
    const sv = site.sharpIn(c);
    let natural: ComparisonEnclosure['natural'];
    if (!sv) natural = 'no-sharpness';
    else {
      try {
        const [l, r] = c.prog.run([...site.X, ...sv], ctx.A);
        natural = q(ctx.A.sub(r!, l!));
      } catch (e) {
        if (e instanceof CertainlyUndefined) natural = 'undefined';
        else if (e instanceof MaybeUndefined) natural = 'maybe-undefined';
        else throw e;
      }
    }
    const m = c.sharp.length === 0 && ctx.free.length > 0 ? ctx.centeredMargin(c, site) : null;
    return { natural, centered: m ? q(m) : null };
  };
  const sharpness: Record<string, { lo: Rational; hi: Rational; v: Rational[] } | null> = {};
  for (const s of ctx.usedSharp) {
    const x = ctx.sharpness(s, site.X);
    sharpness[s] = x ? { lo: x.lo.toRational(), hi: x.hi.toRational(), v: x.v.map((d) => d.toRational()) } : null;
  }
  return { premises: ctx.premises.map(one), statements: ctx.statements.map(one), sharpness };
}

function fractionText(f: number): string {
  return f >= 0.01 ? `${(100 * f).toPrecision(3)}%` : `${(100 * f).toExponential(2)}%`;
}

function boxText(w: WorstBox): string {
  const r = Object.entries(w.box)
    .map(([k, [lo, hi]]) => {
      const a = Rational.fromDecimalString(lo).toNumber();
      const b = Rational.fromDecimalString(hi).toNumber();
      return a === b && lo === hi ? `${k} = ${a.toPrecision(6)}` : `${k} in [${a.toPrecision(6)}, ${b.toPrecision(6)}]`;
    })
    .join(', ');
  const m = w.margin ? `, rhs - lhs in [${w.margin[0].toPrecision(3)}, ${w.margin[1].toPrecision(3)}]` : '';
  return `${r} (${fractionText(w.volumeFraction)} of the volume; "${w.comparison}" undecided${m})`;
}

/**
 * hi I - H positive definite for every member of the interval matrix H: Sylvester's criterion written once
 * (numeric/eigen-enclosure.ts), the Laplace expansion along the first row that lemma/compile.ts's
 * shiftedMinor states and the certificate checker re-checks.
 */
export function leadingMinorsPositive(H: readonly DyadicInterval[], n: number, hi: Dyadic, A: DyadicArith): boolean {
  return leadingMinorsPositiveShift(A, H, n, DyadicInterval.point(hi));
}

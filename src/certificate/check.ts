/**
 * The independent re-checker of region-proof certificates (format src/check/region-certificate.ts,
 * "eos-check-region/1"). It reads the certificate as untrusted JSON and establishes, with rational interval
 * arithmetic of its own (rational.ts, evaluate.ts: exact, long non-dyadic ends rounded outward), that
 *  - the tree's leaves cover the region: every split point is an exact rational strictly inside its
 *    box's range for that variable, the children are [lo, at] and [at, hi], and the leaves number `boxes`;
 *  - at every leaf, each sharpness bound {lo, hi, v} holds on the whole box: the Rayleigh quotient of v is
 *    >= lo for every matrix of the box's entry enclosures, and hi I - H is positive definite for every such
 *    matrix (every leading principal minor's enclosure > 0); then S is [lo, hi] in the trees;
 *  - at a `premiseFalse` leaf, the premise is false or undefined at every point of the box;
 *  - at a `statements` leaf, each statement holds at every point of the box ('holds': certainly defined
 *    and the comparison certain), or is undefined at every point ('undefined'); by the 'factored' rung
 *    (polynomial forms confirmed once by expansion, poly.ts) or the 'rayleigh' rung (rayleigh.ts) a statement
 *    may use the premises' signs, and is then shown wherever the premises hold, which is what a leaf claims.
 * Shares with the prover only the mathjs parser (expr.ts).
 */
import { CertExprError, parseExpr, symbolsOf, type Expr } from './expr.js';
import { CannotEvaluate, centered, evaluate, fmt, iadd, iintersect, iscale, isub, iv, NotDifferentiable, point, type Env, type I } from './evaluate.js';
import { Q } from './rational.js';
import { expand, NotPolynomial, P } from './poly.js';
import { entryEnclosures, evalMinor, upper, type Sharpness } from './matrix.js';
import { checkRayleigh, parseSharpForms, type SharpForm } from './rayleigh.js';

export const FORMAT = 'eos-check-region/1';

/** Largest matrix size accepted for a sharpness symbol (Leibniz expansion: n! terms). */
export const MAX_MATRIX = 8;

export interface LeafFailure {
  /** The leaf's path from the root: "lo.hi.lo" ("root" for a one-leaf tree; "certificate" for a problem of the whole). */
  path: string;
  message: string;
}

export interface CertificateResult {
  ok: boolean;
  /** Leaves visited (all of them unless the certificate is malformed). */
  leaves: number;
  failures: LeafFailure[];
}

type Rel = '<' | '<=' | '>' | '>=' | '==';
const RELS = new Set<string>(['<', '<=', '>', '>=', '==']);

interface Comparison {
  text: string;
  rel: Rel;
  lhs: Expr;
  rhs: Expr;
  /** rhs - lhs as one tree. */
  diff: Expr;
  symbols: Set<string>;
}


/** A factored form (region-certificate.ts CertFactoredForm), its identity already confirmed. */
interface Form {
  unit: Q;
  factors: { poly: Expr; power: number; premise?: { index: number; scale: Q; offset: Q } }[];
}

interface Parsed {
  vars: string[];
  region: I[];
  premises: Comparison[];
  statements: Comparison[];
  /** Per premise and per statement, its confirmed factored form or null. */
  premiseForms: (Form | null)[];
  statementForms: (Form | null)[];
  /** Per statement, its confirmed Rayleigh form or null. */
  sharpForms: (SharpForm | null)[];
  sharpness: Map<string, Sharpness>;
  boxes: number;
  tree: unknown;
}

class Malformed extends Error {}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function ratio(x: unknown, where: string): Q {
  const q = Q.parseRatio(x);
  if (q === undefined) throw new Malformed(`${where}: expected an exact rational "p/q" or "p", got ${JSON.stringify(x)}`);
  return q;
}

function expr(x: unknown, where: string): Expr {
  try {
    return parseExpr(x);
  } catch (e) {
    if (e instanceof CertExprError) throw new Malformed(`${where}: ${e.message}`);
    throw e;
  }
}

function comparison(x: unknown, where: string, known: ReadonlySet<string>): Comparison {
  if (!isObject(x)) throw new Malformed(`${where}: expected {text, rel, lhs, rhs}`);
  if (typeof x.rel !== 'string' || !RELS.has(x.rel)) throw new Malformed(`${where}: rel must be one of < <= > >= ==, got ${JSON.stringify(x.rel)}`);
  const lhs = expr(x.lhs, `${where}.lhs`);
  const rhs = expr(x.rhs, `${where}.rhs`);
  const symbols = symbolsOf(rhs, symbolsOf(lhs));
  for (const s of symbols) if (!known.has(s)) throw new Malformed(`${where}: unknown symbol "${s}" (neither a variable nor a sharpness symbol of the certificate)`);
  return { text: typeof x.text === 'string' ? x.text : `${x.lhs} ${x.rel} ${x.rhs}`, rel: x.rel as Rel, lhs, rhs, diff: { k: 'sub', a: rhs, b: lhs }, symbols };
}

function parseCertificate(c: unknown): Parsed {
  if (!isObject(c)) throw new Malformed('not an object');
  if (c.format !== FORMAT) throw new Malformed(`format is ${JSON.stringify(c.format)}, expected "${FORMAT}"`);
  if (!Array.isArray(c.vars) || !c.vars.every((v) => typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v))) throw new Malformed('vars: expected an array of symbol names');
  const vars = c.vars as string[];
  if (new Set(vars).size !== vars.length) throw new Malformed('vars: a variable is listed twice');
  if (!Array.isArray(c.region) || c.region.length !== vars.length) throw new Malformed(`region: expected one [lo, hi] per variable (${vars.length})`);
  const region = c.region.map((r, i) => {
    if (!Array.isArray(r) || r.length !== 2) throw new Malformed(`region[${i}] (${vars[i]}): expected [lo, hi]`);
    const lo = ratio(r[0], `region[${i}] (${vars[i]}) lo`);
    const hi = ratio(r[1], `region[${i}] (${vars[i]}) hi`);
    if (hi.lt(lo)) throw new Malformed(`region[${i}] (${vars[i]}): lo ${lo} > hi ${hi}`);
    return iv(lo, hi);
  });
  if (!isObject(c.sharpness)) throw new Malformed('sharpness: expected an object (possibly empty)');
  const sharpness = new Map<string, Sharpness>();
  const varSet = new Set(vars);
  for (const [name, s] of Object.entries(c.sharpness)) {
    if (varSet.has(name)) throw new Malformed(`sharpness: "${name}" is also a variable`);
    if (!isObject(s) || !Number.isInteger(s.n) || (s.n as number) < 1 || (s.n as number) > MAX_MATRIX) throw new Malformed(`sharpness.${name}: expected {n: 1..${MAX_MATRIX}, entries}`);
    const n = s.n as number;
    if (!Array.isArray(s.entries) || s.entries.length !== (n * (n + 1)) / 2) throw new Malformed(`sharpness.${name}: expected ${(n * (n + 1)) / 2} entries (the upper triangle of ${n}x${n}), got ${Array.isArray(s.entries) ? s.entries.length : 'none'}`);
    const entries = s.entries.map((t, i) => expr(t, `sharpness.${name}.entries[${i}]`));
    for (const e of entries) for (const sym of symbolsOf(e)) if (!varSet.has(sym)) throw new Malformed(`sharpness.${name}: an entry reads "${sym}", not a variable`);
    sharpness.set(name, { n, entries });
  }
  const known = new Set([...vars, ...sharpness.keys()]);
  if (!Array.isArray(c.premises)) throw new Malformed('premises: expected an array');
  if (!Array.isArray(c.statements) || c.statements.length === 0) throw new Malformed('statements: expected a nonempty array');
  const premises = c.premises.map((p, i) => comparison(p, `premises[${i}]`, known));
  const statements = c.statements.map((p, i) => comparison(p, `statements[${i}]`, known));
  if (!Number.isSafeInteger(c.boxes) || (c.boxes as number) < 1) throw new Malformed(`boxes: expected a positive integer, got ${JSON.stringify(c.boxes)}`);
  let premiseForms: (Form | null)[] = premises.map(() => null);
  let statementForms: (Form | null)[] = statements.map(() => null);
  const fixedVals = new Map<string, Q>();
  vars.forEach((v, i) => {
    if (region[i]!.lo.eq(region[i]!.hi)) fixedVals.set(v, region[i]!.lo);
  });
  const sharpForms = parseSharpForms(c.sharpForms, statements, vars, fixedVals, sharpness, { expr, ratio });
  if (typeof sharpForms === 'string') throw new Malformed(sharpForms);
  if (c.forms !== undefined) {
    if (!isObject(c.forms) || !Array.isArray(c.forms.premises) || !Array.isArray(c.forms.statements) || c.forms.premises.length !== premises.length || c.forms.statements.length !== statements.length)
      throw new Malformed(`forms: expected {premises, statements} with one entry (a form or null) per premise (${premises.length}) and per statement (${statements.length})`);
    const fixed = new Map<string, Q>();
    vars.forEach((v, i) => {
      if (region[i]!.lo.eq(region[i]!.hi)) fixed.set(v, region[i]!.lo);
    });
    const free = vars.filter((v) => !fixed.has(v));
    premiseForms = c.forms.premises.map((f, i) => form(f, `forms.premises[${i}]`, premises[i]!, free, fixed, []));
    statementForms = c.forms.statements.map((f, i) => form(f, `forms.statements[${i}]`, statements[i]!, free, fixed, premises));
  }
  return { vars, region, premises, statements, premiseForms, statementForms, sharpForms, sharpness, boxes: c.boxes as number, tree: c.tree };
}

/**
 * A factored form, confirmed by expansion: unit * prod poly^power equals rhs - lhs of the comparison, and
 * each factor tied to a premise is that premise's rhs - lhs divided by its scale, as polynomials over the
 * free variables (the fixed ones at their values). Premise ties are allowed on statements' forms only.
 */
function form(x: unknown, where: string, c: Comparison, free: readonly string[], fixed: ReadonlyMap<string, Q>, premises: readonly Comparison[]): Form | null {
  if (x === null) return null;
  if (!isObject(x) || !Array.isArray(x.factors)) throw new Malformed(`${where}: expected {unit, factors} or null`);
  const unit = ratio(x.unit, `${where}.unit`);
  const freeSet = new Set(free);
  const factors = x.factors.map((f, i) => {
    const w = `${where}.factors[${i}]`;
    if (!isObject(f) || !Number.isInteger(f.power) || (f.power as number) < 1 || (f.power as number) > 64) throw new Malformed(`${w}: expected {poly, power: 1..64, premise?}`);
    const poly = expr(f.poly, `${w}.poly`);
    for (const s of symbolsOf(poly)) if (!freeSet.has(s)) throw new Malformed(`${w}: the factor reads "${s}", not a free variable`);
    let premise: { index: number; scale: Q; offset: Q } | undefined;
    if (f.premise !== undefined) {
      if (!isObject(f.premise) || !Number.isInteger(f.premise.index) || (f.premise.index as number) < 0 || (f.premise.index as number) >= premises.length)
        throw new Malformed(`${w}.premise: expected {index, scale} naming one of the ${premises.length} premise(s) (a premise's own form cannot use premises)`);
      const scale = ratio(f.premise.scale, `${w}.premise.scale`);
      if (scale.isZero()) throw new Malformed(`${w}.premise.scale: must not be 0`);
      const offset = f.premise.offset === undefined ? Q.ZERO : ratio(f.premise.offset, `${w}.premise.offset`);
      premise = { index: f.premise.index as number, scale, offset };
    }
    return { poly, power: f.power as number, ...(premise ? { premise } : {}) };
  });
  try {
    const expanded = factors.map((f) => expand(f.poly, free, fixed));
    let prod = P.constant(free, unit);
    expanded.forEach((p, i) => (prod = prod.mul(p.pow(factors[i]!.power))));
    if (!prod.equals(expand(c.diff, free, fixed))) throw new Malformed(`${where}: unit * prod factor^power is not rhs - lhs of "${c.text}" (expanded, the fixed variables at their values)`);
    factors.forEach((f, i) => {
      if (!f.premise) return;
      const p = premises[f.premise.index]!;
      const tied = expanded[i]!.pow(f.power).scale(f.premise.scale).add(P.constant(free, f.premise.offset));
      if (!tied.equals(expand(p.diff, free, fixed))) throw new Malformed(`${where}.factors[${i}]: rhs - lhs of premise ${f.premise.index} "${p.text}" is not ${f.premise.scale} * factor^${f.power} + ${f.premise.offset}`);
    });
  } catch (e) {
    if (e instanceof NotPolynomial) throw new Malformed(`${where}: ${e.message}`);
    throw e;
  }
  return { unit, factors };
}

// ---------------------------------------------------------------- sharpness

/** Checks one bound against entry enclosures; a failure message, or undefined when it holds. */
function checkBound(s: Sharpness, h: I[], lo: Q, hi: Q, v: Q[]): string | undefined {
  const n = s.n;
  // v^T H v = sum_i v_i^2 H_ii + 2 sum_{i<j} v_i v_j H_ij: linear in the entries, so this is the exact range.
  let q = point(Q.ZERO);
  let vv = Q.ZERO;
  for (let i = 0; i < n; i++) {
    vv = vv.add(v[i]!.mul(v[i]!));
    for (let j = i; j < n; j++) q = iadd(q, iscale(v[i]!.mul(v[j]!).mul(Q.int(i === j ? 1 : 2)), h[upper(n, i, j)]!));
  }
  const rayleighLo = q.lo.div(vv);
  if (rayleighLo.lt(lo)) return `Rayleigh quotient of v is only >= ${rayleighLo.approx()} on the box, below lo = ${lo.approx()}`;
  // hi I - H: diagonal hi - H_ii, off-diagonal -H_ij.
  const m = h.map((x, idx) => {
    const diag = [...Array(n).keys()].some((i) => upper(n, i, i) === idx);
    return diag ? isub(point(hi), x) : iscale(Q.int(-1), x);
  });
  for (let k = 1; k <= n; k++) {
    const d = evalMinor(n, k, m);
    if (d.lo.sign() <= 0) return `hi I - H is not shown positive definite for hi = ${hi.approx()}: leading minor ${k} in ${fmt(d)}`;
  }
  return undefined;
}

/** Checks the leaf's bound on one sharpness symbol; a failure message, or undefined when it holds. */
function checkSharpness(name: string, s: Sharpness, bound: unknown, env: Env): { lo: Q; hi: Q } | string {
  if (!isObject(bound)) return `sharpness.${name}: expected {lo, hi, v}`;
  const lo = Q.parseRatio(bound.lo);
  const hi = Q.parseRatio(bound.hi);
  if (lo === undefined || hi === undefined) return `sharpness.${name}: lo and hi must be exact rationals "p/q"`;
  if (!Array.isArray(bound.v) || bound.v.length !== s.n) return `sharpness.${name}: v must have ${s.n} exact rational components`;
  const v = bound.v.map((x) => Q.parseRatio(x));
  if (v.some((x) => x === undefined)) return `sharpness.${name}: v must have ${s.n} exact rational components`;
  if (v.every((x) => x!.isZero())) return `sharpness.${name}: v is the zero vector`;
  let h = entryEnclosures(s, env, false);
  if (typeof h === 'string') return `sharpness.${name}: ${h}`;
  let problem = checkBound(s, h, lo, hi, v as Q[]);
  if (problem !== undefined) {
    // Tighter entries: the natural enclosure intersected with the centered form.
    h = entryEnclosures(s, env, true);
    if (typeof h === 'string') return `sharpness.${name}: ${h}`;
    problem = checkBound(s, h, lo, hi, v as Q[]);
  }
  return problem === undefined ? { lo, hi } : `sharpness.${name}: ${problem}`;
}

// ---------------------------------------------------------------- leaves

/** Does the enclosure d of rhs - lhs show the comparison true (want = true) or false (want = false) everywhere? */
function decides(rel: Rel, d: I, want: boolean): boolean {
  const lo = d.lo.sign();
  const hi = d.hi.sign();
  if (want) {
    switch (rel) {
      case '<':
        return lo > 0;
      case '<=':
        return lo >= 0;
      case '>':
        return hi < 0;
      case '>=':
        return hi <= 0;
      case '==':
        return lo === 0 && hi === 0;
    }
  }
  switch (rel) {
    case '<':
      return hi <= 0;
    case '<=':
      return hi < 0;
    case '>':
      return lo >= 0;
    case '>=':
      return lo > 0;
    case '==':
      return lo > 0 || hi < 0;
  }
}

type Rung = 'natural' | 'centered' | 'factored' | 'rayleigh';
const LADDER: readonly Rung[] = ['natural', 'centered', 'factored', 'rayleigh'];

// Sign sets: a bitmask of the signs a quantity may have on a box.
const NEG = 1;
const ZERO = 2;
const POS = 4;
const signsOfI = (x: I): number => (x.lo.sign() < 0 ? NEG : 0) | (x.lo.sign() <= 0 && x.hi.sign() >= 0 ? ZERO : 0) | (x.hi.sign() > 0 ? POS : 0);
function mulSigns(a: number, b: number): number {
  const members = (s: number) => [NEG, ZERO, POS].filter((m) => s & m).map((m) => (m === NEG ? -1 : m === ZERO ? 0 : 1));
  let out = 0;
  for (const x of members(a)) for (const y of members(b)) out |= x * y < 0 ? NEG : x * y > 0 ? POS : ZERO;
  return out;
}
/** The signs of rhs - lhs that make the comparison true. */
const TRUE_SIGNS: Record<Rel, number> = { '<': POS, '<=': POS | ZERO, '>': NEG, '>=': NEG | ZERO, '==': ZERO };
/**
 * The signs y can take where d = scale * y + offset has a sign in `allowed`: y = (d - offset) / scale, so y lies
 * beyond b = -offset / scale on the side the premise's relation and the sign of scale give.
 */
function tiedSigns(allowed: number, scale: Q, offset: Q): number {
  const b = offset.neg().div(scale).sign();
  // The set of d as a half-line or a point: d > 0, d >= 0, d < 0, d <= 0, d = 0.
  const dAbove = allowed === POS || allowed === (POS | ZERO);
  const dBelow = allowed === NEG || allowed === (NEG | ZERO);
  if (!dAbove && !dBelow) return allowed === ZERO ? (b > 0 ? POS : b < 0 ? NEG : ZERO) : NEG | ZERO | POS;
  const strict = !(allowed & ZERO);
  const yAbove = dAbove === scale.sign() > 0;
  if (yAbove) return b > 0 ? POS : b === 0 ? (strict ? POS : POS | ZERO) : NEG | ZERO | POS;
  return b < 0 ? NEG : b === 0 ? (strict ? NEG : NEG | ZERO) : NEG | ZERO | POS;
}

/**
 * The signs rhs - lhs may take on the box by its factored form: each factor enclosed by natural evaluation
 * intersected with its centered form; with `hints`, a factor tied to a premise restricted to the signs that
 * premise allows (then the result holds where that premise holds). Undefined when a factor cannot be enclosed.
 */
function formSigns(f: Form, env: Env, premises: readonly Comparison[], hints: boolean): number | undefined {
  let signs = f.unit.sign() > 0 ? POS : f.unit.sign() < 0 ? NEG : ZERO;
  for (const factor of f.factors) {
    const v = evaluate(factor.poly, env);
    if (v.undef !== undefined || v.iv === null) return undefined;
    let x = v.iv;
    // Natural evaluation of one sign already gives the factor's sign set; the centered form (the costly part of
    // the check) can only narrow it to the same.
    if (x.lo.sign() <= 0 && x.hi.sign() >= 0)
      try {
        x = iintersect(x, centered(factor.poly, env));
      } catch (e) {
        if (!(e instanceof NotDifferentiable)) throw e;
      }
    const s = signsOfI(x);
    let p = factor.power % 2 === 0 ? (s & ZERO) | (s & (NEG | POS) ? POS : 0) : s;
    if (hints && factor.premise) p &= tiedSigns(TRUE_SIGNS[premises[factor.premise.index]!.rel], factor.premise.scale, factor.premise.offset);
    signs = mulSigns(signs, p);
  }
  return signs;
}

/**
 * Is the comparison certainly true (want) / certainly false-or-undefined (!want) on the box? Undefined when
 * shown, else why not. For `want`, every term must be certainly defined on the box.
 */
function decideComparison(c: Comparison, env: Env, rung: Rung, want: boolean, f: Form | null = null, premises: readonly Comparison[] = []): string | undefined {
  const v = evaluate(c.diff, env);
  if (v.undef !== undefined) return want ? `undefined at every point of the box (${v.undef}), but the verdict is 'holds'` : undefined;
  if (want && v.maybe !== undefined) return `may be undefined on the box (${v.maybe}), but the verdict is 'holds'`;
  let d = v.iv;
  if (d !== null && decides(c.rel, d, want)) return undefined;
  let why = `rhs - lhs in ${fmt(d)} (natural)`;
  if (LADDER.indexOf(rung) >= LADDER.indexOf('centered')) {
    try {
      const cf = centered(c.diff, env);
      d = d === null ? cf : iintersect(d, cf);
      if (decides(c.rel, d, want)) return undefined;
      why = `rhs - lhs in ${fmt(d)} (natural and centered)`;
    } catch (e) {
      if (!(e instanceof NotDifferentiable)) throw e;
      why += `; the centered form does not apply: ${e.message}`;
    }
  }
  if (LADDER.indexOf(rung) >= LADDER.indexOf('factored')) {
    if (f === null) return `${why}; the comparison has no factored form`;
    // A statement may use the premises' signs (it need hold only where they do); a premise shown false may not.
    const s = formSigns(f, env, premises, want);
    if (s === undefined) return `${why}; a factor of its form cannot be enclosed on the box`;
    const t = TRUE_SIGNS[c.rel];
    if (want ? (s & ~t) === 0 : (s & t) === 0) return undefined;
    why += `; its factored form gives signs {${[s & NEG ? '<0' : '', s & ZERO ? '0' : '', s & POS ? '>0' : ''].filter(Boolean).join(', ')}}`;
  }
  return why;
}

function checkLeaf(p: Parsed, leaf: Record<string, unknown>, box: I[]): string | undefined {
  try {
    return checkLeafOrThrow(p, leaf, box);
  } catch (e) {
    if (e instanceof CannotEvaluate) return `cannot evaluate ${e.message}`;
    throw e;
  }
}

function checkLeafOrThrow(p: Parsed, leaf: Record<string, unknown>, box: I[]): string | undefined {
  const rung = leaf.rung;
  if (!LADDER.includes(rung as Rung)) return `rung must be one of ${LADDER.map((r) => `'${r}'`).join(', ')}, got ${JSON.stringify(rung)}`;
  const env = new Map<string, I>(p.vars.map((v, i) => [v, box[i]!]));
  const boxEnv: Env = new Map(env);
  let needed: Comparison[];
  const premiseFalse = 'premiseFalse' in leaf;
  if (premiseFalse) {
    const k = leaf.premiseFalse;
    if (!Number.isInteger(k) || (k as number) < 0 || (k as number) >= p.premises.length) return `premiseFalse: no premise ${JSON.stringify(k)} (the certificate has ${p.premises.length})`;
    needed = [p.premises[k as number]!];
  } else {
    if (!Array.isArray(leaf.statements) || leaf.statements.length !== p.statements.length)
      return `statements: expected one verdict per statement (${p.statements.length}), got ${Array.isArray(leaf.statements) ? leaf.statements.length : JSON.stringify(leaf.statements)}`;
    needed = p.statements;
  }
  // Sharpness bounds first: every bound the leaf gives is checked, then S is [lo, hi] in the trees.
  const bounds = leaf.sharpness ?? {};
  if (!isObject(bounds)) return 'sharpness: expected an object';
  for (const [name, bound] of Object.entries(bounds)) {
    const s = p.sharpness.get(name);
    if (s === undefined) return `sharpness.${name}: not a sharpness symbol of the certificate`;
    const r = checkSharpness(name, s, bound, env);
    if (typeof r === 'string') return r;
    env.set(name, iv(r.lo, r.hi));
  }
  // A statement the Rayleigh rung decides needs no constant bound of its sharpness symbols.
  const byRayleigh = (k: number) => rung === 'rayleigh' && !premiseFalse && p.sharpForms[k] !== null;
  for (const [k, c] of needed.entries()) for (const s of c.symbols) if (!env.has(s) && !byRayleigh(k)) return `"${c.text}" reads ${s}, but the leaf gives no bound for it`;
  if (premiseFalse) {
    const k = leaf.premiseFalse as number;
    const why = decideComparison(p.premises[k]!, env, rung as Rung, false, p.premiseForms[k]!);
    return why === undefined ? undefined : `premise ${k} "${p.premises[k]!.text}" is not shown false on the box: ${why}`;
  }
  for (let k = 0; k < p.statements.length; k++) {
    const verdict = (leaf.statements as unknown[])[k];
    const c = p.statements[k]!;
    if (verdict === 'undefined') {
      const l = evaluate(c.lhs, env);
      const r = evaluate(c.rhs, env);
      if (l.undef === undefined && r.undef === undefined) return `statement ${k} "${c.text}" is not shown undefined at every point of the box (lhs ${l.maybe ? 'may be undefined' : 'is defined'}, rhs ${r.maybe ? 'may be undefined' : 'is defined'})`;
    } else if (verdict === 'holds') {
      const missing = [...c.symbols].filter((s) => !env.has(s));
      let why = missing.length === 0 ? decideComparison(c, env, rung as Rung, true, p.statementForms[k]!, p.premises) : `it reads ${missing.join(', ')}, which the leaf does not bound`;
      if (why !== undefined && byRayleigh(k)) {
        const r = checkRayleigh(p.sharpForms[k]!, c.rel, k, leaf.rayleigh, boxEnv, p.sharpness, p.premises);
        why = r === undefined ? undefined : `${why}; rayleigh: ${r}`;
      }
      if (why !== undefined) return `statement ${k} "${c.text}" is not shown to hold on the box: ${why}`;
    } else return `statements[${k}]: verdict must be 'holds' or 'undefined', got ${JSON.stringify(verdict)}`;
  }
  return undefined;
}

// ---------------------------------------------------------------- the tree

function boxText(vars: string[], box: I[]): string {
  return box
    .map((x, i) => [vars[i]!, x] as const)
    .filter(([, x]) => x.lo.lt(x.hi))
    .map(([v, x]) => `${v} in ${fmt(x)}`)
    .join(', ');
}

export interface CheckOptions {
  /** Stop collecting failures after this many (default: all). */
  maxFailures?: number;
}

/** Re-checks a region certificate (untrusted JSON). */
export function checkCertificate(cert: unknown, options: CheckOptions = {}): CertificateResult {
  const failures: LeafFailure[] = [];
  const max = options.maxFailures ?? Infinity;
  let p: Parsed;
  try {
    p = parseCertificate(cert);
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, leaves: 0, failures: [{ path: 'certificate', message: e.message }] };
    throw e;
  }
  let leaves = 0;
  // Depth-first, lo before hi, with an explicit stack (a deep tree must not overflow the call stack).
  const stack: { node: unknown; box: I[]; path: string[] }[] = [{ node: p.tree, box: p.region, path: [] }];
  while (stack.length > 0) {
    const { node, box, path } = stack.pop()!;
    const where = path.length === 0 ? 'root' : path.join('.');
    if (!isObject(node)) {
      failures.push({ path: where, message: 'expected a split {split, at, lo, hi} or a leaf' });
      continue;
    }
    if ('split' in node) {
      const i = node.split;
      if (!Number.isInteger(i) || (i as number) < 0 || (i as number) >= p.vars.length) {
        failures.push({ path: where, message: `split: no variable ${JSON.stringify(i)}` });
        continue;
      }
      const at = Q.parseRatio(node.at);
      const x = box[i as number]!;
      if (at === undefined) {
        failures.push({ path: where, message: `at: expected an exact rational, got ${JSON.stringify(node.at)}` });
        continue;
      }
      if (!(x.lo.lt(at) && at.lt(x.hi))) {
        failures.push({ path: where, message: `split point ${p.vars[i as number]} = ${at} is not strictly inside the box's range [${x.lo}, ${x.hi}]` });
        continue;
      }
      const lo = box.slice();
      lo[i as number] = iv(x.lo, at);
      const hi = box.slice();
      hi[i as number] = iv(at, x.hi);
      stack.push({ node: node.hi, box: hi, path: [...path, 'hi'] });
      stack.push({ node: node.lo, box: lo, path: [...path, 'lo'] });
      continue;
    }
    if (!('premiseFalse' in node) && !('statements' in node)) {
      failures.push({ path: where, message: 'expected a split {split, at, lo, hi} or a leaf {premiseFalse | statements, rung}' });
      continue;
    }
    leaves++;
    if (failures.length >= max) continue;
    const why = checkLeaf(p, node, box);
    if (why !== undefined) failures.push({ path: where, message: `${why} (box: ${boxText(p.vars, box) || 'a point'})` });
  }
  if (leaves !== p.boxes) failures.push({ path: 'certificate', message: `the tree has ${leaves} leaves, the certificate says boxes = ${p.boxes}` });
  return { ok: failures.length === 0, leaves, failures };
}

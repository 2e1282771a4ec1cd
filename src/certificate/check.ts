/**
 * The independent re-checker of region-proof certificates (format src/check/region-certificate.ts,
 * "eos-check-region/1"). It reads the certificate as untrusted JSON and establishes, with exact rational
 * interval arithmetic of its own (rational.ts, evaluate.ts), that
 *  - the tree's leaves cover the region: every split point is an exact rational strictly inside its
 *    box's range for that variable, the children are [lo, at] and [at, hi], and the leaves number `boxes`;
 *  - at every leaf, each sharpness bound {lo, hi, v} holds on the whole box: the Rayleigh quotient of v is
 *    >= lo for every matrix of the box's entry enclosures, and hi I - H is positive definite for every such
 *    matrix (every leading principal minor's enclosure > 0); then S is [lo, hi] in the trees;
 *  - at a `premiseFalse` leaf, the premise is false or undefined at every point of the box;
 *  - at a `statements` leaf, each statement holds at every point of the box ('holds': certainly defined
 *    and the comparison certain), or is undefined at every point ('undefined').
 * Shares with the prover only the mathjs parser (expr.ts).
 */
import { CertExprError, parseExpr, symbolsOf, type Expr } from './expr.js';
import { CannotEvaluate, centered, evaluate, fmt, iadd, iintersect, imul, ipowNat, iscale, isub, iv, NotDifferentiable, point, type Env, type I } from './evaluate.js';
import { Q } from './rational.js';

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

interface Sharpness {
  n: number;
  entries: Expr[];
}

interface Parsed {
  vars: string[];
  region: I[];
  premises: Comparison[];
  statements: Comparison[];
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
  return { vars, region, premises, statements, sharpness, boxes: c.boxes as number, tree: c.tree };
}

// ---------------------------------------------------------------- sharpness

/** Index of entry (i, j) in the row-major upper triangle of an n x n matrix. */
function upper(n: number, i: number, j: number): number {
  if (i > j) [i, j] = [j, i];
  return i * n - (i * (i - 1)) / 2 + (j - i);
}

/**
 * The leading k x k determinant of a symmetric n x n matrix as a polynomial in its upper-triangle entries
 * (Leibniz's formula, equal monomials collected): a list of [coefficient, [entry index, power][]]. Collecting
 * makes squares of off-diagonal entries appear as squares, whose interval enclosure is >= 0.
 */
const MINORS = new Map<string, [number, [number, number][]][]>();
function minorPolynomial(n: number, k: number): [number, [number, number][]][] {
  const key = `${n},${k}`;
  const hit = MINORS.get(key);
  if (hit) return hit;
  const terms = new Map<string, number>();
  const perm: number[] = [];
  const used = new Array<boolean>(k).fill(false);
  const walk = (row: number, sign: number): void => {
    if (row === k) {
      const idx = perm.map((col, r) => upper(n, r, col)).sort((a, b) => a - b);
      const m = idx.join(',');
      terms.set(m, (terms.get(m) ?? 0) + sign);
      return;
    }
    // Sign by counting inversions as columns are chosen.
    for (let col = 0; col < k; col++) {
      if (used[col]) continue;
      let inv = 0;
      for (let c = col + 1; c < k; c++) if (used[c]) inv++;
      used[col] = true;
      perm.push(col);
      walk(row + 1, inv % 2 === 0 ? sign : -sign);
      perm.pop();
      used[col] = false;
    }
  };
  walk(0, 1);
  const out: [number, [number, number][]][] = [];
  for (const [m, coef] of terms) {
    if (coef === 0) continue;
    const powers = new Map<number, number>();
    for (const s of m.split(',')) powers.set(Number(s), (powers.get(Number(s)) ?? 0) + 1);
    out.push([coef, [...powers]]);
  }
  MINORS.set(key, out);
  return out;
}

/**
 * An enclosure of the leading k x k minor of the symmetric interval matrix m (upper triangle): the
 * intersection of two enclosures, the collected Leibniz polynomial above and the Laplace (cofactor)
 * expansion along the first row. Neither is always the tighter: a nested cofactor form can be tighter
 * than the expanded polynomial (subdistributivity), squares of off-diagonal entries only appear as such
 * in the collected one.
 */
function evalMinor(n: number, k: number, m: I[]): I {
  let sum = point(Q.ZERO);
  for (const [coef, powers] of minorPolynomial(n, k)) {
    let t = point(Q.int(coef));
    for (const [idx, pw] of powers) t = imul(t, ipowNat(m[idx]!, pw));
    sum = iadd(sum, t);
  }
  const entry = (i: number, j: number) => m[upper(n, i, j)]!;
  const laplace = (rows: number[], cols: number[]): I => {
    if (rows.length === 1) return entry(rows[0]!, cols[0]!);
    let acc = point(Q.ZERO);
    cols.forEach((c, idx) => {
      const t = imul(entry(rows[0]!, c), laplace(rows.slice(1), cols.filter((x) => x !== c)));
      acc = idx % 2 === 0 ? iadd(acc, t) : isub(acc, t);
    });
    return acc;
  };
  const lead = Array.from({ length: k }, (_, i) => i);
  return iintersect(sum, laplace(lead, lead));
}

/** Entry enclosures of a sharpness matrix over the box: natural evaluation, optionally intersected with the centered form. */
function entryEnclosures(s: Sharpness, env: Env, withCentered: boolean): I[] | string {
  const out: I[] = [];
  for (let i = 0; i < s.entries.length; i++) {
    const v = evaluate(s.entries[i]!, env);
    if (v.undef !== undefined) return `matrix entry ${i} is undefined on the box (${v.undef})`;
    if (v.maybe !== undefined || v.iv === null) return `matrix entry ${i} may be undefined on the box (${v.maybe})`;
    let x = v.iv;
    if (withCentered) {
      try {
        x = iintersect(x, centered(s.entries[i]!, env));
      } catch (e) {
        if (!(e instanceof NotDifferentiable)) throw e;
      }
    }
    out.push(x);
  }
  return out;
}

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

type Rung = 'natural' | 'centered';

/**
 * Is the comparison certainly true (want) / certainly false-or-undefined (!want) on the box? Undefined when
 * shown, else why not. For `want`, every term must be certainly defined on the box.
 */
function decideComparison(c: Comparison, env: Env, rung: Rung, want: boolean): string | undefined {
  const v = evaluate(c.diff, env);
  if (v.undef !== undefined) return want ? `undefined at every point of the box (${v.undef}), but the verdict is 'holds'` : undefined;
  if (want && v.maybe !== undefined) return `may be undefined on the box (${v.maybe}), but the verdict is 'holds'`;
  let d = v.iv;
  if (d !== null && decides(c.rel, d, want)) return undefined;
  let why = `rhs - lhs in ${fmt(d)} (natural)`;
  if (rung === 'centered') {
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
  if (rung !== 'natural' && rung !== 'centered') return `rung must be 'natural' or 'centered', got ${JSON.stringify(rung)}`;
  const env = new Map<string, I>(p.vars.map((v, i) => [v, box[i]!]));
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
  for (const c of needed) for (const s of c.symbols) if (!env.has(s)) return `"${c.text}" reads ${s}, but the leaf gives no bound for it`;
  if (premiseFalse) {
    const k = leaf.premiseFalse as number;
    const why = decideComparison(p.premises[k]!, env, rung, false);
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
      const why = decideComparison(c, env, rung, true);
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

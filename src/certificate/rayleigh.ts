/**
 * The checker's 'rayleigh' rung (format: src/check/region-certificate.ts CertSharpForm, CertRayleigh): a
 * statement m = rhs - lhs = rest + sum_s c_s s, linear in the sharpness symbols, bounded at a leaf through
 * functions of the box's variables instead of constant enclosures of S. With the leaf's vector v and
 * R_s = v^T H_s v / v.v:
 *   S_s >= R_s at every point (the Rayleigh quotient never exceeds the largest eigenvalue);
 *   S_s <= R_s + mu_s at every point of the box when rho <= R_s there, (rho - delta) I - H_s + K v v^T / v.v
 *   is positive definite there (delta > 0: every unit u orthogonal to v has u^T H_s u <= R_s - delta), and
 *   mu_s (v.v)^3 delta >= |(v.v) H_s v - (v^T H_s v) v|^2 there (then for unit x = a v^ + b u,
 *   x^T H_s x <= a^2 R_s + 2 |a b| |r| + b^2 (R_s - delta) <= R_s + |r|^2 / delta, r the residual of v^).
 * The certificate's polynomial Q is confirmed once, by expansion, to be (v.v) rest + sum_s c_s v^T H_s v with v
 * symbolic; at a leaf m is then bounded by Q / v.v plus c_s mu_s for the symbols bounded from above, on the side
 * the relation needs; with a multiplier {premise p, c} the tree is Q + c (v.v) d_p, d_p = rhs - lhs of premise p,
 * c of the sign for which c d_p only loosens the bound wherever p holds (an S-procedure). Everything is
 * recomputed here in the checker's own rational interval arithmetic.
 */
import type { Expr } from './expr.js';
import { centered, evaluate, fmt, iadd, iintersect, iscale, isub, NotDifferentiable, partialEnclosure, point, type Env, type I } from './evaluate.js';
import { entryEnclosures, evalMinor, upper, type Sharpness } from './matrix.js';
import { expand, NotPolynomial, P } from './poly.js';
import { Q } from './rational.js';

export interface SharpForm {
  coefficients: Map<string, Q>;
  vector: string[];
  poly: Expr;
}

type Rel = '<' | '<=' | '>' | '>=' | '==';

/** Reads and confirms the certificate's `sharpForms`; a string says what is wrong (the whole certificate fails). */
export function parseSharpForms(
  raw: unknown,
  statements: readonly { text: string; rel: Rel; diff: Expr }[],
  vars: readonly string[],
  fixed: ReadonlyMap<string, Q>,
  sharpness: ReadonlyMap<string, Sharpness>,
  read: { expr: (x: unknown, where: string) => Expr; ratio: (x: unknown, where: string) => Q },
): (SharpForm | null)[] | string {
  if (raw === undefined) return statements.map(() => null);
  if (!Array.isArray(raw) || raw.length !== statements.length) return `sharpForms: expected one entry (a form or null) per statement (${statements.length})`;
  const free = vars.filter((v) => !fixed.has(v));
  const out: (SharpForm | null)[] = [];
  for (let k = 0; k < raw.length; k++) {
    const f = raw[k] as Record<string, unknown> | null;
    const where = `sharpForms[${k}]`;
    if (f === null) {
      out.push(null);
      continue;
    }
    if (typeof f !== 'object' || Array.isArray(f) || typeof f.coefficients !== 'object' || f.coefficients === null || !Array.isArray(f.vector)) return `${where}: expected {coefficients, rest, vector, poly}`;
    const c = statements[k]!;
    if (c.rel === '==') return `${where}: an equation has no one-sided bound`;
    const coefficients = new Map<string, Q>();
    for (const [s, q] of Object.entries(f.coefficients as Record<string, unknown>)) {
      if (!sharpness.has(s)) return `${where}.coefficients: "${s}" is not a sharpness symbol of the certificate`;
      const x = read.ratio(q, `${where}.coefficients.${s}`);
      if (x.isZero()) return `${where}.coefficients.${s}: must not be 0`;
      coefficients.set(s, x);
    }
    if (coefficients.size === 0) return `${where}.coefficients: empty`;
    const ns = new Set([...coefficients.keys()].map((s) => sharpness.get(s)!.n));
    if (ns.size !== 1) return `${where}: the symbols' matrices differ in size`;
    const n = [...ns][0]!;
    const vector = f.vector as unknown[];
    if (vector.length !== n || !vector.every((x) => typeof x === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(x)) || new Set(vector).size !== n) return `${where}.vector: expected ${n} distinct symbol names`;
    const vnames = vector as string[];
    if (vnames.some((x) => vars.includes(x) || sharpness.has(x))) return `${where}.vector: a name is also a variable or a sharpness symbol`;
    const rest = read.expr(f.rest, `${where}.rest`);
    const poly = read.expr(f.poly, `${where}.poly`);
    const syms = [...coefficients.keys()];
    try {
      // m = rest + sum_s c_s s, as polynomials in the free variables and the sharpness symbols.
      const mv = [...free, ...syms];
      let want = expand(rest, mv, fixed);
      syms.forEach((s, i) => (want = want.add(P.variable(mv, free.length + i).scale(coefficients.get(s)!))));
      if (!expand(c.diff, mv, fixed).equals(want)) return `${where}: rhs - lhs of "${c.text}" is not rest + sum of coefficient * symbol`;
      // Q = (v.v) rest + sum_s c_s v^T H_s v, with v symbolic.
      const qv = [...vnames, ...free];
      const V = vnames.map((_, i) => P.variable(qv, i));
      let vv = new P(qv);
      for (const x of V) vv = vv.add(x.mul(x));
      let q = vv.mul(expand(rest, qv, fixed));
      for (const s of syms) {
        const h = sharpness.get(s)!;
        for (let i = 0; i < n; i++)
          for (let j = i; j < n; j++) q = q.add(V[i]!.mul(V[j]!).mul(expand(h.entries[upper(n, i, j)]!, qv, fixed)).scale(coefficients.get(s)!.mul(Q.int(i === j ? 1 : 2))));
      }
      if (!expand(poly, qv, fixed).equals(q)) return `${where}.poly: not (v.v) rest + sum of coefficient * v^T H v`;
    } catch (e) {
      if (e instanceof NotPolynomial) return `${where}: ${e.message}`;
      throw e;
    }
    out.push({ coefficients, vector: vnames, poly });
  }
  return out;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Natural evaluation intersected with the centered form; undefined where a term may be undefined. */
function enclose(e: Expr, env: Env): I | undefined {
  const v = evaluate(e, env);
  if (v.undef !== undefined || v.maybe !== undefined || v.iv === null) return undefined;
  try {
    return iintersect(v.iv, centered(e, env));
  } catch (err) {
    if (!(err instanceof NotDifferentiable)) throw err;
    return v.iv;
  }
}

const c = (q: Q): Expr => ({ k: 'const', q });
const mulE = (a: Expr, b: Expr): Expr => ({ k: 'mul', a, b });
const addE = (a: Expr, b: Expr): Expr => ({ k: 'add', a, b });

/** v^T H v and (v.v) H v - (v^T H v) v as trees over the entries (the prover's shapes, with v as constants). */
function rayleighTrees(h: Sharpness, v: readonly Q[]): { rnum: Expr; res: Expr[] } {
  const n = h.n;
  const e = (i: number, j: number) => h.entries[upper(n, i, j)]!;
  let rnum: Expr | undefined;
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const t = mulE(i === j ? mulE(c(v[i]!), c(v[i]!)) : mulE(c(Q.int(2)), mulE(c(v[i]!), c(v[j]!))), e(i, j));
      rnum = rnum ? addE(rnum, t) : t;
    }
  let vv: Expr | undefined;
  for (const x of v) vv = vv ? addE(vv, mulE(c(x), c(x))) : mulE(c(x), c(x));
  const res = Array.from({ length: n }, (_, i) => {
    let hv: Expr | undefined;
    for (let k = 0; k < n; k++) {
      const t = mulE(e(i, k), c(v[k]!));
      hv = hv ? addE(hv, t) : t;
    }
    return { k: 'sub', a: mulE(vv!, hv!), b: mulE(rnum!, c(v[i]!)) } as Expr;
  });
  return { rnum: rnum!, res };
}

/** The upper model of one symbol on the box: undefined when it holds, else why not. */
function checkUpper(name: string, h: Sharpness, v: readonly Q[], vv: Q, raw: unknown, env: Env): { mu: Q } | string {
  if (!isObject(raw)) return `rayleigh.upper.${name}: expected {rho, delta, K, mu}`;
  const [rho, delta, K, mu] = (['rho', 'delta', 'K', 'mu'] as const).map((k) => Q.parseRatio(raw[k]));
  if (!rho || !delta || !K || !mu) return `rayleigh.upper.${name}: rho, delta, K and mu must be exact rationals`;
  if (delta.sign() <= 0) return `rayleigh.upper.${name}: delta must be > 0`;
  const n = h.n;
  const t = rayleighTrees(h, v);
  const rn = enclose(t.rnum, env);
  if (!rn || rn.lo.lt(rho.mul(vv))) return `rayleigh.upper.${name}: v^T H v / v.v is not shown >= rho = ${rho.approx()} on the box (${fmt(rn ?? null)} / ${vv.approx()})`;
  const hs = entryEnclosures(h, env, true);
  if (typeof hs === 'string') return `rayleigh.upper.${name}: ${hs}`;
  // (rho - delta) I - H + K v v^T / v.v, upper triangle.
  const m: I[] = hs.map(() => point(Q.ZERO));
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const k = upper(n, i, j);
      const kv = point(K.mul(v[i]!).mul(v[j]!).div(vv));
      m[k] = iadd(i === j ? isub(point(rho.sub(delta)), hs[k]!) : iscale(Q.int(-1), hs[k]!), kv);
    }
  for (let k = 1; k <= n; k++) {
    const d = evalMinor(n, k, m);
    if (d.lo.sign() <= 0) return `rayleigh.upper.${name}: (rho - delta) I - H + K v v^T / v.v is not shown positive definite: leading minor ${k} in ${fmt(d)}`;
  }
  let r2 = Q.ZERO;
  for (const r of t.res) {
    const x = enclose(r, env);
    if (!x) return `rayleigh.upper.${name}: the residual cannot be enclosed on the box`;
    const mag = Q.max(x.lo.neg(), x.hi);
    r2 = r2.add(mag.mul(mag));
  }
  if (mu.mul(delta).mul(vv.pow(3)).lt(r2)) return `rayleigh.upper.${name}: mu = ${mu.approx()} is below |r~|^2 / ((v.v)^3 delta) = ${r2.div(delta.mul(vv.pow(3))).approx()} on the box`;
  return { mu };
}

/**
 * The rung at one leaf for one statement: undefined when the statement is shown to hold on the box (where the
 * premises hold: the models hold at every point), else why not. `box` is the leaf's variables' intervals.
 */
export function checkRayleigh(
  f: SharpForm,
  rel: Rel,
  k: number,
  leaf: unknown,
  box: Env,
  sharpness: ReadonlyMap<string, Sharpness>,
  premises: readonly { text: string; rel: Rel; diff: Expr; symbols: ReadonlySet<string> }[] = [],
): string | undefined {
  if (!isObject(leaf) || !Array.isArray(leaf.v) || !isObject(leaf.upper)) return 'the leaf has no rayleigh {v, upper}';
  const v = leaf.v.map((x) => Q.parseRatio(x));
  if (v.length !== f.vector.length || v.some((x) => x === undefined)) return `rayleigh.v: expected ${f.vector.length} exact rationals`;
  const vq = v as Q[];
  let vv = Q.ZERO;
  for (const x of vq) vv = vv.add(x.mul(x));
  if (vv.isZero()) return 'rayleigh.v: the zero vector';
  const dir = rel === '<' || rel === '<=' ? -1 : 1;
  let mus = Q.ZERO;
  for (const [s, cs] of f.coefficients) {
    if (cs.sign() !== dir) continue;
    const r = checkUpper(s, sharpness.get(s)!, vq, vv, leaf.upper[s], box);
    if (typeof r === 'string') return r;
    mus = mus.add(cs.mul(r.mu));
  }
  const env = new Map(box);
  f.vector.forEach((name, i) => env.set(name, point(vq[i]!)));
  const faces = isObject(leaf.faces) ? leaf.faces[String(k)] : undefined;
  if (faces !== undefined) {
    if (!Array.isArray(faces)) return `rayleigh.faces.${k}: expected a list of [variable, 'lo' | 'hi']`;
    for (const step of faces) {
      if (!Array.isArray(step) || step.length !== 2 || typeof step[0] !== 'string' || !box.has(step[0]) || (step[1] !== 'lo' && step[1] !== 'hi')) return `rayleigh.faces.${k}: bad step ${JSON.stringify(step)}`;
      const [name, end] = step as [string, 'lo' | 'hi'];
      let g: I;
      try {
        g = partialEnclosure(f.poly, env, name);
      } catch (e) {
        if (e instanceof NotDifferentiable) return `rayleigh.faces.${k}: dQ/d${name} cannot be enclosed`;
        throw e;
      }
      // Q is largest (dir > 0) or smallest at the end its derivative's sign points to.
      const ok = (end === 'hi') === (dir > 0) ? g.lo.sign() >= 0 : g.hi.sign() <= 0;
      if (!ok) return `rayleigh.faces.${k}: dQ/d${name} in ${fmt(g)} does not make the ${end} end the bound`;
      const x = env.get(name)!;
      env.set(name, point(end === 'lo' ? x.lo : x.hi));
    }
  }
  // A premise as a multiplier term: Q + c (v.v) d_p as one tree, d_p = rhs - lhs of premise p, where c d_p has the
  // sign that only loosens the bound wherever premise p holds.
  let poly = f.poly;
  const mult = isObject(leaf.multipliers) ? leaf.multipliers[String(k)] : undefined;
  if (mult !== undefined) {
    if (faces !== undefined) return `rayleigh.multipliers.${k}: a statement bounded on a face takes no multiplier`;
    if (!isObject(mult) || !Number.isInteger(mult.premise) || (mult.premise as number) < 0 || (mult.premise as number) >= premises.length) return `rayleigh.multipliers.${k}: expected {premise, c} naming one of the ${premises.length} premise(s)`;
    const p = premises[mult.premise as number]!;
    const cq = Q.parseRatio(mult.c);
    if (!cq) return `rayleigh.multipliers.${k}.c: expected an exact rational`;
    for (const s of p.symbols) if (!box.has(s)) return `rayleigh.multipliers.${k}: premise ${mult.premise} "${p.text}" reads ${s}, not a variable of the box`;
    // Where premise p holds, d_p >= 0 for < and <=, d_p <= 0 for > and >=, d_p = 0 for ==.
    const dSign = p.rel === '<' || p.rel === '<=' ? 1 : p.rel === '>' || p.rel === '>=' ? -1 : 0;
    if (dSign !== 0 && cq.sign() * dSign * dir < 0) return `rayleigh.multipliers.${k}.c = ${cq.approx()}: of the sign that tightens the bound where premise ${mult.premise} "${p.text}" holds`;
    poly = { k: 'add', a: f.poly, b: mulE(c(cq.mul(vv)), p.diff) };
  }
  const q = enclose(poly, env);
  if (!q) return 'Q cannot be enclosed on the box';
  const b = iadd(iscale(Q.ONE.div(vv), q), point(mus));
  const end = dir > 0 ? b.hi : b.lo;
  const sg = end.sign() * dir;
  const strict = rel === '<' || rel === '>';
  if (strict ? sg < 0 : sg <= 0) return undefined;
  return `the Rayleigh bound of rhs - lhs is ${end.approx()} (${dir > 0 ? 'upper' : 'lower'} end), on the wrong side of 0`;
}


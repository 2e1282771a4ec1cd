/**
 * The independent re-checker of reachability certificates (format src/check/reach-certificate.ts,
 * "eos-check-reach/1"): a claim about every GD orbit from a box of starts and hyperparameters, decided box by
 * box by the prover's Lohner engine (check/box-reach.ts). This file reads the certificate as untrusted JSON and
 * establishes, with the checker's own rational interval arithmetic (rational.ts, evaluate.ts) and its own orbit
 * enclosures, that
 *  (a) the leaves tile the hypothesis box: their paths form a full binary tree (prefix-free, Kraft sum exactly 1),
 *      each pair of siblings is its parent halved at the exact midpoint of one coordinate, the root is the
 *      hypothesis box, and each leaf's volume is exactly 2^-depth of it; the fractions the row states (proved,
 *      outside) are the sums over the leaves' states;
 *  (b) every 'outside' leaf fails a `where` relation (false or undefined) at every point;
 *  (c) every 'proved' leaf: every orbit from it satisfies each statement at every step 0..T where the quantifier
 *      asserts it and a premise (`when`, the event, `along`) may hold; a step may instead be decided by the
 *      enclosure lying inside the invariant set when its use obligation is proved;
 *  (d) every 'entered' leaf at step s: as (c) at the steps before s, and every orbit is inside every relation of
 *      the invariant set at s (the set's consecution and use obligations are the row's `obligations`: the leaf
 *      relies on them, and the result says so);
 *  (e) every 'left' leaf at step s: as (c) before s, and every orbit fails an `along` hypothesis at s;
 * and that the step expressions are param - eta dL/dparam of the certificate's loss, by polynomial expansion
 * (poly.ts) where the loss is a polynomial and the model has no projection (otherwise the result notes it).
 * 'open' and 'refuted' leaves claim nothing here.
 *
 * The orbit enclosure is a zonotope z = a + G u, u in [-1, 1]^k, over the state z = (parameters, the
 * hyperparameters that range, the start values when a relation reads them): the hyperparameters and start values
 * are coordinates the step leaves unchanged, so one orbit keeps one eta and its own start. One step is the
 * mean-value form on the zonotope's interval hull X: F(z) in F(a) + J(X)(z - a), with J = m + [-R, R]
 * (m a dyadic point matrix near the midpoint of the interval Jacobian, which the checker computes itself by
 * forward differentiation), so F(Z) lies in the zonotope round(F(a)) + round(m G) u plus the error box
 * |F(a) - round(F(a))| + |m G - round(m G)| 1 + R |G| 1, added as new generators; beyond MAX_EXTRA of those the
 * ones that lose least when boxed (Girard's order reduction) are replaced by their interval hull. Every rounding
 * is to a dyadic with BITS significant bits, and the discarded part goes into the error box, so the zonotope
 * always contains every orbit. A relation is decided on the hull (natural evaluation) or, failing that, by its
 * own mean-value form on the zonotope: d(a) + sum_j |grad d(X) . G_j|.
 *
 * Where this enclosure cannot decide a leaf, the checker halves it (the coordinate whose generator spreads the
 * undecided relation most, at its exact midpoint) and decides the halves, at most PIECES boxes per leaf: a count,
 * no clock. A leaf it still cannot re-establish is a failure naming its path, the step and the relation.
 * Shares with the prover only the mathjs parser (expr.ts).
 */
import { CertExprError, parseExpr, symbolsOf, type Expr } from './expr.js';
import { CannotEvaluate, containsZero, evaluate, fmt, iabs, iadd, ihull, iintersect, imax, imin, imul, ineg, ipowNat, iscale, isqrtNonneg, isub, iv, NotDifferentiable, point, type Env, type I } from './evaluate.js';
import { Q } from './rational.js';
import { expand, NotPolynomial, P } from './poly.js';

export const REACH_FORMAT = 'eos-check-reach/1';

/** Boxes the checker encloses per leaf, the leaf included (its own subdivision budget). */
export const PIECES = 64;
/** Significant bits of the zonotope's rounded centre, generators and Jacobian midpoints. */
export const BITS = 96;
/** Error generators kept per parameter beside the start box's generators before order reduction. */
export const EXTRA_PER_PARAM = 4;
/** Largest horizon accepted (a guard against a certificate that would run for ever). */
export const MAX_HORIZON = 100_000;

export interface ReachFailure {
  /** The leaf's path ('root' for a one-leaf tree; 'certificate' for a problem of the whole). */
  path: string;
  message: string;
}

export interface ReachCheckResult {
  ok: boolean;
  /** Leaves in the certificate. */
  leaves: number;
  failures: ReachFailure[];
  /** Leaves by state, as the certificate gives them. */
  states: Record<string, number>;
  /** Boxes the checker enclosed (the leaves and its own halves of them) and the box-steps it took. */
  pieces: number;
  boxSteps: number;
  /** The invariant set's obligations the re-established leaves rely on ('use', 'consecution'). */
  relies: string[];
  /** What was not re-checked and why (e.g. the step not confirmed against the loss). */
  notes: string[];
}

export interface ReachCheckOptions {
  /** Stop checking leaves after this many failures (default: all). */
  maxFailures?: number;
}

type Rel = '<' | '<=' | '>' | '>=' | '==';
const RELS = new Set<string>(['<', '<=', '>', '>=', '==']);
const STATES = new Set(['proved', 'entered', 'left', 'outside', 'refuted', 'open']);

interface Comparison {
  text: string;
  /** The relation and both sides as the certificate writes them, spaces aside: what is decided, not its label. */
  form: string;
  rel: Rel;
  /** rhs - lhs. */
  diff: Expr;
}

interface Leaf {
  path: string;
  box: I[];
  state: string;
  step: number | null;
}

interface Parsed {
  params: string[];
  hypers: string[];
  /** Every coordinate of a box: the parameters, then the hyperparameters. */
  coords: string[];
  loss: string;
  projection: boolean;
  step: Expr[];
  root: I[];
  where: Comparison[];
  along: Comparison[];
  when: Comparison[];
  event: Comparison | null;
  statements: Comparison[];
  kind: 'every-step' | 'after-event' | 'invariant';
  horizon: number;
  everyT: boolean;
  invariant: { relations: Comparison[]; use: boolean; kept: boolean } | null;
  fractions: { proved: Q; upToT: Q; outside: Q };
  leaves: Leaf[];
  /** Some relation reads a start value (p_0): the state carries them. */
  readsStart: boolean;
}

class Malformed extends Error {}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function ratio(x: unknown, where: string): Q {
  const q = Q.parseRatio(x);
  if (q === undefined) throw new Malformed(`${where}: expected an exact rational "p/q" or "p", got ${JSON.stringify(x)}`);
  return q;
}

function expr(x: unknown, where: string, known: ReadonlySet<string>): Expr {
  let e: Expr;
  try {
    e = parseExpr(x);
  } catch (err) {
    if (err instanceof CertExprError) throw new Malformed(`${where}: ${err.message}`);
    throw err;
  }
  for (const s of symbolsOf(e))
    if (!known.has(s)) throw new Malformed(`${where}: reads "${s}", which this checker does not enclose (it reads the parameters, their start values p_0, the hyperparameters and t)`);
  return e;
}

/** What a certificate's comparison decides: its relation and both sides as written, spaces aside (its text is a label). */
export function comparisonForm(x: { lhs?: unknown; rel?: unknown; rhs?: unknown }): string {
  return `${String(x.lhs)}${String(x.rel)}${String(x.rhs)}`.replace(/\s+/g, '');
}

function comparison(x: unknown, where: string, known: ReadonlySet<string>): Comparison {
  if (!isObject(x)) throw new Malformed(`${where}: expected {text, rel, lhs, rhs}`);
  if (typeof x.rel !== 'string' || !RELS.has(x.rel)) throw new Malformed(`${where}: rel must be one of < <= > >= ==, got ${JSON.stringify(x.rel)}`);
  const lhs = expr(x.lhs, `${where}.lhs`, known);
  const rhs = expr(x.rhs, `${where}.rhs`, known);
  return { text: typeof x.text === 'string' ? x.text : `${x.lhs} ${x.rel} ${x.rhs}`, form: comparisonForm(x), rel: x.rel as Rel, diff: { k: 'sub', a: rhs, b: lhs } };
}

function comparisons(x: unknown, where: string, known: ReadonlySet<string>): Comparison[] {
  if (!Array.isArray(x)) throw new Malformed(`${where}: expected an array`);
  return x.map((c, i) => comparison(c, `${where}[${i}]`, known));
}

/** "lo..hi" as two exact rationals. */
function rangeText(x: unknown, where: string): I {
  if (typeof x !== 'string' || x.split('..').length !== 2) throw new Malformed(`${where}: expected "lo..hi" (exact rationals), got ${JSON.stringify(x)}`);
  const [a, b] = x.split('..');
  const lo = ratio(a, `${where} lo`);
  const hi = ratio(b, `${where} hi`);
  if (hi.lt(lo)) throw new Malformed(`${where}: lo ${lo} > hi ${hi}`);
  return iv(lo, hi);
}

function parseCertificate(c: unknown): Parsed {
  if (!isObject(c)) throw new Malformed('not an object');
  if (c.format !== REACH_FORMAT) throw new Malformed(`format is ${JSON.stringify(c.format)}, expected "${REACH_FORMAT}"`);
  const m = c.model;
  if (!isObject(m) || typeof m.loss !== 'string' || !Array.isArray(m.params) || !Array.isArray(m.hypers)) throw new Malformed('model: expected {name, loss, params, hypers, projection}');
  const params = m.params as unknown[];
  const hypers = m.hypers as unknown[];
  if (![...params, ...hypers].every((v) => typeof v === 'string' && NAME.test(v)) || params.length === 0) throw new Malformed('model: params and hypers must be symbol names (at least one parameter)');
  const coords = [...params, ...hypers] as string[];
  if (new Set(coords).size !== coords.length) throw new Malformed('model: a name is listed twice');
  if (!hypers.includes('eta')) throw new Malformed('model: the hyperparameters must include eta');
  const ps = params as string[];
  const hs = hypers as string[];
  const stateKnown = new Set(coords);
  if (!isObject(c.step)) throw new Malformed('step: expected {param: expression}');
  const stepObj = c.step;
  const step = ps.map((p) => {
    if (!(p in stepObj)) throw new Malformed(`step: no expression for ${p}`);
    return expr(stepObj[p], `step.${p}`, stateKnown);
  });
  if (!isObject(c.box)) throw new Malformed('box: expected {name: [lo, hi]}');
  const boxObj = c.box;
  const root = coords.map((v) => {
    const r = boxObj[v];
    if (!Array.isArray(r) || r.length !== 2) throw new Malformed(`box.${v}: expected [lo, hi]`);
    const lo = ratio(r[0], `box.${v} lo`);
    const hi = ratio(r[1], `box.${v} hi`);
    if (hi.lt(lo)) throw new Malformed(`box.${v}: lo ${lo} > hi ${hi}`);
    return iv(lo, hi);
  });
  const known = new Set([...coords, ...ps.map((p) => `${p}_0`), 't']);
  const where = comparisons(c.where, 'where', known);
  const along = comparisons(c.along, 'along', known);
  const when = comparisons(c.when, 'when', known);
  const statements = comparisons(c.statements, 'statements', known);
  if (statements.length === 0) throw new Malformed('statements: expected at least one');
  if (c.kind !== 'every-step' && c.kind !== 'after-event' && c.kind !== 'invariant') throw new Malformed(`kind: expected every-step, after-event or invariant, got ${JSON.stringify(c.kind)}`);
  const event = c.event === null || c.event === undefined ? null : comparison(c.event, 'event', known);
  if ((c.kind === 'after-event') !== (event !== null)) throw new Malformed('event: an after-event claim has an event, the other kinds none');
  if (!Number.isSafeInteger(c.horizon) || (c.horizon as number) < 0 || (c.horizon as number) > MAX_HORIZON) throw new Malformed(`horizon: expected an integer 0..${MAX_HORIZON}, got ${JSON.stringify(c.horizon)}`);
  if (typeof c.everyT !== 'boolean') throw new Malformed('everyT: expected a boolean');
  let invariant: Parsed['invariant'] = null;
  if (c.invariant !== null && c.invariant !== undefined) {
    const x = c.invariant;
    if (!isObject(x) || typeof x.use !== 'boolean' || typeof x.kept !== 'boolean') throw new Malformed('invariant: expected {relations, use, kept} or null');
    const relations = comparisons(x.relations, 'invariant.relations', known);
    if (relations.length === 0) throw new Malformed('invariant.relations: expected at least one');
    invariant = { relations, use: x.use, kept: x.kept };
  }
  if (!isObject(c.fractions)) throw new Malformed('fractions: expected {proved, upToT, outside}');
  const fractions = { proved: ratio(c.fractions.proved, 'fractions.proved'), upToT: ratio(c.fractions.upToT, 'fractions.upToT'), outside: ratio(c.fractions.outside, 'fractions.outside') };
  if (!Array.isArray(c.leaves) || c.leaves.length === 0) throw new Malformed('leaves: expected a nonempty array');
  const leaves = c.leaves.map((l, i): Leaf => {
    const w = `leaves[${i}]`;
    if (!isObject(l) || typeof l.path !== 'string' || !/^[01]*$/.test(l.path)) throw new Malformed(`${w}: expected {path: binary digits, box, state, step}`);
    if (l.path.length > 4096) throw new Malformed(`${w}: the path is deeper than 4096 splits`);
    if (typeof l.state !== 'string' || !STATES.has(l.state)) throw new Malformed(`${w}: state must be one of ${[...STATES].join(', ')}, got ${JSON.stringify(l.state)}`);
    if (!isObject(l.box)) throw new Malformed(`${w}.box: expected {name: "lo..hi"}`);
    const b = l.box;
    const box = coords.map((v) => rangeText(b[v], `${w}.box.${v}`));
    const step = l.step === null || l.step === undefined ? null : l.step;
    if (step !== null && (!Number.isSafeInteger(step) || (step as number) < 0 || (step as number) > MAX_HORIZON + 1)) throw new Malformed(`${w}.step: expected an integer 0..${MAX_HORIZON + 1} or null`);
    if ((l.state === 'entered' || l.state === 'left') && step === null) throw new Malformed(`${w}: an ${l.state} leaf needs its step`);
    return { path: l.path, box, state: l.state, step: step as number | null };
  });
  const all = [...where, ...along, ...when, ...statements, ...(event ? [event] : []), ...(invariant?.relations ?? [])];
  const readsStart = all.some((x) => [...symbolsOf(x.diff)].some((s) => s.endsWith('_0') && ps.includes(s.slice(0, -2))));
  return { params: ps, hypers: hs, coords, loss: m.loss, projection: m.projection === true, step, root, where, along, when, event, statements, kind: c.kind, horizon: c.horizon as number, everyT: c.everyT, invariant, fractions, leaves, readsStart };
}

// ---------------------------------------------------------------- the step against the loss

function derivative(p: P, i: number): P {
  const out = new P(p.vars);
  for (const [k, c] of p.terms) {
    const e = k.split(',').map(Number);
    if (e[i] === 0) continue;
    const coef = c.mul(Q.int(e[i]!));
    e[i]!--;
    const key = e.join(',');
    out.terms.set(key, (out.terms.get(key) ?? Q.ZERO).add(coef));
    if (out.terms.get(key)!.isZero()) out.terms.delete(key);
  }
  return out;
}

/** Is every step expression param - eta dL/dparam of the loss? A failure message, a note when it cannot tell, or null. */
function checkStep(p: Parsed): { failure?: string; note?: string } {
  if (p.projection) return { note: 'the step is not confirmed against the loss (a projected model: the step is taken as the certificate writes it)' };
  const vars = [...p.params, ...p.hypers];
  try {
    const loss = expand(parseExpr(p.loss), vars, new Map());
    const eta = P.variable(vars, vars.indexOf('eta'));
    for (let i = 0; i < p.params.length; i++) {
      const want = P.variable(vars, i).add(eta.mul(derivative(loss, i)), -1);
      if (!expand(p.step[i]!, vars, new Map()).equals(want)) return { failure: `the step of ${p.params[i]} is not ${p.params[i]} - eta dL/d${p.params[i]} of the loss "${p.loss}" (expanded)` };
    }
    return {};
  } catch (e) {
    if (e instanceof NotPolynomial || e instanceof CertExprError) return { note: `the step is not confirmed against the loss (${e.message}): it is taken as the certificate writes it` };
    throw e;
  }
}

// ---------------------------------------------------------------- tiling

const pow2 = (d: number): Q => Q.of(1n, 1n << BigInt(d));
const sameI = (a: I, b: I) => a.lo.eq(b.lo) && a.hi.eq(b.hi);

/** The tree of the leaves' paths and boxes: failures (empty when they tile the root exactly). */
function checkTiling(p: Parsed): ReachFailure[] {
  const out: ReachFailure[] = [];
  const name = (path: string) => (path === '' ? 'root' : path);
  const byPath = new Map<string, I[]>();
  for (const l of p.leaves) {
    if (byPath.has(l.path)) out.push({ path: name(l.path), message: 'two leaves have this path' });
    byPath.set(l.path, l.box);
  }
  if (out.length) return out;
  const paths = [...byPath.keys()].sort();
  // Sorted, a path that is a prefix of another comes right before some path it prefixes.
  for (let i = 0; i + 1 < paths.length; i++)
    if (paths[i + 1]!.startsWith(paths[i]!)) out.push({ path: name(paths[i]!), message: `the leaf is also an inner node (leaf ${paths[i + 1]} lies below it)` });
  let kraft = Q.ZERO;
  for (const path of paths) kraft = kraft.add(pow2(path.length));
  if (!kraft.eq(Q.ONE)) out.push({ path: 'certificate', message: `the leaves' volumes 2^-depth add up to ${kraft}, not 1: they do not tile the hypothesis box (a leaf is missing or extra)` });
  if (out.length) return out;
  // Bottom-up: siblings p0 and p1 must be their parent halved at the exact midpoint of one coordinate.
  const nodes = new Map(byPath);
  const maxDepth = Math.max(...paths.map((x) => x.length));
  for (let d = maxDepth; d >= 1; d--) {
    for (const path of [...nodes.keys()].filter((x) => x.length === d && x.endsWith('0'))) {
      const parent = path.slice(0, -1);
      const lo = nodes.get(path)!;
      const hi = nodes.get(`${parent}1`);
      if (!hi) {
        out.push({ path: name(path), message: `no sibling ${parent}1` });
        continue;
      }
      const differ = lo.map((_, i) => i).filter((i) => !sameI(lo[i]!, hi[i]!));
      const i = differ[0];
      if (differ.length !== 1 || i === undefined) {
        out.push({ path: name(path), message: `its box and its sibling's differ in ${differ.length} coordinates (${differ.map((k) => p.coords[k]).join(', ') || 'none'}), not one halved at its midpoint` });
        continue;
      }
      const a = lo[i]!;
      const b = hi[i]!;
      if (!(a.hi.eq(b.lo) && a.lo.lt(a.hi) && b.lo.lt(b.hi) && a.hi.eq(a.lo.mid(b.hi)))) {
        out.push({ path: name(path), message: `${p.coords[i]} in [${a.lo}, ${a.hi}] and its sibling's [${b.lo}, ${b.hi}] are not the two halves of one range at its midpoint` });
        continue;
      }
      const box = lo.slice();
      box[i] = iv(a.lo, b.hi);
      nodes.set(parent, box);
    }
    for (const path of [...nodes.keys()]) if (path.length === d) nodes.delete(path);
  }
  if (out.length) return out;
  const top = nodes.get('');
  if (!top || !top.every((x, i) => sameI(x, p.root[i]!)))
    out.push({ path: 'certificate', message: `the leaves' boxes join into ${top ? boxText(p.coords, top) : 'nothing'}, not the hypothesis box ${boxText(p.coords, p.root)}` });
  // Each leaf's exact volume (over the coordinates that range) is 2^-depth of the root's.
  for (const l of p.leaves) {
    let v = Q.ONE;
    p.root.forEach((r, i) => {
      if (r.lo.lt(r.hi)) v = v.mul(l.box[i]!.hi.sub(l.box[i]!.lo).div(r.hi.sub(r.lo)));
    });
    if (!v.eq(pow2(l.path.length))) out.push({ path: name(l.path), message: `its box is ${v} of the hypothesis volume, not 2^-${l.path.length}` });
  }
  return out;
}

function boxText(coords: readonly string[], box: readonly I[]): string {
  return box.map((x, i) => `${coords[i]} ${x.lo.eq(x.hi) ? `= ${x.lo.approx()}` : `in ${fmt(x)}`}`).join(', ');
}

/**
 * The fractions the leaves' states give (as the row's summary counts them): outside, of the whole box; of the rest,
 * proved (for a claim for every t only the entered and left leaves, else every decided leaf) and upToT (the leaves
 * decided through T: for a claim for every t the proved ones, else every decided leaf).
 */
function fractionsOf(p: Parsed): { proved: Q; upToT: Q; outside: Q } {
  let outside = Q.ZERO;
  let everyT = Q.ZERO;
  let throughT = Q.ZERO;
  for (const l of p.leaves) {
    const v = pow2(l.path.length);
    if (l.state === 'outside') outside = outside.add(v);
    else if (l.state === 'entered' || l.state === 'left') {
      if (p.everyT) everyT = everyT.add(v);
      else throughT = throughT.add(v);
    } else if (l.state === 'proved') throughT = throughT.add(v);
  }
  const inside = Q.ONE.sub(outside);
  const frac = (x: Q) => (inside.isZero() ? Q.ZERO : x.div(inside));
  return { outside, proved: frac(p.everyT ? everyT : everyT.add(throughT)), upToT: frac(throughT) };
}

// ---------------------------------------------------------------- forward differentiation

interface Dual {
  v: I;
  g: (I | null)[];
}

function recip(b: I): I {
  if (containsZero(b)) throw new NotDifferentiable('a reciprocal of an enclosure containing 0');
  return { lo: Q.ONE.div(b.hi), hi: Q.ONE.div(b.lo) };
}
const TMP = '#';
/** x^p for an interval x > 0 and a constant p, by the checker's own evaluation (evaluate.ts). */
function powrOf(x: I, p: Q): I {
  const v = evaluate({ k: 'powr', a: { k: 'var', name: TMP }, p }, new Map([[TMP, x]]));
  if (v.undef !== undefined || v.iv === null || v.maybe !== undefined) throw new NotDifferentiable('a non-integer power outside its domain');
  return v.iv;
}

/**
 * The value and gradient (over `active`) of a tree on the box `env`, by dual numbers of rational intervals. It
 * succeeds only where every partial operation is certainly defined on the box (a denominator away from 0, a root's
 * argument above 0), so success also shows the tree defined at every point of the box. abs, max and min give the
 * hull of their one-sided derivatives (they are Lipschitz: the mean-value inclusion holds with it).
 */
function grad(e: Expr, env: Env, active: ReadonlyMap<string, number>, m: number): Dual {
  const zero = (): (I | null)[] => new Array<I | null>(m).fill(null);
  const map = (a: Dual, f: (x: I) => I) => a.g.map((x) => (x === null ? null : f(x)));
  const add = (x: I | null, y: I | null) => (x === null ? y : y === null ? x : iadd(x, y));
  switch (e.k) {
    case 'const':
      return { v: point(e.q), g: zero() };
    case 'var': {
      const v = env.get(e.name);
      if (v === undefined) throw new CannotEvaluate(`no value for the symbol ${e.name}`);
      const g = zero();
      const i = active.get(e.name);
      if (i !== undefined) g[i] = point(Q.ONE);
      return { v, g };
    }
    case 'neg': {
      const a = grad(e.a, env, active, m);
      return { v: ineg(a.v), g: map(a, ineg) };
    }
    case 'add':
    case 'sub': {
      const a = grad(e.a, env, active, m);
      const b = grad(e.b, env, active, m);
      const s = e.k === 'add';
      return { v: s ? iadd(a.v, b.v) : isub(a.v, b.v), g: a.g.map((x, i) => add(x, b.g[i] === null ? null : s ? b.g[i]! : ineg(b.g[i]!))) };
    }
    case 'mul': {
      const a = grad(e.a, env, active, m);
      const b = grad(e.b, env, active, m);
      return { v: imul(a.v, b.v), g: a.g.map((x, i) => add(x === null ? null : imul(x, b.v), b.g[i] === null ? null : imul(a.v, b.g[i]!))) };
    }
    case 'div': {
      const a = grad(e.a, env, active, m);
      const b = grad(e.b, env, active, m);
      if (containsZero(b.v)) throw new NotDifferentiable('a denominator whose enclosure contains 0');
      const r = recip(b.v);
      const v = imul(a.v, r);
      return { v, g: a.g.map((x, i) => { const s = add(x, b.g[i] === null ? null : ineg(imul(v, b.g[i]!))); return s === null ? null : imul(s, r); }) };
    }
    case 'powi': {
      const a = grad(e.a, env, active, m);
      const k = e.n;
      if (k === 0) return { v: point(Q.ONE), g: zero() };
      if (k < 0 && containsZero(a.v)) throw new NotDifferentiable('a negative power of an enclosure containing 0');
      const pw = (j: number): I => (j >= 0 ? ipowNat(a.v, j) : recip(ipowNat(a.v, -j)));
      const dv = iscale(Q.int(k), pw(k - 1));
      return { v: pw(k), g: map(a, (x) => imul(dv, x)) };
    }
    case 'sqrt': {
      const a = grad(e.a, env, active, m);
      if (a.v.lo.sign() <= 0) throw new NotDifferentiable('a square root of an enclosure reaching 0');
      const v = isqrtNonneg(a.v);
      const half = recip(iscale(Q.int(2), v));
      return { v, g: map(a, (x) => imul(x, half)) };
    }
    case 'powr': {
      const a = grad(e.a, env, active, m);
      if (a.v.lo.sign() <= 0) throw new NotDifferentiable('a non-integer power of an enclosure reaching 0');
      const dv = iscale(e.p, powrOf(a.v, e.p.sub(Q.ONE)));
      return { v: powrOf(a.v, e.p), g: map(a, (x) => imul(dv, x)) };
    }
    case 'abs': {
      const a = grad(e.a, env, active, m);
      if (a.v.lo.sign() >= 0) return a;
      if (a.v.hi.sign() <= 0) return { v: ineg(a.v), g: map(a, ineg) };
      const s = iv(Q.int(-1), Q.ONE);
      return { v: iabs(a.v), g: map(a, (x) => imul(s, x)) };
    }
    case 'max':
    case 'min': {
      const a = grad(e.a, env, active, m);
      const b = grad(e.b, env, active, m);
      const aWins = e.k === 'max' ? b.v.hi.le(a.v.lo) : a.v.hi.le(b.v.lo);
      const bWins = e.k === 'max' ? a.v.hi.le(b.v.lo) : b.v.hi.le(a.v.lo);
      if (aWins) return a;
      if (bWins) return b;
      const z = point(Q.ZERO);
      return { v: e.k === 'max' ? imax(a.v, b.v) : imin(a.v, b.v), g: a.g.map((x, i) => (x === null && b.g[i] === null ? null : ihull(x ?? z, b.g[i] ?? z))) };
    }
    case 'unsupported':
      throw new CannotEvaluate(`${e.what} (the checker evaluates + - * / ^ sqrt abs max min only)`);
  }
}

// ---------------------------------------------------------------- zonotopes

const qabs = (q: Q): Q => (q.sign() < 0 ? q.neg() : q);
const mag = (x: I): Q => Q.max(qabs(x.lo), qabs(x.hi));
/** A dyadic near q (either side): the discarded part is always accounted for by the caller. */
const near = (q: Q): Q => (q.isZero() ? q : q.roundDyadic(BITS, false));
/** A dyadic >= q >= 0 with few bits: error radii need no precision. */
const up = (q: Q): Q => (q.isZero() ? q : q.roundDyadic(53, true));

/**
 * The state's coordinates: the parameters (moved by the step), then the hyperparameters that range in the box
 * and the start values (kept by it). A hyperparameter fixed in the box is a constant of the environment.
 */
interface Layout {
  names: string[];
  /** Rows the step moves: 0..n-1. */
  n: number;
  /** Constants of every evaluation: the fixed hyperparameters. */
  fixed: Map<string, I>;
  /** Active coordinates of a gradient: every row. */
  active: Map<string, number>;
}

interface Zonotope {
  a: Q[];
  /** G[i][j]: row i (a coordinate), column j (a generator). */
  G: Q[][];
  /** Columns 0..start-1 are the box's own (one per coordinate that ranges); the rest are error generators. */
  start: number;
  /** The coordinate (index into the box's coordinates) of each of the box's own columns. */
  coordOf: number[];
}

function layout(p: Parsed, box: readonly I[]): Layout {
  const names = [...p.params];
  const fixed = new Map<string, I>();
  p.hypers.forEach((h, k) => {
    const x = box[p.params.length + k]!;
    if (x.lo.eq(x.hi)) fixed.set(h, x);
    else names.push(h);
  });
  if (p.readsStart) for (const q of p.params) names.push(`${q}_0`);
  return { names, n: p.params.length, fixed, active: new Map(names.map((s, i) => [s, i])) };
}

function initial(p: Parsed, L: Layout, box: readonly I[]): Zonotope {
  const rowOf = (coord: number): number[] => {
    const name = p.coords[coord]!;
    const rows = [L.names.indexOf(name)];
    if (coord < p.params.length && p.readsStart) rows.push(L.names.indexOf(`${name}_0`));
    return rows.filter((r) => r >= 0);
  };
  const a = L.names.map(() => Q.ZERO);
  const cols: { coord: number; r: Q }[] = [];
  p.coords.forEach((_, coord) => {
    const x = box[coord]!;
    const rows = rowOf(coord);
    for (const r of rows) a[r] = x.lo.mid(x.hi);
    if (x.lo.lt(x.hi) && rows.length > 0) cols.push({ coord, r: x.hi.sub(x.lo).mul(Q.of(1n, 2n)) });
  });
  const G = L.names.map(() => cols.map(() => Q.ZERO));
  cols.forEach((c, j) => {
    for (const r of rowOf(c.coord)) G[r]![j] = c.r;
  });
  return { a, G, start: cols.length, coordOf: cols.map((c) => c.coord) };
}

function radius(row: readonly Q[]): Q {
  let s = Q.ZERO;
  for (const g of row) if (!g.isZero()) s = s.add(qabs(g));
  return s;
}

function hullEnv(L: Layout, Z: Zonotope, t: number): Map<string, I> {
  const env = new Map(L.fixed);
  L.names.forEach((name, i) => {
    const r = radius(Z.G[i]!);
    env.set(name, iv(Z.a[i]!.sub(r), Z.a[i]!.add(r)));
  });
  env.set('t', point(Q.int(t)));
  return env;
}

function centreEnv(L: Layout, Z: Zonotope, t: number): Map<string, I> {
  const env = new Map(L.fixed);
  L.names.forEach((name, i) => env.set(name, point(Z.a[i]!)));
  env.set('t', point(Q.int(t)));
  return env;
}

class StepFailure extends Error {}

/** One GD step of the zonotope (see the module's docstring); throws StepFailure where the step cannot be enclosed. */
function advance(p: Parsed, L: Layout, Z: Zonotope, t: number, X: Env): Zonotope {
  const C = centreEnv(L, Z, t);
  const k = Z.G[0]!.length;
  const widths = Z.G.map(radius);
  const a = Z.a.slice();
  const G = Z.G.map((row) => row.slice());
  const errors: Q[] = [];
  for (let i = 0; i < L.n; i++) {
    const f = p.step[i]!;
    const fc = evaluate(f, C);
    if (fc.undef !== undefined || fc.iv === null || fc.maybe !== undefined) throw new StepFailure(`the step of ${p.params[i]} is not defined at the enclosure's centre at step ${t}`);
    let d: Dual;
    try {
      d = grad(f, X, L.active, L.names.length);
    } catch (e) {
      if (e instanceof NotDifferentiable) throw new StepFailure(`the step of ${p.params[i]} is not enclosed on the enclosure at step ${t}: ${e.message}`);
      throw e;
    }
    const mid: Q[] = [];
    let nonlinear = Q.ZERO;
    d.g.forEach((g, l) => {
      if (g === null) {
        mid.push(Q.ZERO);
        return;
      }
      const c = near(g.lo.mid(g.hi));
      mid.push(c);
      nonlinear = nonlinear.add(Q.max(g.hi.sub(c), c.sub(g.lo)).mul(widths[l]!));
    });
    let rounding = Q.ZERO;
    const row: Q[] = new Array<Q>(k);
    for (let j = 0; j < k; j++) {
      let s = Q.ZERO;
      for (let l = 0; l < mid.length; l++) if (!mid[l]!.isZero() && !Z.G[l]![j]!.isZero()) s = s.add(mid[l]!.mul(Z.G[l]![j]!));
      const r = near(s);
      rounding = rounding.add(qabs(s.sub(r)));
      row[j] = r;
    }
    const centre = near(fc.iv.lo.mid(fc.iv.hi));
    const spread = Q.max(fc.iv.hi.sub(centre), centre.sub(fc.iv.lo));
    a[i] = centre;
    G[i] = row;
    errors.push(up(spread.add(rounding).add(nonlinear)));
  }
  // The error box as new generators, one per parameter (zero in the rows the step keeps).
  errors.forEach((e, i) => {
    if (e.isZero()) return;
    G.forEach((row, r) => row.push(r === i ? e : Q.ZERO));
  });
  return reduce(L, { a, G, start: Z.start, coordOf: Z.coordOf });
}

/** Girard's order reduction: past n * EXTRA_PER_PARAM error generators, the least elongated are boxed (exactly enclosed). */
function reduce(L: Layout, Z: Zonotope): Zonotope {
  const k = Z.G[0]!.length;
  const extra = k - Z.start;
  const cap = L.n * EXTRA_PER_PARAM;
  if (extra <= cap) return Z;
  const cols = Array.from({ length: extra }, (_, x) => Z.start + x);
  const score = (j: number) => {
    let one = Q.ZERO;
    let inf = Q.ZERO;
    for (let i = 0; i < L.n; i++) {
      const g = qabs(Z.G[i]![j]!);
      one = one.add(g);
      inf = Q.max(inf, g);
    }
    return one.sub(inf);
  };
  const scores = new Map(cols.map((j) => [j, score(j)]));
  const order = cols.slice().sort((x, y) => scores.get(x)!.cmp(scores.get(y)!) || x - y);
  const boxed = new Set(order.slice(0, extra - (cap - L.n)));
  const keep = [...Array(k).keys()].filter((j) => !boxed.has(j));
  const G = Z.G.map((row) => keep.map((j) => row[j]!));
  for (let i = 0; i < L.n; i++) {
    let s = Q.ZERO;
    for (const j of boxed) s = s.add(qabs(Z.G[i]![j]!));
    if (s.isZero()) continue;
    G.forEach((row, r) => row.push(r === i ? up(s) : Q.ZERO));
  }
  return { a: Z.a, G, start: Z.start, coordOf: Z.coordOf };
}

// ---------------------------------------------------------------- deciding relations on a zonotope

type Verdict = 'true' | 'false' | 'undefined' | 'unknown';

interface Decision {
  verdict: Verdict;
  /** The enclosure of rhs - lhs (unknown verdicts), for messages. */
  enclosure?: I | null;
  /** Per box coordinate, how much its generator spreads the enclosure (to choose a split). */
  spread?: Q[];
}

/** Does the enclosure d of rhs - lhs show the comparison true (want) or false (!want) everywhere? */
function decides(rel: Rel, d: I, want: boolean): boolean {
  const lo = d.lo.sign();
  const hi = d.hi.sign();
  if (want)
    return rel === '<' ? lo > 0 : rel === '<=' ? lo >= 0 : rel === '>' ? hi < 0 : rel === '>=' ? hi <= 0 : lo === 0 && hi === 0;
  return rel === '<' ? hi <= 0 : rel === '<=' ? hi < 0 : rel === '>' ? lo >= 0 : rel === '>=' ? lo > 0 : lo > 0 || hi < 0;
}

/**
 * A comparison on every point of the zonotope: 'true' (defined and true everywhere), 'false' (false or undefined
 * everywhere), 'undefined' (undefined everywhere), or 'unknown'. Natural evaluation on the hull first, then the
 * mean-value form over the zonotope's generators.
 */
function decide(c: Comparison, L: Layout, Z: Zonotope, t: number, X: Env): Decision {
  const v = evaluate(c.diff, X);
  if (v.undef !== undefined) return { verdict: 'undefined' };
  const nat = v.iv;
  if (nat !== null && v.maybe === undefined && decides(c.rel, nat, true)) return { verdict: 'true' };
  if (nat !== null && decides(c.rel, nat, false)) return { verdict: 'false' };
  let d: Dual;
  try {
    d = grad(c.diff, X, L.active, L.names.length);
  } catch (e) {
    if (e instanceof NotDifferentiable) return { verdict: 'unknown', enclosure: nat };
    throw e;
  }
  const fc = evaluate(c.diff, centreEnv(L, Z, t));
  if (fc.undef !== undefined || fc.iv === null) return { verdict: 'unknown', enclosure: nat };
  const k = Z.G[0]!.length;
  let r = Q.ZERO;
  const spread = new Array<Q>(Z.coordOf.length).fill(Q.ZERO);
  for (let j = 0; j < k; j++) {
    let s: I | null = null;
    d.g.forEach((g, l) => {
      const x = Z.G[l]![j]!;
      if (g === null || x.isZero()) return;
      const term = iscale(x, g);
      s = s === null ? term : iadd(s, term);
    });
    if (s === null) continue;
    const m = mag(s);
    r = r.add(m);
    if (j < Z.start) spread[j] = m;
  }
  let enc = iv(fc.iv.lo.sub(r), fc.iv.hi.add(r));
  // The gradient's success shows the comparison defined on the whole hull.
  if (nat !== null) enc = iintersect(enc, nat);
  if (decides(c.rel, enc, true)) return { verdict: 'true' };
  if (decides(c.rel, enc, false)) return { verdict: 'false' };
  return { verdict: 'unknown', enclosure: enc, spread };
}

// ---------------------------------------------------------------- one piece of a leaf

type PieceResult =
  | { ok: true; steps: number; usedSet: boolean }
  | { ok: false; steps: number; message: string; certain: boolean; split?: number };

/** The box coordinate whose generator spreads an undecided relation most, or the widest relative to the leaf. */
function splitHint(p: Parsed, Z: Zonotope, d: Decision | undefined, box: readonly I[], leafBox: readonly I[]): number | undefined {
  if (d?.spread && Z.start > 0) {
    let best = -1;
    d.spread.forEach((s, j) => {
      const x = box[Z.coordOf[j]!]!;
      if (x.lo.lt(x.hi) && (best < 0 || d.spread![best]!.lt(s))) best = j;
    });
    if (best >= 0 && d.spread[best]!.sign() > 0) return Z.coordOf[best];
  }
  let best: number | undefined;
  let w = Q.ZERO;
  box.forEach((x, i) => {
    const l = leafBox[i]!;
    if (!x.lo.lt(x.hi)) return;
    const r = x.hi.sub(x.lo).div(l.hi.sub(l.lo));
    if (best === undefined || w.lt(r)) [best, w] = [i, r];
  });
  return best;
}

const encText = (d: Decision) => (d.enclosure !== undefined ? `rhs - lhs in ${fmt(d.enclosure)}` : d.verdict);

/** Re-establish what a leaf claims on one box (the leaf's, or a half the checker made of it). */
function checkPiece(p: Parsed, leaf: Leaf, box: readonly I[]): PieceResult {
  const L = layout(p, box);
  let Z = initial(p, L, box);
  const fail = (message: string, d?: Decision, certain = false): PieceResult => ({ ok: false, steps, message, certain, split: certain ? undefined : splitHint(p, Z, d, box, leaf.box) });
  let steps = 0;
  if (leaf.state === 'outside') {
    const X = hullEnv(L, Z, 0);
    const ds = p.where.map((c) => decide(c, L, Z, 0, X));
    if (ds.some((d) => d.verdict === 'false' || d.verdict === 'undefined')) return { ok: true, steps: 1, usedSet: false };
    const k = ds.findIndex((d) => d.verdict === 'unknown');
    return fail(p.where.length === 0 ? 'an outside leaf, but the certificate has no where relation' : `no where relation is shown false on the box${k >= 0 ? ` ("${p.where[k]!.text}": ${encText(ds[k]!)})` : ''}`, k >= 0 ? ds[k] : undefined);
  }
  const s = leaf.step;
  // A proved leaf is decided through T; entered and left ones before their step, then at it.
  const last = leaf.state === 'proved' ? p.horizon : s!;
  let eventPossible = p.kind !== 'after-event';
  let eventCertain = eventPossible;
  /** Every orbit has met the along hypotheses at every step so far (for the certain-violation shortcut only). */
  let alongCertain = true;
  let usedSet = false;
  const inSet = (X: Env, t: number) => p.invariant !== null && p.invariant.relations.every((c) => decide(c, L, Z, t, X).verdict === 'true');
  // The `when` premises hold every relation of the set (the same sides and relation, not only the same label): where
  // they hold the point is in the set, where its use obligation decides the statement at any step.
  const whenInSet = p.invariant !== null && p.invariant.relations.every((r) => p.when.some((w) => w.form === r.form));
  for (let t = 0; ; t++) {
    steps++;
    const X = hullEnv(L, Z, t);
    if (leaf.state === 'entered' && t === s) {
      if (p.invariant === null || !p.invariant.kept || !p.invariant.use) return fail(`an entered leaf, but the certificate's set is ${p.invariant === null ? 'absent' : 'not proved both kept and implying the statement'}`, undefined, true);
      for (const c of p.invariant.relations) {
        const d = decide(c, L, Z, t, X);
        // Outside the set on the whole enclosure: no split can help.
        if (d.verdict !== 'true') return fail(`at step ${t} the enclosure is not shown inside the set: "${c.text}" (${d.verdict === 'unknown' ? encText(d) : `${d.verdict} on the whole enclosure`})`, d, d.verdict !== 'unknown');
      }
      return { ok: true, steps, usedSet: true };
    }
    const along = p.along.map((c) => decide(c, L, Z, t, X));
    const left = along.some((d) => d.verdict === 'false' || d.verdict === 'undefined');
    // Every orbit has left the along hypotheses: nothing is claimed from here on.
    if (left) return { ok: true, steps, usedSet };
    if (leaf.state === 'left' && t === s) {
      const k = along.findIndex((d) => d.verdict === 'unknown');
      // Every along hypothesis holding on the whole enclosure: no split can help.
      return fail(`at step ${t} no along hypothesis is shown to fail on the enclosure${k >= 0 ? ` ("${p.along[k]!.text}": ${encText(along[k]!)})` : ', where they all hold'}`, k >= 0 ? along[k] : undefined, k < 0);
    }
    if (p.event && !eventCertain) {
      const d = decide(p.event, L, Z, t, X);
      if (d.verdict === 'true') eventPossible = eventCertain = true;
      else if (d.verdict === 'unknown') eventPossible = true;
    }
    let asserted = eventPossible;
    alongCertain &&= along.every((d) => d.verdict === 'true');
    let premisesCertain = eventCertain && alongCertain;
    if (asserted)
      for (const c of p.when) {
        const d = decide(c, L, Z, t, X);
        if (d.verdict === 'false' || d.verdict === 'undefined') asserted = false;
        else if (d.verdict !== 'true') premisesCertain = false;
      }
    if (asserted)
      for (const c of p.statements) {
        const d = decide(c, L, Z, t, X);
        if (d.verdict === 'true' || d.verdict === 'undefined') continue;
        // The set implies the statement (its use obligation): an enclosure inside it decides the step.
        if (p.invariant?.use && (whenInSet || inSet(X, t))) {
          usedSet = true;
          break;
        }
        // Certainly false on the whole enclosure while every premise certainly holds: no split can help.
        const certain = d.verdict === 'false' && premisesCertain;
        return fail(`at step ${t} "${c.text}" is ${d.verdict === 'false' ? 'false on the whole enclosure' : `not shown (${encText(d)})`}${certain ? ' while every premise holds' : ''}`, d, certain);
      }
    if (t === last && leaf.state === 'proved') return { ok: true, steps, usedSet };
    try {
      Z = advance(p, L, Z, t, X);
    } catch (e) {
      if (e instanceof StepFailure) return fail(e.message);
      throw e;
    }
    const wide = L.names.slice(0, L.n).findIndex((_, i) => Q.max(Q.ONE, qabs(Z.a[i]!)).lt(radius(Z.G[i]!)));
    if (wide >= 0) return fail(`the enclosure of ${p.params[wide]} grew wider than its magnitude at step ${t + 1}`);
  }
}

function halves(box: readonly I[], i: number): [I[], I[]] {
  const x = box[i]!;
  const m = x.lo.mid(x.hi);
  const lo = box.slice();
  lo[i] = iv(x.lo, m);
  const hi = box.slice();
  hi[i] = iv(m, x.hi);
  return [lo, hi];
}

/** A leaf re-established on its box, halving it (breadth-first, at most PIECES boxes) where one enclosure does not decide. */
function checkLeaf(p: Parsed, leaf: Leaf): { failure?: string; pieces: number; steps: number; usedSet: boolean } {
  const queue: I[][] = [leaf.box];
  let pieces = 0;
  let steps = 0;
  let usedSet = false;
  for (let head = 0; head < queue.length; head++) {
    const box = queue[head]!;
    let r: PieceResult;
    try {
      r = checkPiece(p, leaf, box);
    } catch (e) {
      if (e instanceof CannotEvaluate) return { failure: `cannot evaluate ${e.message}`, pieces, steps, usedSet };
      throw e;
    }
    pieces++;
    steps += r.steps;
    if (r.ok) {
      usedSet ||= r.usedSet;
      continue;
    }
    const room = pieces + (queue.length - head - 1) + 2 <= PIECES;
    if (!r.certain && r.split !== undefined && room) {
      queue.push(...halves(box, r.split));
      continue;
    }
    const on = box === leaf.box ? '' : ` (on the piece ${boxText(p.coords, box)}, after ${pieces} boxes)`;
    return { failure: `${r.message}${on}`, pieces, steps, usedSet };
  }
  return { pieces, steps, usedSet };
}

// ---------------------------------------------------------------- the whole

/** Re-checks a reachability certificate (untrusted JSON). */
export function checkReachCertificate(cert: unknown, options: ReachCheckOptions = {}): ReachCheckResult {
  const result: ReachCheckResult = { ok: false, leaves: 0, failures: [], states: {}, pieces: 0, boxSteps: 0, relies: [], notes: [] };
  let p: Parsed;
  try {
    p = parseCertificate(cert);
  } catch (e) {
    if (e instanceof Malformed) return { ...result, failures: [{ path: 'certificate', message: e.message }] };
    throw e;
  }
  const failures = result.failures;
  result.leaves = p.leaves.length;
  for (const l of p.leaves) result.states[l.state] = (result.states[l.state] ?? 0) + 1;
  const stepCheck = checkStep(p);
  if (stepCheck.failure) failures.push({ path: 'certificate', message: stepCheck.failure });
  if (stepCheck.note) result.notes.push(stepCheck.note);
  failures.push(...checkTiling(p));
  const f = fractionsOf(p);
  if (!f.outside.eq(p.fractions.outside)) failures.push({ path: 'certificate', message: `the outside leaves are ${f.outside} of the box, the certificate says ${p.fractions.outside}` });
  if (!f.proved.eq(p.fractions.proved)) failures.push({ path: 'certificate', message: `the proved${p.everyT ? ' (every t)' : ''} leaves are ${f.proved} of the volume inside the where relations, the certificate says ${p.fractions.proved}` });
  if (!f.upToT.eq(p.fractions.upToT)) failures.push({ path: 'certificate', message: `the leaves decided through T are ${f.upToT} of the volume inside the where relations, the certificate says ${p.fractions.upToT}` });
  const relies = new Set<string>();
  const max = options.maxFailures ?? Infinity;
  for (const leaf of p.leaves) {
    if (failures.length >= max) break;
    if (leaf.state === 'open' || leaf.state === 'refuted') continue;
    const r = checkLeaf(p, leaf);
    result.pieces += r.pieces;
    result.boxSteps += r.steps;
    if (r.failure !== undefined) failures.push({ path: leaf.path === '' ? 'root' : leaf.path, message: `${leaf.state} leaf: ${r.failure}` });
    if (leaf.state === 'entered') ['consecution', 'use'].forEach((x) => relies.add(x));
    else if (r.usedSet) relies.add('use');
  }
  const open = (result.states.open ?? 0) + (result.states.refuted ?? 0);
  if (open > 0) result.notes.push(`${open} open or refuted leaves claim nothing and are not re-checked (a refuted leaf's counterexample is certified on its own true orbit)`);
  result.relies = ['consecution', 'use'].filter((x) => relies.has(x));
  result.ok = failures.length === 0;
  return result;
}

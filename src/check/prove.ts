import type { MathNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { type CompiledComparison, type CompiledLemma, type DrawSpec } from '../lemma/compile.js';
import type { Step } from '../dynamics/gd.js';
import { parseExpr, substitute, freeSymbols } from '../symbolic/expr.js';
import { NotRationalFunctionError, constantToRational, toAlgebraic, type AlgebraicValue, type RatFunc } from '../symbolic/rational-function.js';
import { definedness, type Definedness } from '../symbolic/algebra.js';
import { Interval } from '../numeric/interval.js';
import { CertainlyUndefined } from '../numeric/partial.js';
import { evalInterval } from '../symbolic/interval-eval.js';
import { Rational } from '../numeric/rational.js';
import { topEigenpair } from '../numeric/symmetric-eigen.js';
import { LemmaError } from '../lemma/errors.js';
import { decideExact, ExactIterate, type Truth } from './decide.js';
import { equalByRoots, proveByReductions } from './reductions.js';
import { searchWitness } from './witness-search.js';
import { boundedCheck, relationOf, z3Api, z3Translation, type Bound } from './z3-query.js';

/**
 * Statements "for every theta" (identity lemmas), decided without sampling.
 *
 * Semantics (README, "Partial terms"): the hypotheses are the hyperparameter ranges, the `where`
 * relations that do not mention the start, and the `when` premises; a premise holds where its
 * terms are defined and its relation holds. Each statement is asserted where its own terms are
 * defined: its definedness conditions restrict that statement only, never another one or a premise.
 *
 * 1. Vacuity first: for each statement, an exact point inside the hypotheses where the premises
 *    hold and the statement is defined (found by exact evaluation on a rational grid, or by Z3).
 *    None exists: VACUOUS. None found and Z3 cannot tell: UNDECIDED.
 * 2. Equations without premises: both sides expanded to rational functions over Q (square roots
 *    of squares of known sign are rational; max/min stay symbolic and agree when their argument
 *    sets agree). A nonzero difference is refuted at an exact point inside the hypotheses.
 * 3. Everything else: Z3 over the reals, under a deterministic resource limit (`rlimit`) and memory
 *    limit (Z3_MEMORY_MB), never a wall-clock timeout; either one reached is an unknown. sqrt(x) is a
 *    variable s with x >= 0 -> (s >= 0 and s^2 = x); the sharpness S is a variable with sI - H
 *    positive semidefinite and singular (Sylvester: every principal minor >= 0, det = 0), which
 *    makes it exactly the largest eigenvalue of H. Parameter
 *    ranges (`hypotheses.params`) are bounds of the query like the hyperparameter ranges.
 * 4. When Z3 answers unknown: a search for an exact counterexample (check/witness-search.ts: the
 *    rational grid, seeded random points, a local search on the float margin; every candidate
 *    confirmed by exact evaluation), then the reductions (check/reductions.ts: sqrt rewriting, case
 *    splits on abs/max/min, factor signs, repeated subterms as fresh variables; an upper bound affine
 *    in S as "-B I - A H is semidefinite" by Gershgorin rows or principal minors), each query under
 *    the same rlimit. Equations with square roots that are not squares are first tried by the root
 *    algebra (sqrt(X)^2 -> X, r^2 = X) in step 2.
 *
 * Every PROVED result carries a certificate a reader can re-run elsewhere: the expanded sides, or
 * the SMT-LIB2 query Z3 answered unsat.
 */
export type ProofResult =
  | { status: 'proved'; method: 'proved-expansion' | 'proved-z3'; detail: string; certificate: string }
  | { status: 'refuted'; method: 'proved-expansion' | 'proved-z3'; statement: string; witness: Record<string, string>; detail: string; certificate?: string }
  | { status: 'vacuous'; detail: string; certificate?: string }
  | { status: 'unknown'; detail: string };

/**
 * Z3's deterministic resource limit per query: the same count on a quiet and on a loaded machine.
 * The catalogue's hardest query (c10-c-non-increasing-when-c-nonnegative) needs 255,749 units (measured);
 * at the rates measured here (16k to 250k units/s) the limit stops a hopeless query within about 6 to 140 s ("S <= sum of abs(H entries)": 3 min at 2M).
 */
export const Z3_RLIMIT = 1_500_000;
/** The first try's limit (check/prove.ts, proveWithZ3): above the catalogue's hardest query (255,749 units). */
export const Z3_FIRST_RLIMIT = 400_000;
/**
 * Z3's memory limit per query, in MB over what Z3 holds when the query starts (check/z3-query.ts,
 * boundedCheck): a query that reaches it answers unknown ("Z3 ran out of memory (limit 1024 MB)"). Z3
 * counts its allocations, so this is as deterministic as the rlimit. Needed because the rlimit does not
 * bound memory: a reductions query of "L_next <= L" over the stable set of lemmas/c12-stable-set-kept.ts
 * grew to z3-solver's fixed 2 GB WebAssembly memory within its rlimit and aborted the process (issue
 * 24); with this limit it stops at 1.24 GB resident (the whole process). Far below the ceiling, for the
 * allocator's overhead; far above the catalogue's needs (measured: its 17 Z3 queries, every pack,
 * peak at 144 MB held by Z3 in the whole process, and the same 170 outcomes as without the limit).
 */
export const Z3_MEMORY_MB = 1024;

/** Replace p_next by p - eta * dL/dp: the exact GD map (compile already inlines it; kept for assume). */
function oneStep(model: DerivedModel, node: MathNode): MathNode {
  const defs = new Map<string, MathNode>();
  model.params.forEach((p, i) => {
    defs.set(`${p}_next`, model.step[i]!.cloneDeep());
  });
  return substitute(node, defs);
}

function assumptions(lemma: CompiledLemma, model: DerivedModel): Map<string, MathNode> {
  const syms = new Set([...model.params, ...model.hypers]);
  const out = new Map<string, MathNode>();
  for (const [k, v] of Object.entries(lemma.spec.assume ?? {})) {
    if (!model.params.includes(k)) throw new LemmaError(lemma.file, lemma.id, `assume.${k}`, `only parameters can be assumed (${model.params.join(', ')})`);
    out.set(k, parseExpr(v, syms, `${lemma.file} [${lemma.id}]: assume.${k}`));
  }
  return out;
}

/** A comparison with `assume` substituted, and its definedness conditions (both sides). */
interface Prepared {
  c: CompiledComparison;
  lhs: MathNode;
  rhs: MathNode;
  defined: Definedness[];
}

function prepare(model: DerivedModel, assume: Map<string, MathNode>, c: CompiledComparison): Prepared {
  const f = (n: MathNode) => substitute(oneStep(model, n), assume);
  const lhs = f(c.lhsExact);
  const rhs = f(c.rhsExact);
  return { c, lhs, rhs, defined: [...definedness(lhs), ...definedness(rhs)] };
}

// ---- exact evaluation at points ------------------------------------------------------------

interface ProofContext {
  model: DerivedModel;
  lemma: CompiledLemma;
  assume: Map<string, MathNode>;
  /** Free variables: the parameters not assumed, the hyperparameters, and mu if used. */
  vars: string[];
  hyps: Prepared[];
  statements: Prepared[];
}

/** The truth of a prepared comparison at an exact point (params after `assume`), or undefined if it cannot be decided. */
function truthAt(ctx: ProofContext, p: Prepared, point: Map<string, Rational>): Truth | undefined {
  const { model } = ctx;
  const scalars = new Map<string, Interval>();
  for (const [k, v] of point) scalars.set(k, Interval.point(v));
  // The full parameter vector at the point: assumed parameters evaluated from the free ones
  // (an assumption undefined there, 1/x at x = 0, makes every statement undefined).
  const theta: Rational[] = [];
  for (const q of model.params) {
    const a = ctx.assume.get(q);
    if (!a) theta.push(point.get(q) ?? Rational.fromInt(0));
    else {
      const v = exactValue(a, scalars);
      if (v === undefined || v === 'undefined') return v;
      theta.push(v);
    }
  }
  model.params.forEach((q, i) => scalars.set(q, Interval.point(theta[i]!)));
  const iterates: Parameters<typeof decideExact>[2]['iterates'] = {};
  if (p.c.uses.has('S') || p.c.uses.has('S_next')) {
    const hyperExact = new Map(model.hypers.map((h) => [h, scalars.get(h)!]));
    const mk = (th: Rational[]): ExactIterate => {
      const x = th.map((r) => r.toNumber());
      const h = model.hypers.map((k) => scalars.get(k)!.lo.toNumber());
      const n = model.params.length;
      const H = new Float64Array(n * n);
      model.kernels.hessian(x, h, H);
      const top = topEigenpair(Array.from({ length: n }, (_, i) => Array.from(H.subarray(i * n, i * n + n))));
      const step = { t: 0, theta: x, topVector: top.vector, S: top.value } as unknown as Step;
      return new ExactIterate(model, step, hyperExact, () => th);
    };
    iterates[''] = mk(theta);
    if (p.c.uses.has('S_next')) {
      // The GD map (model.step) at the witness point, exactly.
      const next = model.step.map((si) => exactValue(si, scalars));
      if (next.some((x) => x === undefined || x === 'undefined')) return undefined;
      iterates._next = mk(next as Rational[]);
    }
  }
  const d = decideExact(model, { ...p.c, lhsExact: p.lhs, rhsExact: p.rhs, uses: new Set([...freeSymbols(p.lhs), ...freeSymbols(p.rhs)]) }, { iterates, scalars });
  return d.holds;
}

/** The exact value of a rational expression at a point, 'undefined' where a term is, undefined if not rational there. */
function exactValue(node: MathNode, env: ReadonlyMap<string, Interval>): Rational | 'undefined' | undefined {
  try {
    const v = evalInterval(node, env);
    return v.isPoint() ? v.lo : undefined;
  } catch (e) {
    if (e instanceof CertainlyUndefined) return 'undefined';
    return undefined;
  }
}

/** Deterministic exact points inside the hypotheses: range corners and interior grid points, small rationals for free parameters. */
function* gridPoints(ctx: ProofContext, count: number): Generator<Map<string, Rational>> {
  const { lemma } = ctx;
  const fractions = (d: DrawSpec) => {
    if ('fixed' in d.draw) return [constantToRational(d.draw.fixed)];
    const lo = constantToRational(d.draw.min);
    const hi = constantToRational(d.draw.max);
    const fr = [0, 1, 1 / 2, 1 / 4, 3 / 4, 1 / 8, 7 / 8, 1 / 16, 1 / 3, 2 / 3];
    return fr.map((f) => lo.add(hi.sub(lo).mul(Rational.fromDecimalString(String(f)))));
  };
  const hyperChoices = lemma.hyperDraws.map(fractions);
  const paramVals = [1, -1, 2, 1 / 2, -1 / 2, 3, -2, 3 / 2, 0, 1 / 4, -3, 5 / 4, 4, -1 / 4, 3 / 4, 5].map((x) => Rational.fromDecimalString(String(x)));
  // A parameter bounded by `hypotheses.params` takes the fractions of its range, like a hyperparameter.
  const paramChoices = new Map((lemma.paramDraws ?? []).map((d) => [d.name, fractions(d)] as const));
  const free = ctx.vars.filter((v) => !ctx.model.hypers.includes(v));
  // A fixed pseudo-random walk through the product grid (no Math.random: the result is reproducible).
  let s = 0x9e3779b9;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  for (let k = 0; k < count; k++) {
    const pt = new Map<string, Rational>();
    lemma.hyperDraws.forEach((d, i) => {
      const ch = hyperChoices[i]!;
      pt.set(d.name, ch[k < ch.length ? k % ch.length : Math.floor(next() * ch.length)]!);
    });
    free.forEach((v, i) => {
      const vals = paramChoices.get(v) ?? paramVals;
      pt.set(v, vals[k === 0 ? 0 : (k * (i + 3) + Math.floor(next() * vals.length)) % vals.length]!);
    });
    yield pt;
  }
}

function premisesHold(ctx: ProofContext, pt: Map<string, Rational>): boolean | undefined {
  for (const h of ctx.hyps) {
    const t = truthAt(ctx, h, pt);
    if (t !== true) return t === undefined ? undefined : false;
  }
  return true;
}

function pointRecord(pt: Map<string, Rational>): Record<string, string> {
  return Object.fromEntries([...pt].map(([k, v]) => [k, v.toString()]));
}

/** The ranges of the free variables: hyperparameters, and parameters bounded by `hypotheses.params`. */
function lemmaBounds(ctx: ProofContext): Bound[] {
  const out: Bound[] = [];
  for (const d of [...ctx.lemma.hyperDraws, ...(ctx.lemma.paramDraws ?? [])]) {
    if (!ctx.vars.includes(d.name)) continue;
    if ('fixed' in d.draw) {
      const v = constantToRational(d.draw.fixed);
      out.push({ name: d.name, lo: v, hi: v });
    } else out.push({ name: d.name, lo: constantToRational(d.draw.min), hi: constantToRational(d.draw.max) });
  }
  return out;
}

// ---- the proof ------------------------------------------------------------------------------

export interface ProveOptions {
  /** Z3's memory limit per query in MB (default Z3_MEMORY_MB); a test forces the out-of-memory path with a small one. */
  z3MemoryMb?: number;
}

export async function proveLemma(model: DerivedModel, lemma: CompiledLemma, options: ProveOptions = {}): Promise<ProofResult> {
  const assume = assumptions(lemma, model);
  const usesMu = [...lemma.statements, ...lemma.when].some((c) => c.uses.has('mu'));
  const vars = [...model.params.filter((p) => !assume.has(p)), ...model.hypers, ...(usesMu ? ['mu'] : [])];
  const hypComparisons = [...lemma.where.filter((w) => ![...w.uses].some((u) => u.endsWith('_0'))), ...lemma.when];
  const ctx: ProofContext = {
    model,
    lemma,
    assume,
    vars,
    hyps: hypComparisons.map((c) => prepare(model, assume, c)),
    statements: lemma.statements.map((c) => prepare(model, assume, c)),
  };

  // 1. Vacuity: a witness point per statement, by exact evaluation first.
  const needZ3Witness: Prepared[] = [];
  const witnesses: string[] = [];
  for (const st of ctx.statements) {
    let found: Map<string, Rational> | undefined;
    for (const pt of gridPoints(ctx, 64)) {
      if (premisesHold(ctx, pt) !== true) continue;
      const t = truthAt(ctx, st, pt);
      if (t === true || t === false) {
        found = pt;
        break;
      }
    }
    if (found) witnesses.push(`${st.c.text}: defined under the premises at ${JSON.stringify(pointRecord(found))}`);
    else needZ3Witness.push(st);
  }

  // 2. Equations without premises: expansion.
  const allEquations = lemma.statements.every((s) => s.rel === '==') && lemma.when.length === 0 && ctx.hyps.length === 0;
  if (allEquations && needZ3Witness.length === 0) {
    const r = proveByExpansion(ctx);
    if (r) return r.status === 'proved' ? { ...r, detail: `${r.detail}; non-vacuous: ${witnesses.length} statements defined at exact points inside the hypotheses` } : r;
  }
  return proveWithZ3(ctx, needZ3Witness, witnesses, options.z3MemoryMb ?? Z3_MEMORY_MB);
}

function algebraicEqual(l: AlgebraicValue, r: AlgebraicValue): boolean | 'different' | undefined {
  const zero = (a: RatFunc, b: RatFunc) => a.num.mul(b.den).sub(b.num.mul(a.den)).isZero();
  if (l.kind === 'rf' && r.kind === 'rf') return zero(l.f, r.f) ? true : 'different';
  if (l.kind !== 'rf' && l.kind === r.kind) {
    const covers = (xs: RatFunc[], ys: RatFunc[]) => xs.every((x) => ys.some((y) => zero(x, y)));
    if (covers(l.args, r.args) && covers(r.args, l.args)) return true;
  }
  return undefined;
}

function proveByExpansion(ctx: ProofContext): ProofResult | undefined {
  const cert: string[] = [];
  for (const st of ctx.statements) {
    let l: AlgebraicValue;
    let r: AlgebraicValue;
    // Square roots that are not squares: the root algebra (sqrt(X)^2 -> X, sqrt(Y^2) -> |Y|, r^2 = X).
    const byRoots = () => {
      const steps = equalByRoots(ctx.vars, lemmaBounds(ctx), { lhs: st.lhs, rel: '==', rhs: st.rhs }, st.defined);
      if (steps) cert.push(`${st.c.text}:  lhs = ${st.lhs.toString()}  rhs = ${st.rhs.toString()}\n  ${steps.join('\n  ')}`);
      return steps !== undefined;
    };
    try {
      l = toAlgebraic(st.lhs, ctx.vars);
      r = toAlgebraic(st.rhs, ctx.vars);
    } catch (e) {
      if (e instanceof NotRationalFunctionError) {
        if (byRoots()) continue;
        return undefined;
      }
      throw e;
    }
    const eq = algebraicEqual(l, r);
    if (eq === undefined) {
      if (byRoots()) continue;
      return undefined;
    }
    if (eq === 'different') {
      // Refute at an exact point inside the hypotheses where both sides are defined and differ.
      for (const pt of gridPoints(ctx, 400)) {
        if (truthAt(ctx, st, pt) === false)
          return {
            status: 'refuted',
            method: 'proved-expansion',
            statement: st.c.text,
            witness: pointRecord(pt),
            detail: 'lhs - rhs expands to a nonzero rational function; the statement fails at an exact point inside the hypotheses',
          };
      }
      return undefined; // nonzero, but no witness inside the hypotheses on the grid: Z3 decides
    }
    cert.push(`${st.c.text}:  lhs = ${st.lhs.toString()}  rhs = ${st.rhs.toString()}`);
  }
  return {
    status: 'proved',
    method: 'proved-expansion',
    detail: `both sides expand to the same rational function in ${ctx.vars.join(', ')} (wherever the terms are defined)`,
    certificate: `Each difference lhs - rhs below expands to the zero rational function (check with any CAS, e.g. sympy.simplify(lhs - rhs) == 0):\n${cert.join('\n')}`,
  };
}

async function proveWithZ3(ctx: ProofContext, needWitness: Prepared[], witnesses: string[], memoryMb: number): Promise<ProofResult> {
  const { model, lemma } = ctx;
  // One module for the whole proof: after a stop on memory its later queries are "not run" (z3Api).
  const api = await z3Api();
  const Z = api.Context('main');
  const consts = new Map<string, any>(ctx.vars.map((v) => [v, Z.Real.const(v)]));
  // Definitions of auxiliary variables: global, but each is an implication (sqrt) or a definition
  // that always exists (S), so they never restrict the domain of anything.
  const { backend, definitions, condition } = z3Translation(Z, model, ctx.assume, consts);
  const relation = (p: Prepared) => relationOf(Z, backend, p.lhs, p.c.rel, p.rhs);
  const defined = (p: Prepared) => Z.And(Z.Bool.val(true), ...p.defined.map(condition));
  const ranges: any[] = [];
  // Hyperparameter ranges, then the parameters' (`hypotheses.params`).
  for (const d of [...lemma.hyperDraws, ...(lemma.paramDraws ?? []).filter((p) => consts.has(p.name))]) {
    const x = consts.get(d.name);
    if ('fixed' in d.draw) ranges.push(x.eq(Z.Real.val(constantToRational(d.draw.fixed).toString())));
    else ranges.push(x.ge(Z.Real.val(constantToRational(d.draw.min).toString())), x.le(Z.Real.val(constantToRational(d.draw.max).toString())));
  }
  let premises: any[];
  let goals: any[];
  let needDefined: any[];
  try {
    premises = ctx.hyps.map((h) => Z.And(defined(h), relation(h)));
    goals = ctx.statements.map((s) => Z.Implies(defined(s), relation(s)));
    needDefined = needWitness.map((s) => defined(s));
  } catch (e) {
    return { status: 'unknown', detail: (e as Error).message };
  }
  const solver = (limit = Z3_RLIMIT) => {
    // One fixed tactic, not new Z.Solver(): the default nonlinear strategy switches configurations on
    // internal wall-clock timeouts, so which stage answers (and whether any does) depends on load.
    const s = (Z as any).AndThen('simplify', 'propagate-values', 'qfnra-nlsat').solver();
    // A deterministic budget: the same count of Z3's internal steps on a quiet and on a loaded machine.
    s.set('rlimit', limit);
    return s;
  };
  // Z3's benchmark printer (toSmtlib2) introduces a let for every subterm whose reference count is above
  // one, and references held by not-yet-collected JS wrappers count: the same query printed differently
  // after other proofs in the process. The solver's own printer aliases by occurrences within the printed
  // assertions only, so the certificate is the same bytes every time.
  const smt2 = (s: any) => `; eos-check ${lemma.id}: unsat means the statement holds at every point of the hypotheses\n(set-info :status unknown)\n${s.toString()}(check-sat)\n`;

  // Vacuity for the statements without a witness point: is "hypotheses and premises and defined" satisfiable?
  for (let k = 0; k < needWitness.length; k++) {
    const s = solver();
    s.add(...ranges, ...definitions, ...premises, needDefined[k]);
    const { answer: r, reason } = await boundedCheck(api, s, Z3_RLIMIT, memoryMb);
    if (r === 'unsat')
      return {
        status: 'vacuous',
        detail: `no point inside the hypotheses satisfies the premises with "${needWitness[k]!.c.text}" defined (Z3: unsat): the statement claims nothing`,
        certificate: smt2(s),
      };
    if (r !== 'sat') return { status: 'unknown', detail: `could not show that the premises can hold with "${needWitness[k]!.c.text}" defined (Z3 answered ${r}: ${reason})` };
    witnesses.push(`${needWitness[k]!.c.text}: Z3 found a point inside the hypotheses where the premises hold and it is defined`);
  }

  // The negation, at a resource limit: unsat proves, sat refutes (with Z3's point), unknown is a string.
  const negation = async (limit: number): Promise<ProofResult | string> => {
    const s = solver(limit);
    s.add(...ranges, ...definitions, ...premises, Z.Not(Z.And(...goals)));
    const { answer: r, reason } = await boundedCheck(api, s, limit, memoryMb);
    if (r === 'unsat')
      return {
        status: 'proved',
        method: 'proved-z3',
        detail: `Z3: the negation is unsatisfiable over the reals (${premises.length} premises, ${ranges.length} range bounds); non-vacuous`,
        certificate: smt2(s),
      };
    if (r === 'sat') {
      const m = s.model();
      const witness: Record<string, string> = {};
      for (const [k, c] of consts) {
        const v: any = m.eval(c, true);
        witness[k] = typeof v.asString === 'function' ? v.asString() : v.toString();
      }
      const failing = ctx.statements.find((_, i) => !String(m.eval(goals[i], true)).includes('true')) ?? ctx.statements[0]!;
      // Re-check Z3's point exactly when its coordinates are rational (Z3 may answer algebraic numbers).
      const pt = new Map<string, Rational>();
      for (const [k, v] of Object.entries(witness)) if (/^-?\d+(\/\d+)?$/.test(v)) pt.set(k, Rational.fromDecimalString(v.includes('/') ? '0' : v).add(v.includes('/') ? Rational.fromDecimalString(v.split('/')[0]!).div(Rational.fromDecimalString(v.split('/')[1]!)) : Rational.fromInt(0)));
      const rational = pt.size === ctx.vars.length;
      const confirmed = rational && premisesHold(ctx, pt) === true && truthAt(ctx, failing, pt) === false;
      return {
        status: 'refuted',
        method: 'proved-z3',
        statement: failing.c.text,
        witness,
        detail: `Z3 found a point inside the hypotheses where the premises hold and the statement is defined and fails${confirmed ? ' (confirmed by exact evaluation)' : rational ? ' (exact re-evaluation could not confirm it: reported on Z3\'s word)' : ' (algebraic coordinates: not re-evaluated)'}`,
      };
    }
    // The units spent are not reported: Z3's count shifts by a few units with the process's history,
    // and the JSON report must not.
    return `Z3 answered ${r} (${reason})`;
  };
  // A first try at a quarter of the limit (every catalogue proof needs less), then the counterexample search
  // and the reductions, and the full limit only for what they leave: a claim the reductions prove does not wait
  // for a hopeless query to run out first.
  const first = await negation(Z3_FIRST_RLIMIT);
  if (typeof first !== 'string') return first;
  const unknown = first;
  // A counterexample first (cheap, and a false claim's reductions can only fail), then the reductions.
  const found = searchWitness({
    vars: ctx.vars,
    ranges: lemmaBounds(ctx).map((b) => ({ name: b.name, lo: b.lo!, hi: b.hi! })),
    premises: ctx.hyps.map((h) => ({ lhs: h.lhs, rel: h.c.rel, rhs: h.rhs })),
    statements: ctx.statements.map((st) => ({ lhs: st.lhs, rel: st.c.rel, rhs: st.rhs })),
    grid: gridPoints(ctx, 400),
    confirm: (pt) => {
      if (premisesHold(ctx, pt) !== true) return undefined;
      const k = ctx.statements.findIndex((st) => truthAt(ctx, st, pt) === false);
      return k < 0 ? undefined : k;
    },
  });
  if (found)
    return {
      status: 'refuted',
      method: 'proved-z3',
      statement: ctx.statements[found.statement]!.c.text,
      witness: pointRecord(found.point),
      detail: `${unknown}; the witness search (${found.how}) found a point inside the hypotheses where the premises hold and the statement is defined and fails (confirmed by exact evaluation)`,
    };
  const red = await proveByReductions({
    model,
    assume: ctx.assume,
    vars: ctx.vars,
    bounds: lemmaBounds(ctx),
    premises: ctx.hyps.map((h) => ({ text: h.c.text, cmp: { lhs: h.lhs, rel: h.c.rel, rhs: h.rhs }, defined: h.defined })),
    statements: ctx.statements.map((st) => ({ text: st.c.text, cmp: { lhs: st.lhs, rel: st.c.rel, rhs: st.rhs }, defined: st.defined })),
    lemmaId: lemma.id,
    api,
    rlimit: Z3_RLIMIT,
    memoryMb,
  });
  if (red.status === 'proved') return { status: 'proved', method: 'proved-z3', detail: red.detail, certificate: red.certificate };
  const full = await negation(Z3_RLIMIT);
  if (typeof full !== 'string') return full;
  return { status: 'unknown', detail: `${unknown}; no counterexample found by the witness search; reductions: ${red.detail}; ${full}` };
}

// ---- for the region prover (check/region-prove.ts) ------------------------------------------

/**
 * The exact truth of the premises (hyperparameter ranges excluded: the caller's point is inside
 * them) and of each statement at an exact point, decided as proveLemma decides a witness.
 */
export function exactPointTruth(model: DerivedModel, lemma: CompiledLemma): { premises: (pt: Map<string, Rational>) => boolean | undefined; statement: (k: number, pt: Map<string, Rational>) => Truth | undefined } {
  const assume = assumptions(lemma, model);
  const usesMu = [...lemma.statements, ...lemma.when].some((c) => c.uses.has('mu'));
  const vars = [...model.params.filter((p) => !assume.has(p)), ...model.hypers, ...(usesMu ? ['mu'] : [])];
  const hypComparisons = [...lemma.where.filter((w) => ![...w.uses].some((u) => u.endsWith('_0'))), ...lemma.when];
  const ctx: ProofContext = { model, lemma, assume, vars, hyps: hypComparisons.map((c) => prepare(model, assume, c)), statements: lemma.statements.map((c) => prepare(model, assume, c)) };
  return { premises: (pt) => premisesHold(ctx, pt), statement: (k, pt) => truthAt(ctx, ctx.statements[k]!, pt) };
}

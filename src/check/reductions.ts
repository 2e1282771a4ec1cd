import { SymbolNode, type MathNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import type { Definedness } from '../symbolic/algebra.js';
import { freeSymbols, substitute } from '../symbolic/expr.js';
import { definedness } from '../symbolic/algebra.js';
import { asSharpnessBound, gershgorinClaims, minorClaims } from '../symbolic/sharpness-bound.js';
import { leadingIndexSets, principalMinorIndexSets } from '../numeric/sylvester.js';
import {
  ClaimKnowledge,
  abstractRepeated,
  applyAbstractions,
  replaceKey,
  cmpText,
  decideBySigns,
  rewriteTree,
  signFact,
  splitCases,
  sub,
  type Abstraction,
  type Cmp,
  type ClaimContext,
} from '../symbolic/reduce.js';
import { ANY, NEG, POS, ZERO, relationSigns, signText, type SignSet } from '../symbolic/signs.js';
import { QueryRunner, type Bound, type QueryClaim } from './z3-query.js';

/**
 * The reductions of an identity lemma whose whole claim Z3 left unknown (check/prove.ts): each
 * statement separately, under the premises, is
 *
 * 1. rewritten (symbolic/reduce.ts: sqrt(X)^2 -> X, sqrt(Y^2) -> |Y|, abs/max/min of known sign),
 * 2. split into cases on the remaining abs, max and min (each case with its branch conditions),
 * 3. in each case decided from the signs of the factors of lhs - rhs when they settle it (no query),
 * 4. else sent to Z3 in reduced forms, first answer unsat wins: the product of the factors of
 *    unknown sign (when the others have a known sign), the claim with its repeated subterms as
 *    fresh variables without their definitions (a relaxation: smallest subterms first, then
 *    largest first), the same with the definitions as equations, and the case itself.
 *
 * Before that, a statement bounding S (or S_next) from above, A S + B <= 0 or < 0 with A >= 0 known,
 * is first replaced by claims without S that imply it (sharpnessAsMatrix: Gershgorin's rows, then
 * Sylvester's minors of -B I - A H), each closed by steps 1-4; if they do not all close, the
 * statement goes through steps 1-4 itself.
 *
 * Every case must be closed for the statement to be proved. Each query runs under the same
 * deterministic resource limit as the whole claim, so the verdict and the certificate are the same
 * on a quiet and on a loaded machine.
 */

export interface ReductionStatement {
  text: string;
  cmp: Cmp;
  defined: Definedness[];
}

export interface ReductionInput {
  model: DerivedModel;
  assume: ReadonlyMap<string, MathNode>;
  /** The lemma's free variables (parameters not assumed, hyperparameters, mu). */
  vars: string[];
  /** Bounds: hyperparameter ranges and parameter ranges (`hypotheses.params`). */
  bounds: Bound[];
  premises: ReductionStatement[];
  statements: ReductionStatement[];
  lemmaId: string;
  api: any;
  rlimit: number;
  /** Z3's memory limit per query in MB (check/z3-query.ts, boundedCheck); check/prove.ts passes Z3_MEMORY_MB. */
  memoryMb?: number;
}

export type ReductionResult =
  | { status: 'proved'; certificate: string; detail: string }
  | { status: 'unknown'; detail: string; steps: string[] };

/** Names of the model's quantities as they appear inlined in a prepared tree (for readable fresh variables). */
export function quantityNames(model: DerivedModel, assume: ReadonlyMap<string, MathNode>): Map<string, string> {
  const out = new Map<string, string>();
  const toNext = new Map(model.params.map((p, i) => [p, model.step[i]!] as const));
  const put = (name: string, n: MathNode) => {
    const key = substitute(n, assume).toString();
    if (!out.has(key)) out.set(key, name);
  };
  model.params.forEach((p, i) => put(`${p}_next`, model.step[i]!));
  const named: [string, MathNode][] = [['L', model.loss], ...[...model.quantities].filter(([k]) => !model.implicit.has(k)), ...model.params.map((p, i) => [`g_${p}`, model.gradient[i]!] as [string, MathNode])];
  for (const [k, v] of named) {
    put(k, v);
    put(`${k}_next`, substitute(v, toNext));
  }
  return out;
}

/** Signs of bounded variables (a range with min > 0 gives a positive symbol). */
function boundSigns(bounds: readonly Bound[]): Map<string, { sign: SignSet; why: string }> {
  const varSigns = new Map<string, { sign: SignSet; why: string }>();
  for (const b of bounds) {
    let s: SignSet = ANY;
    if (b.lo !== undefined && b.hi !== undefined && b.lo.eq(b.hi)) s = b.lo.sign() > 0 ? POS : b.lo.sign() < 0 ? NEG : ZERO;
    else {
      if (b.lo !== undefined) s &= b.lo.sign() > 0 ? POS : b.lo.sign() === 0 ? POS | ZERO : ANY;
      if (b.hi !== undefined) s &= b.hi.sign() < 0 ? NEG : b.hi.sign() === 0 ? NEG | ZERO : ANY;
    }
    if (s !== ANY) varSigns.set(b.name, { sign: s, why: `${b.name} in [${b.lo?.toString() ?? '-inf'}, ${b.hi?.toString() ?? 'inf'}]` });
  }
  return varSigns;
}

/**
 * An equation proved by the root algebra: both sides rewritten (roots of squares, squares of roots,
 * abs/max/min of known sign) and lhs - rhs reduced modulo r^2 = X to 0. The steps for the
 * certificate, or undefined.
 */
export function equalByRoots(vars: string[], bounds: readonly Bound[], cmp: Cmp, defined: Definedness[]): string[] | undefined {
  const cctx: ClaimContext = { base: vars, varSigns: boundSigns(bounds), bounds: [...bounds] };
  const K0 = new ClaimKnowledge(cctx, [], cmp, defined);
  const log = new Set<string>();
  const goal: Cmp = { lhs: rewriteTree(cmp.lhs, vars, (n) => K0.signOf(n), log), rel: cmp.rel, rhs: rewriteTree(cmp.rhs, vars, (n) => K0.signOf(n), log) };
  const K = new ClaimKnowledge(cctx, [], goal, defined);
  try {
    const d = K.alg.difference(goal);
    if (!d.num.isZero()) return undefined;
  } catch (e) {
    if ((e as Error).name === 'NotRationalFunctionError') return undefined;
    throw e;
  }
  const roots = K.alg.atoms.filter((a) => a.kind === 'sqrt' && a.square && !a.alias).map((a) => `${a.key} (r^2 = its argument)`);
  return [...[...log].map((l) => `rewrite: ${l}`), `after rewriting, lhs - rhs expands to 0${roots.length ? ` with the square roots ${roots.join(', ')} as symbols r reduced by r^2 = X` : ''}`, `rewritten: lhs = ${goal.lhs.toString()}  rhs = ${goal.rhs.toString()}`];
}

/** The outcome of closing one claim (a statement, or a claim a reduction derived from it). */
type Closing = { closed: true; lines: string[]; queries: string[]; cases: number; bySigns: number } | { closed: false; where: string; why: string };

export async function proveByReductions(input: ReductionInput): Promise<ReductionResult> {
  const { bounds } = input;
  const varSigns = boundSigns(bounds);
  const cctx: ClaimContext = { base: input.vars, varSigns, bounds };
  const names = quantityNames(input.model, input.assume);
  // For the certificate's text: the model's quantities by name (alpha_next, C_next, ...), long terms clipped.
  const byLength = [...names].sort(([a], [b]) => b.length - a.length || (a < b ? -1 : 1));
  const show = (n: MathNode): string => {
    let t = n;
    for (const [key, name] of byLength) if (t.toString().includes(key)) t = replaceKey(t, key, symbol(name));
    return short(t.toString());
  };
  const runner = new QueryRunner(input.api, input.model, input.assume, input.vars, input.rlimit, input.memoryMb);
  const reserved = new Set([...input.vars, 'S', 'S_next', 'mu']);

  const report: string[] = [];
  const queries: string[] = [];
  let decidedBySigns = 0;
  let cases = 0;
  const premiseCmps = input.premises.map((p) => p.cmp);
  const texts = input.premises.map((p) => p.text);

  /**
   * Close one claim under the premises: rewrite, split into cases, signs, then the Z3 attempts. With
   * `direct`, the claim as stated is sent to Z3 first (a derived claim has not been tried as a whole).
   * Lines are indented by `indent`; query numbers continue from `firstQuery`. Nothing is recorded
   * unless the caller keeps the result, so a failed derived claim leaves the certificate as it was.
   */
  const closeClaim = async (cmp: Cmp, defined: Definedness[], label: string, indent: string, firstQuery: number, direct: boolean): Promise<Closing> => {
    const out: string[] = [];
    const qs: string[] = [];
    let nCases = 0;
    let bySigns = 0;
    const premisesQ0 = premiseCmps.map((p, i) => ({ cmp: p, defined: input.premises[i]!.defined }));
    if (direct) {
      const r = await runner.check({ comment: `${label} (unsat means it holds)`, fresh: [], bounds, facts: [], premises: premisesQ0, goal: { cmp, defined } });
      if (r.answer === 'unsat') return { closed: true, lines: [`${indent}the claim: Z3 query ${firstQuery + 1} unsat`], queries: [r.smt2], cases: 1, bySigns: 0 };
      // The query is the claim itself, not a relaxation: sat means it fails somewhere, and no reduction can close it.
      if (r.answer === 'sat') return { closed: false, where: '', why: 'the claim as stated: sat (it fails at a point of the hypotheses)' };
      out.push(`${indent}the claim as stated: ${r.answer} (${r.reason})`);
    }
    const K0 = new ClaimKnowledge(cctx, premiseCmps, cmp, defined, [], texts);
    const log = new Set<string>();
    const rw = (c: Cmp, K: ClaimKnowledge): Cmp => ({ lhs: rewriteTree(c.lhs, input.vars, (n) => K.signOf(n), log, show), rel: c.rel, rhs: rewriteTree(c.rhs, input.vars, (n) => K.signOf(n), log, show) });
    const goal = rw(cmp, K0);
    const premises = premiseCmps.map((p) => rw(p, K0));
    const lines: string[] = [];
    for (const l of log) lines.push(`${indent}rewrite: ${l}`);
    const impossible = (conds: Cmp[]) =>
      conds.some((c) => {
        const s = K0.signOf(sub(c.lhs, c.rhs));
        return (s & relationSigns(c.rel)) === 0;
      });
    const split = splitCases({ premises, goal }, impossible, 32, show);
    if (split.cases.length > 1 || split.dropped.length > 0) lines.push(`${indent}case split: ${split.cases.length} case${split.cases.length === 1 ? '' : 's'}${split.complete ? '' : ' (further abs/max/min left to Z3: too many cases)'}${split.dropped.length ? `; impossible under the hypotheses, so closed: ${split.dropped.join(' | ')}` : ''}`);
    for (let c = 0; c < split.cases.length; c++) {
      nCases++;
      const cs = split.cases[c]!;
      const tag = split.cases.length > 1 ? `${indent}case ${c + 1} of ${split.cases.length} (${cs.labels.join('; ')})` : `${indent}the claim`;
      const caseLog = new Set<string>();
      let g = cs.goal;
      let ps = cs.premises;
      if (cs.conditions.length > 0) {
        const K1 = new ClaimKnowledge(cctx, [...ps, ...cs.conditions], g, defined, [], [...texts, ...cs.conditions.map((x) => `case condition ${cmpText(x, show)}`)]);
        const rw1 = (x: Cmp): Cmp => ({ lhs: rewriteTree(x.lhs, input.vars, (n) => K1.signOf(n), caseLog, show), rel: x.rel, rhs: rewriteTree(x.rhs, input.vars, (n) => K1.signOf(n), caseLog, show) });
        g = rw1(g);
        ps = ps.map(rw1);
      }
      const K = new ClaimKnowledge(cctx, [...ps, ...cs.conditions], g, defined, [], [...texts, ...cs.conditions.map((x) => `case condition ${cmpText(x, show)}`)]);
      const caseLines: string[] = [...[...caseLog].map((l) => `rewrite: ${l}`)];
      if (cs.conditions.length) caseLines.unshift(`conditions: ${cs.conditions.map((x) => cmpText(x, show)).join(', ')}`);
      const dec = decideBySigns(K, g);
      if (dec.kind === 'proved') {
        bySigns++;
        lines.push(`${tag}: closed by signs, no query`, ...[...caseLines, ...dec.lines].map((l) => `${indent}  ${l}`));
        continue;
      }
      // The Z3 attempts, in order.
      const premisesQ = ps.map((p, i) => ({ cmp: p, defined: input.premises[i]!.defined }));
      const attempts: { what: string; claim: QueryClaim }[] = [];
      const caseLabel = `${label}${split.cases.length > 1 ? `, case ${c + 1}` : ''}`;
      if (dec.kind === 'reduced' && dec.reduced)
        attempts.push({
          what: `factors of known sign removed (${dec.lines.join('; ')}): Z3 on ${cmpText(dec.reduced, show)}`,
          claim: { comment: `${caseLabel}: the factors of unknown sign (unsat means it holds)`, fresh: [], bounds, facts: cs.conditions, premises: premisesQ, goal: { cmp: dec.reduced, defined } },
        });
      const trees = [g.lhs, g.rhs, ...ps.flatMap((p) => [p.lhs, p.rhs]), ...cs.conditions.flatMap((p) => [p.lhs, p.rhs])];
      const abstractionClaim = (all: Abstraction[], withDefinitions: boolean, what: string) => {
        // Without definitions, a fresh variable that no longer occurs (inside a larger one) is dropped.
        const left = new Set(trees.flatMap((t) => [...freeSymbols(applyAbstractions(t, all))]));
        const occurs = (a: Abstraction) => left.has(a.name);
        const abs = withDefinitions ? all : all.filter(occurs);
        const A = (t: MathNode) => applyAbstractions(t, all);
        const AC = (x: Cmp): Cmp => ({ lhs: A(x.lhs), rel: x.rel, rhs: A(x.rhs) });
        const AD = (ds: Definedness[]) => ds.map((d) => ({ expr: A(d.expr), is: d.is }));
        const facts: Cmp[] = [];
        for (const a of abs) {
          const f = signFact(a.name, a.sign);
          if (f) facts.push(f);
        }
        const defs: Cmp[] = withDefinitions ? abs.map((a) => ({ lhs: symbol(a.name), rel: '==' as const, rhs: a.def })) : [];
        return {
          what: `${what}: ${abs.map((a) => `${a.name} := ${show(a.original)} [${signText(a.sign)}]`).join(', ')}`,
          claim: {
            comment: `${caseLabel}: repeated subterms as fresh variables${withDefinitions ? ' with their definitions' : ' (definitions dropped: a relaxation)'} (unsat means it holds)`,
            fresh: all.map((a) => a.name),
            bounds,
            facts: [...defs, ...facts, ...cs.conditions.map(AC)],
            premises: premisesQ.map((p) => ({ cmp: AC(p.cmp), defined: AD(p.defined) })),
            goal: { cmp: AC(g), defined: AD(defined) },
          },
        };
      };
      const signOf = (n: MathNode) => K.signOf(n);
      const small = abstractRepeated(trees, { order: 'small-first', base: input.vars, names, reserved, signOf });
      const large = abstractRepeated(trees, { order: 'large-first', base: input.vars, names, reserved, signOf });
      const keyOf = (a: Abstraction[]) => a.map((x) => x.key).join('|');
      if (small.abstractions.length) attempts.push(abstractionClaim(small.abstractions, false, 'repeated subterms as fresh variables, definitions dropped (smallest first)'));
      if (large.abstractions.length && keyOf(large.abstractions) !== keyOf(small.abstractions)) attempts.push(abstractionClaim(large.abstractions, false, 'repeated subterms as fresh variables, definitions dropped (largest first)'));
      if (small.abstractions.length) attempts.push(abstractionClaim(small.abstractions, true, 'repeated subterms as fresh variables with their defining equations'));
      const changed = log.size > 0 || caseLog.size > 0 || split.cases.length > 1 || split.dropped.length > 0;
      if (changed)
        attempts.push({ what: 'the case as it stands', claim: { comment: `${caseLabel} (unsat means it holds)`, fresh: [], bounds, facts: cs.conditions, premises: premisesQ, goal: { cmp: g, defined } } });
      let closed = false;
      const tried: string[] = [];
      for (const a of attempts) {
        const r = await runner.check(a.claim);
        if (r.answer === 'unsat') {
          qs.push(r.smt2);
          lines.push(`${tag}: Z3 query ${firstQuery + qs.length} unsat`, ...[...caseLines, a.what].map((l) => `${indent}  ${l}`));
          closed = true;
          break;
        }
        tried.push(`${a.what.split(':')[0]}: ${r.answer}${r.answer === 'unknown' ? ` (${r.reason})` : ''}`);
      }
      if (!closed) {
        const why = attempts.length === 0 ? 'no reduction applies' : tried.join('; ');
        return { closed: false, where: split.cases.length > 1 ? `, case ${c + 1} of ${split.cases.length} (${cs.labels.join('; ')})` : '', why: direct ? `${out.join('; ').trim()}; ${why}` : why };
      }
    }
    return { closed: true, lines: [...out, ...lines], queries: qs, cases: nCases, bySigns };
  };

  const keep = (r: Closing & { closed: true }) => {
    report.push(...r.lines);
    queries.push(...r.queries);
    cases += r.cases;
    decidedBySigns += r.bySigns;
  };

  let matrixBounds = 0;
  for (let k = 0; k < input.statements.length; k++) {
    const st = input.statements[k]!;
    report.push(`statement ${k + 1}: ${st.text}`);
    const label = `eos-check ${input.lemmaId}, statement ${k + 1}`;
    const matrix = await sharpnessAsMatrix(input, cctx, premiseCmps, texts, st, label, show, closeClaim, queries.length);
    if (matrix.status === 'proved') {
      matrixBounds++;
      report.push(...matrix.lines);
      queries.push(...matrix.queries);
      cases += matrix.cases;
      decidedBySigns += matrix.bySigns;
      continue;
    }
    const r = await closeClaim(st.cmp, st.defined, label, '  ', queries.length, false);
    if (!r.closed) {
      const tried = matrix.status === 'not-closed' ? `; ${matrix.why}` : '';
      return { status: 'unknown', detail: `statement ${k + 1}${r.where} not closed by the reductions: ${r.why}${tried}`, steps: report };
    }
    keep(r);
  }
  const certificate = [
    'Z3 answered unknown on the whole claim within its resource limit; the reductions below prove it. Each step is sound on its own:',
    'a rewrite is an equality where the statement is defined, a case split covers every point, a sign argument uses only the',
    'hypotheses (ranges, premises, case conditions, where the statement is defined), and a query with fresh variables whose',
    `definitions are dropped is a relaxation (every point of the claim gives a point of the query).${matrixBounds ? ' An upper bound on S is implied by its matrix claims (named with it).' : ''} Every query below is unsat.`,
    ...report,
    '',
    `SMT-LIB2 queries answered unsat (${queries.length}; run each with z3):`,
    ...queries.map((q, i) => `; ---- query ${i + 1} ----\n${q}`),
  ].join('\n');
  return {
    status: 'proved',
    certificate,
    detail: `Z3 unknown on the whole claim; proved by reductions: ${matrixBounds ? `${matrixBounds} upper bound${matrixBounds === 1 ? '' : 's'} on the sharpness as matrix claims, ` : ''}${cases} case${cases === 1 ? '' : 's'}, ${decidedBySigns} closed by factor signs, ${queries.length} Z3 quer${queries.length === 1 ? 'y' : 'ies'} unsat; non-vacuous`,
  };
}

/**
 * Rung for a statement that bounds one sharpness symbol from above, A S + B <= 0 (or < 0) with A >= 0
 * known from the hypotheses (symbolic/sharpness-bound.ts): it holds iff -B I - A H is positive
 * semidefinite (definite) wherever the hypotheses hold, so the statement is replaced by claims
 * without S, each closed like a statement: first Gershgorin's n row claims, then Sylvester's minors
 * (every principal minor >= 0, or every leading minor > 0 for a strict bound; only for n <= 4, at
 * most 15 minors: the determinants' degree grows with n). A rung stops at its first claim not
 * closed; nothing it tried enters the certificate unless all its claims close. A lower bound on S
 * is not reduced (it needs a vector).
 */
async function sharpnessAsMatrix(
  input: ReductionInput,
  cctx: ClaimContext,
  premiseCmps: Cmp[],
  texts: string[],
  st: ReductionStatement,
  label: string,
  show: (n: MathNode) => string,
  closeClaim: (cmp: Cmp, defined: Definedness[], label: string, indent: string, firstQuery: number, direct: boolean) => Promise<Closing>,
  firstQuery: number,
): Promise<{ status: 'proved'; lines: string[]; queries: string[]; cases: number; bySigns: number } | { status: 'not-applicable' } | { status: 'not-closed'; why: string }> {
  const form = asSharpnessBound(st.cmp, ['S', 'S_next']);
  if (!form) return { status: 'not-applicable' };
  const { bound } = form;
  const K = new ClaimKnowledge(cctx, premiseCmps, st.cmp, st.defined, [], texts);
  let aSign: SignSet;
  try {
    aSign = K.signOf(bound.A);
  } catch {
    aSign = ANY;
  }
  // A >= 0 is what makes the matrix claim imply the statement; otherwise the statement is a lower bound (or unknown).
  if ((aSign & NEG) !== 0) return { status: 'not-applicable' };
  const model = input.model;
  const n = model.params.length;
  const toNext = new Map(model.params.map((p, i) => [p, model.step[i]!.cloneDeep()]));
  const H = model.hessian.map((row) => row.map((h) => substitute(bound.sym === 'S_next' ? substitute(h, toNext) : h, input.assume)));
  const hName = bound.sym === 'S_next' ? 'H_next' : 'H';
  // The entries by name in the certificate's text (longest first, so no entry is renamed inside another).
  const entryNames = H.flatMap((row, i) => row.map((h, j) => [h.toString(), `${hName}_${model.params[i]}_${model.params[j]}`] as const)).sort(([a], [b]) => b.length - a.length || (a < b ? -1 : 1));
  const showH = (x: MathNode): string => {
    let t = x;
    for (const [key, name] of entryNames) if (key.length > name.length && t.toString().includes(key)) t = replaceKey(t, key, symbol(name));
    return show(t);
  };
  const defined = [...st.defined, ...H.flatMap((row) => row.flatMap((h) => definedness(h)))];
  const rel = bound.strict ? '<' : '<=';
  const head = [
    `  an upper bound on ${bound.sym}: lhs - rhs = A ${bound.sym} + B${form.flipped ? ' (negated)' : ''} with A = ${showH(bound.A)} [${signText(aSign)}] and B = ${showH(bound.B)}, so the statement is A ${bound.sym} + B ${rel} 0;`,
    `    as ${bound.sym} is the largest eigenvalue of ${hName} and A >= 0, it holds iff M = -B I - A ${hName} is positive ${bound.strict ? 'definite' : 'semidefinite'}`,
  ];
  const failures: string[] = [];
  const rungs: { name: string; claims: { what: string; cmp: Cmp }[]; why: string }[] = [
    {
      name: 'Gershgorin',
      why: `every eigenvalue of ${hName} is at most H_ii + sum_{j != i} |H_ij| for some row i, so with A >= 0 it suffices that A (H_ii + sum_{j != i} |H_ij|) ${rel} -B for every row i`,
      claims: gershgorinClaims(bound, H).map((cmp, i) => ({ what: `row ${i + 1} (${model.params[i]})`, cmp })),
    },
  ];
  if (n <= 4) {
    const sets = bound.strict ? leadingIndexSets(n) : principalMinorIndexSets(n);
    rungs.push({
      name: 'Sylvester',
      why: bound.strict ? `M is positive definite iff its ${sets.length} leading principal minors are > 0` : `M is positive semidefinite iff all ${sets.length} principal minors are >= 0 (leading minors alone do not suffice)`,
      claims: minorClaims(bound, H, sets).map(({ set, claim }) => ({ what: `the minor on ${set.map((i) => model.params[i]).join(', ')}`, cmp: claim })),
    });
  }
  for (const rung of rungs) {
    const lines = [...head, `  ${rung.name}: ${rung.why}; ${rung.claims.length} claims without ${bound.sym}, each closed below`];
    const queries: string[] = [];
    let nCases = 0;
    let bySigns = 0;
    let failed: string | undefined;
    for (const c of rung.claims) {
      lines.push(`  ${rung.name} ${c.what}: ${cmpText(c.cmp, showH)}`);
      const r = await closeClaim(c.cmp, defined, `${label}, ${rung.name} ${c.what}`, '    ', firstQuery + queries.length, true);
      if (!r.closed) {
        failed = `${rung.name} ${c.what}${r.where} not closed: ${r.why}`;
        break;
      }
      lines.push(...r.lines);
      queries.push(...r.queries);
      nCases += r.cases;
      bySigns += r.bySigns;
    }
    if (failed === undefined) return { status: 'proved', lines, queries, cases: nCases, bySigns };
    failures.push(failed);
  }
  return { status: 'not-closed', why: `as a matrix claim on -B I - A ${hName}: ${failures.join('; ')}` };
}

function short(s: string): string {
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

function symbol(name: string): MathNode {
  return new SymbolNode(name) as unknown as MathNode;
}

import { SymbolNode, type MathNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import type { Definedness } from '../symbolic/algebra.js';
import { freeSymbols, substitute } from '../symbolic/expr.js';
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
  const runner = new QueryRunner(input.api, input.model, input.assume, input.vars, input.rlimit);
  const reserved = new Set([...input.vars, 'S', 'S_next', 'mu']);

  const report: string[] = [];
  const queries: string[] = [];
  let decidedBySigns = 0;
  let cases = 0;
  const premiseCmps = input.premises.map((p) => p.cmp);

  for (let k = 0; k < input.statements.length; k++) {
    const st = input.statements[k]!;
    const head = `statement ${k + 1}: ${st.text}`;
    report.push(head);
    const texts = input.premises.map((p) => p.text);
    const K0 = new ClaimKnowledge(cctx, premiseCmps, st.cmp, st.defined, [], texts);
    const log = new Set<string>();
    const rw = (c: Cmp, K: ClaimKnowledge): Cmp => ({ lhs: rewriteTree(c.lhs, input.vars, (n) => K.signOf(n), log, show), rel: c.rel, rhs: rewriteTree(c.rhs, input.vars, (n) => K.signOf(n), log, show) });
    const goal = rw(st.cmp, K0);
    const premises = premiseCmps.map((p) => rw(p, K0));
    for (const l of log) report.push(`  rewrite: ${l}`);
    const impossible = (conds: Cmp[]) =>
      conds.some((c) => {
        const s = K0.signOf(sub(c.lhs, c.rhs));
        return (s & relationSigns(c.rel)) === 0;
      });
    const split = splitCases({ premises, goal }, impossible, 32, show);
    if (split.cases.length > 1 || split.dropped.length > 0) report.push(`  case split: ${split.cases.length} case${split.cases.length === 1 ? '' : 's'}${split.complete ? '' : ' (further abs/max/min left to Z3: too many cases)'}${split.dropped.length ? `; impossible under the hypotheses, so closed: ${split.dropped.join(' | ')}` : ''}`);
    for (let c = 0; c < split.cases.length; c++) {
      cases++;
      const cs = split.cases[c]!;
      const tag = split.cases.length > 1 ? `  case ${c + 1} of ${split.cases.length} (${cs.labels.join('; ')})` : '  the claim';
      const caseLog = new Set<string>();
      let g = cs.goal;
      let ps = cs.premises;
      if (cs.conditions.length > 0) {
        const K1 = new ClaimKnowledge(cctx, [...ps, ...cs.conditions], g, st.defined, [], [...texts, ...cs.conditions.map((x) => `case condition ${cmpText(x, show)}`)]);
        const rw1 = (x: Cmp): Cmp => ({ lhs: rewriteTree(x.lhs, input.vars, (n) => K1.signOf(n), caseLog, show), rel: x.rel, rhs: rewriteTree(x.rhs, input.vars, (n) => K1.signOf(n), caseLog, show) });
        g = rw1(g);
        ps = ps.map(rw1);
      }
      const K = new ClaimKnowledge(cctx, [...ps, ...cs.conditions], g, st.defined, [], [...texts, ...cs.conditions.map((x) => `case condition ${cmpText(x, show)}`)]);
      const lines: string[] = [...[...caseLog].map((l) => `rewrite: ${l}`)];
      if (cs.conditions.length) lines.unshift(`conditions: ${cs.conditions.map((x) => cmpText(x, show)).join(', ')}`);
      const dec = decideBySigns(K, g);
      if (dec.kind === 'proved') {
        decidedBySigns++;
        report.push(`${tag}: closed by signs, no query`, ...[...lines, ...dec.lines].map((l) => `    ${l}`));
        continue;
      }
      // The Z3 attempts, in order.
      const premisesQ = ps.map((p, i) => ({ cmp: p, defined: input.premises[i]!.defined }));
      const attempts: { what: string; claim: QueryClaim }[] = [];
      const label = `eos-check ${input.lemmaId}, statement ${k + 1}${split.cases.length > 1 ? `, case ${c + 1}` : ''}`;
      if (dec.kind === 'reduced' && dec.reduced)
        attempts.push({
          what: `factors of known sign removed (${dec.lines.join('; ')}): Z3 on ${cmpText(dec.reduced, show)}`,
          claim: { comment: `${label}: the factors of unknown sign (unsat means it holds)`, fresh: [], bounds, facts: cs.conditions, premises: premisesQ, goal: { cmp: dec.reduced, defined: st.defined } },
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
            comment: `${label}: repeated subterms as fresh variables${withDefinitions ? ' with their definitions' : ' (definitions dropped: a relaxation)'} (unsat means it holds)`,
            fresh: all.map((a) => a.name),
            bounds,
            facts: [...defs, ...facts, ...cs.conditions.map(AC)],
            premises: premisesQ.map((p) => ({ cmp: AC(p.cmp), defined: AD(p.defined) })),
            goal: { cmp: AC(g), defined: AD(st.defined) },
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
        attempts.push({ what: 'the case as it stands', claim: { comment: `${label} (unsat means it holds)`, fresh: [], bounds, facts: cs.conditions, premises: premisesQ, goal: { cmp: g, defined: st.defined } } });
      let closed = false;
      const tried: string[] = [];
      for (const a of attempts) {
        const r = await runner.check(a.claim);
        if (r.answer === 'unsat') {
          queries.push(r.smt2);
          report.push(`${tag}: Z3 query ${queries.length} unsat`, ...[...lines, a.what].map((l) => `    ${l}`));
          closed = true;
          break;
        }
        tried.push(`${a.what.split(':')[0]}: ${r.answer}${r.answer === 'unknown' ? ` (${r.reason})` : ''}`);
      }
      if (!closed) {
        const why = attempts.length === 0 ? 'no reduction applies' : tried.join('; ');
        return { status: 'unknown', detail: `statement ${k + 1}${split.cases.length > 1 ? `, case ${c + 1} of ${split.cases.length} (${cs.labels.join('; ')})` : ''} not closed by the reductions: ${why}`, steps: report };
      }
    }
  }
  const certificate = [
    'Z3 answered unknown on the whole claim within its resource limit; the reductions below prove it. Each step is sound on its own:',
    'a rewrite is an equality where the statement is defined, a case split covers every point, a sign argument uses only the',
    'hypotheses (ranges, premises, case conditions, where the statement is defined), and a query with fresh variables whose',
    'definitions are dropped is a relaxation (every point of the claim gives a point of the query). Every query below is unsat.',
    ...report,
    '',
    `SMT-LIB2 queries answered unsat (${queries.length}; run each with z3):`,
    ...queries.map((q, i) => `; ---- query ${i + 1} ----\n${q}`),
  ].join('\n');
  return {
    status: 'proved',
    certificate,
    detail: `Z3 unknown on the whole claim; proved by reductions: ${cases} case${cases === 1 ? '' : 's'}, ${decidedBySigns} closed by factor signs, ${queries.length} Z3 quer${queries.length === 1 ? 'y' : 'ies'} unsat; non-vacuous`,
  };
}

function short(s: string): string {
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

function symbol(name: string): MathNode {
  return new SymbolNode(name) as unknown as MathNode;
}

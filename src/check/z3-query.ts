import type { MathNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { shiftedMinor } from '../lemma/compile.js';
import { substitute } from '../symbolic/expr.js';
import { constantToRational } from '../symbolic/rational-function.js';
import { fold, type Backend, type Definedness } from '../symbolic/algebra.js';
import { principalMinorIndexSets } from '../numeric/sylvester.js';
import type { Rational } from '../numeric/rational.js';
import type { Cmp } from '../symbolic/reduce.js';

/**
 * One Z3 query of the reductions (check/reductions.ts): a claim over the lemma's variables and
 * fresh variables, asserted as "bounds and facts and premises and the goal's definedness and not
 * the goal" and answered unsat (the claim holds), sat or unknown, always under the deterministic
 * resource limit (rlimit), never a clock. Translation as in check/prove.ts: sqrt(x) is a variable s
 * with x >= 0 -> (s >= 0 and s^2 = x); S and S_next are the largest eigenvalue by Sylvester's
 * criterion; abs, max and min are if-then-else terms.
 */

export interface Bound {
  name: string;
  lo?: Rational;
  hi?: Rational;
}

export interface QueryClaim {
  /** The first comment line of the SMT-LIB2 text. */
  comment: string;
  /** Free variables besides the bounds' (fresh variables of abstractions). */
  fresh: string[];
  bounds: Bound[];
  /** Asserted as written (case conditions, signs and definitions of fresh variables). */
  facts: Cmp[];
  /** Asserted as "defined and relation". */
  premises: { cmp: Cmp; defined: Definedness[] }[];
  /** Asserted as "defined and not relation". */
  goal: { cmp: Cmp; defined: Definedness[] };
}

export interface QueryAnswer {
  answer: 'unsat' | 'sat' | 'unknown';
  smt2: string;
  reason: string;
}

/**
 * The one translation of expression trees into Z3 terms (the identity prover's queries and the
 * reductions' alike): sqrt(x) is a variable s with x >= 0 -> (s >= 0 and s^2 = x); S and S_next are
 * the largest eigenvalue of H (at theta, or one exact GD step on) by Sylvester's criterion: sI - H has
 * every principal minor >= 0 and determinant 0; abs, max and min are if-then-else terms; division is
 * Z3's total division (the definedness conditions are scoped to their comparison by the caller).
 * `definitions` collects the auxiliary variables' constraints in the order the trees meet them, so
 * the same trees give the same query text.
 */
export function z3Translation(Z: any, model: DerivedModel, assume: ReadonlyMap<string, MathNode>, consts: ReadonlyMap<string, any>): { backend: Backend<any>; definitions: any[]; condition: (d: Definedness) => any } {
  const definitions: any[] = [];
  const sqrtAux = new Map<string, any>();
  let aux = 0;
  const sVars = new Map<string, any>();
  const backend: Backend<any> = {
    name: 'the Z3 translation',
    constant: (v) => Z.Real.val(constantToRational(v).toString()),
    symbol: (name) => {
      const c = consts.get(name) ?? sharpnessVar(name);
      if (!c) throw new Error(`symbol ${name} has no meaning for every theta`);
      return c;
    },
    neg: (a) => a.neg(),
    add: (a, b) => a.add(b),
    sub: (a, b) => a.sub(b),
    mul: (a, b) => a.mul(b),
    div: (a, b) => a.div(b),
    powi: (a, k) => {
      if (k === 0) return Z.Real.val(1);
      let r = a;
      for (let i = 1; i < Math.abs(k); i++) r = r.mul(a);
      return k < 0 ? Z.Real.val(1).div(r) : r;
    },
    abs: (a) => Z.If(a.ge(0), a, a.neg()),
    max: (a, b) => Z.If(a.ge(b), a, b),
    min: (a, b) => Z.If(a.le(b), a, b),
    sqrt: (a) => {
      const key = a.toString();
      let s = sqrtAux.get(key);
      if (!s) {
        s = Z.Real.const(`sqrt_${aux++}`);
        definitions.push(Z.Implies(a.ge(0), Z.And(s.ge(0), s.mul(s).eq(a))));
        sqrtAux.set(key, s);
      }
      return s;
    },
  };
  function sharpnessVar(name: string): any {
    if (name !== 'S' && name !== 'S_next') return undefined;
    let s = sVars.get(name);
    if (s) return s;
    s = Z.Real.const(name);
    sVars.set(name, s);
    const n = model.params.length;
    const toNext = new Map(model.params.map((p, i) => [p, model.step[i]!.cloneDeep()]));
    // The minors as expression trees (lemma/compile.ts), through the same backend as everything else.
    const det = (idx: number[]): any => {
      const m = shiftedMinor(model, idx, name);
      return fold(substitute(name === 'S_next' ? substitute(m, toNext) : m, assume), backend);
    };
    for (const idx of principalMinorIndexSets(n)) definitions.push(det(idx).ge(0));
    definitions.push(det(Array.from({ length: n }, (_, i) => i)).eq(0));
    return s;
  }
  const condition = (d: Definedness) => {
    const x = fold(d.expr, backend);
    return d.is === '>= 0' ? x.ge(0) : d.is === '> 0' ? x.gt(0) : x.neq(0);
  };
  return { backend, definitions, condition };
}

/** lhs rel rhs as a Z3 boolean. */
export function relationOf(Z: any, backend: Backend<any>, lhs: MathNode, rel: '<' | '<=' | '>' | '>=' | '==', rhs: MathNode): any {
  const l = fold(lhs, backend);
  const r = fold(rhs, backend);
  return { '<': l.lt(r), '<=': l.le(r), '>': l.gt(r), '>=': l.ge(r), '==': l.eq(r) }[rel];
}

export class QueryRunner {
  private readonly Z: any;

  constructor(
    api: any,
    private readonly model: DerivedModel,
    private readonly assume: ReadonlyMap<string, MathNode>,
    private readonly vars: readonly string[],
    private readonly rlimit: number,
  ) {
    // One context for the reductions of one lemma: the queries run in a fixed order, so the answers
    // and the printed queries do not depend on what the process proved before.
    this.Z = api.Context('reductions');
  }

  async check(q: QueryClaim): Promise<QueryAnswer> {
    const Z = this.Z;
    const model = this.model;
    const consts = new Map<string, any>([...this.vars, ...q.fresh].map((v) => [v, Z.Real.const(v)]));
    const { backend, definitions, condition } = z3Translation(Z, model, this.assume, consts);
    const rel = (c: Cmp) => relationOf(Z, backend, c.lhs, c.rel, c.rhs);
    const defined = (ds: Definedness[]) => Z.And(Z.Bool.val(true), ...ds.map(condition));
    const bounds: any[] = [];
    for (const b of q.bounds) {
      const x = consts.get(b.name);
      if (b.lo !== undefined && b.hi !== undefined && b.lo.eq(b.hi)) bounds.push(x.eq(Z.Real.val(b.lo.toString())));
      else {
        if (b.lo !== undefined) bounds.push(x.ge(Z.Real.val(b.lo.toString())));
        if (b.hi !== undefined) bounds.push(x.le(Z.Real.val(b.hi.toString())));
      }
    }
    let asserted: any[];
    try {
      const facts = q.facts.map(rel);
      const premises = q.premises.map((p) => Z.And(defined(p.defined), rel(p.cmp)));
      const goal = Z.And(defined(q.goal.defined), Z.Not(rel(q.goal.cmp)));
      asserted = [...bounds, ...facts, ...premises, goal];
    } catch (e) {
      return { answer: 'unknown', smt2: '', reason: (e as Error).message };
    }
    const s = (Z as any).AndThen('simplify', 'propagate-values', 'qfnra-nlsat').solver();
    s.set('rlimit', this.rlimit);
    s.add(...definitions, ...asserted);
    // Printed before the check: afterwards the solver also prints its model converter (model-add ...).
    const smt2 = `; ${q.comment}\n(set-info :status unknown)\n${s.toString()}(check-sat)\n`;
    const r = await s.check();
    const why = String(s.reasonUnknown?.() ?? 'no reason');
    const reason = r === 'unknown' ? (/cancel|resource/.test(why) ? `resource limit of ${this.rlimit} units reached` : why) : r;
    return { answer: r === 'unsat' ? 'unsat' : r === 'sat' ? 'sat' : 'unknown', smt2, reason };
  }
}

import { OperatorNode, SymbolNode, type MathNode } from 'mathjs';
import { init as initZ3 } from 'z3-solver';
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import { parseExpr, substitute } from '../symbolic/expr.js';
import { identityResidual, NotRationalFunctionError, constantToRational, type Poly } from '../symbolic/rational-function.js';
import { evalInterval } from '../symbolic/interval-eval.js';
import { Interval } from '../numeric/interval.js';
import { Rational } from '../numeric/rational.js';
import { LemmaError } from '../lemma/errors.js';

/**
 * Statements "for every theta": an equation is decided by expanding both sides to rational
 * functions; an inequality (or an equation with premises) by Z3 over the reals. A failure
 * comes back with a concrete point.
 */
export type ProofResult =
  | { status: 'proved'; method: 'proved-expansion' | 'proved-z3'; detail: string }
  | { status: 'refuted'; method: 'proved-expansion' | 'proved-z3'; statement: string; witness: Record<string, string>; detail: string }
  | { status: 'unknown'; detail: string };

/** Replace p_next by p - eta * dL/dp: the exact GD map. */
function oneStep(model: DerivedModel, node: MathNode): MathNode {
  const defs = new Map<string, MathNode>();
  model.params.forEach((p, i) => {
    defs.set(`${p}_next`, new OperatorNode('-', 'subtract', [new SymbolNode(p), new OperatorNode('*', 'multiply', [new SymbolNode('eta'), model.gradient[i]!.cloneDeep()])]));
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

function prepare(model: DerivedModel, lemma: CompiledLemma, c: CompiledComparison): { lhs: MathNode; rhs: MathNode } {
  const a = assumptions(lemma, model);
  const f = (n: MathNode) => substitute(oneStep(model, n), a);
  return { lhs: f(c.lhsExact), rhs: f(c.rhsExact) };
}

/** A point where the nonzero residual polynomial does not vanish (small integers first). */
function witnessOf(residual: Poly, vars: string[], lhs: MathNode, rhs: MathNode): Record<string, string> {
  for (let trial = 0; trial < 500; trial++) {
    const env = new Map<string, Interval>();
    const w: Record<string, string> = {};
    vars.forEach((v, i) => {
      const x = Rational.fromInt(((trial * 7 + i * 13) % 11) - 5 || 3).div(Rational.fromInt(1 + ((trial + i) % 4)));
      env.set(v, Interval.point(x));
      w[v] = x.toString();
    });
    try {
      const l = evalInterval(lhs, env).lo;
      const r = evalInterval(rhs, env).lo;
      if (!l.eq(r)) return { ...w, lhs: l.toString(), rhs: r.toString() };
    } catch {
      /* a pole: try another point */
    }
  }
  return { residual: residual.toString().slice(0, 400) };
}

export async function proveLemma(model: DerivedModel, lemma: CompiledLemma): Promise<ProofResult> {
  const usesMu = [...lemma.statements, ...lemma.when].some((c) => c.uses.has('mu'));
  const vars = [...model.params, ...model.hypers, ...(usesMu ? ['mu'] : [])];
  const premises = lemma.when;
  const allEquations = lemma.statements.every((s) => s.rel === '==') && premises.length === 0;
  if (allEquations) {
    const details: string[] = [];
    let rational = true;
    for (const s of lemma.statements) {
      const { lhs, rhs } = prepare(model, lemma, s);
      let residual: Poly;
      try {
        residual = identityResidual(lhs, rhs, vars);
      } catch (e) {
        if (e instanceof NotRationalFunctionError) {
          rational = false;
          break;
        }
        throw e;
      }
      if (!residual.isZero())
        return { status: 'refuted', method: 'proved-expansion', statement: s.text, witness: witnessOf(residual, vars, lhs, rhs), detail: `lhs - rhs expands to a nonzero rational function (numerator of degree ${residual.degree()})` };
      details.push(s.text);
    }
    if (rational) return { status: 'proved', method: 'proved-expansion', detail: `both sides expand to the same rational function in ${vars.join(', ')}` };
  }
  return proveWithZ3(model, lemma, vars);
}

let z3: Promise<Awaited<ReturnType<typeof initZ3>>> | undefined;

async function proveWithZ3(model: DerivedModel, lemma: CompiledLemma, vars: string[]): Promise<ProofResult> {
  z3 ??= initZ3();
  const { Context } = await z3;
  const Z = Context('main');
  const consts = new Map<string, any>(vars.map((v) => [v, Z.Real.const(v)]));
  const side: any[] = [];
  let aux = 0;
  const tr = (node: MathNode): any => {
    const n = node as any;
    switch (node.type) {
      case 'ConstantNode':
        return Z.Real.val(constantToRational(n.value).toString());
      case 'SymbolNode': {
        const c = consts.get(n.name);
        if (!c) throw new Error(`symbol ${n.name} has no meaning for every theta`);
        return c;
      }
      case 'ParenthesisNode':
        return tr(n.content);
      case 'OperatorNode': {
        const a = (n.args as MathNode[]).map(tr);
        switch (n.fn) {
          case 'unaryMinus':
            return a[0].neg();
          case 'unaryPlus':
            return a[0];
          case 'add':
            return a.reduce((s, x) => s.add(x));
          case 'subtract':
            return a[0].sub(a[1]);
          case 'multiply':
            return a.reduce((s, x) => s.mul(x));
          case 'divide':
            // Only where defined: the claim is about points with a nonzero denominator.
            side.push(a[1].neq(0));
            return a[0].div(a[1]);
          case 'pow': {
            const e = n.args[1];
            const k = e.type === 'ConstantNode' ? e.value : NaN;
            if (!Number.isInteger(k)) throw new Error(`Z3 translation needs integer powers: ${node.toString()}`);
            if (k === 0) return Z.Real.val(1);
            let r = a[0];
            for (let i = 1; i < Math.abs(k); i++) r = r.mul(a[0]);
            if (k < 0) {
              side.push(r.neq(0));
              return Z.Real.val(1).div(r);
            }
            return r;
          }
        }
        break;
      }
      case 'FunctionNode': {
        const a = (n.args as MathNode[]).map(tr);
        switch (n.fn.name) {
          case 'abs':
            return Z.If(a[0].ge(0), a[0], a[0].neg());
          case 'max':
            return a.reduce((s, x) => Z.If(s.ge(x), s, x));
          case 'min':
            return a.reduce((s, x) => Z.If(s.le(x), s, x));
          case 'sqrt': {
            const s = Z.Real.const(`sqrt_${aux++}`);
            side.push(s.ge(0), s.mul(s).eq(a[0]), a[0].ge(0));
            return s;
          }
        }
        break;
      }
    }
    throw new Error(`Z3 translation does not support ${node.toString()}`);
  };
  const rel = (c: CompiledComparison) => {
    const { lhs, rhs } = prepare(model, lemma, c);
    const l = tr(lhs);
    const r = tr(rhs);
    return { '<': l.lt(r), '<=': l.le(r), '>': l.gt(r), '>=': l.ge(r), '==': l.eq(r) }[c.rel];
  };
  const hyp: any[] = [];
  for (const d of lemma.hyperDraws) {
    const x = consts.get(d.name);
    if ('fixed' in d.draw) hyp.push(x.eq(Z.Real.val(constantToRational(d.draw.fixed).toString())));
    else hyp.push(x.ge(Z.Real.val(constantToRational(d.draw.min).toString())), x.le(Z.Real.val(constantToRational(d.draw.max).toString())));
  }
  let goal: any;
  try {
    for (const w of lemma.where) {
      if ([...w.uses].some((u) => u.endsWith('_0'))) continue; // start-value relations do not constrain "every theta"
      hyp.push(rel(w));
    }
    const prem = lemma.when.map(rel);
    goal = Z.And(...lemma.statements.map(rel));
    hyp.push(...prem);
  } catch (e) {
    return { status: 'unknown', detail: (e as Error).message };
  }
  const s = new Z.Solver();
  s.set('timeout', 20_000);
  s.add(...hyp, ...side, (Z.Not as any)(goal));
  const r = await s.check();
  if (r === 'unsat') return { status: 'proved', method: 'proved-z3', detail: `Z3: the negation is unsatisfiable over the reals (${hyp.length} hypotheses)` };
  if (r === 'sat') {
    const m = s.model();
    const witness: Record<string, string> = {};
    const used = new Set([...lemma.statements, ...lemma.when].flatMap((c) => [...c.uses]).map((u) => u.replace(/_next$/, '')));
    for (const [k, c] of consts) {
      if (!used.has(k) && !model.params.includes(k) && !model.hypers.includes(k)) continue;
      const v: any = m.eval(c, true);
      // Z3 prints (- 1.0) and (/ 9.0 4.0); report exact rationals as p/q.
      witness[k] = typeof v.asString === 'function' ? v.asString() : v.toString();
    }
    const failing = lemma.statements.find((st) => {
      try {
        return !m.eval(rel(st), true).toString().includes('true');
      } catch {
        return true;
      }
    });
    return { status: 'refuted', method: 'proved-z3', statement: (failing ?? lemma.statements[0]!).text, witness, detail: 'Z3 found a point inside the hypotheses where the statement fails' };
  }
  return { status: 'unknown', detail: `Z3 answered ${r} (${s.reasonUnknown?.() ?? 'no reason'})` };
}


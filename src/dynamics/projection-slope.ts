/**
 * Slopes of a projected GD map's projection, so that the certified orbit (certified-orbit.ts) can use
 * a mean-value form for projected GD too. A projected step is G = P o R with R the plain GD step
 * (smooth: its Jacobian is I - eta H) and P the projection written with max/min (symbolic/derive.ts),
 * which has no derivative where it switches. P has slopes instead: for y and y' in a box Y,
 * P_i(y) - P_i(y') = s . (y - y') for some s in an interval vector S_i computed here. Then for x and the
 * box's centre c, G(x) - G(c) = s_i . (R(x) - R(c)) and R(x) - R(c) = J~ (x - c) with each row of J~ the
 * Jacobian at a point of the box, so G(x) is in G(c) + (S J(X)) (x - c).
 *
 * P is read off the model's own step trees (each occurrence of R_k's tree replaced by a variable), so
 * its constants are exactly those every arithmetic evaluates; a step tree that is not a function of
 * R alone, or uses an operation without a slope rule here, gives no slope (the caller then uses
 * plain interval evaluation, as before).
 *
 * Slope rules (Krawczyk and Neumaier's slope arithmetic), for f, g with ranges F, G over Y, enclosures
 * f(c'), g(c') at the centre and slopes Sf, Sg: f + g: Sf + Sg; f g: Sf G + f(c') Sg; f / g:
 * (Sf - (f/g)(c') Sg) / G; max(f, g) = g + max(0, f - g), and max(0, u) - max(0, u') = sigma (u - u')
 * with sigma in [0, 1], equal to 1 when u, u' >= 0 and 0 when u, u' <= 0: the slope is Sf where
 * F - G >= 0 on Y, Sg where F - G <= 0, else the hull of Sf and Sg (a convex combination of the two
 * lies in it); min and abs likewise. A constant has slope 0.
 */
import type { MathNode } from 'mathjs';
import { fold, UnsupportedOperation, type Backend } from '../symbolic/algebra.js';
import { constantToRational } from '../symbolic/rational-function.js';
import { freeSymbols } from '../symbolic/expr.js';
import { OperatorNode, SymbolNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { DyadicArith, DyadicInterval } from '../numeric/dyadic.js';

/** A subterm over Y: its enclosure at the centre, its range over Y, its slope (null: constant, slope 0). */
interface SlopeValue {
  c: DyadicInterval;
  r: DyadicInterval;
  s: (DyadicInterval | null)[] | null;
}

type Run = (c: readonly DyadicInterval[], Y: readonly DyadicInterval[], A: DyadicArith) => SlopeValue;

class NoSlope extends Error {}

/** The projection's slopes: S (row-major n x n) over the box Y, with the centre enclosed by C (C inside Y). */
export type ProjectionSlope = (C: readonly DyadicInterval[], Y: readonly DyadicInterval[], A: DyadicArith) => DyadicInterval[];

const SLOPES = new WeakMap<DerivedModel, ProjectionSlope | null>();

/** The plain GD step's trees, p_i - eta dL/dp_i, built as derive.ts builds them before projecting. */
export function rawStepTrees(model: DerivedModel): MathNode[] {
  return model.params.map((p, i) => new OperatorNode('-', 'subtract', [new SymbolNode(p), new OperatorNode('*', 'multiply', [new SymbolNode('eta'), model.gradient[i]!])]) as MathNode);
}

/** The slope evaluator of the model's projection, or null (no projection, or none this module can read). */
export function projectionSlope(model: DerivedModel): ProjectionSlope | null {
  let p = SLOPES.get(model);
  if (p === undefined) {
    try {
      p = model.spec.projection ? build(model) : null;
    } catch (e) {
      if (!(e instanceof NoSlope)) throw e;
      p = null;
    }
    SLOPES.set(model, p);
  }
  return p;
}

function build(model: DerivedModel): ProjectionSlope {
  const n = model.params.length;
  const raw = rawStepTrees(model).map((t) => t.toString());
  const vars = model.params.map((_, k) => `__y${k}`);
  const trees = model.step.map((g) => {
    const t = g.transform((node: MathNode) => {
      const k = raw.indexOf(node.toString());
      return k >= 0 ? (new SymbolNode(vars[k]!) as MathNode) : node;
    });
    for (const s of freeSymbols(t)) if (!vars.includes(s)) throw new NoSlope(`the step reads ${s} outside the plain GD step`);
    return t;
  });
  const runs = trees.map((t) => {
    try {
      return fold(t, backend(vars));
    } catch (e) {
      if (e instanceof UnsupportedOperation) throw new NoSlope(e.message);
      throw e;
    }
  });
  return (C, Y, A) => {
    const out: DyadicInterval[] = new Array(n * n);
    const zero = A.fromRational(constantToRational(0));
    runs.forEach((run, i) => {
      const s = run(C, Y, A).s;
      for (let k = 0; k < n; k++) out[i * n + k] = s?.[k] ?? zero;
    });
    return out;
  };
}

function backend(vars: readonly string[]): Backend<Run> {
  const n = vars.length;
  const zip = (a: SlopeValue['s'], b: SlopeValue['s'], f: (x: DyadicInterval | null, y: DyadicInterval | null) => DyadicInterval | null): SlopeValue['s'] =>
    a === null && b === null ? null : Array.from({ length: n }, (_, k) => f(a?.[k] ?? null, b?.[k] ?? null));
  const scale = (s: SlopeValue['s'], x: DyadicInterval, A: DyadicArith) => (s === null ? null : s.map((v) => (v === null ? null : A.mul(v, x))));
  const add = (s: SlopeValue['s'], t: SlopeValue['s'], A: DyadicArith) => zip(s, t, (x, y) => (x === null ? y : y === null ? x : A.add(x, y)));
  const sub = (s: SlopeValue['s'], t: SlopeValue['s'], A: DyadicArith) => zip(s, t, (x, y) => (y === null ? x : x === null ? A.neg(y) : A.sub(x, y)));
  // A slope the hull of two: zero entries take part as the point 0.
  const hull = (s: SlopeValue['s'], t: SlopeValue['s'], A: DyadicArith) => {
    const z = DyadicInterval.fromDouble(0);
    return zip(s, t, (x, y) => (x === null && y === null ? null : A.hull(x ?? z, y ?? z)));
  };
  const mul = (f: SlopeValue, g: SlopeValue, A: DyadicArith): SlopeValue => ({ c: A.mul(f.c, g.c), r: A.mul(f.r, g.r), s: add(scale(f.s, g.r, A), scale(g.s, f.c, A), A) });
  const div = (f: SlopeValue, g: SlopeValue, A: DyadicArith): SlopeValue => {
    const q = A.div(f.c, g.c);
    const inv = A.div(DyadicInterval.fromDouble(1), g.r);
    return { c: q, r: A.div(f.r, g.r), s: scale(sub(f.s, scale(g.s, q, A), A), inv, A) };
  };
  // sign of F - G over Y: 1 when >= 0 everywhere, -1 when <= 0 everywhere, 0 otherwise.
  const side = (f: SlopeValue, g: SlopeValue, A: DyadicArith): -1 | 0 | 1 => {
    const h = A.sub(f.r, g.r);
    return h.lo.m >= 0n ? 1 : h.hi.m <= 0n ? -1 : 0;
  };
  const binary = (op: (f: SlopeValue, g: SlopeValue, A: DyadicArith) => SlopeValue) => (a: Run, b: Run): Run => (c, Y, A) => op(a(c, Y, A), b(c, Y, A), A);
  return {
    name: 'the slope evaluator',
    constant: (v) => {
      const q = constantToRational(v);
      return (_c, _Y, A) => {
        const x = A.fromRational(q);
        return { c: x, r: x, s: null };
      };
    },
    symbol: (name) => {
      const k = vars.indexOf(name);
      if (k < 0) throw new NoSlope(name);
      const one = DyadicInterval.fromDouble(1);
      const s = Array.from({ length: n }, (_, j) => (j === k ? one : null));
      return (c, Y) => ({ c: c[k]!, r: Y[k]!, s });
    },
    neg: (a) => (c, Y, A) => {
      const f = a(c, Y, A);
      return { c: A.neg(f.c), r: A.neg(f.r), s: f.s === null ? null : f.s.map((x) => (x === null ? null : A.neg(x))) };
    },
    add: binary((f, g, A) => ({ c: A.add(f.c, g.c), r: A.add(f.r, g.r), s: add(f.s, g.s, A) })),
    sub: binary((f, g, A) => ({ c: A.sub(f.c, g.c), r: A.sub(f.r, g.r), s: sub(f.s, g.s, A) })),
    mul: binary(mul),
    div: binary(div),
    powi: (a, k) => (c, Y, A) => {
      const f = a(c, Y, A);
      if (f.s === null) {
        const x = A.powi(f.c, k);
        return { c: x, r: A.powi(f.r, k), s: null };
      }
      const one = DyadicInterval.fromDouble(1);
      let acc: SlopeValue = { c: one, r: one, s: null };
      for (let i = 0; i < Math.abs(k); i++) acc = mul(acc, f, A);
      return k < 0 ? div({ c: one, r: one, s: null }, acc, A) : acc;
    },
    abs: (a) => (c, Y, A) => {
      const f = a(c, Y, A);
      const sgn = f.r.lo.m >= 0n ? 1 : f.r.hi.m <= 0n ? -1 : 0;
      const neg = f.s === null ? null : f.s.map((x) => (x === null ? null : A.neg(x)));
      return { c: A.abs(f.c), r: A.abs(f.r), s: sgn > 0 ? f.s : sgn < 0 ? neg : hull(f.s, neg, A) };
    },
    max: binary((f, g, A) => {
      const w = side(f, g, A);
      return { c: A.max(f.c, g.c), r: A.max(f.r, g.r), s: w > 0 ? f.s : w < 0 ? g.s : hull(f.s, g.s, A) };
    }),
    min: binary((f, g, A) => {
      const w = side(f, g, A);
      return { c: A.min(f.c, g.c), r: A.min(f.r, g.r), s: w < 0 ? f.s : w > 0 ? g.s : hull(f.s, g.s, A) };
    }),
  };
}

import type { MathNode } from '../symbolic/mathjs.js';
import { fold, type Backend } from '../symbolic/algebra.js';
import type { Cmp } from '../symbolic/reduce.js';
import { Rational } from '../numeric/rational.js';

/**
 * A search for an exact counterexample to an identity lemma that Z3 left unknown: a point inside
 * the hypotheses where the premises hold and a statement is defined and false. Floats only guide
 * the search; every candidate is confirmed by exact evaluation (`confirm`), so a point it returns is
 * a counterexample. The search is a fixed count of evaluations from a seeded generator: the same
 * points on a quiet and on a loaded machine.
 *
 * 1. the rational grid of the prover (hyperparameter range fractions, small rationals), confirmed
 *    exactly where the float claim looks violated;
 * 2. seeded random points (uniform and log-uniform magnitudes), the best as starts of
 * 3. a (1+4) evolution strategy on the float violation margin (penalised where a premise fails),
 *    each improving violated point rounded to short decimals and to its exact double value and
 *    confirmed exactly.
 */

export interface SearchRange {
  name: string;
  lo: Rational;
  hi: Rational;
}

export interface WitnessSearchInput {
  vars: readonly string[];
  ranges: readonly SearchRange[];
  premises: readonly Cmp[];
  statements: readonly Cmp[];
  grid: Iterable<Map<string, Rational>>;
  /** The index of a statement that fails at the point with the premises holding (exact), or undefined. */
  confirm: (pt: Map<string, Rational>) => number | undefined;
  budget?: { random: number; starts: number; steps: number; confirmations: number };
}

export interface WitnessFound {
  point: Map<string, Rational>;
  statement: number;
  /** Which phase found it. */
  how: string;
}

type F = (x: Float64Array) => number;

function compile(node: MathNode, index: ReadonlyMap<string, number>): F {
  const b: Backend<F> = {
    name: 'the witness search',
    constant: (v) => () => v,
    symbol: (name) => {
      const i = index.get(name);
      return i === undefined ? () => NaN : (x) => x[i]!;
    },
    neg: (a) => (x) => -a(x),
    add: (a, c) => (x) => a(x) + c(x),
    sub: (a, c) => (x) => a(x) - c(x),
    mul: (a, c) => (x) => a(x) * c(x),
    div: (a, c) => (x) => a(x) / c(x),
    powi: (a, k) => (x) => a(x) ** k,
    powr: (a, p) => (x) => a(x) ** p,
    sqrt: (a) => (x) => Math.sqrt(a(x)),
    abs: (a) => (x) => Math.abs(a(x)),
    max: (a, c) => (x) => Math.max(a(x), c(x)),
    min: (a, c) => (x) => Math.min(a(x), c(x)),
    exp: (a) => (x) => Math.exp(a(x)),
    log: (a) => (x) => Math.log(a(x)),
    log10: (a) => (x) => Math.log10(a(x)),
    log2: (a) => (x) => Math.log2(a(x)),
  };
  return fold(node, b, new Map());
}

/** A margin m of "lhs REL rhs" that is > 0 where it fails (>= 0 for a strict relation), scaled. */
function margin(rel: Cmp['rel'], l: number, r: number): number {
  const d = (l - r) / (1 + Math.abs(l) + Math.abs(r));
  switch (rel) {
    case '<':
    case '<=':
      return d;
    case '>':
    case '>=':
      return -d;
    case '==':
      return Math.abs(d);
  }
}

function fails(rel: Cmp['rel'], m: number): boolean {
  return rel === '<' || rel === '>' ? m >= 0 : m > 0;
}

export function searchWitness(input: WitnessSearchInput): WitnessFound | undefined {
  const budget = input.budget ?? { random: 3000, starts: 8, steps: 250, confirmations: 160 };
  const index = new Map(input.vars.map((v, i) => [v, i] as const));
  const comp = (c: Cmp) => ({ rel: c.rel, l: compile(c.lhs, index), r: compile(c.rhs, index) });
  const premises = input.premises.map(comp);
  // A premise without a float value (it reads S): only the exact grid can decide it.
  const noFloat = new Set(premises.filter((_, i) => /\bS(_next)?\b/.test(`${input.premises[i]!.lhs.toString()} ${input.premises[i]!.rhs.toString()}`)));
  const hasNoFloat = (p: (typeof premises)[number]) => noFloat.has(p);
  const statements = input.statements.map(comp);
  const n = input.vars.length;
  const range = new Map(input.ranges.map((r) => [r.name, { lo: r.lo.toNumber(), hi: r.hi.toNumber(), r }] as const));

  /** Score: the largest statement margin where every premise holds, else minus the premises' violation. */
  const score = (x: Float64Array): { s: number; k: number } => {
    let pv = 0;
    for (const p of premises) {
      const m = margin(p.rel, p.l(x), p.r(x));
      if (Number.isNaN(m)) return { s: -Infinity, k: hasNoFloat(p) ? -2 : -1 };
      // A premise holds where its margin says it does not fail.
      if (fails(p.rel, m)) pv += Math.max(m, 1e-12);
    }
    if (pv > 0) return { s: -1 - pv, k: -1 };
    let best = -Infinity;
    let k = -1;
    statements.forEach((st, i) => {
      const m = margin(st.rel, st.l(x), st.r(x));
      if (!Number.isNaN(m) && m > best) {
        best = m;
        k = i;
      }
    });
    // k = -2: no statement has a float value here (S, or a term the floats cannot evaluate).
    return { s: best, k: k < 0 ? -2 : k };
  };

  let confirmations = 0;
  const tried = new Set<string>();
  const attempt = (pt: Map<string, Rational>): number | undefined => {
    const key = input.vars.map((v) => pt.get(v)!.toString()).join(',');
    if (tried.has(key) || confirmations >= budget.confirmations) return undefined;
    tried.add(key);
    for (const [v, r] of range) {
      const x = pt.get(v)!;
      if (x.lt(r.r.lo) || x.gt(r.r.hi)) return undefined;
    }
    confirmations++;
    return input.confirm(pt);
  };
  /** Exact points near a float point: short decimals first, then the double itself. */
  const rationalize = (x: Float64Array): Map<string, Rational>[] => {
    const out: Map<string, Rational>[] = [];
    for (const digits of [2, 4, 7, 12, 0]) {
      const pt = new Map<string, Rational>();
      input.vars.forEach((v, i) => {
        const y = x[i]!;
        pt.set(v, digits === 0 || y === 0 ? Rational.fromDouble(y) : Rational.fromDecimalString(Number(y.toPrecision(digits)).toString()));
      });
      out.push(pt);
    }
    return out;
  };
  const tryFloat = (x: Float64Array, how: string): WitnessFound | undefined => {
    for (const pt of rationalize(x)) {
      const k = attempt(pt);
      if (k !== undefined) return { point: pt, statement: k, how };
    }
    return undefined;
  };

  // 1. The grid, exactly where the floats say the claim fails.
  const starts: { x: Float64Array; s: number }[] = [];
  for (const pt of input.grid) {
    const x = Float64Array.from(input.vars, (v) => pt.get(v)!.toNumber());
    const sc = score(x);
    starts.push({ x, s: sc.s });
    if ((sc.k >= 0 && fails(input.statements[sc.k]!.rel, sc.s) && sc.s > -1e-9) || sc.k === -2) {
      const k = attempt(pt);
      if (k !== undefined) return { point: pt, statement: k, how: 'the rational grid' };
    }
  }

  // 2. Seeded random points.
  let seed = 0x2545f491;
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const clamp = (x: Float64Array) => {
    input.vars.forEach((v, i) => {
      const r = range.get(v);
      if (r) x[i] = Math.min(r.hi, Math.max(r.lo, x[i]!));
    });
    return x;
  };
  const draw = (): Float64Array => {
    const x = new Float64Array(n);
    input.vars.forEach((v, i) => {
      const r = range.get(v);
      if (r) {
        const u = rnd();
        x[i] = r.lo > 0 && r.hi / r.lo > 100 && rnd() < 0.5 ? r.lo * (r.hi / r.lo) ** u : r.lo + (r.hi - r.lo) * u;
      } else {
        const u = rnd();
        const mag = u < 0.5 ? 3 * rnd() : 10 ** (4 * rnd() - 2);
        x[i] = rnd() < 0.5 ? -mag : mag;
      }
    });
    return x;
  };
  for (let k = 0; k < budget.random; k++) {
    const x = draw();
    const sc = score(x);
    starts.push({ x, s: sc.s });
    if (sc.k >= 0 && fails(input.statements[sc.k]!.rel, sc.s)) {
      const w = tryFloat(x, 'random points');
      if (w) return w;
    }
  }

  // 3. Local search from the best starts.
  starts.sort((a, b) => b.s - a.s);
  for (const st of starts.slice(0, budget.starts)) {
    let x = Float64Array.from(st.x);
    let best = score(x);
    let sigma = 0.3;
    for (let it = 0; it < budget.steps; it++) {
      let improved = false;
      for (let c = 0; c < 4; c++) {
        const y = Float64Array.from(x);
        for (let i = 0; i < n; i++) {
          // Box-Muller normal, scaled to the coordinate.
          const g = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
          const r = range.get(input.vars[i]!);
          const s = r ? (r.hi - r.lo) * sigma * 0.1 : Math.max(Math.abs(y[i]!), 1e-3) * sigma;
          y[i] = y[i]! + s * g;
        }
        clamp(y);
        const sc = score(y);
        if (sc.s > best.s) {
          x = y;
          best = sc;
          improved = true;
          if (sc.k >= 0 && fails(input.statements[sc.k]!.rel, sc.s)) {
            const w = tryFloat(y, 'a local search on the float margin');
            if (w) return w;
          }
        }
      }
      sigma = improved ? Math.min(sigma * 1.5, 2) : Math.max(sigma * 0.85, 1e-6);
    }
  }
  return undefined;
}

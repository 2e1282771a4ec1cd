import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { loadLemmas } from '../../src/lemma/load.js';
import { verifyLoaded } from '../../src/check/catalogue.js';
import { proveLemma } from '../../src/check/prove.js';
import type { Outcome } from '../../src/check/outcome.js';
import { parse } from '../../src/symbolic/mathjs.js';
import { Poly, toRatFunc } from '../../src/symbolic/rational-function.js';
import { factorPoly } from '../../src/symbolic/factor.js';
import { RootAlgebra } from '../../src/symbolic/reduce.js';
import { asSharpnessBound, gershgorinClaims, minorClaims } from '../../src/symbolic/sharpness-bound.js';
import { compareTopEigenvalue, isPositiveDefinite, isPositiveSemidefinite, leadingIndexSets, principalMinorIndexSets } from '../../src/numeric/sylvester.js';
import { Rational } from '../../src/numeric/rational.js';
import { proveByReductions } from '../../src/check/reductions.js';
import { Z3_RLIMIT } from '../../src/check/prove.js';
import { definedness } from '../../src/symbolic/algebra.js';
import { constantToRational } from '../../src/symbolic/rational-function.js';
import { init as initZ3 } from 'z3-solver';
import { evalInterval } from '../../src/symbolic/interval-eval.js';
import { ConstantNode, type MathNode } from '../../src/symbolic/mathjs.js';

/**
 * Issue 23 item 4: identity lemmas that Z3 leaves unknown at its resource limit, closed by the
 * reductions of check/reductions.ts (sqrt rewriting, factor signs, case splits, fresh variables)
 * or refuted by the witness search. Each lemma below was UNDECIDED before the reductions (recorded
 * in the fixtures' descriptions); each query runs under the same rlimit, never a clock.
 */
const model = deriveModel(minimalistModel);
const dir = 'test/fixtures/reductions';

async function run(file: string, id: string): Promise<Outcome> {
  const loaded = await loadLemmas([`${dir}/${file}`], model);
  const l = loaded.find((x) => x.ok && x.lemma.id === id);
  if (!l) throw new Error(`${id} not in ${file}`);
  return verifyLoaded(model, l, { seed: 1 });
}

const TIMEOUT = 600_000;

describe('the algebra under the reductions', () => {
  const vars = ['a', 'b', 'c', 'e', 'l'];
  const P = (s: string) => toRatFunc(parse(s), vars).num;
  it('factorization over Q multiplies back exactly, splitting squares, contents and given factors', () => {
    for (const [text, hint, count] of [
      ['b^2*(1-e*l*a^2)^2 - b^2', undefined, 5],
      ['(a*b - 1)^2*(e*l - 2)^3*(a + c)', undefined, 3],
      ['(a*b - 1)*(a + b^2)', 'a + b^2', 2],
    ] as const) {
      const f = factorPoly(P(text), hint ? [P(hint)] : []);
      let prod = Poly.constant(vars, f.unit);
      for (const { f: g, e } of f.factors) prod = prod.mul(g.pow(e));
      expect(prod.sub(P(text)).isZero(), text).toBe(true);
      expect(f.factors.length, text).toBe(count);
    }
  });

  it('the root algebra reduces r^2 = X: sqrt(X)^3 - X sqrt(X) is 0, sqrt(X) + sqrt(X) is not', () => {
    const base = ['a', 'b'];
    const t = [parse('sqrt(a^2 + b)^3 - (a^2 + b) * sqrt(b + a^2)'), parse('sqrt(a^2 + b) + sqrt(a^2 + b)')];
    const alg = new RootAlgebra(base, t);
    expect(alg.reduce(alg.toRF(t[0]!).num).isZero()).toBe(true);
    expect(alg.reduce(alg.toRF(t[1]!).num).isZero()).toBe(false);
  });
});

describe('identities Z3 leaves unknown, reduced (each was UNDECIDED before)', () => {
  it('sqrt(L_next)^2 sqrt(L)^2 == L_next L: PROVED by rewriting sqrt(X)^2 -> X', { timeout: TIMEOUT }, async () => {
    const o = await run('sqrt-of-squares.json', 'sqrt-squared-products');
    expect(o.kind, o.detail).toBe('PROVED');
    expect(o.established).toBe('proved-z3');
    expect(o.certificate).toMatch(/sqrt\(X\)\^2 -> X/);
  });

  it('sqrt(L_next^2) == L_next: PROVED by expansion through |L_next| = L_next', { timeout: TIMEOUT }, async () => {
    const o = await run('sqrt-of-squares.json', 'sqrt-of-a-square-of-a-nonnegative-term');
    expect(o.kind, o.detail).toBe('PROVED');
    expect(o.established).toBe('proved-expansion');
    expect(o.certificate).toMatch(/sqrt\(Y\^2\) -> \|Y\|/);
    expect(o.certificate).toMatch(/\|X\| -> X/);
  });

  it('C_next q_osc_next <= C q_osc_next under a premise: PROVED by the signs of the factors of the difference', { timeout: TIMEOUT }, async () => {
    const o = await run('factor-signs.json', 'c-times-q-next-does-not-rise');
    expect(o.kind, o.detail).toBe('PROVED');
    expect(o.certificate).toMatch(/closed by signs, no query/);
    expect(o.certificate).toMatch(/premise g_alpha\^2 <= g_beta1\^2 \+ g_beta2\^2/);
  });

  it('premises on alpha_next: q_osc_next <= 2 and L_osc_next <= L_osc PROVED with fresh variables', { timeout: TIMEOUT }, async () => {
    for (const id of ['q-osc-stays-below-two', 'oscillatory-loss-does-not-rise']) {
      const o = await run('next-step-premises.json', id);
      expect(o.kind, `${id}: ${o.detail}`).toBe('PROVED');
      expect(o.certificate).toMatch(/fresh variables/);
      expect(o.certificate).toMatch(/\(check-sat\)/);
    }
  });

  it('S_GFS bounds with max, abs and sqrt: PROVED case by case', { timeout: TIMEOUT }, async () => {
    const a = await run('case-splits.json', 'gfs-sharpness-next-at-least-two-lambda2');
    expect(a.kind, a.detail).toBe('PROVED');
    expect(a.certificate).toMatch(/case split: 2 cases/);
    const b = await run('case-splits.json', 'gfs-sharpness-at-most-max-lambda-times-abs-c-plus-two');
    expect(b.kind, b.detail).toBe('PROVED');
    expect(b.certificate).toMatch(/case split: \d+ cases/);
  });

  it('false one-step claims Z3 leaves unknown: FALSIFIED at an exact point of the witness search', { timeout: TIMEOUT }, async () => {
    for (const id of ['gfs-sharpness-non-increasing-when-c-nonnegative-every-theta', 'gfs-sharpness-non-increasing-every-theta']) {
      const o = await run('false-one-step.json', id);
      expect(o.kind, `${id}: ${o.detail}`).toBe('FALSIFIED');
      expect(o.detail).toMatch(/witness search .*confirmed by exact evaluation/);
      const w = o.counterexample!.witness!;
      const eta = w.eta!.split('/').map(Number).reduce((a, b) => a / b);
      expect(eta).toBeGreaterThanOrEqual(0.001);
      expect(eta).toBeLessThanOrEqual(100);
    }
  });
});

describe('hypotheses.params bounds are hypotheses of the prover', () => {
  it('a claim true only for |alpha| <= 1 is PROVED with the bounds in the Z3 query (the prover alone, no range premises)', { timeout: TIMEOUT }, async () => {
    const loaded = await loadLemmas([`${dir}/param-bounds.json`], model);
    const l = loaded[0]!;
    if (!l.ok) throw new Error(String(l.error.detail));
    const r = await proveLemma(model, l.lemma);
    expect(r.status, r.detail).toBe('proved');
    if (r.status === 'proved') expect(r.certificate).toMatch(/\(<= alpha 1(\.0)?\)/);
  });
});

describe('determinism', () => {
  it('the same reduction proof twice gives the same certificate bytes', { timeout: TIMEOUT }, async () => {
    const a = await run('next-step-premises.json', 'q-osc-stays-below-two');
    const b = await run('next-step-premises.json', 'q-osc-stays-below-two');
    expect(a.kind).toBe('PROVED');
    expect(b.certificate).toBe(a.certificate);
  });
});

describe('upper bounds on S reduced to matrix claims (no S in the queries)', () => {
  // Exact values of constant trees (abs included).
  const value = (n: MathNode): Rational => {
    const v = evalInterval(n, new Map());
    if (!v.isPoint()) throw new Error(`not exact: ${n.toString()}`);
    return v.lo;
  };

  it('orients a comparison affine in S as A S + B <= 0 (or < 0); a lower bound gets A < 0, S^2 and S_next - S are not affine in one symbol', () => {
    const form = (t: string) => {
      const m = /^(.*?)\s*(<=|>=|<|>|==)\s*(.*)$/.exec(t)!;
      return asSharpnessBound({ lhs: parse(m[1]!), rel: m[2] as any, rhs: parse(m[3]!) }, ['S', 'S_next']);
    };
    const vars = ['x', 'eta'];
    const rf = (n: MathNode) => toRatFunc(n, vars);
    const same = (n: MathNode, t: string) => expect(rf(n).sub(rf(parse(t))).num.isZero(), `${n.toString()} vs ${t}`).toBe(true);
    for (const [text, A, B, strict] of [
      ['S <= x', '1', '-x', false],
      ['x >= S', '1', '-x', false],
      ['eta * (x + 1) + 1 > eta * S', 'eta', '-(eta * (x + 1) + 1)', true],
      ['S / eta - x < 2 * S', '1 / eta - 2', '-x', true],
      ['S >= x', '-1', 'x', false],
      ['2 * S + x <= S + 3', '1', 'x - 3', false],
    ] as const) {
      const f = form(text)!;
      expect(f, text).toBeDefined();
      same(f.bound.A, A);
      same(f.bound.B, B);
      expect(f.bound.strict, text).toBe(strict);
    }
    for (const text of ['S^2 <= x', 'S * S <= x', 'S_next <= S', 'x / S <= 1', 'sqrt(S) <= x', 'S == x']) expect(form(text), text).toBeUndefined();
  });

  it('the Sylvester claims say exactly "-B I - A H is semidefinite / definite", and the Gershgorin claims imply A S + B <= 0, on random exact matrices', () => {
    let seed = 12345;
    const rnd = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed % (2 * k + 1)) - k;
    };
    const c = (v: number) => (v < 0 ? parse(`-${-v}`) : (new ConstantNode(v) as unknown as MathNode));
    let psd = 0;
    let notPsd = 0;
    let gersh = 0;
    for (let t = 0; t < 400; t++) {
      const n = 2 + (t % 2);
      const h: number[][] = Array.from({ length: n }, () => Array(n).fill(0));
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) h[i]![j] = h[j]![i] = rnd(3);
      // Some matrices made singular on purpose: rank one, so semidefinite but not definite cases occur.
      if (t % 5 === 0) {
        const v = Array.from({ length: n }, () => rnd(2));
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i]![j] = v[i]! * v[j]!;
      }
      const A = t % 3 === 0 ? 0 : 1 + (t % 2);
      const B = rnd(6);
      const H = h.map((r) => r.map(c));
      const Mq = h.map((r, i) => r.map((x, j) => Rational.fromInt((i === j ? -B : 0) - A * x)));
      const Hq = h.map((r) => r.map((x) => Rational.fromInt(x)));
      for (const strict of [false, true]) {
        const bound = { sym: 'S', A: c(A), B: c(B), strict };
        const sets = strict ? leadingIndexSets(n) : principalMinorIndexSets(n);
        const minorsHold = minorClaims(bound, H, sets).every(({ claim }) => (strict ? value(claim.lhs).sign() > 0 : value(claim.lhs).sign() >= 0));
        expect(minorsHold, JSON.stringify({ h, A, B, strict })).toBe(strict ? isPositiveDefinite(Mq) : isPositiveSemidefinite(Mq));
        if (!strict) minorsHold ? psd++ : notPsd++;
        // A S + B REL 0, decided exactly: S compared with -B/A (A > 0), or B alone (A = 0).
        const holds = A === 0 ? (strict ? B < 0 : B <= 0) : strict ? compareTopEigenvalue(Hq, Rational.fromInt(-B).div(Rational.fromInt(A))) < 0 : compareTopEigenvalue(Hq, Rational.fromInt(-B).div(Rational.fromInt(A))) <= 0;
        expect(minorsHold, JSON.stringify({ h, A, B, strict })).toBe(holds);
        const rows = gershgorinClaims(bound, H).every((g) => {
          const d = value(g.lhs).sub(value(g.rhs)).sign();
          return strict ? d < 0 : d <= 0;
        });
        if (rows) {
          gersh++;
          expect(holds, JSON.stringify({ h, A, B, strict })).toBe(true);
        }
      }
    }
    // The sample exercises both answers and the Gershgorin rung.
    expect(psd).toBeGreaterThan(20);
    expect(notPsd).toBeGreaterThan(20);
    expect(gersh).toBeGreaterThan(20);
  });

  it('S <= sum_ij |H_ij| for every theta: PROVED by Gershgorin rows, queries without S', { timeout: TIMEOUT }, async () => {
    const o = await run('sharpness-upper-bounds.json', 'sharpness-at-most-sum-of-abs-hessian-entries');
    expect(o.kind, o.detail).toBe('PROVED');
    expect(o.established).toBe('proved-z3');
    expect(o.detail).toMatch(/1 upper bound on the sharpness as matrix claims/);
    const cert = o.certificate!;
    expect(cert).toMatch(/it holds iff M = -B I - A H is positive semidefinite/);
    for (const row of ['row 1 (alpha)', 'row 2 (beta1)', 'row 3 (beta2)']) expect(cert).toContain(`Gershgorin ${row}: `);
    expect(cert).toMatch(/SMT-LIB2 queries answered unsat \(3;/);
    // S itself (seven principal minors in Z3) is what the rung avoids.
    expect(cert).not.toMatch(/declare-fun S /);
  });

  it('eta (sum |H_ij|) + 1 > eta S (strict, coefficient eta from its range, S on the right): PROVED as a definite matrix claim', { timeout: TIMEOUT }, async () => {
    const o = await run('sharpness-upper-bounds.json', 'eta-sharpness-below-eta-sum-of-abs-hessian-entries-plus-one');
    expect(o.kind, o.detail).toBe('PROVED');
    expect(o.certificate).toMatch(/with A = eta \[> 0\]/);
    expect(o.certificate).toMatch(/is positive definite/);
  });

  it('a false upper bound (S <= trace H - 1/1000) is never PROVED: FALSIFIED by the prover, and the matrix rung alone refuses it', { timeout: TIMEOUT }, async () => {
    const o = await run('sharpness-upper-bounds.json', 'sharpness-below-trace-minus-a-little');
    expect(o.kind, o.detail).toBe('FALSIFIED');
    // The prover's first query finds the witness before the reductions run; call them directly.
    const loaded = await loadLemmas([`${dir}/sharpness-upper-bounds.json`], model);
    const l = loaded.find((x) => x.ok && x.lemma.id === 'sharpness-below-trace-minus-a-little');
    if (!l?.ok) throw new Error('fixture');
    const st = l.lemma.statements[0]!;
    const r = await proveByReductions({
      model,
      assume: new Map(),
      vars: [...model.params, ...model.hypers],
      bounds: l.lemma.hyperDraws.map((d) => ('fixed' in d.draw ? { name: d.name, lo: constantToRational(d.draw.fixed), hi: constantToRational(d.draw.fixed) } : { name: d.name, lo: constantToRational(d.draw.min), hi: constantToRational(d.draw.max) })),
      premises: [],
      statements: [{ text: st.text, cmp: { lhs: st.lhsExact, rel: st.rel, rhs: st.rhsExact }, defined: [...definedness(st.lhsExact), ...definedness(st.rhsExact)] }],
      lemmaId: l.lemma.id,
      api: await initZ3(),
      rlimit: Z3_RLIMIT,
    });
    expect(r.status, r.detail).toBe('unknown');
    expect(r.detail).toMatch(/Gershgorin row 1 \(alpha\) not closed: the claim as stated: sat/);
    expect(r.detail).toMatch(/Sylvester the minor on alpha not closed: the claim as stated: sat/);
  });
});

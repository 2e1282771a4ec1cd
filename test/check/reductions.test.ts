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

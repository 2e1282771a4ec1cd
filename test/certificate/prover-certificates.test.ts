/**
 * Issue 23 item 7, on certificates the region prover really writes (test/certificate/check.test.ts tampers with
 * hand-built ones): the 'rayleigh' rung (S_next >= S - 0.05, c5's shape) and the 'factored' rung with a premise tie
 * (catapult-n2's K5 step), each accepted as written and rejected, naming the leaf, once one number, form or split
 * is changed; and a mutated prover (an enclosure shrunk through the `arith` test seam) whose false PROVED the
 * checker refuses.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { loadPack } from '../../src/model/pack.js';
import { compileLemma } from '../../src/lemma/compile.js';
import type { LemmaSpec } from '../../src/lemma/types.js';
import type { DerivedModel } from '../../src/symbolic/derive.js';
import { proveRegion } from '../../src/check/region-prove.js';
import type { RegionCertificate } from '../../src/check/region-certificate.js';
import { checkCertificate } from '../../src/certificate/check.js';
import { DyadicArith, DyadicInterval } from '../../src/numeric/dyadic.js';

const minimalist = deriveModel(minimalistModel);
const catapult = deriveModel(loadPack('catapult-n2').spec);
const PARAMS = { alpha: { min: 0.8, max: 1.1 }, beta1: { min: -0.05, max: 0.05 }, beta2: { min: 0, max: 0.3 } };

function lemma(model: DerivedModel, spec: Partial<LemmaSpec> & Pick<LemmaSpec, 'hypotheses' | 'statement'>) {
  return compileLemma({ id: 'cert-test', title: 't', claim: 'C6', provenance: 'variant', description: 't', expect: 'holds', quantifier: { kind: 'identity' }, ...spec } as LemmaSpec, model, 'cert-test.ts');
}

function proved(model: DerivedModel, l: ReturnType<typeof lemma>, opts = {}): RegionCertificate {
  const r = proveRegion(model, l, opts);
  if (r.status !== 'proved') throw new Error(`expected proved, got ${r.status}: ${'detail' in r ? r.detail : r.reason}`);
  return r.certificate;
}

const clone = (c: RegionCertificate): any => JSON.parse(JSON.stringify(c));
const at = (tree: any, path: string): any => path.split('.').reduce((n, k) => n[k], tree);

function expectFail(c: unknown, path: string, message: RegExp): void {
  const r = checkCertificate(c);
  expect(r.ok).toBe(false);
  const f = r.failures.find((x) => x.path === path);
  expect(f, JSON.stringify(r.failures)).toBeDefined();
  expect(f!.message).toMatch(message);
}

describe("the 'rayleigh' rung: S_next >= S - 0.05 over alpha, beta1, beta2 (eta, lambda1, lambda2 fixed)", () => {
  let cert: RegionCertificate;
  beforeAll(() => {
    cert = proved(minimalist, lemma(minimalist, { hypotheses: { hyper: { eta: 1.25, lambda1: 1, lambda2: 0.005 }, params: PARAMS }, statement: 'S_next >= S - 0.05' }));
  });

  it('is accepted as written, every leaf by the Rayleigh models', () => {
    const r = checkCertificate(clone(cert));
    expect(r.failures).toEqual([]);
    expect(r.leaves).toBe(cert.boxes);
    const rungs: string[] = [];
    const walk = (n: any): void => (n.split !== undefined ? (walk(n.lo), walk(n.hi)) : void rungs.push(n.rung));
    walk(cert.tree);
    expect(rungs.every((x) => x === 'rayleigh')).toBe(true);
  });

  it("a leaf's mu (the upper model's correction) made 4 times smaller", () => {
    const c = clone(cert);
    const u = at(c.tree, 'lo.hi').rayleigh.upper.S;
    const [n, d] = u.mu.split('/');
    u.mu = `${n}/${BigInt(d) * 4n}`;
    expectFail(c, 'lo.hi', /rayleigh: rayleigh\.upper\.S: mu = .* is below \|r~\|\^2/);
    expect(checkCertificate(c).failures.map((f) => f.path)).toEqual(['lo.hi']);
  });

  it("a leaf's rho raised by 1%: v^T H v / v.v is no longer shown above it", () => {
    const c = clone(cert);
    const u = at(c.tree, 'hi.lo').rayleigh.upper.S;
    const [n, d] = u.rho.split('/');
    u.rho = `${BigInt(n) * 101n}/${BigInt(d) * 100n}`;
    expectFail(c, 'hi.lo', /rayleigh\.upper\.S: v\^T H v \/ v\.v is not shown >= rho/);
  });

  it('a leaf that claims a lower rung than it needs', () => {
    const c = clone(cert);
    at(c.tree, 'hi.hi').rung = 'centered';
    expectFail(c, 'hi.hi', /statement 0 "S_next >= S - 0\.05" is not shown to hold on the box: rhs - lhs in \[.*\] \(natural and centered\) \(box: /);
  });

  it('a leaf removed (its split replaced by one child, boxes adjusted): the wider box fails', () => {
    const c = clone(cert);
    c.tree.lo = c.tree.lo.lo;
    c.boxes -= 1;
    const r = checkCertificate(c);
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.path)).toEqual(['lo']);
  });

  it('a split point moved so that the leaves no longer match their boxes', () => {
    const c = clone(cert);
    c.tree.lo.at = '1';
    // The leaf made for alpha in [0.8, 0.95] now stands for [0.8, 1]: its recorded S_next bound no longer holds.
    expectFail(c, 'lo.lo', /sharpness\.S_next: Rayleigh quotient of v is only >= .* on the box, below lo = /);
  });

  it("the certificate's Q polynomial with one coefficient changed is refused as a whole", () => {
    const c = clone(cert);
    const poly: string = c.sharpForms[0].poly;
    const m = /\(1 \/ 12800\)/.exec(poly);
    expect(m).not.toBeNull();
    c.sharpForms[0].poly = poly.replace('(1 / 12800)', '(1 / 12801)');
    expectFail(c, 'certificate', /sharpForms\[0\]\.poly: not \(v\.v\) rest \+ sum of coefficient \* v\^T H v/);
  });
});

describe("the 'rayleigh' rung with a premise as a multiplier term: c5's S_next >= S in phase I, on part of its box", () => {
  // Near the premise's boundary lambda1 alpha beta1^2 = 0.1 lambda2 beta2 (1 - alpha beta2) the rise S_next - S is
  // small and grows past 0 just outside it; S - S_next + c (premise's rhs - lhs) varies far less over such a box.
  const PHASE_ONE = ['eta * S < 2', 'alpha > 0', 'beta2 > 0', 'alpha * beta2 < 1', 'lambda1 * alpha * beta1^2 <= 0.1 * lambda2 * beta2 * (1 - alpha * beta2)'];
  const l = lemma(minimalist, {
    claim: 'C5',
    hypotheses: { hyper: { eta: 1.5, lambda1: 1, lambda2: 0.008 }, params: { alpha: { min: 0.8, max: 1.1 }, beta1: { min: 0.001, max: 0.01 }, beta2: { min: 0.001, max: 0.3 } } },
    quantifier: { kind: 'identity', when: PHASE_ONE },
    statement: 'S_next >= S',
  });
  let cert: RegionCertificate;
  let withMultiplier: string[];
  beforeAll(() => {
    cert = proved(minimalist, l);
    withMultiplier = [];
    const walk = (n: any, path: string[]): void => {
      if (n.split !== undefined) return (walk(n.lo, [...path, 'lo']), walk(n.hi, [...path, 'hi']));
      if (n.rayleigh?.multipliers) withMultiplier.push(path.join('.'));
    };
    walk(cert.tree, []);
  });

  it('is accepted as written; the multipliers save boxes (measured: 265 with them, 465 without)', () => {
    expect(checkCertificate(clone(cert)).failures).toEqual([]);
    expect(withMultiplier.length).toBeGreaterThan(0);
    const without = proveRegion(minimalist, l, { multipliers: false });
    expect(without.status).toBe('proved');
    if (without.status === 'proved') expect(without.boxes).toBeGreaterThan(cert.boxes);
  });

  it("a multiplier of the wrong sign, or on a premise that reads S, is refused at its leaf", () => {
    const path = withMultiplier[0]!;
    const flipped = clone(cert);
    const m = at(flipped.tree, path).rayleigh.multipliers;
    const k = Object.keys(m)[0]!;
    m[k].c = m[k].c.startsWith('-') ? m[k].c.slice(1) : `-${m[k].c}`;
    expectFail(flipped, path, /rayleigh\.multipliers\.0\.c = .*: of the sign that tightens the bound where premise 4 /);
    const onS = clone(cert);
    at(onS.tree, path).rayleigh.multipliers[k].premise = 0;
    expectFail(onS, path, /rayleigh\.multipliers\.0: premise 0 "eta \* S < 2" reads S, not a variable of the box/);
  });

  it('a multiplier removed: the bound alone does not hold on that leaf', () => {
    const c = clone(cert);
    const path = withMultiplier[0]!;
    delete at(c.tree, path).rayleigh.multipliers;
    expectFail(c, path, /the Rayleigh bound of rhs - lhs is .* on the wrong side of 0/);
  });
});

describe("the 'factored' rung with a premise tie: catapult-n2, 4 < eta lambda < 8 gives lambda_next >= lambda", () => {
  let cert: RegionCertificate;
  beforeAll(() => {
    const params = Object.fromEntries(['u1', 'u2', 'v1', 'v2'].map((p) => [p, { min: -1, max: 1 }]));
    cert = proved(
      catapult,
      lemma(catapult, {
        claim: 'K5',
        hypotheses: { hyper: { eta: { min: 3, max: 30 }, y: 0, s: 0.7071067811865476 }, params },
        quantifier: { kind: 'identity', when: ['eta * lambda > 4', 'eta * lambda < 8', 'lambda >= 0.05'] },
        statement: ['lambda_next >= lambda', 'eta * lambda_next > 4'],
      }),
    );
  });

  it('is accepted as written: one leaf, both statements by the signs of their factors', () => {
    const r = checkCertificate(clone(cert));
    expect(r.failures).toEqual([]);
    expect((cert.tree as any).rung).toBe('factored');
    expect(cert.forms!.statements[0]!.factors.some((f) => f.premise?.index === 0)).toBe(true);
  });

  it('without the premise tie the factor eta lambda - 4 has no known sign on the box', () => {
    const c = clone(cert);
    for (const f of c.forms.statements[0].factors) delete f.premise;
    expectFail(c, 'root', /statement 0 "lambda_next >= lambda" is not shown to hold on the box: .*its factored form gives signs \{<0, 0, >0\}/);
  });

  it('a tie to the wrong premise, or a changed unit, is refused as a whole', () => {
    const wrong = clone(cert);
    wrong.forms.statements[0].factors.find((f: any) => f.premise).premise.index = 1;
    expectFail(wrong, 'certificate', /forms\.statements\[0\]\.factors\[\d\]: rhs - lhs of premise 1 .* is not/);
    const unit = clone(cert);
    unit.forms.statements[1].unit = unit.forms.statements[1].unit.replace(/^-/, '');
    expectFail(unit, 'certificate', /forms\.statements\[1\]: unit \* prod factor\^power is not rhs - lhs of "eta \* lambda_next > 4"/);
  });
});

describe('mutation: a prover with a shrunk enclosure proves a false claim; the checker refuses the certificate', () => {
  // The enclosure of every difference shrunk to its midpoint (an enclosure that no longer contains the value): the
  // natural rung then "decides" alpha >= 0.9 on the whole region at once (0.9 - alpha in [-0.2, 0.1] becomes
  // -0.05), though it fails at alpha = 0.8. The prover's own centre check cannot see it (0.95 >= 0.9); the
  // independent checker recomputes the enclosure and names the leaf.
  class Shrunk extends DyadicArith {
    override sub(a: DyadicInterval, b: DyadicInterval): DyadicInterval {
      const m = super.sub(a, b).mid(this.bits);
      return new DyadicInterval(m, m);
    }
  }
  const l = lemma(minimalist, { hypotheses: { hyper: { eta: 1.25, lambda1: 1, lambda2: 0.005 }, params: PARAMS }, statement: 'alpha >= 0.9' });

  it('unmutated: FALSIFIED with a witness', () => {
    expect(proveRegion(minimalist, l).status).toBe('falsified');
  });

  it('mutated: PROVED, and check-certificate rejects the root leaf', () => {
    const r = proveRegion(minimalist, l, { arith: (bits) => new Shrunk(bits) });
    expect(r.status).toBe('proved');
    if (r.status !== 'proved') return;
    const c = checkCertificate(JSON.parse(JSON.stringify(r.certificate)));
    expect(c.ok).toBe(false);
    expect(c.failures).toEqual([{ path: 'root', message: expect.stringMatching(/statement 0 "alpha >= 0\.9" is not shown to hold on the box: rhs - lhs in \[-0\.2, 0\.1\]/) }]);
  });
});

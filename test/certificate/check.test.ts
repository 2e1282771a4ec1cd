/**
 * Issue 23 item 5: the independent re-checker of region-proof certificates (src/certificate/). Hand-built
 * certificates that hold, tampered ones that must fail, the exact arithmetic's corner cases, and the
 * `check-certificate` command's exit codes.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CertComparison, CertLeaf, CertNode, CertSharpnessBound, RegionCertificate } from '../../src/check/region-certificate.js';
import { checkCertificate } from '../../src/certificate/check.js';
import { evaluate, centered, type I } from '../../src/certificate/evaluate.js';
import { parseExpr } from '../../src/certificate/expr.js';
import { Q } from '../../src/certificate/rational.js';
import { runCli } from '../support/cli.js';

// ---------------------------------------------------------------- builders

function cmp(text: string): CertComparison {
  const m = /^(.*?)\s*(<=|>=|==|<|>)\s*(.*)$/.exec(text)!;
  return { text, rel: m[2] as CertComparison['rel'], lhs: m[1]!, rhs: m[3]! };
}
const split = (v: number, at: string, lo: CertNode, hi: CertNode): CertNode => ({ split: v, at, lo, hi });
const holds = (n = 1, rung: CertLeaf['rung'] = 'natural', sharpness?: Record<string, CertSharpnessBound>): CertLeaf => ({
  statements: new Array(n).fill('holds'),
  rung,
  bounds: new Array(n).fill(null),
  ...(sharpness ? { sharpness } : {}),
});
const premiseFalse = (p: number, rung: CertLeaf['rung'] = 'natural'): CertLeaf => ({ premiseFalse: p, rung });

function leafCount(n: CertNode): number {
  return 'split' in n ? leafCount(n.lo) + leafCount(n.hi) : 1;
}

function cert(parts: Partial<RegionCertificate> & Pick<RegionCertificate, 'vars' | 'region' | 'statements' | 'tree'>): RegionCertificate {
  return { format: 'eos-check-region/1', premises: [], sharpness: {}, boxes: leafCount(parts.tree), ...parts };
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function expectOk(c: unknown): void {
  const r = checkCertificate(c);
  expect(r.failures).toEqual([]);
  expect(r.ok).toBe(true);
}
function expectFail(c: unknown, path: string, message: RegExp): void {
  const r = checkCertificate(c);
  expect(r.ok).toBe(false);
  expect(r.failures.map((f) => `${f.path}: ${f.message}`).join('\n')).toMatch(new RegExp(`(^|\\n)${path.replace(/\./g, '\\.')}: .*${message.source}`));
}

// ---------------------------------------------------------------- certificates

/**
 * eta x (1 - x) <= 0.3 on x in [0, 1], eta = 1 fixed. Natural evaluation on [a, b] gives b (1 - a), so
 * eight leaves: [0,1/4] [1/4,3/8] [3/8,7/16] [7/16,1/2] and their mirror images.
 */
const logistic = cert({
  vars: ['x', 'eta'],
  region: [
    ['0', '1'],
    ['1', '1'],
  ],
  statements: [cmp('eta * x * (1 - x) <= 0.3')],
  tree: split(
    0,
    '1/2',
    split(0, '1/4', holds(), split(0, '3/8', holds(), split(0, '7/16', holds(), holds()))),
    split(0, '3/4', split(0, '5/8', split(0, '9/16', holds(), holds()), holds()), holds()),
  ),
});

/** Premise x < 1/2: the statement x^2 <= 0.25 holds on [0, 1/2]; on [1/2, 1] the premise is false. */
const premised = cert({
  vars: ['x'],
  region: [['0', '1']],
  premises: [cmp('x < 1/2')],
  statements: [cmp('x^2 <= 0.25')],
  tree: split(0, '1/2', holds(), premiseFalse(0)),
});

/**
 * S = lambda_max [[2 + x, y], [y, 1]] on x, y in [0, 1/10]: S >= 2 (v = e1) and S < 23/10 (23/10 I - H is
 * positive definite: 3/10 - x > 0 and (3/10 - x)(13/10) - y^2 > 0).
 */
const SHARP2: CertSharpnessBound = { lo: '2', hi: '23/10', v: ['1', '0'] };
const sharp2 = cert({
  vars: ['x', 'y'],
  region: [
    ['0', '1/10'],
    ['0', '1/10'],
  ],
  statements: [cmp('S <= 2.5'), cmp('x * S <= 1/4')],
  sharpness: { S: { n: 2, entries: ['2 + x', 'y', '1'] } },
  tree: holds(2, 'natural', { S: SHARP2 }),
});

/**
 * 3x3: H = [[3, x, 0], [x, 2, y], [0, y, 1]], x, y in [-1/2, 1/2]; v = (4, 1, 0) (near the top
 * eigenvector) gives the Rayleigh bound (16 * 3 + 8x + 2) / 17: >= 46/17 for x <= 0, >= 50/17 for x >= 0; 4 I - H is positive definite
 * (leading minors 1, 2 - x^2, 3(2 - x^2) - y^2). Split on x so the leaves carry different bounds.
 */
const sharp3 = cert({
  vars: ['x', 'y'],
  region: [
    ['-1/2', '1/2'],
    ['-1/2', '1/2'],
  ],
  statements: [cmp('S <= 4'), cmp('S - x/2 >= 2.4')], // S is the closed [lo, hi] in the trees: S < 4 is not shown
  sharpness: { S: { n: 3, entries: ['3', 'x', '0', '2', 'y', '1'] } },
  tree: split(0, '0', holds(2, 'natural', { S: { lo: '46/17', hi: '4', v: ['4', '1', '0'] } }), holds(2, 'natural', { S: { lo: '50/17', hi: '4', v: ['4', '1', '0'] } })),
});

/**
 * sqrt(x) / max(x, 1/4) <= 5/2 on x in [1/16, 1] (sqrt(1/2) is irrational: the outward-rounded bound is
 * used at the leaf [9/25, 1/2]), and sqrt(x - 2) >= 1, undefined everywhere on the region.
 */
const undef = (n: number, holdsAt: number): CertLeaf => ({ statements: Array.from({ length: n }, (_, k) => (k === holdsAt ? 'holds' : 'undefined')), rung: 'natural', bounds: new Array(n).fill(null) });
const radical = cert({
  vars: ['x'],
  region: [['1/16', '1']],
  statements: [cmp('sqrt(x) / max(x, 1/4) <= 5/2'), cmp('sqrt(x - 2) >= 1')],
  tree: split(0, '1/4', undef(2, 0), split(0, '9/25', undef(2, 0), split(0, '1/2', undef(2, 0), undef(2, 0)))),
});

/** x (1 - x) <= 0.26 on [0.45, 0.55]: natural gives 0.3025; the centered form 0.25 + 0.005. */
const centeredCert = cert({
  vars: ['x'],
  region: [['9/20', '11/20']],
  statements: [cmp('x * (1 - x) <= 0.26')],
  tree: holds(1, 'centered'),
});

describe('region certificates that hold', () => {
  it('a polynomial claim on a tree of eight leaves (a fixed hyperparameter is a zero-width range)', () => {
    expectOk(logistic);
    expect(checkCertificate(logistic).leaves).toBe(8);
  });
  it('a premiseFalse leaf', () => expectOk(premised));
  it('a sharpness symbol of a 2x2 matrix: Rayleigh lo, Sylvester hi', () => expectOk(sharp2));
  it('a sharpness symbol of a 3x3 matrix, with per-leaf bounds', () => expectOk(sharp3));
  it('sqrt, max and division; a statement undefined on the whole region', () => expectOk(radical));
  it('a centered-rung leaf that natural evaluation cannot decide', () => {
    expectOk(centeredCert);
    const natural = clone(centeredCert);
    (natural.tree as CertLeaf).rung = 'natural';
    expectFail(natural, 'root', /statement 0 .* not shown to hold on the box: rhs - lhs in \[-0\.0425, .*\(natural\)/);
  });
  it('a centered leaf reading S (S a variable of the mean-value form over [lo, hi])', () => {
    // S - S^2/5 on S in [2, 23/10]: the range is [1.2, 1.242]; natural evaluation gives [0.942, 1.5], the
    // centered form (about S = 2.15, slope in [0.08, 0.2]) [1.1955, 1.2555].
    const c = clone(sharp2);
    c.statements = [cmp('S - S^2/5 <= 1.26')];
    c.tree = holds(1, 'centered', { S: SHARP2 });
    expectOk(c);
    (c.tree as CertLeaf).rung = 'natural';
    expectFail(c, 'root', /rhs - lhs in \[-0\.24, 0\.318\] \(natural\)/);
  });
  it('a one-leaf tree and exact decimal constants (0.1 + 0.2 == 0.3 holds exactly)', () => {
    expectOk(cert({ vars: ['x'], region: [['0', '1']], statements: [cmp('0.1 + 0.2 == 0.3'), cmp('x * 1e-3 <= 0.001')], tree: holds(2) }));
  });
});

describe('tampered certificates fail', () => {
  it('a bound that does not hold on one leaf', () => {
    const c = clone(logistic);
    c.statements = [cmp('eta * x * (1 - x) <= 0.28')];
    // [1/4, 3/8] and [7/16, 1/2]: 9/32 = 0.28125 > 0.28; their mirror images likewise.
    expectFail(c, 'lo.hi.hi.hi', /statement 0 .* not shown to hold.*rhs - lhs in \[-0\.00125/);
    expect(checkCertificate(c).failures.map((f) => f.path)).toEqual(['lo.hi.lo', 'lo.hi.hi.hi', 'hi.lo.lo.lo', 'hi.lo.hi']);
  });
  it('a verdict changed to undefined', () => {
    const c = clone(logistic);
    ((c.tree as any).lo.lo as CertLeaf & { statements: string[] }).statements = ['undefined'];
    expectFail(c, 'lo.lo', /statement 0 .* is not shown undefined at every point of the box/);
  });
  it('a split replaced by one of its children (the leaf no longer covers, and the count is off)', () => {
    const c = clone(logistic);
    (c.tree as any).lo.hi = (c.tree as any).lo.hi.hi; // [1/4, 1/2] now decided by the leaf made for [3/8, 1/2]
    const r = checkCertificate(c);
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.path)).toContain('certificate');
    expect(r.failures.find((f) => f.path === 'certificate')!.message).toMatch(/the tree has 7 leaves, the certificate says boxes = 8/);
  });
  it('a leaf removed with boxes adjusted: the wider box fails', () => {
    const c = clone(logistic);
    (c.tree as any).lo.hi = holds();
    c.boxes = 6;
    expectFail(c, 'lo.hi', /not shown to hold.*box: x in \[0\.25, 0\.5\]/);
  });
  it('split points outside the box, on its edge, or splitting a fixed hyperparameter', () => {
    const outside = clone(logistic);
    (outside.tree as any).lo.at = '3/4';
    expectFail(outside, 'lo', /split point x = 3\/4 is not strictly inside the box's range \[0, 1\/2\]/);
    const edge = clone(logistic);
    (edge.tree as any).at = '1';
    expectFail(edge, 'root', /split point x = 1 is not strictly inside/);
    const fixed = clone(logistic);
    fixed.tree = split(1, '1', holds(), holds());
    expectFail(fixed, 'root', /split point eta = 1 is not strictly inside the box's range \[1, 1\]/);
  });
  it('a premiseFalse on a leaf where the premise can hold', () => {
    const c = clone(premised);
    c.tree = split(0, '1/2', premiseFalse(0), holds());
    expectFail(c, 'lo', /premise 0 "x < 1\/2" is not shown false on the box/);
    expectFail(c, 'hi', /statement 0 "x\^2 <= 0.25" is not shown to hold/);
    const bad = clone(premised);
    bad.tree = split(0, '1/2', holds(), premiseFalse(3));
    expectFail(bad, 'hi', /premiseFalse: no premise 3/);
  });
  it('a sharpness hi too small', () => {
    const c = clone(sharp2);
    (c.tree as any).sharpness.S.hi = '21/10';
    expectFail(c, 'root', /hi I - H is not shown positive definite for hi = 2\.1: leading minor 1 in \[0, 0\.1\]/);
  });
  it('a wrong Rayleigh lo, or a vector that does not reach it', () => {
    const c = clone(sharp2);
    (c.tree as any).sharpness.S.lo = '201/100';
    expectFail(c, 'root', /Rayleigh quotient of v is only >= 2 on the box, below lo = 2\.01/);
    const v = clone(sharp2);
    (v.tree as any).sharpness.S.v = ['1', '1'];
    expectFail(v, 'root', /Rayleigh quotient of v is only >= 1\.5/);
    const zero = clone(sharp2);
    (zero.tree as any).sharpness.S.v = ['0', '0'];
    expectFail(zero, 'root', /v is the zero vector/);
  });
  it('a 3x3 leaf with the other leaf\'s Rayleigh bound', () => {
    const c = clone(sharp3);
    (c.tree as any).lo.sharpness.S.lo = '50/17';
    expectFail(c, 'lo', /Rayleigh quotient of v is only >= 2\.70588/);
  });
  it('Sylvester: a failing second or third leading minor is caught', () => {
    // [[1, 1], [1, 1]] has lambda_max 2: 3/2 I - H has minors 1/2, 1/4 - 1.
    const two = cert({ vars: ['x'], region: [['0', '1']], statements: [cmp('S <= 3')], sharpness: { S: { n: 2, entries: ['1', '1', '1'] } }, tree: holds(1, 'natural', { S: { lo: '2', hi: '201/100', v: ['1', '1'] } }) });
    expectOk(two);
    (two.tree as any).sharpness.S.hi = '3/2';
    expectFail(two, 'root', /leading minor 2 in \[-0\.75\]/);
    // The all-ones 3x3 has lambda_max 3: 5/2 I - H has minors 3/2, 5/4, then (5/2 - 3)(5/2)^2 < 0.
    const three = cert({ vars: ['x'], region: [['0', '1']], statements: [cmp('S <= 4')], sharpness: { S: { n: 3, entries: ['1', '1', '1', '1', '1', '1'] } }, tree: holds(1, 'natural', { S: { lo: '3', hi: '301/100', v: ['1', '1', '1'] } }) });
    expectOk(three);
    (three.tree as any).sharpness.S.hi = '5/2';
    expectFail(three, 'root', /leading minor 3 in \[-3\.125\]/);
    // A 4x4 with x on the diagonal: diag(2 + x, 1, 1, 1) + a 1 in the (1, 4) corner; lambda_max <= 3 + 1/2.
    const four = cert({
      vars: ['x'],
      region: [['0', '1/2']],
      statements: [cmp('S <= 4')],
      sharpness: { S: { n: 4, entries: ['2 + x', '0', '0', '1', '1', '0', '0', '1', '0', '1'] } },
      tree: holds(1, 'natural', { S: { lo: '2', hi: '7/2', v: ['1', '0', '0', '0'] } }),
    });
    expectOk(four);
  });
  it('a tree that reads S at a leaf without a bound for it', () => {
    const c = clone(sharp2);
    delete (c.tree as any).sharpness;
    expectFail(c, 'root', /"S <= 2.5" reads S, but the leaf gives no bound for it/);
  });
  it('a statement that may be undefined on the box is not shown to hold', () => {
    const c = cert({ vars: ['x'], region: [['0', '1']], statements: [cmp('x / (x - 1/2) <= 100')], tree: holds() });
    expectFail(c, 'root', /may be undefined on the box \(a denominator whose enclosure contains 0\), but the verdict is 'holds'/);
    const s = cert({ vars: ['x'], region: [['0', '1']], statements: [cmp('sqrt(x - 1/2) >= 0')], tree: holds() });
    expectFail(s, 'root', /may be undefined on the box \(a square root of an enclosure that reaches below 0\)/);
    // ... nor undefined everywhere: x = 1/2 .. 1 defines it.
    s.tree = { statements: ['undefined'], rung: 'natural', bounds: [null] };
    expectFail(s, 'root', /is not shown undefined at every point/);
  });
  it('malformed certificates', () => {
    expectFail({ ...logistic, format: 'eos-check-region/2' }, 'certificate', /format is "eos-check-region\/2"/);
    expectFail({ ...logistic, region: [['0', '0.5'], ['1', '1']] }, 'certificate', /region\[0\] \(x\) hi: expected an exact rational/);
    expectFail({ ...logistic, region: [['1', '0'], ['1', '1']] }, 'certificate', /lo 1 > hi 0/);
    expectFail({ ...logistic, statements: [cmp('z <= 1')] }, 'certificate', /unknown symbol "z"/);
    expectFail({ ...logistic, statements: [cmp('exp(x) <= 3')] }, 'lo.lo', /cannot evaluate exp/);
    expectFail({ ...logistic, statements: [cmp('x.y <= 3')] }, 'certificate', /statements\[0\]/);
    expectFail({ ...sharp2, sharpness: { S: { n: 2, entries: ['1', '2'] } } }, 'certificate', /expected 3 entries/);
    expectFail({ ...sharp2, sharpness: { S: { n: 2, entries: ['exp(x)', 'y', '1'] } } }, 'root', /cannot evaluate exp/);
    expectFail({ ...logistic, tree: { split: 0, at: '1/2', lo: holds() } }, 'hi', /expected a split/);
  });
});

describe('exact arithmetic', () => {
  const env = (m: Record<string, [string, string]>) => new Map(Object.entries(m).map(([k, [a, b]]) => [k, { lo: Q.parseRatio(a)!, hi: Q.parseRatio(b)! } as I]));
  const val = (text: string, m: Record<string, [string, string]>) => {
    const v = evaluate(parseExpr(text), env(m));
    return v.undef !== undefined ? `undefined: ${v.undef}` : v.iv === null ? `unbounded${v.maybe ? ' (maybe)' : ''}` : `[${v.iv.lo}, ${v.iv.hi}]${v.maybe ? ' (maybe)' : ''}`;
  };
  it('literals are the exact decimals as written, including beyond double precision', () => {
    expect(val('0.1', {})).toBe('[1/10, 1/10]');
    expect(val('2.5e-3 + .5 + 7.', {})).toBe('[3001/400, 3001/400]');
    expect(val('9007199254740993 - 9007199254740992', {})).toBe('[1, 1]'); // 2^53 + 1 is not a double
    expect(val('2 x', { x: ['1/3', '1/3'] })).toBe('[2/3, 2/3]');
    expect(val('1/2 x', { x: ['1/3', '1/3'] })).toBe('[1/6, 1/6]');
    expect(val('x2 * 2e1', { x2: ['1', '1'] })).toBe('[20, 20]');
  });
  it('even powers of an interval containing 0 start at 0; negative powers; real powers', () => {
    expect(val('x^2', { x: ['-1', '2'] })).toBe('[0, 4]');
    expect(val('x^3', { x: ['-1', '2'] })).toBe('[-1, 8]');
    expect(val('x^-2', { x: ['1/2', '2'] })).toBe('[1/4, 4]');
    expect(val('x^-1', { x: ['0', '0'] })).toMatch(/^undefined/);
    expect(val('x^(-1)', { x: ['-1', '1'] })).toBe('unbounded (maybe)');
    expect(val('x^(3/2)', { x: ['4', '9'] })).toBe('[8, 27]');
    expect(val('x^(1/2)', { x: ['-4', '-1'] })).toMatch(/^undefined/);
    expect(val('x^(4/2)', { x: ['-1', '1'] })).toBe('[0, 1] (maybe)'); // a real power: base >= 0 (as the project's algebra reads 4/2)
  });
  it('sqrt: exact on squares, outward-rounded otherwise, and its domain', () => {
    expect(val('sqrt(x)', { x: ['4/9', '25/16'] })).toBe('[2/3, 5/4]');
    const [lo, hi] = Q.of(2n).sqrtBounds(64);
    expect(lo.mul(lo).lt(Q.of(2n)) && Q.of(2n).lt(hi.mul(hi))).toBe(true);
    expect(hi.sub(lo).lt(Q.of(1n, 1n << 60n))).toBe(true);
    expect(val('sqrt(x)', { x: ['-2', '-1'] })).toMatch(/^undefined: a square root of a negative number/);
    expect(val('sqrt(x)', { x: ['-1', '4'] })).toBe('[0, 2] (maybe)');
    expect(val('1/(x - x)', { x: ['1', '1'] })).toMatch(/^undefined: a division by zero/);
    expect(val('1/x', { x: ['-1', '1'] })).toBe('unbounded (maybe)');
    // An argument undefined everywhere makes the whole term undefined; an enclosure over the defined points
    // entirely outside the domain does too.
    expect(val('max(1, sqrt(x))', { x: ['-2', '-1'] })).toMatch(/^undefined/);
    expect(val('sqrt(sqrt(x) - 5)', { x: ['-1', '4'] })).toMatch(/^undefined/);
    expect(val('abs(x) + min(x, 1/2) + max(x, 0, 1/3)', { x: ['-1', '1'] })).toBe('[-2/3, 5/2]');
  });
  it('the centered form encloses, and is tighter than natural evaluation on a narrow box', () => {
    const e = parseExpr('x * (1 - x)');
    const c = centered(e, env({ x: ['9/20', '11/20'] }));
    expect(`[${c.lo}, ${c.hi}]`).toBe('[49/200, 51/200]');
    expect(() => centered(parseExpr('sqrt(x)'), env({ x: ['0', '1'] }))).toThrow(/square root of an enclosure reaching 0/);
    const a = centered(parseExpr('abs(x - 1/2) + max(x, 1/2)'), env({ x: ['0', '1'] }));
    expect(a.lo.le(Q.of(1n, 2n)) && Q.of(3n, 2n).le(a.hi)).toBe(true); // contains the range [1/2, 3/2]
  });
  it('long non-dyadic ends are rounded outward to dyadics; short ones stay exact', () => {
    // roundDyadic: a dyadic of about `bits` significant bits on the requested side.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), BigInt(seed));
    for (let i = 0; i < 200; i++) {
      const q = Q.of((rnd() * rnd() * rnd() - (1n << 90n)) * (i % 3 === 0 ? 10n ** 40n : 1n), rnd() * rnd() * 3n ** 50n + 1n);
      for (const bits of [8, 64, 192]) {
        const lo = q.roundDyadic(bits, false);
        const hi = q.roundDyadic(bits, true);
        expect(lo.le(q) && q.le(hi), `${q} at ${bits} bits`).toBe(true);
        for (const x of [lo, hi]) {
          const n = x.n < 0n ? -x.n : x.n;
          expect((x.d & (x.d - 1n)) === 0n && n / (n & -n) < 1n << BigInt(bits + 2)).toBe(true);
        }
      }
    }
    // A degree-12 polynomial on a box with decimal ends: the ends grow past 2^64 and are rounded, and the
    // enclosure still contains the exact values at the corners (computed exactly, as points).
    const box = { x: ['1/1000', '7/1000'], y: ['3/10', '31/100'] } as Record<string, [string, string]>;
    const p = parseExpr('(x^3 - 3 * x * y + y^2 / 7)^4 - x^2 * y^10');
    const whole = evaluate(p, env(box));
    if (whole.undef !== undefined || whole.iv === null) throw new Error('no enclosure');
    for (const x of box.x!)
      for (const y of box.y!) {
        const v = evaluate(p, env({ x: [x, x], y: [y, y] }));
        if (v.undef !== undefined || v.iv === null) throw new Error('no value');
        expect(whole.iv.lo.le(v.iv.lo) && v.iv.hi.le(whole.iv.hi)).toBe(true);
      }
    expect(val('x^3 * 3', { x: ['1/10', '1/10'] })).toBe('[3/1000, 3/1000]');
  });
});

describe('the checker\'s own rationals agree with src/numeric/rational.ts', () => {
  it('add, mul, div, cmp and normal form on random fractions (small, dyadic and large)', async () => {
    const { Rational } = await import('../../src/numeric/rational.js');
    let seed = 12345n;
    const rnd = (bits: number): bigint => {
      let x = 0n;
      for (let i = 0; i < bits; i += 31) {
        seed = (seed * 1103515245n + 12345n) % 2147483648n;
        x = (x << 31n) | seed;
      }
      return x % (1n << BigInt(bits));
    };
    for (let t = 0; t < 300; t++) {
      const bits = [8, 40, 60, 200][t % 4]!;
      const den = (k: number) => (t % 3 === 0 ? 1n << BigInt(Number(rnd(7))) : rnd(bits) + 1n) * (k === 0 ? 1n : 5n);
      const [an, ad, bn, bd] = [rnd(bits) - rnd(bits), den(0), rnd(bits) - rnd(bits) + 1n, den(1)];
      const a = Q.of(an, ad);
      const b = Q.of(bn, bd);
      const ra = Rational.of(an, ad);
      const rb = Rational.of(bn, bd);
      const same = (q: Q, r: { num: bigint; den: bigint }) => expect(`${q.n}/${q.d}`).toBe(`${r.num}/${r.den}`);
      same(a.add(b), ra.add(rb));
      same(a.sub(b), ra.sub(rb));
      same(a.mul(b), ra.mul(rb));
      if (!b.isZero()) same(a.div(b), ra.div(rb));
      expect(a.cmp(b)).toBe(Math.sign(ra.cmp(rb)));
    }
  });
  it('prover-style texts: fully parenthesized, (-k), (p/q) and exponent literals', () => {
    const e = parseExpr('((beta1 ^ (2)) + (1/100)) * (-3) + (1e+21) - (2.5E-3)');
    const v = evaluate(e, new Map([['beta1', { lo: Q.int(2), hi: Q.int(2) }]]));
    expect(v.undef === undefined && v.iv !== null && v.iv.lo.toString()).toBe(Q.of(401n, 100n).mul(Q.int(-3)).add(Q.int(10n ** 21n)).sub(Q.of(1n, 400n)).toString());
  });
});

describe('independence: the checker shares only the parser with the prover', () => {
  it('src/certificate/ imports only itself and src/symbolic/mathjs.ts', () => {
    const dir = 'src/certificate';
    for (const f of readdirSync(dir)) {
      const src = readFileSync(join(dir, f), 'utf8');
      for (const m of src.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)) expect([f, m[1]!.startsWith('./') || m[1] === '../symbolic/mathjs.js']).toEqual([f, true]);
    }
  });
});

describe('eos-check check-certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eos-cert-'));
  const tampered = clone(logistic);
  tampered.statements = [cmp('eta * x * (1 - x) <= 0.28')];
  const row = (id: string, regionCertificate: unknown) => ({ id, kind: 'PROVED', regionCertificate });
  const write = (name: string, body: unknown) => {
    const f = join(dir, name);
    writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
    return f;
  };
  const good = write('good.json', { outcomes: [row('logistic', logistic), { id: 'other', kind: 'VERIFIED' }, row('sharp3', sharp3)] });
  const mixed = write('mixed.json', { outcomes: [row('logistic', logistic), row('bad', tampered), { id: 'plain', kind: 'PROVED', regionCertificate: null }] });

  it('exit 0 when every certificate holds: one line per row', async () => {
    const r = await runCli(['check-certificate', good]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toHaveLength(2);
    expect(r.out).toMatch(/^logistic: ok, 8 leaves checked \(\d+ ms\)\nsharp3: ok, 2 leaves checked \(\d+ ms\)$/);
    expect(r.err).toBe('');
    expect((await runCli(['check-certificate', mixed, '--id', 'logistic'])).code).toBe(0);
  });
  it('exit 1 when a certificate fails, with the first failing leaf', async () => {
    const r = await runCli(['check-certificate', mixed]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^logistic: ok/);
    expect(r.out).toMatch(/\nbad: FAILED, 4 failures in 8 leaves; first at lo\.hi\.lo: statement 0 "eta \* x \* \(1 - x\) <= 0\.28" is not shown to hold/);
    expect((await runCli(['check-certificate', mixed, '--id', 'bad'])).code).toBe(1);
    const malformed = write('malformed.json', { outcomes: [row('m', { format: 'nope' })] });
    const m = await runCli(['check-certificate', malformed]);
    expect(m.code).toBe(1);
    expect(m.out).toMatch(/^m: FAILED, 1 failure in 0 leaves; first at certificate: format is "nope"/);
  });
  it('exit 2 on bad input, one line', async () => {
    const cases: [string[], RegExp][] = [
      [[join(dir, 'missing.json')], /missing\.json: no such file$/],
      [[write('notjson.json', '{ nope')], /notjson\.json: not JSON/],
      [[write('notreport.json', { rows: [] })], /not an eos-check report \(no "outcomes" array\)$/],
      [[write('none.json', { outcomes: [{ id: 'a', kind: 'VERIFIED' }] })], /no row has a regionCertificate/],
      [[mixed, '--id', 'nope'], /no row with id "nope" \(ids: logistic, bad, plain\)$/],
      [[mixed, '--id', 'plain'], /row "plain" \(PROVED\) has no regionCertificate$/],
      [[], /expected one report file/],
      [[good, '--bogus'], /unknown option --bogus/],
    ];
    for (const [args, msg] of cases) {
      const r = await runCli(['check-certificate', ...args]);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^eos-check check-certificate: /);
      expect(r.err).toMatch(msg);
    }
  });
  it('help check-certificate and check-certificate --help', async () => {
    const a = await runCli(['help', 'check-certificate']);
    const b = await runCli(['check-certificate', '--help']);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out).toMatch(/^eos-check check-certificate report\.json \[--id ID\]/);
    expect((await runCli(['--help'])).out).toContain('eos-check check-certificate');
  });
});

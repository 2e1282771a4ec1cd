/**
 * A reach certificate's set against the region certificates of the obligations its entered leaves rely on
 * (src/certificate/reliance.ts): the premises those certificates assume must be relations of the set, by what they
 * decide rather than by their text.
 */
import { describe, expect, it } from 'vitest';
import { setAgainstObligations } from '../../src/certificate/reliance.js';

const rel = (text: string, lhs: string, r: string, rhs: string) => ({ text, rel: r, lhs, rhs });
const set = [rel('x >= 0.5', 'x', '>=', '(1/2)'), rel('x <= 2', 'x', '<=', '2'), rel('x*y <= 1', '(x * y)', '<=', '1'), rel('y >= -0.25', 'y', '>=', '(-(1/4))'), rel('y <= 1', 'y', '<=', '1')];
const reach = (relations = set, box: Record<string, [string, string]> = { x: ['1/2', '1'], y: ['0', '1/2'], eta: ['1/10', '1/5'] }) => ({
  model: { params: ['x', 'y'], hypers: ['eta'] },
  box,
  invariant: { relations, use: true, kept: true },
});
const region = (premises = set, r: [string, string][] = [['1/2', '2'], ['-1/4', '1'], ['1/10', '1/5']]) => ({ vars: ['x', 'y', 'eta'], region: r, premises: [...premises, rel('eta <= 0.2', 'eta', '<=', '(1/5)')] });
const ob = (name: string, rc = region()) => ({ name, status: 'proved', regionCertificate: rc });

describe('the set a reach certificate enters, against the obligations its leaves rely on', () => {
  it('agrees when every premise that reads a parameter is a relation of the set and the set bounds each region', () => {
    expect(setAgainstObligations(reach(), [ob('consecution-term'), ob('consecution'), ob('use')], ['consecution', 'use'])).toEqual([]);
  });

  it('a relation of the set whose sides were loosened, its text kept, no longer gives the premise', () => {
    const loose = set.map((r) => (r.text === 'x*y <= 1' ? { ...r, rhs: '2' } : r));
    const f = setAgainstObligations(reach(loose), [ob('consecution-term')], ['consecution']);
    expect(f).toHaveLength(1);
    expect(f[0]!.path).toBe('obligation consecution-term');
    expect(f[0]!.message).toMatch(/assumes "x\*y <= 1" \(\(x\*y\)<=1\), which is not a relation of the set/);
  });

  it("a parameter's region the set does not bound, and a hyperparameter's region narrower than the reach box", () => {
    const noUpper = set.filter((r) => r.text !== 'x <= 2');
    const f1 = setAgainstObligations(reach(noUpper), [ob('use', region(noUpper))], ['use']);
    expect(f1.map((f) => f.message)).toEqual(['its region certificate covers x in [1/2, 2] only, and no relations of the set bound x within that']);
    // The set bounds x below by 0.25 only, under the region's 1/2: a relation of the set, but not the region's bound.
    const looser = set.map((r) => (r.text === 'x >= 0.5' ? rel('x >= 0.25', 'x', '>=', '(1/4)') : r));
    const f3 = setAgainstObligations(reach(looser), [ob('use', region(looser))], ['use']);
    expect(f3.map((f) => f.message)).toEqual(['its region certificate covers x in [1/2, 2] only, and no relations of the set bound x within that']);
    const f2 = setAgainstObligations(reach(set, { x: ['1/2', '1'], y: ['0', '1/2'], eta: ['1/10', '3/10'] }), [ob('use')], ['use']);
    expect(f2.map((f) => f.message)).toEqual(['its region certificate covers eta in [1/10, 1/5], the reach box ranges over ["1/10","3/10"]']);
  });

  it('obligations the leaves do not rely on, and those without a region certificate, are not compared', () => {
    const loose = set.map((r) => ({ ...r, rhs: '5' }));
    expect(setAgainstObligations(reach(loose), [ob('consecution')], ['use'])).toEqual([]);
    expect(setAgainstObligations(reach(loose), [{ name: 'use', status: 'proved', regionCertificate: null }], ['use'])).toEqual([]);
    expect(setAgainstObligations(reach(loose), [ob('use')], [])).toEqual([]);
  });
});

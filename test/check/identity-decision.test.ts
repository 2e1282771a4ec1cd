/**
 * decideIdentity (src/check/identity-decision.ts) runs the rungs after the region prover as soon as the prover
 * leaves a box undecided, and the prover's remaining boxes only where those rungs do not prove the statement. This
 * holds it to the order it replaced: the region prover run out, then the rungs. A search stopped at its first
 * undecided box and run on gives proveRegion's result byte for byte, and every decision is that order's.
 */
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { compileLemma } from '../../src/lemma/compile.js';
import type { Draw } from '../../src/lemma/types.js';
import { LADDER } from '../../src/numeric/ladder.js';
import { withRow } from '../support/ladder.js';
import { proveRegion, startRegion, UNPROVABLE, withParamRanges } from '../../src/check/region-prove.js';
import { proveLemma } from '../../src/check/prove.js';
import { decideIdentity } from '../../src/check/identity-decision.js';

const model = deriveModel(minimalistModel);
const hyper: Record<string, Draw> = { eta: 1.25, lambda1: 1, lambda2: 0.005 };
const params: Record<string, Draw> = { alpha: { min: 0.8, max: 1.1 }, beta1: { min: -0.05, max: 0.05 }, beta2: { min: 0, max: 0.3 } };
const lemma = (statement: string) =>
  compileLemma(
    { id: 'identity-order', title: 'order', claim: 'C6', provenance: 'variant', description: 'identity-decision.test.ts', expect: 'holds', hypotheses: { hyper, params }, quantifier: { kind: 'identity' }, statement },
    model,
    'identity-decision.test.ts',
  );

/** The region prover's row with a budget of `maxBoxes` while f runs. */
const withBudget = <T>(maxBoxes: number, f: () => Promise<T>): Promise<T> => withRow('regionProver', [{ ...LADDER.regionProver[0]!, maxBoxes }], f);

// Two true statements the region prover leaves undecided (tight at a point, or on the region's corners) and Z3
// proves; a false one it refutes only after boxes it leaves undecided (at 30 boxes), one it refutes at once, and one
// it proves at once.
const STATEMENTS = [
  'alpha^2 - 2 * alpha + 1 + beta1^2 >= 0',
  'beta1^2 * alpha <= 0.0025 * 1.1',
  'alpha * beta2 <= 0.3 * alpha + 0.001 * beta1',
  'alpha * beta2 <= 0.3 * alpha - 0.01',
  'alpha + beta2 >= 0.5',
];

describe('the region prover stopped at its first undecided box', () => {
  it("runs on to proveRegion's result, byte for byte", () => {
    let stopped = 0;
    let refutedLater = 0;
    for (const s of STATEMENTS)
      for (const maxBoxes of [9, 30, 200]) {
        const search = startRegion(model, lemma(s), { maxBoxes });
        if (!('run' in search)) throw new Error(search.reason);
        const first = search.run(true);
        const whole = JSON.stringify(proveRegion(model, lemma(s), { maxBoxes }));
        if (first === UNPROVABLE) {
          stopped++;
          expect(JSON.stringify(search.run()), `${s} at ${maxBoxes} boxes`).toBe(whole);
          expect(['undecided', 'falsified']).toContain(JSON.parse(whole).status);
          if (JSON.parse(whole).status === 'falsified') refutedLater++;
        } else expect(JSON.stringify(first)).toBe(whole);
      }
    expect(stopped, 'searches stopped at an undecided box').toBeGreaterThan(6);
    expect(refutedLater, 'searches that refute the statement after they stopped').toBeGreaterThan(0);
  });

  it('decideIdentity decides as the region prover run out and then the rungs would, and sooner where the rungs prove it', async () => {
    const outcomes = new Set<string>();
    const budget = LADDER.regionProver[0]!.maxBoxes;
    for (const s of STATEMENTS) {
      const l = lemma(s);
      const [got, before] = await withBudget(30, async () => {
        const region = proveRegion(model, l);
        const r = await proveLemma(model, withParamRanges(model, l));
        return [await decideIdentity(model, l), { region, r }] as const;
      });
      const { region, r } = before;
      outcomes.add(`${region.status}/${r.status}`);
      if (region.status === 'proved' || region.status === 'vacuous' || region.status === 'falsified') {
        expect(got.status, s).toBe(region.status === 'falsified' ? 'refuted' : region.status);
        expect('established' in got ? got.established : 'proved-region', s).toBe('proved-region');
        continue;
      }
      const note = region.status === 'undecided' ? `; ${region.detail}` : `; region prover not applicable: ${region.reason}`;
      expect(got, s).toEqual(
        r.status === 'proved'
          ? { status: 'proved', established: r.method, detail: r.detail, certificate: r.certificate, regionCertificate: null }
          : r.status === 'vacuous'
            ? { status: 'vacuous', detail: r.detail, certificate: r.certificate ?? null, regionCertificate: null }
            : r.status === 'refuted'
              ? { status: 'refuted', established: r.method, statement: r.statement, witness: r.witness, detail: r.detail }
              : { status: 'undecided', detail: `${r.detail}${note}` },
      );
    }
    expect(LADDER.regionProver[0]!.maxBoxes, 'the budget restored').toBe(budget);
    // The cases the order matters for: the region prover leaves the statement undecided and Z3 proves it, and it
    // refutes it itself after boxes it leaves undecided.
    expect([...outcomes]).toContain('undecided/proved');
    expect([...outcomes].some((o) => o.startsWith('falsified/'))).toBe(true);
  });
});

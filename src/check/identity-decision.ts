import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledLemma } from '../lemma/compile.js';
import { proveLemma, type ProofResult } from './prove.js';
import { PAUSED, regionBounded, startRegion, UNPROVABLE, withParamRanges, type RegionResult, type RegionSearch } from './region-prove.js';
import type { RegionCertificate } from './region-certificate.js';

/**
 * The verdict on a statement "for every theta (in a region) and every hyperparameter in range, under the
 * premises", by the one ladder of identity proofs: the region prover when every parameter is bounded
 * (check/region-prove.ts), then expansion, Z3, the witness search and the reductions (check/prove.ts) with
 * the parameter ranges as premises. Identity lemmas and the obligations of induction proofs
 * (check/induction.ts) are both decided here. Once the region prover leaves a box undecided the next rungs run
 * before its remaining boxes, which only a refutation of theirs still needs: the decision is the same as in
 * that order, found sooner where those rungs prove the statement.
 */
export type IdentityDecision =
  | { status: 'proved'; established: 'proved-expansion' | 'proved-z3' | 'proved-region'; detail: string; certificate: string; regionCertificate: RegionCertificate | null }
  | { status: 'vacuous'; detail: string; certificate: string | null; regionCertificate: RegionCertificate | null }
  | { status: 'refuted'; established: 'proved-expansion' | 'proved-z3' | 'proved-region'; statement: string; witness: Record<string, string>; detail: string }
  | { status: 'undecided'; detail: string };

/** Boxes the region prover evaluates between two yields to the event loop. */
const SLICE = 32;

/**
 * The search run to `run(stop)`'s answer in slices, yielding to the event loop between them: a region proof can take
 * half a minute, and on a thread that also dispatches work (check/verify-pool.ts) the workers would wait for it.
 */
async function runYielding(search: RegionSearch, stop: boolean): Promise<RegionResult | typeof UNPROVABLE> {
  for (;;) {
    const r = search.run(stop, SLICE);
    if (r !== PAUSED) return r;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function decideIdentity(model: DerivedModel, lemma: CompiledLemma): Promise<IdentityDecision> {
  const search = regionBounded(model, lemma) ? startRegion(model, lemma) : undefined;
  let region = search && 'run' in search ? await runYielding(search, true) : search;
  let later: ProofResult | undefined;
  if (region === UNPROVABLE) {
    // A box is left undecided, so the region prover can now only refute the statement or leave it undecided, and
    // then the next rungs decide. They run at once: where they prove it (or find it vacuous) no point refutes it and
    // the rest of the boxes would change nothing. Elsewhere the boxes run on, and the order of decisions is the same.
    later = await proveLemma(model, withParamRanges(model, lemma));
    if (later.status !== 'proved' && later.status !== 'vacuous') region = await runYielding(search as RegionSearch, false);
  }
  if (region === UNPROVABLE) return fromRungs(later!, '');
  if (region?.status === 'proved')
    return {
      status: 'proved',
      established: 'proved-region',
      detail: region.detail,
      certificate: `region proof: the box tree of ${region.leaves} leaves in regionCertificate (eos-check-region/1); re-check it with eos-check check-certificate`,
      regionCertificate: region.certificate,
    };
  if (region?.status === 'vacuous') return { status: 'vacuous', detail: region.detail, certificate: null, regionCertificate: region.certificate };
  if (region?.status === 'falsified') return { status: 'refuted', established: 'proved-region', statement: region.statement, witness: region.witness, detail: region.detail };
  const regionNote = region?.status === 'undecided' ? `; ${region.detail}` : region?.status === 'not-applicable' ? `; region prover not applicable: ${region.reason}` : '';
  return fromRungs(later ?? (await proveLemma(model, withParamRanges(model, lemma))), regionNote);
}

/** The decision of the rungs after the region prover (expansion, Z3, the witness search, the reductions). */
function fromRungs(r: ProofResult, regionNote: string): IdentityDecision {
  if (r.status === 'proved') return { status: 'proved', established: r.method, detail: r.detail, certificate: r.certificate, regionCertificate: null };
  if (r.status === 'vacuous') return { status: 'vacuous', detail: r.detail, certificate: r.certificate ?? null, regionCertificate: null };
  if (r.status === 'refuted') return { status: 'refuted', established: r.method, statement: r.statement, witness: r.witness, detail: r.detail };
  return { status: 'undecided', detail: `${r.detail}${regionNote}` };
}

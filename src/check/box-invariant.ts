/**
 * The set I that boxes of starts may enter (box-reach.ts): proved invariant by two one-step obligations,
 * each an identity over a box of theta (or every theta) decided by the one identity ladder
 * (identity-decision.ts), with the slack certificates of I's relations and of the statements, by
 * induction.ts's obligations for kind `invariant` (proveSetForBoxes):
 *   consecution: I(theta) implies I(theta_next) (and the definedness of I's terms there), for every
 *                hyperparameter in the lemma's ranges and hyper-only `where` relations;
 *   use:         I (and the `when` premises) implies the statement.
 * There is no initiation: the starts need not lie in I; an orbit that enters I at step s is covered from s
 * on, and reachability decides the steps before s. Conclusions used as premises later (I_next) also claim
 * the definedness of their terms, as in induction.ts (README, "Partial terms").
 */
import type { DerivedModel } from '../symbolic/derive.js';
import { compileLemma, type CompiledComparison, type CompiledLemma } from '../lemma/compile.js';
import type { LemmaSpec } from '../lemma/types.js';
import { proveSetForBoxes, setRelations, Texts, type ObligationRecord } from './induction.js';

/**
 * Plain data (a shard file and a worker message carry it). `use`: I (and the premises) imply the statement at
 * a state, so an enclosure inside I decides that step; `kept`: I is kept by the step, so it decides every
 * later step too. Both are tried whatever the other gives; status 'proved' means both.
 */
export type KeptResult = { status: 'proved' | 'not-proved'; obligations: ObligationRecord[]; detail: string; kept: boolean; use: boolean };

/**
 * The invariant set a lemma names for its boxes to enter: quantifier.invariant (kind invariant with reach), as
 * relations (an entry's slack certificate is an obligation of proveKept).
 */
export function reachInvariant(lemma: CompiledLemma): string[] {
  return setRelations((lemma.spec.quantifier as { invariant?: unknown }).invariant);
}

/** I's relations compiled for the box orbits to decide on enclosures (a LemmaError where they do not compile). */
export function invariantRelations(model: DerivedModel, lemma: CompiledLemma, I: string[]): CompiledComparison[] {
  const spec: LemmaSpec = {
    id: `${lemma.id}--set`,
    title: `the invariant set of ${lemma.id}`,
    claim: lemma.spec.claim,
    provenance: lemma.spec.provenance,
    description: 'the set boxes of starts may enter',
    hypotheses: { hyper: lemma.spec.hypotheses.hyper },
    quantifier: { kind: 'identity' },
    ...(lemma.spec.constants ? { constants: lemma.spec.constants } : {}),
    statement: I,
    expect: 'holds',
  };
  return compileLemma(spec, model, lemma.file).statements;
}

/**
 * Prove I kept by the step and implying the statement (no initiation), with the slack certificates of its
 * relations (quantifier.invariant) and of the statements (quantifier.use), as kind invariant does (induction.ts).
 */
export async function proveKept(model: DerivedModel, lemma: CompiledLemma, I: string[]): Promise<KeptResult> {
  const texts = new Texts(model, lemma, `${lemma.file} [${lemma.id}] quantifier.invariant`);
  const none = (detail: string): KeptResult => ({ status: 'not-proved', obligations: [], detail, kept: false, use: false });
  try {
    I.forEach((r) => texts.parse(r));
  } catch (e) {
    return none(`the invariant does not parse: ${(e as Error).message}`);
  }
  const bad = I.findIndex((r) => texts.uses(r, (s) => s.endsWith('_0') || s.endsWith('_next') || s === 't' || s === 'T_event'));
  if (bad >= 0) return none(`quantifier.invariant "${I[bad]}" reads start values, t or _next: the set must be a set of states`);
  const r = await proveSetForBoxes(model, lemma);
  if (typeof r === 'string') return none(r);
  const { kept: cons, use, failure } = r;
  if (cons && use) return { status: 'proved', obligations: r.records, detail: `the set is kept by every GD step and implies the statement (${r.detail})`, kept: true, use: true };
  const detail = use
    ? `the set implies the statement (use proved), so a step whose enclosure lies in it is decided, but it is not proved kept (${failure.consecution}; ${r.detail})`
    : `the set is not proved to imply the statement (${failure.use})${cons ? '' : ` nor kept (${failure.consecution})`} (${r.detail})`;
  return { status: 'not-proved', obligations: r.records, detail, kept: cons, use };
}

/**
 * The set I that boxes of starts may enter (box-reach.ts): proved invariant by two one-step obligations,
 * each an identity over a box of theta (or every theta) decided by the one identity ladder
 * (identity-decision.ts), as induction.ts does for kind `invariant`:
 *   consecution: I(theta) implies I(theta_next) (and the definedness of I's terms there), for every
 *                hyperparameter in the lemma's ranges and hyper-only `where` relations;
 *   use:         I (and the `when` premises) implies the statement.
 * There is no initiation: the starts need not lie in I; an orbit that enters I at step s is covered from s
 * on, and reachability decides the steps before s. Conclusions used as premises later (I_next) also claim
 * the definedness of their terms, as in induction.ts (README, "Partial terms"). The relations are read,
 * renamed to _next and boxed by induction.ts's Texts and boundingBox.
 */
import type { MathNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { definedness } from '../symbolic/algebra.js';
import { freeSymbols } from '../symbolic/expr.js';
import { compileLemma, type CompiledComparison, type CompiledLemma } from '../lemma/compile.js';
import type { LemmaSpec } from '../lemma/types.js';
import { LemmaError } from '../lemma/errors.js';
import { decideIdentity, type IdentityDecision } from './identity-decision.js';
import { boundingBox, setRelations, Texts, type ObligationRecord } from './induction.js';

/**
 * Plain data (a shard file and a worker message carry it). `use`: I (and the premises) imply the statement at
 * a state, so an enclosure inside I decides that step; `kept`: I is kept by the step, so it decides every
 * later step too. Both are tried whatever the other gives; status 'proved' means both.
 */
export type KeptResult = { status: 'proved' | 'not-proved'; obligations: ObligationRecord[]; detail: string; kept: boolean; use: boolean };

const text = (n: MathNode) => n.toString({ parenthesis: 'auto', implicit: 'show' });

function list(x: unknown): string[] {
  return x === undefined || x === null ? [] : Array.isArray(x) ? x.map(String) : [String(x)];
}

/**
 * The invariant set a lemma names for its boxes to enter: quantifier.invariant (kind invariant with reach), as
 * relations. An entry's slack certificate ({relation, kept}) is not used here: its relation is kept by the plain
 * consecution obligation (induction.ts decides certificates for kind invariant without reach).
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

/** Prove I kept by the step and implying the statement (no initiation). */
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
  const hyperWhere = (lemma.spec.hypotheses.where ?? []).filter((w) => !texts.uses(w, (s) => s.endsWith('_0')));
  const box = boundingBox(model, texts, I);
  const spec = (name: string, premises: string[], conclusions: string[]): LemmaSpec => ({
    id: `${lemma.id}--${name}`,
    title: `${name} of ${lemma.id}`,
    claim: lemma.spec.claim,
    provenance: lemma.spec.provenance,
    description: `obligation ${name} of ${lemma.id} (the set its boxes of starts may enter)`,
    hypotheses: { hyper: lemma.spec.hypotheses.hyper, ...(box ? { params: box } : {}), ...(hyperWhere.length ? { where: hyperWhere } : {}) },
    quantifier: premises.length ? { kind: 'identity', when: premises } : { kind: 'identity' },
    ...(lemma.spec.constants ? { constants: lemma.spec.constants } : {}),
    statement: conclusions,
    expect: 'holds',
  });
  const when = lemma.when.map((c) => c.text);
  const statements = list(lemma.spec.statement);
  let consecution: LemmaSpec;
  try {
    // I_next with the definedness of its terms.
    const nextTexts = I.map((r) => texts.next(r));
    const first = compileLemma(spec('consecution', I, nextTexts), model, lemma.file);
    const extra = new Set<string>();
    for (const s of first.statements)
      for (const d of definedness(s.lhsExact).concat(definedness(s.rhsExact))) {
        if (freeSymbols(d.expr).size === 0) continue;
        const x = text(d.expr);
        extra.add(d.is === '>= 0' ? `${x} >= 0` : d.is === '> 0' ? `${x} > 0` : `(${x})^2 > 0`);
      }
    consecution = spec('consecution', I, [...nextTexts, ...extra]);
  } catch (e) {
    if (!(e instanceof LemmaError)) throw e;
    return none(`the invariant's one-step claims are not identities the prover can state: ${e.message}`);
  }
  const obligations: { name: 'consecution' | 'use'; spec: LemmaSpec; premises: string[] }[] = [
    { name: 'consecution', spec: consecution, premises: I },
    { name: 'use', spec: spec('use', [...I, ...when], statements), premises: [...I, ...when] },
  ];
  const records: ObligationRecord[] = [];
  for (const ob of obligations) {
    let d: IdentityDecision;
    try {
      d = await decideIdentity(model, compileLemma(ob.spec, model, lemma.file));
    } catch (e) {
      if (!(e instanceof LemmaError)) throw e;
      d = { status: 'undecided', detail: `not an identity the prover can state: ${e.message}` };
    }
    const claim = `${ob.premises.join(' and ')}${box ? ` (box ${Object.entries(box).map(([k, v]) => (typeof v === 'number' ? `${k} = ${v}` : `${k} in [${v.min}, ${v.max}]`)).join(', ')})` : ''}  =>  ${list(ob.spec.statement).join(' and ')}`;
    const base = { name: ob.name, claim, detail: d.detail, certificate: null, regionCertificate: null, witness: null, established: null };
    if (d.status === 'proved') records.push({ ...base, status: 'proved', established: d.established, certificate: d.certificate, regionCertificate: d.regionCertificate });
    // A set no point of which satisfies the premises: nothing can enter it, and claiming it kept is vacuous but true.
    else if (d.status === 'vacuous') records.push({ ...base, status: 'vacuous', certificate: d.certificate, regionCertificate: d.regionCertificate });
    else if (d.status === 'refuted') records.push({ ...base, status: 'refuted', established: d.established, witness: d.witness });
    else records.push({ ...base, status: 'undecided' });
  }
  const raw = (lemma.spec.quantifier as { invariant?: unknown }).invariant;
  const certified = (Array.isArray(raw) ? raw : [raw]).some((e) => typeof e === 'object' && e !== null);
  const note = certified ? ' (with reach the slack certificates are not used: each relation is in the plain consecution)' : '';
  const ok = (r: ObligationRecord) => r.status === 'proved' || r.status === 'vacuous';
  const [cons, use] = [ok(records[0]!), ok(records[1]!)];
  const why = (r: ObligationRecord) => (r.status === 'refuted' ? `${r.name} fails at ${JSON.stringify(r.witness)}` : `${r.name} undecided: ${r.detail}`);
  if (cons && use) return { status: 'proved', obligations: records, detail: `the set is kept by every GD step and implies the statement (consecution and use proved)${note}`, kept: true, use: true };
  const detail = use
    ? `the set implies the statement (use proved), so a step whose enclosure lies in it is decided, but it is not proved kept (${why(records[0]!)})`
    : `the set is not proved to imply the statement (${why(records[1]!)})${cons ? '' : ` nor kept (${why(records[0]!)})`}`;
  return { status: 'not-proved', obligations: records, detail: `${detail}${note}`, kept: cons, use };
}

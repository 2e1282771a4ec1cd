import type { QuantifierKind } from './kind.js';
import { identity } from './identity.js';
import { everyStep } from './every-step.js';
import { afterEvent } from './after-event.js';
import { within } from './within.js';
import { eventually } from './eventually.js';
import { atEnd } from './at-end.js';
import { flowLimit } from './flow-limit.js';
import { invariant } from './invariant.js';
import { leadsTo } from './leads-to.js';

export type { FieldSpec, FieldType, IterateContext, LaneRun, QuantifierKind, QuantifierTerms, SentencePart, Term } from './kind.js';
export { sentenceText } from './kind.js';

/** The quantifier kinds, in the order the README lists them. A new kind is a module and a row here. */
export const QUANTIFIER_KINDS: readonly QuantifierKind[] = [identity, everyStep, afterEvent, eventually, within, atEnd, flowLimit, invariant, leadsTo];

export function quantifierKind(kind: string): QuantifierKind | undefined {
  return QUANTIFIER_KINDS.find((k) => k.kind === kind);
}

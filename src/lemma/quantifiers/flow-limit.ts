import type { QuantifierKind } from './kind.js';

/**
 * At the start point and the gradient-flow limit from it (suffix _flow): once per draw, decided exactly
 * on a rigorous enclosure of the limit (dynamics/flow-enclosure.ts; check/flow-check.ts), or undecided.
 */
export const flowLimit: QuantifierKind = {
  kind: 'flow-limit',
  fields: {},
  mode: 'flow',
  floatOnly: false,
  allowsNext: true,
  checksLastWithoutNext: false,
  tested: 'once, with `_flow` symbols at the gradient-flow limit of the start, enclosed rigorously (validated Taylor integration, a Lojasiewicz tail, Krawczyk on the conserved quantities)',
  sentence: () => ['at the start and at the limit of gradient flow from it (the _flow symbols)'],
};

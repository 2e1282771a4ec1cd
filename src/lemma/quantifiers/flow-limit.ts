import type { QuantifierKind } from './kind.js';

/** At the start point and the gradient-flow limit from it (suffix _flow): once per draw, in float64 (Dormand-Prince 5(4)). */
export const flowLimit: QuantifierKind = {
  kind: 'flow-limit',
  fields: {},
  mode: 'flow',
  floatOnly: true,
  allowsNext: true,
  checksLastWithoutNext: false,
  tested: 'once, with `_flow` symbols at the gradient-flow limit of the start (Dormand-Prince 5(4))',
  sentence: () => ['at the start and at the limit of gradient flow from it (the _flow symbols)'],
};

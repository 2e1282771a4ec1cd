import { defineLemma } from '../src/lemma/types.js';
import { stableHyper, stableStarts } from './c12-stable-set-invariant.js';
import { keptSet } from './c12-stable-set-kept.js';
import { entries, factors, r, s, u } from './c8-stable-phase-invariant.js';

/*
 * C8 for every t from the stable-phase box, each as one `kind: invariant` row: the stable set I of
 * lemmas/c12-stable-set-kept.ts (with its slack certificates) is the invariant, and the statement L_next <= c L
 * carries a use certificate, the quadratic-form identity of lemmas/c8-stable-phase-invariant.ts:
 *   2 E11 (c L - L_next) = (E11 u + E12 r)^2 + (E11 E22 - E12^2) r^2,
 * weight 2 E11 > 0 on I, both terms >= 0 on I. The second term is claimed factor by factor (E11 E22 - E12^2 >= 0 with
 * room on I; r^2 a square): as a whole it vanishes on the minimizer curve inside I, where no enclosure separates it
 * from 0. So the tool composes what that file proves in pieces, and the row's PROVED is for every start of the box
 * and every t.
 */

export default factors.map(([name, c, what]) => {
  const { E11, E22, E12 } = entries(c);
  const statement = c === '1' ? 'L_next <= L' : `L_next <= ${c} * L`;
  return defineLemma({
    id: `c8-stable-phase-${name}-for-every-t`,
    title: `C8 for every t: ${what} at every step from the stable-phase box (eta in [1.45, 1.55], lambda2 in [0.003, 0.01])`,
    claim: 'C8',
    provenance: 'paper-claim',
    description: `Starts alpha in [1.02, 1.05], beta1 in [-0.005, 0.005], beta2 in [0.88, 0.94] (past the EoS phase:
eta lambda1 alpha^2 <= 1.85 at the gradient-flow limit). The invariant is the stable set I of
lemmas/c12-stable-set-kept.ts; the statement's use certificate is c8-stable-phase-${name}-quadratic-form-identity with
weight 2 E11 (E = c diag(lambda1, lambda2) - M^T diag(lambda1, lambda2) M, M the one-step map of the residuals).${
      name === 'rate'
        ? ' With (1 - q)^2 <= (1 - eta lambda2 (alpha^2 + beta2^2))^2 on I (the second statement), this is c8-linear-rate-once-gfs-sharpness-below-threshold\'s rate with delta = 0.1, for every t.'
        : name === 'contraction'
          ? ' On I the factor is at most (1 - 0.00032)^2, so L_t -> 0 at a linear rate: convergence from these starts (C9 on this box).'
          : " C8's monotone loss."
    }`,
    hypotheses: { hyper: stableHyper, init: stableStarts },
    quantifier: {
      kind: 'invariant',
      invariant: keptSet,
      use: [{ relation: statement, weight: `2*${E11}`, terms: [`(${E11}*${u} + ${E12}*${r})^2`, `(${E11}*${E22} - ${E12}^2)*${r}^2`] }],
    },
    statement: name === 'rate' ? [statement, `(1 - q_osc)^2 <= (1 - ${s})^2`] : [statement],
    steps: 200,
    runs: 8,
    expect: 'holds',
  });
});

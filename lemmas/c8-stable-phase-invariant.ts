import { defineLemma } from '../src/lemma/types.js';
import type { Hypotheses } from '../src/lemma/types.js';
import { P, stableBox, stableHyper, stableSet } from './c12-stable-set-invariant.js';

/*
 * C8 for every t on the stable set I of lemmas/c12-stable-set-invariant.ts (an inductive set there, proved in pieces;
 * its starts are the stable-phase box of that file). The loss is a quadratic form in the residuals u = alpha beta1
 * and r = alpha beta2 - 1: L = (lambda1 u^2 + lambda2 r^2)/2, and one GD step maps (u, r) linearly,
 * (u_next, r_next) = M (u, r), with M's entries polynomials in the state:
 *   M11 = (1 - q)(1 - eta lambda1 beta1^2), M12 = -eta lambda2 beta1 beta2 (1 - q), M21 = -eta lambda1 beta1 beta2, M22 = P.
 * So c L - L_next = v^T E v / 2 with v = (u, r) and E = c diag(lambda1, lambda2) - M^T diag(lambda1, lambda2) M, and
 *   2 E11 (c L - L_next) = (E11 u + E12 r)^2 + (E11 E22 - E12^2) r^2
 * is an exact identity (PROVED by expansion for every theta). On I, E11 > 0 and E11 E22 - E12^2 >= 0 with room (PROVED
 * by the region prover: a matrix condition, not tight at the minimizers where L = L_next = 0), so L_next <= c L at
 * every point of I. "L_next <= L" itself is tight on the whole minimizer curve inside I, where enclosures of both
 * sides cannot separate: this factorization is what makes it provable.
 */

const everyHyper: Hypotheses['hyper'] = { eta: { min: 0.001, max: 100 }, lambda1: { min: 0.0001, max: 100 }, lambda2: { min: 0.0001, max: 100 } };

const M11 = '((1 - q_osc)*(1 - eta*lambda1*beta1^2))';
const M12 = '(-eta*lambda2*beta1*beta2*(1 - q_osc))';
const M21 = '(-eta*lambda1*beta1*beta2)';
const M22 = P;
export const u = '(alpha*beta1)';
export const r = '(alpha*beta2 - 1)';

/** The entries of E = c D - M^T D M, D = diag(lambda1, lambda2). */
export function entries(c: string): { E11: string; E22: string; E12: string } {
  return {
    E11: `(lambda1*${c} - (lambda1*${M11}^2 + lambda2*${M21}^2))`,
    E22: `(lambda2*${c} - (lambda1*${M12}^2 + lambda2*${M22}^2))`,
    E12: `(-(lambda1*${M11}*${M12} + lambda2*${M21}*${M22}))`,
  };
}

/** s = eta lambda2 (alpha^2 + beta2^2): the relevant mode's eta mu near the minimizers. */
export const s = 'eta*lambda2*(alpha^2 + beta2^2)';
export const factors: [name: string, c: string, what: string][] = [
  ['monotone', '1', 'L_next <= L'],
  ['rate', `(1.1*(1 - ${s})^2)`, 'L_next <= 1.1 (1 - eta lambda2 (alpha^2 + beta2^2))^2 L'],
  ['contraction', `((1 - ${s}/2)^2)`, 'L_next <= (1 - eta lambda2 (alpha^2 + beta2^2)/2)^2 L'],
];

export default factors.flatMap(([name, c, what]) => {
  const { E11, E22, E12 } = entries(c);
  return [
    defineLemma({
      id: `c8-stable-phase-${name}-quadratic-form-identity`,
      title: `Exactly: 2 E11 (c L - L_next) = (E11 u + E12 r)^2 + (E11 E22 - E12^2) r^2 with c = ${c === '1' ? '1' : c.replace(/^\(|\)$/g, '')}`,
      claim: 'C8',
      provenance: 'derived',
      description: `One GD step maps the residuals (u, r) = (alpha beta1, alpha beta2 - 1) by the matrix M of the file's header, so
c L - L_next is the quadratic form of E = c diag(lambda1, lambda2) - M^T diag(lambda1, lambda2) M in (u, r); completing
the square gives this identity, for every theta and every hyperparameter.`,
      hypotheses: { hyper: everyHyper },
      quantifier: { kind: 'identity' },
      statement: `2*${E11}*(${c}*L - L_next) == (${E11}*${u} + ${E12}*${r})^2 + (${E11}*${E22} - ${E12}^2)*${r}^2`,
      expect: 'holds',
    }),
    defineLemma({
      id: `c8-stable-phase-${name}-form-definite-on-the-stable-set`,
      title: `On the stable set I: E11 > 0 and E11 E22 - E12^2 >= 0, hence ${what} (eta in [1.45, 1.55], lambda2 in [0.003, 0.01])`,
      claim: 'C8',
      provenance: 'paper-claim',
      description: `With c8-stable-phase-${name}-quadratic-form-identity: c L - L_next = ((E11 u + E12 r)^2 + (E11 E22 - E12^2) r^2)/(2 E11) >= 0
at every point of I (lemmas/c12-stable-set-invariant.ts), and I is kept by the step and holds at every start of that
file's stable-phase box, so ${what} at every t from those starts.${
        name === 'rate'
          ? ` This is c8-linear-rate-once-gfs-sharpness-below-threshold's rate: on I, (1 - q)^2 <= (1 - eta lambda2 (alpha^2 + beta2^2))^2 (the second statement), so r_t is the second term of its max.`
          : name === 'contraction'
            ? ' The factor is at most (1 - 0.00032)^2 on I (alpha^2 >= 0.149 there, eta lambda2 >= 0.00435), so L_t -> 0 at a linear rate: the stable phase converges (C9 on these starts).'
            : ' C8\'s monotone loss.'
      }`,
      hypotheses: { hyper: stableHyper, params: stableBox },
      quantifier: { kind: 'identity', when: stableSet },
      statement: name === 'rate' ? [`${E11} > 0`, `${E11}*${E22} - ${E12}^2 >= 0`, `(1 - q_osc)^2 <= (1 - ${s})^2`] : [`${E11} > 0`, `${E11}*${E22} - ${E12}^2 >= 0`],
      expect: 'holds',
    }),
  ];
});

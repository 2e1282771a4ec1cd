import { defineLemma } from '../src/lemma/types.js';
import { P, stableHyper, stableStarts } from './c12-stable-set-invariant.js';
import { keptSet } from './c12-stable-set-kept.js';

/*
 * C10 and C11 for every t from the stable-phase box, as `kind: invariant` rows over C12's stable set I
 * (lemmas/c12-stable-set-kept.ts, with its slack certificates).
 *
 * C10: C_next <= C at every step. Its use certificate is the Lagrange identity of C's change
 * (c10-lagrange-identity-for-the-change-of-c): C - C_next = eta^2 C (lambda1^2 alpha^2 beta1^2 + lambda2^2 r^2)
 * + eta^2 beta1^2 (lambda1 alpha beta2 - lambda2 r)^2, r = alpha beta2 - 1, and C >= 0.09 on I. Equality holds at
 * every minimizer, so the statement is tight on I and needs the certificate.
 *
 * C11: alpha never passes the gradient-flow level of the start: alpha^2 - 1/alpha^2 <= C_0. The invariant reads the
 * start value C_0, a variable of its own in every one-step claim after initiation (check/induction.ts, StartValues).
 * Two relations join I:
 *   C <= C_0, kept because C_0 - C_next = (C_0 - C) + (C - C_next), the Lagrange terms above;
 *   alpha^2 (beta1^2 + beta2^2) <= 1 (below the curve alpha^2 - 1/alpha^2 = C), with weight 1 + alpha beta2:
 *     (1 + alpha beta2) h_next = h P (1 + alpha_next beta2_next) + beta1^2 B, h = 1 - alpha^2 (beta1^2 + beta2^2),
 *     B = alpha^2 P (1 + alpha_next beta2_next) + (1 + alpha beta2) (eta lambda1 alpha beta2 (1 + alpha_next beta2_next)
 *         - alpha_next^2 (1 - q)^2),
 *   from 1 - alpha_next beta2_next = (1 - alpha beta2) P + eta lambda1 alpha beta1^2 beta2 (c12's identity) and
 *   beta1_next = beta1 (1 - q). B > 0 on I (q <= 1.85 there): a float scan of I gave min B = 0.064.
 * The statement's use certificate: alpha^2 (C_0 - (alpha^2 - 1/alpha^2)) = alpha^2 (C_0 - C) + h, weight alpha^2.
 */

const r = '(alpha*beta2 - 1)';
/** C - C_next, the Lagrange identity (c10-lagrange-identity-for-the-change-of-c), as its two terms. */
const dropC = [`eta^2*C*(lambda1^2*alpha^2*beta1^2 + lambda2^2*${r}^2)`, `eta^2*beta1^2*(lambda1*alpha*beta2 - lambda2*${r})^2`];
/** One GD step of alpha and beta2, at the current state. */
const aN = `(alpha - eta*(lambda1*alpha*beta1^2 + lambda2*beta2*${r}))`;
const b2N = `(beta2 - eta*lambda2*alpha*${r})`;
const h = '(1 - alpha^2*(beta1^2 + beta2^2))';
const B = `(alpha^2*${P}*(1 + ${aN}*${b2N}) + (1 + alpha*beta2)*(eta*lambda1*alpha*beta2*(1 + ${aN}*${b2N}) - ${aN}^2*(1 - q_osc)^2))`;

const starts = 'alpha in [1.02, 1.05], beta1 in [-0.005, 0.005], beta2 in [0.88, 0.94]';

export default [
  defineLemma({
    id: 'c10-c-non-increasing-for-every-t',
    title: 'C10 for every t: C_next <= C at every step from the stable-phase box (eta in [1.45, 1.55], lambda2 in [0.003, 0.01])',
    claim: 'C10',
    provenance: 'paper-claim',
    description: `Starts ${starts}. The invariant is the stable set I of lemmas/c12-stable-set-kept.ts; the statement's use
certificate is the Lagrange identity C - C_next = eta^2 C (lambda1^2 alpha^2 beta1^2 + lambda2^2 r^2) + eta^2 beta1^2
(lambda1 alpha beta2 - lambda2 r)^2 (c10-lagrange-identity-for-the-change-of-c), both terms >= 0 on I (C >= 0.09 there).
Here lambda2 <= lambda1/100 and C >= 0, so S_GFS = lambda1 (C + sqrt(C^2 + 4))/2, increasing in C: the GFS sharpness
never rises along GD from these starts, for every t.`,
    hypotheses: { hyper: stableHyper, init: stableStarts },
    quantifier: { kind: 'invariant', invariant: keptSet, use: [{ relation: 'C_next <= C', terms: dropC }] },
    statement: ['C_next <= C'],
    steps: 200,
    runs: 8,
    expect: 'holds',
  }),
  defineLemma({
    id: 'c11-alpha-below-the-start-gfs-level-for-every-t',
    title: 'C11 for every t: alpha_t^2 - 1/alpha_t^2 <= C_0, i.e. lambda1 alpha_t^2 <= lambda1 x(C_0) <= S_GFS(theta_0), from the stable-phase box',
    claim: 'C11',
    provenance: 'paper-claim',
    description: `Starts ${starts}, eta in [1.45, 1.55], lambda2 in [0.003, 0.01]. C11's a-priori bound
(c11-alpha-squared-bounded-by-initial-gfs-sharpness) for every t on this box: x - 1/x is increasing for x > 0, and its
value C_0 is taken at x(C_0) = (C_0 + sqrt(C_0^2 + 4))/2, so the statement says alpha^2 <= x(C_0), and lambda1 x(C_0)
is the lambda1 branch of S_GFS(theta_0), at most S_GFS(theta_0). The statement is written without the square root and
the max: the provers decide it by a certificate (an identity and signs), which S_GFS's form would not give. The invariant
is C12's stable set with C <= C_0 (C never rises: the Lagrange identity) and alpha^2 (beta1^2 + beta2^2) <= 1 (kept
with weight 1 + alpha beta2; see the file's header); the statement's use certificate is alpha^2 (C_0 - alpha^2 +
1/alpha^2) = alpha^2 (C_0 - C) + (1 - alpha^2 (beta1^2 + beta2^2)). C_0 is a variable of its own in every one-step
claim after initiation, over C's range on the starts.`,
    hypotheses: { hyper: stableHyper, init: stableStarts },
    quantifier: {
      kind: 'invariant',
      invariant: [
        ...keptSet,
        { relation: 'C <= C_0', kept: ['C_0 - C', ...dropC] },
        { relation: 'alpha^2*(beta1^2 + beta2^2) <= 1', weight: '1 + alpha*beta2', kept: [`${h}*${P}*(1 + ${aN}*${b2N})`, `beta1^2*${B}`] },
      ],
      use: [{ relation: 'alpha^2 - 1/alpha^2 <= C_0', weight: 'alpha^2', terms: ['alpha^2*(C_0 - C)', h] }],
    },
    statement: ['alpha^2 - 1/alpha^2 <= C_0'],
    steps: 200,
    runs: 8,
    expect: 'holds',
  }),
  defineLemma({
    id: 'c11-alpha-below-the-start-gfs-level-minus-a-margin',
    title: 'False variant: alpha_t^2 - 1/alpha_t^2 <= C_0 - 0.01 at every step from the stable-phase box',
    claim: 'C11',
    provenance: 'variant',
    description: `c11-alpha-below-the-start-gfs-level-for-every-t with a margin of 0.01 taken off. At the starts it holds
(1/alpha^2 - beta1^2 - beta2^2 >= 0.024 there), but along an orbit alpha beta2 -> 1 and beta1 -> 0, so
alpha^2 - 1/alpha^2 -> C_infinity, within about 1e-5 of C_0: the statement fails once the orbit is near its minimizer.
The induction does not refute it (its use obligation fails at a point of I with C_0 as a variable, which need not lie on
an orbit); the sampled check does, at a start with its step.`,
    hypotheses: { hyper: stableHyper, init: stableStarts },
    quantifier: {
      kind: 'invariant',
      invariant: [...keptSet, { relation: 'C <= C_0', kept: ['C_0 - C', ...dropC] }, { relation: 'alpha^2*(beta1^2 + beta2^2) <= 1', weight: '1 + alpha*beta2', kept: [`${h}*${P}*(1 + ${aN}*${b2N})`, `beta1^2*${B}`] }],
    },
    statement: ['alpha^2 - 1/alpha^2 <= C_0 - 0.01'],
    steps: 400,
    runs: 8,
    expect: 'fails',
  }),
];

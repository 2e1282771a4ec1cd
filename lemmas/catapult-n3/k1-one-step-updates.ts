import { defineLemma } from '../../src/lemma/types.js';

/*
 * Every theta and every hyperparameter, s included: the identities hold for every width normalization, so
 * with s = 1/sqrt(3) (s^2 = 1/n) they are the updates of docs/paper.md section 5 for n = 3.
 */
const hyper = { eta: { min: 0.001, max: 100 }, y: { min: -10, max: 10 }, s: { min: 0.01, max: 10 } };
const init = { u1: 0, u2: 0, u3: 0, v1: 0, v2: 0, v3: 0 };

export default [
  defineLemma({
    id: 'k1-n3-one-step-update-of-f',
    title: "n = 3: one GD step maps f to f - eta lambda r + eta^2 r^2 f s^2 (s^2 = 1/n)",
    claim: 'K1',
    provenance: 'derived',
    description: `GD on L = 1/2 r^2 with r = f - y, f = s u.v: u' = u - eta r s v, v' = v - eta r s u. Then
f' = s u'.v' = s u.v - eta r s^2 (|u|^2 + |v|^2) + eta^2 r^2 s^3 u.v = f - eta lambda r + eta^2 r^2 s^2 f, the update of
Lewkowycz et al. (2020) restated in docs/paper.md section 5 with 1/n = s^2. Proved by expansion for every s; the residual
r_next = r (1 - eta lambda + eta^2 s^2 r f) follows by subtracting y.`,
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: ['f_next == f - eta * lambda * r + eta^2 * r^2 * f * s^2', 'r_next == r * (1 - eta * lambda + eta^2 * s^2 * r * f)'],
    expect: 'holds',
  }),
  defineLemma({
    id: 'k1-n3-one-step-update-of-lambda',
    title: 'n = 3: one GD step maps lambda to lambda - 4 eta r f s^2 + eta^2 r^2 lambda s^2',
    claim: 'K1',
    provenance: 'derived',
    description: `lambda' = s^2 (|u'|^2 + |v'|^2) = s^2 (|u|^2 + |v|^2) - 4 eta r s^3 u.v + eta^2 r^2 s^4 (|u|^2 + |v|^2)
= lambda - 4 eta r f s^2 + eta^2 r^2 lambda s^2 (docs/paper.md section 5, 1/n = s^2). Proved by expansion for every s. The
second statement is the same map in the scale-free variables x = eta lambda, p = eta s f, q = eta s y (rho = p - q):
x' = x - 4 rho p + rho^2 x. With y = 0 the whole dynamics is the planar map x' = x + w (x - 4), w' = w (1 - x + w)^2 with
w = eta^2 s^2 f^2 in [0, x^2/4] (|f| <= lambda/(2 s) by Cauchy-Schwarz), the same for every n: n enters only through
the start (w_0 = eta^2 f_0^2 / n is O(1) at n = 3, O(1/n) for wide networks).`,
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: [
      'lambda_next == lambda - 4 * eta * r * f * s^2 + eta^2 * r^2 * lambda * s^2',
      'eta * lambda_next == eta * lambda - 4 * (eta * s * r) * (eta * s * f) + (eta * s * r)^2 * eta * lambda',
    ],
    expect: 'holds',
  }),
  defineLemma({
    id: 'k1-n3-lambda-change-at-zero-target',
    title: 'n = 3, y = 0: lambda_next - lambda = eta f^2 s^2 (eta lambda - 4)',
    claim: 'K1',
    provenance: 'derived',
    description: `The special case y = 0 (r = f) of k1-n3-one-step-update-of-lambda, docs/paper.md section 5: lambda falls in one
step iff eta lambda < 4 (and f != 0). This sign is what separates the catapult from divergence in K4 and K5.`,
    hypotheses: { hyper: { ...hyper, y: 0 }, init },
    quantifier: { kind: 'identity' },
    statement: 'lambda_next - lambda == eta * f^2 * s^2 * (eta * lambda - 4)',
    expect: 'holds',
  }),
];

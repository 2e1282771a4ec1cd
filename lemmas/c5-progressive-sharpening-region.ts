import { defineLemma } from '../src/lemma/types.js';
import { eosRegime } from './shared/regimes.js';

/*
 * Region versions of c5-progressive-sharpening.ts's phase-one lemmas (issue 23 item 6): the same hyperparameters,
 * and the sampled lemmas' box of starts as the region of states (hypotheses.params), the phase-one premises on the
 * state as before. The sampled `where` eta lambda1 alpha_0^2 < 2 follows from eta S < 2 (S >= lambda1 alpha^2).
 * Each is decided box by box (src/check/region-prove.ts), with a certificate for eos-check check-certificate.
 */
const phaseOne = ['eta * S < 2', 'alpha > 0', 'beta2 > 0', 'alpha * beta2 < 1', 'lambda1 * alpha * beta1^2 <= 0.1 * lambda2 * beta2 * (1 - alpha * beta2)'];
const region = { hyper: eosRegime.hyper, params: eosRegime.init };

export default [
  defineLemma({
    id: 'c5-region-sharpness-rises-in-phase-one',
    title: 'Over the box of states: in phase I (eta S < 2, beta1 negligible, residual positive) S_next >= S',
    claim: 'C5',
    provenance: 'paper-claim',
    description: `c5-sharpness-rises-in-phase-one at every state of the box of the sampled lemma's starts where the phase-one
premises hold. S_next - S is about 2 lambda1 alpha eta (lambda2 beta2 (1 - alpha beta2) - lambda1 alpha beta1^2): small
where the premises allow beta2 lambda2 small, while S itself varies by about 2 alpha per unit of alpha, so enclosures of S
and S_next per box never separate. The region prover's Rayleigh rung bounds S_next below by v^T H_next v / v.v and S above
by v^T H v / v.v + mu with one vector v per box, enclosing v^T (H - H_next) v expanded; along the premise boundary
lambda1 alpha beta1^2 = 0.1 lambda2 beta2 (1 - alpha beta2), where the rise is smallest and turns negative just outside,
it adds c times that premise's rhs - lhs (a multiplier term). Measured: PROVED with 17609 boxes (without multipliers
0.0213% of the volume stayed open at 20000 boxes; 17.5% before the Rayleigh rung).`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: phaseOne },
    statement: 'S_next >= S',
    expect: 'holds',
  }),
  defineLemma({
    id: 'c5-region-relevant-residual-shrinks-in-phase-one',
    title: 'Over the box of states: in phase I the relevant loss L_conv does not rise in one step',
    claim: 'C5',
    provenance: 'paper-claim',
    description: `c5-relevant-residual-shrinks-in-phase-one at every state of the box of c5-region-sharpness-rises-in-phase-one where the
phase-one premises hold. L_conv - L_conv_next is decided through its expansion over Q (the factored rung): the difference
of the two enclosures would be as wide as L_conv itself.`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: phaseOne },
    statement: 'L_conv_next <= L_conv',
    expect: 'holds',
  }),
  defineLemma({
    id: 'c5-region-relevant-residual-contracts-by-0-998-is-false',
    title: 'Known false, a constant just past the truth: in phase I, L_conv_next <= 0.998 L_conv',
    claim: 'C5',
    provenance: 'variant',
    description: `L_conv_next / L_conv is about (1 - eta lambda2 (alpha^2 + beta2^2))^2 while beta1 is negligible: close to 1 where eta
and lambda2 are smallest (1 and 1e-3). Sampled over the box (4e5 draws, 5.4e4 in phase I) the largest ratio was 0.99824,
so 0.998 is just past the truth; the region prover must find an exact point of the box where the premises hold and
L_conv_next > 0.998 L_conv.`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: phaseOne },
    statement: 'L_conv_next <= 0.998 * L_conv',
    expect: 'fails',
  }),
  defineLemma({
    id: 'c5-region-sharpness-rises-by-1e-4-is-false',
    title: 'Known false, a constant just past the truth: in phase I, S_next >= S + 1e-4',
    claim: 'C5',
    provenance: 'variant',
    description: `S_next - S is about 2 lambda1 alpha eta (lambda2 beta2 (1 - alpha beta2) - lambda1 alpha beta1^2) in phase I: it tends
to 0 with beta2 lambda2, and the premise lets beta2 be small. Sampled over the box, the smallest rise was 5.0e-5 and 0.4%
of the phase-one draws rose by less than 1e-4. The region prover must find an exact point where S_next < S + 1e-4.`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: phaseOne },
    statement: 'S_next >= S + 1e-4',
    expect: 'fails',
  }),
];

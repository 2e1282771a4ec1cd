import { defineLemma } from '../src/lemma/types.js';
import { eosRegime } from './shared/regimes.js';

export default [
  defineLemma({
    id: 'c6-sharpness-bounded-by-initial-gfs-sharpness',
    title: 'After eta S first reaches 2: eta S_t <= 2 + delta with delta = eta S_GFS(theta_0) - 2',
    claim: 'C6',
    provenance: 'paper-claim',
    description: `The paper bounds the sharpness along the trajectory by (2 + delta)/eta. Our explicit delta: the sharpness
never exceeds the gradient-flow-solution sharpness of the start, S_t <= S_GFS(theta_0). Reasoning: during EoS
S ~ lambda1 alpha^2 and alpha overshoots at most to the gradient-flow limit of the point where instability began,
whose S_GFS is at most S_GFS(theta_0) because C (and so S_GFS) does not increase while C >= 0 (lemma
c10-c-non-increasing-when-c-nonnegative). In exploration max eta S_t / (eta S_GFS_0) was 0.99964 over 60 runs with
lambda2 <= 1e-2; with lambda2 up to 0.1 it exceeded 1 (see c6-...-large-lambda2): the bound needs lambda2 small.`,
    hypotheses: eosRegime,
    quantifier: { kind: 'after-event', event: 'eta * S >= 2' },
    constants: { delta: 'eta * S_GFS_0 - 2' },
    statement: 'eta * S <= 2 + delta',
    tightness: { constant: 'delta', needed: 'eta * S - 2' },
    steps: 3000,
    runs: 40,
    expect: 'holds',
  }),
  defineLemma({
    id: 'c6-sharpness-bounded-by-initial-gfs-sharpness-large-lambda2',
    title: 'The same bound with lambda2 up to 0.1: expected to fail',
    claim: 'C6',
    provenance: 'variant',
    description: `With a larger relevant scale the (alpha, beta2) block of the Hessian adds to the top eigenvalue and the
catapult overshoots S_GFS(theta_0) (exploration: ratio 1.031 at lambda2 = 0.065). Shows where the hypothesis
lambda2 <= 1e-2 of c6-sharpness-bounded-by-initial-gfs-sharpness is needed.`,
    hypotheses: { ...eosRegime, hyper: { ...eosRegime.hyper, lambda2: { min: 2e-2, max: 1e-1, scale: 'log' } } },
    quantifier: { kind: 'after-event', event: 'eta * S >= 2' },
    constants: { delta: 'eta * S_GFS_0 - 2' },
    statement: 'eta * S <= 2 + delta',
    tightness: { constant: 'delta', needed: 'eta * S - 2' },
    steps: 1500,
    runs: 60,
    expect: 'fails',
  }),
  defineLemma({
    id: 'c6-sharpness-never-exceeds-two-over-eta',
    title: 'Known false: eta S_t <= 2 at every step',
    claim: 'C6',
    provenance: 'variant',
    description: 'The classical stability condition does not hold along GD at the edge of stability: the checker must falsify it.',
    hypotheses: eosRegime,
    quantifier: { kind: 'every-step' },
    statement: 'eta * S <= 2',
    steps: 2000,
    runs: 20,
    expect: 'fails',
  }),
];

import { defineLemma } from '../src/lemma/types.js';
import { eosRegime } from './shared/regimes.js';

/*
 * Convergence time grows with 1/(eta lambda2) (the relevant mode) and with log(1/min|beta1|)/log(q - 1) (how long
 * the catapult takes to come); when eta S_GFS(theta_0) is barely above 2, q - 1 is barely above 1 and the catapult
 * can take tens of thousands of steps. The convergence lemmas therefore keep lambda2 >= 3e-3, beta1_0 >= 5e-3 and
 * eta S_GFS(theta_0) >= 2.2, and run 6000 steps.
 */
const converging = {
  ...eosRegime,
  hyper: { ...eosRegime.hyper, lambda2: { min: 3e-3, max: 1e-2, scale: 'log' as const } },
  init: { ...eosRegime.init, beta1: { min: 5e-3, max: 5e-2, scale: 'log' as const } },
  where: ['eta * lambda1 * alpha_0^2 < 2', 'eta * S_GFS_0 >= 2.2'],
};

export default [
  defineLemma({
    id: 'c9-loss-at-most-1e-12-at-step-6000',
    title: 'First statement, false: after 6000 steps L <= 1e-12',
    claim: 'C9',
    provenance: 'variant',
    description: `The paper's global convergence checked at T = 6000 as a proxy for the limit. It was the catalogue's
convergence lemma (VERIFIED at 500 runs) until the test budget went to 1000 runs (seed 20250304), which FALSIFIED it
at the start below: L_6000 = 1.0003e-12 after shrinking. The loss is still falling there; a loss tolerance at a fixed T
measures the final rate, which can be arbitrarily slow inside the hypotheses, not convergence. Global convergence has
no sound finite-T check in the catalogue (nor has the limit's sharpness, c9-sharpness-at-most-two-at-step-6000): it is
an open item. The hypotheses are that one start.`,
    hypotheses: {
      hyper: { eta: 1.8633755207061768, lambda1: 1, lambda2: 0.002999999999999999 },
      init: { alpha: 0.9210335731506348, beta1: 0.01988213558286551, beta2: 0.18698415756225586 },
    },
    quantifier: { kind: 'at-end' },
    statement: 'L <= 1e-12',
    steps: 6000,
    runs: 1,
    expect: 'fails',
  }),
  defineLemma({
    id: 'c9-reaches-the-linear-rate-region-by-step-6000',
    title: 'Second convergence proxy, false: by step 6000 eta S_GFS < 2 (where the linear rate of C8 holds)',
    claim: 'C9',
    provenance: 'variant',
    description: `Tried as a tolerance-free replacement for c9-loss-at-most-1e-12-at-step-6000: reaching eta S_GFS(theta)
< 2 would hand the run to the linear rate of C8. FALSIFIED at its first check (1000 runs, seed 20250304) at the start
below: eta S_GFS(theta_6000) = 2 + 1.35e-8. GD can converge towards a minimizer whose eta S is just above 2, where the
beta1 mode is neutral, so C8's trigger never fires on that run. The hypotheses are that one start.`,
    hypotheses: {
      hyper: { eta: 1.932946538925171, lambda1: 1, lambda2: 0.002999999999999999 },
      init: { alpha: 0.9581367492675782, beta1: 0.009162608491215328, beta2: 0.11718320846557617 },
    },
    quantifier: { kind: 'at-end' },
    statement: 'eta * S_GFS < 2',
    steps: 6000,
    runs: 1,
    expect: 'fails',
  }),
  defineLemma({
    id: 'c9-sharpness-at-most-two-at-step-6000',
    title: 'First statement, false: after 6000 steps eta S <= 2',
    claim: 'C9',
    provenance: 'variant',
    description: `Found FALSIFIED by the main job (budget x3) at the start below: eta S_6000 = 2.0000000064. The failing
region is thin, so the hypotheses are that one start.`,
    hypotheses: {
      hyper: { eta: 1.9287382125854493, lambda1: 1, lambda2: 0.002999999999999999 },
      init: { alpha: 0.9124693870544434, beta1: 0.009780743449360491, beta2: 0.03999767303466797 },
    },
    quantifier: { kind: 'at-end' },
    statement: 'eta * S <= 2',
    steps: 6000,
    runs: 1,
    expect: 'fails',
  }),
  defineLemma({
    id: 'c9-limit-sharpness-near-threshold-after-eos',
    title: 'When EoS happened, the final eta S is at least 2 - delta, delta = 0.3',
    claim: 'C9',
    provenance: 'paper-claim',
    description: `"Close to 2/eta when EoS happened": the catapult ends where beta1 decays again, so the limit sits below
but near the threshold. docs/paper.md's runs give 1.995, 1.809, 1.811; exploration over lambda2 <= 1e-2 gave at least 1.77.
delta = 0.3 is stated; the report shows the observed largest 2 - eta S_T.`,
    hypotheses: converging,
    quantifier: { kind: 'at-end', event: 'eta * S >= 2' },
    constants: { delta: '0.3' },
    statement: 'eta * S >= 2 - delta',
    tightness: { constant: 'delta', needed: '2 - eta * S' },
    steps: 6000,
    runs: 1000,
    expect: 'holds',
  }),
  defineLemma({
    id: 'c9-final-sharpness-is-exactly-two-over-eta',
    title: 'Known false: after EoS the final sharpness is exactly 2/eta',
    claim: 'C9',
    provenance: 'variant',
    description: 'The limit is near, not at, the threshold: exact evaluation must refute equality.',
    hypotheses: converging,
    quantifier: { kind: 'at-end', event: 'eta * S >= 2' },
    statement: 'eta * S == 2',
    steps: 6000,
    runs: 5,
    expect: 'fails',
  }),
];

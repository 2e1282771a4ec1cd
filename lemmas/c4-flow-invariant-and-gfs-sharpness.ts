import { defineLemma } from '../src/lemma/types.js';
import { everyTheta } from './shared/regimes.js';

const { hyper, init } = everyTheta;

export default [
  defineLemma({
    id: 'c4-c-conserved-by-gradient-flow',
    title: 'C = alpha^2 - beta1^2 - beta2^2 is conserved by gradient flow: grad C . grad L = 0',
    claim: 'C4',
    provenance: 'derived',
    description: 'dC/dt = -grad C . grad L along gradient flow; grad C = (2 alpha, -2 beta1, -2 beta2). Proved by expansion.',
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: '2 * alpha * g_alpha - 2 * beta1 * g_beta1 - 2 * beta2 * g_beta2 == 0',
    expect: 'holds',
  }),
  defineLemma({
    id: 'c4-exact-gd-change-of-c',
    title: 'Under one GD step, C_{t+1} - C_t = eta^2 (g_alpha^2 - g_beta1^2 - g_beta2^2)',
    claim: 'C4',
    provenance: 'derived',
    description: 'Expanding C at theta - eta g: the first-order term is -2 eta (grad C . g)/2 = 0 by the previous lemma; the rest is exact.',
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: 'C_next - C == eta^2 * (g_alpha^2 - g_beta1^2 - g_beta2^2)',
    expect: 'holds',
  }),
  defineLemma({
    id: 'c4-s-gfs-is-flow-limit-sharpness',
    title: 'S_GFS(theta) is the sharpness of the gradient-flow limit from theta',
    claim: 'C4',
    provenance: 'derived',
    description: `Sampled, because the gradient-flow limit has no closed form in t: the checker encloses the gradient-flow limit from each exact start rigorously (validated Taylor integration,
the Lyapunov tail, Krawczyk on the conserved quantities; src/dynamics/flow-enclosure.ts) and S_flow by a certified
eigenvalue enclosure over the limit box, so each draw's comparison is decided like any other iterate: the largest Hessian eigenvalue
at the limit against the closed form S_GFS = max(l1 (C + sqrt(C^2+4))/2, l2 sqrt(C^2+4)) at the start. The tolerance
1e-6 relative dates from a float integrator (Dormand-Prince 5(4), whose limit point was approximate); the enclosures
are far narrower, so it no longer stands for an error and is kept so the statement stays the one first checked.
Starts away from alpha = 0, where the flow can take very long.`,
    hypotheses: {
      hyper: { eta: 1, lambda1: 1, lambda2: { min: 0.001, max: 1, scale: 'log' } },
      init: { alpha: { min: 0.5, max: 2 }, beta1: { min: -0.5, max: 0.5 }, beta2: { min: -1, max: 1 } },
    },
    quantifier: { kind: 'flow-limit' },
    statement: ['abs(S_flow - S_GFS_0) <= 1e-6 * S_GFS_0', 'abs(C_flow - C_0) <= 1e-8'],
    runs: 30,
    expect: 'holds',
  }),
];

import { scalarConvergenceLemmas } from '../shared/scalar-convergence.js';

/** D4 for every t from a box of starts, proved (lemmas/shared/scalar-convergence.ts); with a false variant. */
export default scalarConvergenceLemmas({ depth: 3, etaMax: 0.05, start: { min: 0.7, max: 0.9 } });

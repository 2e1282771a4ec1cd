import { defineLemma } from '../../src/lemma/types.js';

/*
 * Issue 23's first target: a true, non-tight one-step inequality over a box in six variables (three parameters of
 * the minimalist model, three hyperparameters), for `npm run bench` (bench/region.ts): how long the region prover
 * takes and how many boxes per second it decides. Not a catalogue lemma; test/check/region-prove.test.ts proves
 * the same statement over the same box.
 */
export default defineLemma({
  id: 'bench-loss-at-most-doubles-in-one-step',
  title: 'Over a box of states and hyperparameters: L_next <= 2 L',
  claim: 'C6',
  provenance: 'variant',
  description: 'A bench target of the region prover: six free variables, a true inequality with room.',
  hypotheses: {
    hyper: { eta: { min: 1, max: 1.5 }, lambda1: { min: 0.5, max: 1 }, lambda2: { min: 0.001, max: 0.01 } },
    params: { alpha: { min: 0.8, max: 1.1 }, beta1: { min: -0.05, max: 0.05 }, beta2: { min: 0, max: 0.3 } },
  },
  quantifier: { kind: 'identity' },
  statement: 'L_next <= 2 * L',
  expect: 'holds',
});

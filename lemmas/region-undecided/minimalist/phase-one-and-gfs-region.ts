import { defineLemma } from '../../../src/lemma/types.js';
import { eosRegime } from '../../shared/regimes.js';

/*
 * Region versions of minimalist one-step lemmas that the region prover leaves UNDECIDED (issue 23 item 6): true claims,
 * each description saying why enclosures do not settle the whole region and how much of its volume stays open at the
 * default budget of 20000 boxes (test/check/region-undecided.test.ts holds the prover to these numbers). Not part of
 * the catalogue (lemmas/): an UNDECIDED row would fail its "as expected" check. (c5's phase-one S_next >= S, once
 * here, is PROVED since the Rayleigh rung takes premises as multiplier terms: lemmas/c5-progressive-sharpening-region.ts.)
 */
const region = { hyper: eosRegime.hyper, params: eosRegime.init };

export default [
  defineLemma({
    id: 'c10-region-gfs-sharpness-non-increasing',
    title: 'Over the box of states: if C >= 0 then S_GFS_next <= S_GFS',
    claim: 'C10',
    provenance: 'paper-claim',
    description: `c10-gfs-sharpness-non-increasing-along-gd at every state of the box of the sampled lemma's starts (C >= 0
holds on all of it). S_GFS - S_GFS_next is of second order in the step (C - C_next = eta^2 (C (g_beta1^2 + g_beta2^2) +
(beta1 g_beta2 - beta2 g_beta1)^2) / alpha^2) while each side is about 1: the difference of the two enclosures of the
max of square roots never separates from 0, and neither the factored rung (not a polynomial) nor the Rayleigh rung
(no S) applies. UNDECIDED on the whole region: measured at the default budget of 20000 boxes, 100% of its volume
stays open.`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: 'C >= 0' },
    statement: 'S_GFS_next <= S_GFS',
    expect: 'holds',
  }),
];

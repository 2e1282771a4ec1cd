import { undecidedRegionLemmas } from '../../shared/catapult-region.js';

/*
 * Region versions of catapult-n3 one-step facts that the region prover leaves UNDECIDED (issue 23 item 6). They are
 * true; each description says why enclosures cannot settle the whole region and how much of its volume stays open
 * at the default budget of 20000 boxes (test/check/region-undecided.test.ts holds the prover to these numbers). This
 * folder is not a pack's catalogue: an UNDECIDED row would fail the catalogue's "as expected" check.
 */

export default undecidedRegionLemmas(3, { contraction: '61.8%', band: '58.6%', falls: '99.9%' });

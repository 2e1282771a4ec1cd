// Region versions of the one-step facts of k5-divergence-regime.ts (issue 23 item 6), written once for both catapult packs.
import { catapultRegionLemmas } from '../shared/catapult-region.js';

export default catapultRegionLemmas(3).k5;

import { lazyEveryT } from '../shared/catapult-every-t.js';

/** K3's lazy-regime contraction for every t at n = 3, s the double nearest 1/sqrt(3) (lemmas/shared/catapult-every-t.ts). */
export default lazyEveryT({ n: 3, s: 0.5773502691896258 });

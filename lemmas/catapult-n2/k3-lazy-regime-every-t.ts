import { lazyEveryT } from '../shared/catapult-every-t.js';

/** K3's lazy-regime contraction for every t at n = 2, s the double nearest 1/sqrt(2) (lemmas/shared/catapult-every-t.ts). */
export default lazyEveryT({ n: 2, s: 0.7071067811865476 });

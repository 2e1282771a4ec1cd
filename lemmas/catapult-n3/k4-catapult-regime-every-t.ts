import { catapultKernelEveryT } from '../shared/catapult-every-t.js';

/** K4's mechanism for every t at n = 3, s the double nearest 1/sqrt(3) (lemmas/shared/catapult-every-t.ts). */
export default catapultKernelEveryT({ n: 3, s: 0.5773502691896258 });

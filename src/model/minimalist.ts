import type { ModelSpec } from './spec.js';

/**
 * The minimalist model of Liu, Zhang, Du, Zhao (2025), as restated in shared/PAPER.md section 2:
 * x ~ N(0, diag(lambda1, lambda2)), y = x2, f = alpha (beta1 x1 + beta2 x2), L = 1/2 E (y - f)^2.
 */
export const minimalistModel: ModelSpec = {
  name: 'minimalist-eos',
  params: ['alpha', 'beta1', 'beta2'],
  hypers: ['eta', 'lambda1', 'lambda2'],
  loss: '1/2 * lambda1 * (alpha * beta1)^2 + 1/2 * lambda2 * (alpha * beta2 - 1)^2',
  quantities: {
    L_osc: '1/2 * lambda1 * alpha^2 * beta1^2',
    L_conv: '1/2 * lambda2 * (alpha * beta2 - 1)^2',
    C: 'alpha^2 - beta1^2 - beta2^2',
    S_GFS: 'max(lambda1 * (C + sqrt(C^2 + 4)) / 2, lambda2 * sqrt(C^2 + 4))',
    // beta1_{t+1} = (1 - q_osc) beta1_t: |beta1| grows iff q_osc > 2.
    q_osc: 'eta * lambda1 * alpha^2',
  },
  source: 'shared/PAPER.md section 2 (third-party restatement of arXiv:2503.02809)',
};

import { describe, it, expect } from 'vitest';
import { parse } from '../../src/symbolic/mathjs.js';
import { deriveModel, DerivationError } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import type { ModelSpec } from '../../src/model/spec.js';
import { identityResidual } from '../../src/symbolic/rational-function.js';
import { runGD } from '../../src/dynamics/gd.js';

describe('derivation of the minimalist model', () => {
  const m = deriveModel(minimalistModel);

  it('cross-checks every gradient and Hessian entry against nerdamer by polynomial expansion', () => {
    expect(m.crossCheck).toHaveLength(3 + 6);
    for (const c of m.crossCheck) {
      expect(c.method).toBe('polynomial-expansion');
      expect(c.agree).toBe(true);
    }
  });

  it('gives the closed forms of docs/paper.md section 2', () => {
    const vars = [...m.params, ...m.hypers];
    const expected = [
      'lambda1*alpha*beta1^2 + lambda2*beta2*(alpha*beta2 - 1)',
      'lambda1*alpha^2*beta1',
      'lambda2*alpha*(alpha*beta2 - 1)',
    ];
    expected.forEach((e, i) => expect(identityResidual(m.gradient[i]!, parse(e), vars).isZero()).toBe(true));
    expect(identityResidual(m.hessian[0]![2]!, parse('lambda2*(2*alpha*beta2 - 1)'), vars).isZero()).toBe(true);
    // and a wrong form is not "equal"
    expect(identityResidual(m.gradient[1]!, parse('lambda1*alpha*beta1'), vars).isZero()).toBe(false);
  });

  it('renders LaTeX with Greek letters and subscripts', () => {
    expect(m.latex.loss).toContain('\\lambda_{1}');
    expect(m.latex.gradient[1]).toContain('\\beta_{1}');
    expect(m.latex.hessian).toHaveLength(3);
  });

  it('compiles kernels that agree with the expressions', () => {
    const th = [1.3, -0.2, 0.7];
    const h = [1.5, 1, 0.01];
    const g = new Float64Array(3);
    m.kernels.gradient(th, h, g);
    const scope = { alpha: 1.3, beta1: -0.2, beta2: 0.7, eta: 1.5, lambda1: 1, lambda2: 0.01 };
    m.gradient.forEach((node, i) => expect(g[i]).toBeCloseTo(node.evaluate(scope) as number, 14));
    expect(m.kernels.loss(th, h)).toBeCloseTo(parse(minimalistModel.loss).evaluate(scope) as number, 14);
  });

  it('derives once and reuses the result', () => {
    expect(deriveModel(minimalistModel)).toBe(m);
  });
});

describe('variant models run with no engine change', () => {
  it('relevant feature on x1 instead of x2', () => {
    const swapped: ModelSpec = {
      name: 'relevant-on-x1',
      params: ['alpha', 'beta1', 'beta2'],
      hypers: ['eta', 'lambda1', 'lambda2'],
      loss: '1/2 * lambda1 * (alpha * beta1 - 1)^2 + 1/2 * lambda2 * (alpha * beta2)^2',
      quantities: { C: 'alpha^2 - beta1^2 - beta2^2' },
    };
    const m = deriveModel(swapped);
    expect(m.crossCheck.every((c) => c.agree)).toBe(true);
    let last = NaN;
    runGD(m, { eta: 0.5, lambda1: 1, lambda2: 0.1 }, [1, 0.5, 0.3], { steps: 2000 }, (s) => {
      last = s.L;
    });
    expect(last).toBeLessThan(1e-12);
  });

  it('a third irrelevant input with its own scale (4 parameters, general eigen-solver)', () => {
    const three: ModelSpec = {
      name: 'three-inputs',
      params: ['alpha', 'beta1', 'beta2', 'beta3'],
      hypers: ['eta', 'lambda1', 'lambda2', 'lambda3'],
      loss: '1/2 * lambda1 * (alpha * beta1)^2 + 1/2 * lambda2 * (alpha * beta2 - 1)^2 + 1/2 * lambda3 * (alpha * beta3)^2',
    };
    const m = deriveModel(three);
    expect(m.hessian).toHaveLength(4);
    expect(m.crossCheck).toHaveLength(4 + 10);
    let first: number | undefined;
    runGD(m, { eta: 0.1, lambda1: 1, lambda2: 0.01, lambda3: 0.5 }, [1, 0.1, 0, 0.2], { steps: 1 }, (s) => {
      first ??= s.S;
    });
    // At the start the Hessian's top eigenvalue is at least its largest diagonal entry lambda1 alpha^2 = 1.
    expect(first).toBeGreaterThanOrEqual(1);
  });

  it('a disagreement between the two derivations is an error naming the entry and both expressions', () => {
    // nerdamer differentiates sqrt(x^2 + 1) * x wrongly (it returns sqrt(sqrt(1 + x^2)) for one term: upstream
    // issues 590, 675). The model must stop with both expressions, not run with a wrong gradient.
    const spec: ModelSpec = { name: 'nerdamer-trap', params: ['x'], hypers: ['eta'], loss: 'sqrt(x^2 + 1) * x' };
    expect(() => deriveModel(spec)).toThrow(DerivationError);
    expect(() => deriveModel(spec)).toThrow(/disagree on dL\/dx: mathjs .* vs nerdamer .*sqrt\(\(1 \+ x \^ 2\) \^ \(1 \/ 2\)\)/);
  });

  it('a model with a fractional power runs in float64 and is refused, clearly, in extended arithmetic', () => {
    const spec: ModelSpec = { name: 'three-halves', params: ['x'], hypers: ['eta'], loss: 'x^(3/2)' };
    const m = deriveModel(spec);
    let last = NaN;
    runGD(m, { eta: 0.1 }, [2], { steps: 10, arith: 'float64' }, (s) => {
      last = s.theta[0]!;
    });
    expect(last).toBeLessThan(2);
    expect(() => runGD(m, { eta: 0.1 }, [2], { steps: 10 }, () => {})).toThrow(/integer exponents.*run it with --arith float64/);
  });
});

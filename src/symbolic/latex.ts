import type { MathNode } from 'mathjs';

const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'eta', 'theta', 'lambda', 'mu', 'sigma', 'tau', 'phi', 'rho', 'kappa', 'omega']);

/** alpha -> \alpha, beta1 -> \beta_1, L_osc -> L_{\mathrm{osc}}, S_GFS -> S_{\mathrm{GFS}}, eta -> \eta. */
export function symbolLatex(name: string): string {
  const m = /^([A-Za-z]+?)(\d+)?(?:_(\w+))?$/.exec(name);
  if (!m) return `\\mathrm{${name.replace(/_/g, '\\_')}}`;
  const [, head, digits, sub] = m;
  const h = GREEK.has(head!) ? `\\${head}` : head!.length > 1 ? `\\mathrm{${head}}` : head!;
  const subs = [digits, sub ? (sub.length > 1 ? `\\mathrm{${sub}}` : sub) : undefined].filter(Boolean).join(',');
  return subs ? `${h}_{${subs}}` : h;
}

export function toLatex(node: MathNode): string {
  return node.toTex({
    parenthesis: 'auto',
    implicit: 'hide',
    handler: (n: MathNode) => (n.type === 'SymbolNode' ? symbolLatex((n as any).name) : undefined),
  } as any);
}

import type { MathNode } from 'mathjs';

const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'eta', 'theta', 'lambda', 'mu', 'sigma', 'tau', 'phi', 'rho', 'kappa', 'omega']);

/** One subscript part: a number stays, a symbol name is rendered as a symbol, a word is upright. */
function subLatex(part: string): string {
  if (/^\d+$/.test(part)) return part;
  // A parameter-like name (a Greek letter or one letter, then digits: theta1, u1, w3) is rendered as that symbol.
  if (/^[A-Za-z]+\d*$/.test(part) && (GREEK.has(part.replace(/\d+$/, '')) || part.replace(/\d+$/, '').length === 1)) return symbolLatex(part);
  return `\\mathrm{${part}}`;
}

/**
 * eta -> \eta, u1 -> u_1, lambda_GFS -> \lambda_{\mathrm{GFS}}, lambda_GFS_0 -> \lambda_{\mathrm{GFS},0},
 * H_u1_v1 -> H_{u_1,v_1}, log10abs_u1 -> \log_{10}|u_1|.
 */
export function symbolLatex(name: string): string {
  const log = /^log10abs_(\w+?)(_0|_next|_flow)?$/.exec(name);
  if (log) return `\\log_{10}|${symbolLatex(log[1]! + (log[2] ?? ''))}|`;
  const m = /^([A-Za-z]+?)(\d+)?(?:_(\w+))?$/.exec(name);
  if (!m) return `\\mathrm{${name.replace(/_/g, '\\_')}}`;
  const [, head, digits, sub] = m;
  const h = GREEK.has(head!) ? `\\${head}` : head!.length > 1 ? `\\mathrm{${head}}` : head!;
  const subs = [digits, ...(sub ? sub.split('_').map(subLatex) : [])].filter(Boolean).join(',');
  return subs ? `${h}_{${subs}}` : h;
}

export function toLatex(node: MathNode): string {
  return node.toTex({
    parenthesis: 'auto',
    implicit: 'hide',
    // Braced, so that mathjs's "\cdot" never runs into the symbol ("\cdotS" is one unknown control word).
    handler: (n: MathNode) => (n.type === 'SymbolNode' ? `{${symbolLatex((n as any).name)}}` : undefined),
  } as any);
}

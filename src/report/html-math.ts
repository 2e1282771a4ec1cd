import katex from 'katex';

/**
 * Two repairs of the LaTeX that src/symbolic/latex.ts (via mathjs toTex) writes, until it is fixed
 * there: a product of a symbol and a name comes out as "\cdotS" or "\cdotg_{...}", which TeX reads
 * as one unknown control word, so a space is put after the operator (whole control words only:
 * "\left" stays); and a name such as H_alpha_beta1 inside \mathrm{} is one identifier, so its
 * underscores are escaped instead of opening nested subscripts.
 */
function repairLatex(latex: string): string {
  return latex
    .replace(/\\mathrm\{([^{}]*)\}/g, (_m, name: string) => `\\mathrm{${name.replace(/(?<!\\)_/g, '\\_')}}`)
    .replace(/\\([A-Za-z]+)/g, (word, name: string) => {
      const op = ['cdot', 'times'].find((o) => name.length > o.length && name.startsWith(o));
      return op ? `\\${op} ${name.slice(op.length)}` : word;
    });
}

/**
 * A lemma statement as MathML. KaTeX's 'mathml' output needs neither its fonts nor its CSS (Chromium
 * and Firefox render MathML Core natively), which keeps the page small and free of font requests.
 * A statement KaTeX cannot parse is shown as its source text in an error span, never dropped.
 */
export function mathml(latex: string): string {
  return katex.renderToString(repairLatex(latex), { output: 'mathml', throwOnError: false, displayMode: false, strict: 'ignore' });
}

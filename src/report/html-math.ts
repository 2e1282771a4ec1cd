import katex from 'katex';

/**
 * A lemma statement as MathML. KaTeX's 'mathml' output needs neither its fonts nor its CSS (Chromium
 * and Firefox render MathML Core natively), which keeps the page small and free of font requests.
 * A statement KaTeX cannot parse is shown as its source text in an error span, never dropped.
 */
export function mathml(latex: string): string {
  return katex.renderToString(latex, { output: 'mathml', throwOnError: false, displayMode: false, strict: 'ignore' });
}

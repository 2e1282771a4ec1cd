import { describe, it, expect } from 'vitest';
import katex from 'katex';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { lemmaFiles, loadLemmas } from '../../src/lemma/load.js';
import { symbolLatex } from '../../src/symbolic/latex.js';

describe('LaTeX of statements', () => {
  it('renders symbols with Greek letters, subscripts and suffixes', () => {
    expect(symbolLatex('beta1')).toBe('\\beta_{1}');
    expect(symbolLatex('S_GFS_0')).toBe('S_{\\mathrm{GFS},0}');
    expect(symbolLatex('H_alpha_beta1')).toBe('H_{\\alpha,\\beta_{1}}');
    expect(symbolLatex('log10abs_beta1_next')).toBe('\\log_{10}|\\beta_{1,\\mathrm{next}}|');
  });

  it('every statement of the catalogue is valid TeX (KaTeX parses it strictly)', async () => {
    const model = deriveModel(minimalistModel);
    const loaded = await loadLemmas(lemmaFiles('lemmas'), model);
    let n = 0;
    for (const l of loaded) {
      expect(l.ok).toBe(true);
      if (!l.ok) continue;
      for (const s of l.lemma.statements) {
        expect(() => katex.renderToString(s.latex, { throwOnError: true, strict: 'error' }), `${l.lemma.id}: ${s.latex}`).not.toThrow();
        n++;
      }
    }
    expect(n).toBeGreaterThan(40);
  });
});

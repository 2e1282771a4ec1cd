import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { lemmaFiles, loadLemmas, type LoadedLemma } from '../../src/lemma/load.js';
import { compileLemma } from '../../src/lemma/compile.js';
import { LemmaError } from '../../src/lemma/errors.js';
import type { LemmaSpec } from '../../src/lemma/types.js';
import { runCli } from '../support/cli.js';

// Issue 22 item 8: what an error says must be short, complete and one line per problem.

const model = deriveModel(minimalistModel);
const FIX = 'test/fixtures/bad-lemmas';
const tmp = mkdtempSync(join(tmpdir(), 'eos-errors-'));

function writeTmp(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

async function loadError(path: string): Promise<Extract<LoadedLemma, { ok: false }>> {
  const loaded = await loadLemmas([path], model);
  const bad = loaded.find((l) => !l.ok);
  if (!bad || bad.ok) throw new Error(`${path} loaded`);
  return bad;
}

const problemsOf = async (path: string) => (await loadError(path)).error.problems.map((p) => [p.field, p.detail] as [string, string]);

const base = {
  id: 'messages',
  title: 't',
  claim: 'C1',
  provenance: 'variant',
  description: 'd',
  hypotheses: { hyper: { eta: 1, lambda1: 1, lambda2: 0.01 }, init: { alpha: 1, beta1: 0.01, beta2: 0 } },
  quantifier: { kind: 'every-step' },
  statement: 'L >= 0',
  steps: 10,
  runs: 2,
  expect: 'holds',
};

function compileProblems(patch: Record<string, unknown>): [string, string][] {
  try {
    compileLemma({ ...base, ...patch } as unknown as LemmaSpec, model, 'x.json');
  } catch (e) {
    if (!(e instanceof LemmaError)) throw e;
    return e.problems.map((p) => [p.field, p.detail]);
  }
  return [];
}

/** The symbol names of the "unknown symbol" problems, with their fields. */
const unknownSymbols = (problems: [string, string][]) =>
  problems.flatMap(([field, detail]) => {
    const m = /^unknown symbol "([^"]+)"/.exec(detail);
    return m ? [[field, m[1]!]] : [];
  });

/** The names a message lists after "nearest known:" or "known:". */
const listed = (detail: string) => /(?:nearest known|known): ([^;(]*)/.exec(detail)?.[1]!.trim().split(/,\s*/) ?? [];

describe('unknown symbols', () => {
  it('every unknown symbol of an expression is reported, each with its own suggestion', async () => {
    const problems = await problemsOf(join(FIX, 'several-unknown-symbols.yaml'));
    expect(unknownSymbols(problems)).toEqual([
      ['statement', 'lamda1'],
      ['statement', 'zeta'],
      ['statement', 'gradnorm'],
      ['quantifier.when', 'zzqqxx'],
    ]);
    const detail = (name: string) => problems.find(([, d]) => d.startsWith(`unknown symbol "${name}"`))![1];
    expect(detail('lamda1')).toMatch(/did you mean "lambda1"\?/);
    expect(detail('zeta')).toMatch(/did you mean "eta"\?/);
    expect(detail('gradnorm')).toMatch(/did you mean "gradNorm"\?/);
    // Far from every name: no "did you mean", but still the nearest names.
    expect(detail('zzqqxx')).not.toMatch(/did you mean/);
    expect(listed(detail('zzqqxx')).length).toBeGreaterThan(0);
  });

  it('a symbol used twice is reported once; both sides of a comparison are checked', () => {
    expect(unknownSymbols(compileProblems({ statement: 'zeta + zeta <= lamda1' }))).toEqual([
      ['statement', 'zeta'],
      ['statement', 'lamda1'],
    ]);
  });

  it('the message names the few nearest symbols, not the ~130 known ones, and says where they all are', () => {
    const [[, detail]] = compileProblems({ statement: 'lamda1 >= 0' }) as [[string, string]];
    const names = listed(detail);
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names.length).toBeLessThanOrEqual(5);
    expect(names[0]).toBe('lambda1');
    expect(names).toContain('lambda2');
    expect(detail).not.toMatch(/H_beta2_beta2_flow|log10abs_beta1_next/);
    expect(detail.length).toBeLessThan(250);
    expect(detail).toMatch(/README.*Adding a lemma/);
    expect(detail).toMatch(/eos-check models/);
  });

  it('a short list of allowed symbols (assume: parameters and hyperparameters) is still given whole', () => {
    const [[field, detail]] = compileProblems({ quantifier: { kind: 'identity' }, assume: { alpha: 'zeta' } }) as [[string, string]];
    expect(field).toBe('assume.alpha');
    expect(listed(detail).sort()).toEqual(['alpha', 'beta1', 'beta2', 'eta', 'lambda1', 'lambda2']);
  });
});

describe('YAML indented with tabs', () => {
  it('is one problem naming the lines, not a cascade of parser errors', async () => {
    const problems = await problemsOf(join(FIX, 'tab-indented.yaml'));
    expect(problems).toEqual([['(load)', 'tabs are not allowed in YAML indentation (lines 3-14): indent with spaces']]);
  });

  it('one tab-indented line is named as such; an independent error before it is still reported', async () => {
    const lemma = '- id: one-tab\n  title: t\n  hypotheses:\n\t  hyper: {}\n';
    expect(await problemsOf(writeTmp('one-tab.yaml', lemma))).toEqual([['(load)', 'tabs are not allowed in YAML indentation (line 4): indent with spaces']]);
    const withDup = '- id: dup\n  id: again\n  hypotheses:\n\t  hyper: {}\n\t  init: {}\n  steps: 1\n\t  runs: 1\n';
    expect(await problemsOf(writeTmp('dup-and-tabs.yaml', withDup))).toEqual([
      ['(load)', 'duplicate key id at line 2, column 3 (each key once)'],
      ['(load)', 'tabs are not allowed in YAML indentation (lines 4-5, 7): indent with spaces'],
    ]);
  });

  it('a tab where YAML allows one (inside a block scalar) is not an error', async () => {
    const good = `- id: tab-in-text
  title: t
  claim: C1
  provenance: variant
  description: |
    a description
    \twith a tab inside the text
  hypotheses:
    hyper: { eta: 1, lambda1: 1, lambda2: 0.01 }
    init: { alpha: 1, beta1: 0.01, beta2: 0 }
  quantifier: { kind: every-step }
  statement: L >= 0
  steps: 10
  runs: 2
  expect: holds
`;
    const [l] = await loadLemmas([writeTmp('tab-in-text.yaml', good)], model);
    expect(l?.ok, l && !l.ok ? l.error.message : '').toBe(true);
  });

  it('the JSON report carries the one problem', async () => {
    const r = await runCli(['verify', join(FIX, 'tab-indented.yaml'), '--json']);
    const [o] = JSON.parse(r.out).outcomes;
    expect(o.kind).toBe('ERROR');
    expect(o.error.problems).toEqual([{ field: '(load)', detail: 'tabs are not allowed in YAML indentation (lines 3-14): indent with spaces' }]);
  });
});

describe('JSON syntax errors all give line and column, on one line', () => {
  it('a bare NaN', async () => {
    const [[field, detail]] = (await problemsOf(join(FIX, 'nan-in.json'))) as [[string, string]];
    expect(field).toBe('(load)');
    // JSON.parse's own message quotes the text around the token (line breaks and all): the position replaces it.
    expect(detail).toBe("not valid JSON at line 3, column 12: Unexpected token 'N' (JSON has no NaN or Infinity: write a finite number)");
    expect(detail).not.toMatch(/[\r\n]/);
  });

  it('an empty file', async () => {
    expect(await problemsOf(join(FIX, 'empty.json'))).toEqual([['(load)', expect.stringMatching(/^not valid JSON at line 1, column 1: the file is empty/)]]);
    expect(await problemsOf(writeTmp('blank.json', '  \n\n'))).toEqual([['(load)', expect.stringMatching(/^not valid JSON at line 1, column 1: the file is empty/)]]);
  });

  it.each([
    ['top-nan.json', 'NaN', 'line 1, column 1'],
    // JSON.parse names the character after the minus sign.
    ['infinity.json', '{ "runs": 2,\n  "steps": -Infinity }', 'line 2, column 13'],
    ['infinity2.json', '[1,\n Infinity]', 'line 2, column 2'],
    ['undefined.json', '{ "a": 1,\n\n    "b": undefined }', 'line 3, column 10'],
    ['single-quotes.json', "{\n  'id': 'x' }", 'line 2, column 3'],
    // An early end is at the end of the text, as where JSON.parse gives the position.
    ['truncated.json', '{ "id": "x",\n  "steps":\n', 'line 3, column 1'],
    ['truncated-literal.json', '{ "id": "x",\n  "steps": tr', 'line 2, column 14'],
    ['misspelled-literal.json', '{ "a":\n  tru }', 'line 2, column 6'],
    ['trailing-comma.json', '[1, 2,\n]', 'line 2, column 1'],
  ])('%s', async (name, text, at) => {
    const [[, detail]] = (await problemsOf(writeTmp(name, text))) as [[string, string]];
    expect(detail.startsWith(`not valid JSON at ${at}: `), detail).toBe(true);
    expect(detail).not.toMatch(/[\r\n]/);
  });
});

describe('every problem is one line', () => {
  const oneLine = (l: Extract<LoadedLemma, { ok: false }>) => {
    for (const p of l.error.problems) {
      expect(p.field, p.field).not.toMatch(/[\r\n\u2028\u2029]/);
      expect(p.detail, p.detail).not.toMatch(/[\r\n\u2028\u2029]/);
    }
    // The error's message: one line per problem, each naming the file.
    const lines = l.error.message.split('\n');
    expect(lines).toHaveLength(l.error.problems.length);
    for (const line of lines) expect(line.startsWith(`${l.file}`)).toBe(true);
  };

  it('in every bad-lemma fixture', async () => {
    const loaded = await loadLemmas(lemmaFiles(FIX), model);
    const bad = loaded.filter((l): l is Extract<LoadedLemma, { ok: false }> => !l.ok);
    expect(bad.length).toBeGreaterThanOrEqual(15);
    bad.forEach(oneLine);
  });

  it('a key and an expression with line breaks in them are shown with the breaks escaped', async () => {
    const l = await loadError(join(FIX, 'multiline-problems.yaml'));
    oneLine(l);
    const byField = new Map(l.error.problems.map((p) => [p.field, p.detail]));
    expect([...byField.keys()]).toEqual(['two\\nlines', 'statement']);
    expect(byField.get('statement')).toMatch(/^cannot parse "L >=\\n  \(2 \+\\n": /);
  });

  it('a code file that fails to load with a message of several lines', async () => {
    const throws = await loadError(writeTmp('throws-multiline.mjs', 'throw new Error("first line of the error\\n  second line of the error");\n'));
    oneLine(throws);
    expect(throws.error.detail).toBe('the file failed to load: first line of the error second line of the error');
    const syntax = await loadError(writeTmp('ts-syntax-error.ts', "export default {\n  id: 'ts-syntax-error',\n  title: ;\n};\n"));
    oneLine(syntax);
    // The compiler's message, without its colours and code frame, and with the position.
    expect(syntax.error.detail).toMatch(/^the file failed to load: .*ts-syntax-error\.ts:3:\d+/);
    expect(syntax.error.detail).not.toMatch(/\x1b|[\u2500-\u257f]/);
  });
});

import { lemmaDefinition } from '../../src/check/verify.js';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { lemmaFiles, loadLemmas, type LoadedLemma } from '../../src/lemma/load.js';
import { runCli } from '../support/cli.js';

const model = deriveModel(minimalistModel);
const FIX = 'test/fixtures/data-lemmas';
const tmp = mkdtempSync(join(tmpdir(), 'eos-yaml-'));

async function loadOne(path: string): Promise<LoadedLemma[]> {
  return loadLemmas([path], model);
}

async function loadError(path: string) {
  const [l] = await loadOne(path);
  if (!l || l.ok) throw new Error(`${path} loaded`);
  return l;
}

function writeTmp(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

/** An outcome without what names the file it came from. */
function withoutFile(o: Record<string, any>): Record<string, unknown> {
  const { file: _file, timeMs: _t, lemma, ...rest } = o;
  const { path: _p, fileHash: _h, ...lemmaRest } = lemma ?? {};
  return { ...rest, lemma: lemmaRest };
}

describe('YAML lemma files (data, never executed)', () => {
  it('are found by directory scans, .yaml and .yml', () => {
    const names = lemmaFiles(FIX).map((f) => f.slice(FIX.length + 1));
    expect(names).toContain('loss-nonnegative.yaml');
    expect(names).toContain('custom-tag.yml');
    expect(names).toContain('loss-nonnegative.json');
  });

  it('a YAML lemma is the same lemma as its JSON twin: same definition, same outcome', async () => {
    const [y] = await loadOne(join(FIX, 'loss-nonnegative.yaml'));
    const [j] = await loadOne(join(FIX, 'loss-nonnegative.json'));
    if (!y?.ok || !j?.ok) throw new Error('did not load');
    expect(lemmaDefinition(y.lemma.spec)).toEqual(lemmaDefinition(j.lemma.spec));
    expect(y.lemma.fileHash).toBe(createHash('sha256').update(readFileSync(join(FIX, 'loss-nonnegative.yaml'))).digest('hex'));

    const ry = await runCli(['verify', join(FIX, 'loss-nonnegative.yaml'), '--json']);
    const rj = await runCli(['verify', join(FIX, 'loss-nonnegative.json'), '--json']);
    expect(ry.code, ry.err).toBe(0);
    const oy = JSON.parse(ry.out).outcomes[0];
    const oj = JSON.parse(rj.out).outcomes[0];
    expect(oy).toMatchObject({ id: 'loss-nonnegative', file: 'loss-nonnegative.yaml', kind: 'VERIFIED' });
    expect(withoutFile(oy)).toEqual(withoutFile(oj));
  });

  it('a syntax error is an ERROR row naming file, line and column; the other files still run', async () => {
    const l = await loadError(join(FIX, 'syntax-error.yaml'));
    expect(l.error).toMatchObject({ file: 'syntax-error.yaml', field: '(load)' });
    expect(l.error.detail).toMatch(/^not valid YAML at line 5, column 3: Flow map .*must be sufficiently indented/);

    const r = await runCli(['verify', join(FIX, 'syntax-error.yaml'), join(FIX, 'loss-nonnegative.yaml'), '--json']);
    const outcomes = JSON.parse(r.out).outcomes;
    expect(outcomes.map((o: { kind: string }) => o.kind)).toEqual(['ERROR', 'VERIFIED']);
    expect(outcomes[0].error).toMatchObject({ file: 'syntax-error.yaml', field: '(load)' });
    expect(outcomes[0].detail).toMatch(/^syntax-error\.yaml: \(load\): not valid YAML at line 5, column 3/);
  });

  it('a duplicate key is an error (YAML and JSON alike), with the key and where it is repeated', async () => {
    expect((await loadError(join(FIX, 'duplicate-key.yaml'))).error.detail).toBe('duplicate key statement at line 4, column 1 (each key once)');
    // JSON.parse would keep the second "steps" silently.
    const json = writeTmp('dup.json', '{ "id": "dup-json",\n  "steps": 10,\n  "steps": 20 }');
    expect((await loadError(json)).error.detail).toBe('duplicate key "steps" at line 3, column 3 (each key once)');
  });

  it('tags are not types: a custom tag is refused, never resolved', async () => {
    const l = await loadError(join(FIX, 'custom-tag.yml'));
    expect(l.error.field).toBe('(load)');
    expect(l.error.detail).toMatch(/^not valid YAML at line 2, column 8: Unresolved tag: !!js\/function .*no custom tags/);
  });

  it('several documents, an empty file, and a JSON syntax error each say what is wrong and where', async () => {
    expect((await loadError(writeTmp('docs.yaml', 'id: a\n---\nid: b\n'))).error.detail).toMatch(/several YAML documents .* at line 2, column 1: put the lemmas in one list/);
    expect((await loadError(writeTmp('alias.yaml', 'id: a\ntitle: *t\n'))).error.detail).toMatch(/^not valid YAML at line 2, column 8: Unresolved alias .*: t$/);
    const laughs = ['a: &a [x, x]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    expect((await loadError(writeTmp('laughs.yaml', laughs))).error.detail).toMatch(/^not valid YAML: .*alias/i);
    expect((await loadError(writeTmp('empty.yaml', '# nothing\n'))).error.detail).toMatch(/holds no lemma/);
    expect((await loadError(writeTmp('empty-list.yaml', '[]\n'))).error.detail).toMatch(/holds no lemma/);
    expect((await loadError(writeTmp('broken.json', '{ "id": "x",\n  "title" 1 }'))).error.detail).toMatch(/^not valid JSON at line 2, column 11: /);
  });

  it('the extension is matched in any case: an upper-case .YAML file is data too, never imported', async () => {
    const [l] = await loadOne(writeTmp('UPPER.YAML', readFileSync(join(FIX, 'loss-nonnegative.yaml'), 'utf8')));
    expect(l?.ok, l && !l.ok ? l.error.message : '').toBe(true);
  });

  it('YAML numbers are YAML 1.2 core: 1e-3 is a number, yes is a string, a date stays text', async () => {
    const path = writeTmp(
      'core.yaml',
      readFileSync(join(FIX, 'loss-nonnegative.yaml'), 'utf8').replace('lambda2: 0.01', 'lambda2: 1e-2').replace('description: The loss is a sum of squares.', 'description: yes').replace('title: L >= 0 along GD', 'title: 2024-01-01'),
    );
    const [l] = await loadOne(path);
    if (!l?.ok) throw new Error(l?.error.message);
    expect(l.lemma.hyperDraws.find((d) => d.name === 'lambda2')!.draw).toEqual({ fixed: 0.01 });
    expect(lemmaDefinition(l.lemma.spec)).toMatchObject({ title: '2024-01-01', description: 'yes' });
  });
});

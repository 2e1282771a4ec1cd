import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lemmaFiles } from '../../src/lemma/load.js';
import { runCli } from '../support/cli.js';

const run = runCli;

describe('JSON lemma files (data, never executed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eos-json-'));
  const lemma = {
    id: 'json-loss-nonnegative',
    title: 'L >= 0 along GD',
    claim: 'C1',
    provenance: 'variant',
    description: 'A JSON lemma: the loss is a sum of squares.',
    hypotheses: { hyper: { eta: { min: 0.5, max: 1.5 }, lambda1: 1, lambda2: 0.01 }, init: { alpha: { min: 0.8, max: 1.1 }, beta1: 0.01, beta2: 0 } },
    quantifier: { kind: 'every-step' },
    statement: 'L >= 0',
    steps: 50,
    runs: 8,
    expect: 'holds',
  };
  writeFileSync(join(dir, 'a-loss.json'), JSON.stringify([lemma], null, 2));
  writeFileSync(join(dir, 'b-broken.json'), '{ "id": "x", ');

  it('are found by directory scans and verify like any lemma', async () => {
    expect(lemmaFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual(['a-loss.json', 'b-broken.json']);
    const r = await run(['verify', join(dir, 'a-loss.json'), '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).outcomes[0]).toMatchObject({ id: 'json-loss-nonnegative', kind: 'VERIFIED' });
  });

  it('a file that is not JSON is an ERROR row naming the file, and the rest still runs', async () => {
    const r = await run(['verify', join(dir, 'a-loss.json'), join(dir, 'b-broken.json'), '--json']);
    const outcomes = JSON.parse(r.out).outcomes;
    expect(outcomes.map((o: { kind: string }) => o.kind)).toEqual(['VERIFIED', 'ERROR']);
    expect(outcomes[1].error).toMatchObject({ file: 'b-broken.json', field: '(load)' });
    expect(outcomes[1].error.message).toMatch(/not valid JSON/);
  });
});

import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

/**
 * A lemma file that is code runs with the user's rights when it is loaded, so verify and report load
 * one from outside the package's own lemmas/ folder only with --allow-code; JSON (and YAML) lemma
 * files are data and need no flag. The refusal comes before anything is loaded: the fixture below
 * writes a marker file when it is imported, and after a refusal there is none.
 */
const dir = mkdtempSync(join(tmpdir(), 'eos-allow-code-'));
const marker = join(dir, 'was-imported');
const code = join(dir, 'side-effect.mts');
writeFileSync(
  code,
  `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'imported');
export default { id: 'loss-nonnegative', title: 't', claim: 'C1', provenance: 'derived', description: 'd',
  hypotheses: { hyper: { eta: 1, lambda1: 1, lambda2: 1e-3 }, init: { alpha: 1, beta1: 0.01, beta2: 0 } },
  quantifier: { kind: 'every-step' }, statement: 'L >= 0', steps: 2, runs: 1, expect: 'holds' };\n`,
);
const data = join(dir, 'data.json');
writeFileSync(
  data,
  JSON.stringify({ id: 'loss-nonnegative-json', title: 't', claim: 'C1', provenance: 'derived', description: 'd', hypotheses: { hyper: { eta: 1, lambda1: 1, lambda2: 1e-3 }, init: { alpha: 1, beta1: 0.01, beta2: 0 } }, quantifier: { kind: 'every-step' }, statement: 'L >= 0', steps: 2, runs: 1, expect: 'holds' }),
);

describe('--allow-code', () => {
  it('without it, verify refuses a code lemma file outside lemmas/ with one line naming it and why, before loading it', async () => {
    const r = await runCli(['verify', code, data, '--json']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toContain(code);
    expect(r.err).not.toContain(data);
    expect(r.err).toMatch(/runs it with your rights, so pass --allow-code/);
    expect(r.err).toMatch(/JSON and YAML lemma files are data and need no flag/);
    expect(r.out).toBe('');
    expect(existsSync(marker)).toBe(false);
  });

  it('report and a path that climbs out of lemmas/ are refused the same way', async () => {
    const r = await runCli(['report', '--jobs', '1', '--out', join(dir, 'r.json'), code]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/side-effect\.mts: a lemma file that is code/);
    const climbed = await runCli(['verify', 'lemmas/../test/fixtures/search/hill.ts']);
    expect(climbed.code).toBe(2);
    expect(climbed.err).toMatch(/hill\.ts: a lemma file that is code .* outside the package's lemmas\/ folder/);
    expect(existsSync(marker)).toBe(false);
  });

  it('report merge refuses the shards\u2019 code lemma files without it', async () => {
    const shard = join(dir, 'shard.json');
    writeFileSync(shard, JSON.stringify({ format: 'eos-check-shard/1', shard: { k: 1, n: 1 }, model: { name: 'x', hash: 'x' }, files: [code], seed: 1, runs: null, budget: 1, arith: 'extended', exactAll: false, lemmas: [], units: [] }));
    const r = await runCli(['report', 'merge', shard]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/side-effect\.mts: a lemma file that is code/);
    expect(existsSync(marker)).toBe(false);
  });

  it('with it the file loads and is checked; a JSON lemma and the package\u2019s own lemmas need no flag', async () => {
    const json = await runCli(['verify', data, '--json']);
    expect(json.code, json.err).toBe(0);
    expect(JSON.parse(json.out).outcomes[0].kind).toBe('VERIFIED');
    const own = await runCli(['verify', 'lemmas/c4-flow-invariant-and-gfs-sharpness.ts', '--id', 'c4-c-conserved-by-gradient-flow', '--json']);
    expect(own.code, own.err).toBe(0);
    expect(JSON.parse(own.out).outcomes[0].kind).toBe('PROVED');
    const r = await runCli(['verify', code, '--json', '--allow-code']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).outcomes[0].kind).toBe('VERIFIED');
    expect(existsSync(marker)).toBe(true);
  });
});

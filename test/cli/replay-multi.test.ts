/**
 * A printed replay command reproduces its own row, and only it, from any directory, on a file with
 * several lemmas (issue 22, item 1: the command once lacked --id and its --path was applied to every lemma).
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli } from '../support/cli.js';

const BIN = resolve('bin/eos-check.js');

function lemma(id: string, statement: string, expect: 'holds' | 'fails') {
  return {
    id, title: statement, claim: 'C6', provenance: 'variant', description: 'replay test',
    hypotheses: { hyper: { eta: { min: 1.5, max: 1.9 }, lambda1: 1, lambda2: 1e-3 }, init: { alpha: 1, beta1: { min: 0.005, max: 0.02 }, beta2: 0 } },
    quantifier: { kind: 'every-step' }, statement, steps: 600, runs: 6, expect,
  };
}

describe('replay commands on a file with several lemmas', () => {
  it('carry --id, and run from another directory they reproduce that row alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eos-replay-'));
    const file = join(dir, 'several.json');
    writeFileSync(file, JSON.stringify([lemma('several-loss-nonnegative', 'L >= 0', 'holds'), lemma('several-sharpness-below-two', 'eta * S <= 2', 'fails'), lemma('several-loss-below-start', 'L <= 2 * L_0 + 1', 'holds')]));
    const first = await runCli(['verify', file, '--json', '--seed', '5']);
    expect(first.code).toBe(0);
    const rows = JSON.parse(first.out).outcomes;
    expect(rows.map((o: { kind: string }) => o.kind)).toEqual(['VERIFIED', 'FALSIFIED', 'VERIFIED']);
    const ce = rows[1].counterexample;
    expect(ce.command).toContain('--id several-sharpness-below-two');
    const args = ce.command.replace(/^npx eos-check /, '').split(' ');
    const elsewhere = mkdtempSync(join(tmpdir(), 'eos-cwd-'));
    const r = spawnSync('node', [BIN, ...args, '--json'], { cwd: elsewhere, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const replayed = JSON.parse(r.stdout).outcomes;
    expect(replayed).toHaveLength(1);
    expect(replayed[0].id).toBe('several-sharpness-below-two');
    expect(replayed[0].kind).toBe('FALSIFIED');
    expect(replayed[0].counterexample.step).toBe(ce.step);
    expect(replayed[0].counterexample.init).toEqual(ce.init);
  });

  it('refuse a --path without --id on such a file, and an unknown --id, naming the lemmas', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eos-replay-'));
    const file = join(dir, 'two.json');
    writeFileSync(file, JSON.stringify([lemma('two-a', 'L >= 0', 'holds'), lemma('two-b', 'eta * S <= 2', 'fails')]));
    const noId = await runCli(['verify', file, '--path', '0']);
    expect(noId.code).toBe(2);
    expect(noId.err).toMatch(/--path: .*add --id.*two-a, two-b/);
    const badId = await runCli(['verify', file, '--id', 'two-c']);
    expect(badId.code).toBe(2);
    expect(badId.err).toMatch(/--id: no lemma two-c .*did you mean.*two-a|--id: no lemma two-c/);
  });
});

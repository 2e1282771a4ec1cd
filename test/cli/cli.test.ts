import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { main } from '../../src/cli/main.js';

/** End to end through the real bin, as a user runs it (each start costs about 2.5 s of tsx and mathjs loading). */
function spawned(args: string[]) {
  const r = spawnSync('node', ['bin/eos-check.js', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same entry point the bin calls, in this process: what it prints and the exit code it returns. */
async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.map((s) => `${s}\n`).join(''), err: err.map((s) => `${s}\n`).join('') };
}

describe('eos-check trajectory', () => {
  it('--json reproduces run R1 of PAPER.md with the documented keys (through the real bin)', () => {
    const r = spawned(['trajectory', '--eta', '1.9', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0', '--steps', '4000', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    for (const k of ['maxEtaS', 'argmaxEtaS', 'finalEtaS', 'finalLoss', 'lossIncreases', 'firstUnstableStep', 'cIncreases', 'arithmetic', 'underflow', 'diverged'])
      expect(j).toHaveProperty(k);
    expect(j.maxEtaS).toBeCloseTo(2.23184, 4);
    expect(j.argmaxEtaS).toBe(549);
    expect(j.firstUnstableStep).toBe(140);
    expect(j.lossIncreases).toBe(160);
    expect(j.finalEtaS).toBeCloseTo(1.99534, 4);
    expect(j.arithmetic).toBe('extended');
    expect(j.underflow).toBe(false);
    expect(j.diverged).toBeNull();
    expect(j.cIncreases).toBe(0);
  });

  it('--every K adds JSON lines of the trajectory', async () => {
    const r = await cli(['trajectory', '--eta', '1.5', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0', '--steps', '100', '--every', '25']);
    const lines = r.out.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.map((l) => JSON.parse(l).t)).toEqual([0, 25, 50, 75, 100]);
    expect(r.out).toContain('extended exponent');
  });

  it('reports divergence as an outcome with its step', async () => {
    const r = await cli(['trajectory', '--eta', '50', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.5,0', '--steps', '100', '--json']);
    expect(r.code).toBe(0);
    expect(typeof JSON.parse(r.out).diverged).toBe('number');
  });

  it.each([
    [['trajectory', '--eta', '0', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0'], /--eta must be > 0/],
    [['trajectory', '--eta=-1', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0'], /--eta must be > 0/],
    [['trajectory', '--eta', '-1', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0'], /--eta/],
    [['trajectory', '--eta', 'abc', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0'], /--eta expects a number, got "abc"/],
    [['trajectory', '--eta', 'NaN', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0'], /expects a number/],
    [['trajectory', '--eta', '1', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01'], /--init expects 3 comma-separated numbers, got 2/],
    // A bare model.json has no pack defaults: the start is required (a pack supplies its default start).
    [['trajectory', '--model', 'models/minimalist/model.json', '--eta', '1', '--lambda1', '1', '--lambda2', '1e-3'], /--init is required/],
    [['trajectory', '--eta'], /argument missing|--eta/],
    [['trajectory', '--eta', '1', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0', '--arith', 'float32'], /--arith must be extended or float64/],
    [['trajectory', '--eta', '1', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0', '--steps', '1e99'], /--steps expects a whole number/],
    [['trajectory', '--bogus'], /unknown option --bogus/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['verify', 'no/such/file.ts'], /no such lemma file/],
    [['verify', '--seed', 'x'], /--seed expects a whole number/],
    [['verify', '--jobs', '0'], /--jobs must be between 1 and 64, got 0/],
    [['report', '--html', 'x.html', '--from', 'r.json', '--jobs', '2'], /--from .* no --jobs/],
  ])('bad arguments %j: one line, exit code 2, no stack trace', async (args, msg) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('the real bin on bad input', () => {
  it('prints one line on stderr, exits 2, and no stack trace reaches the terminal', () => {
    const r = spawned(['trajectory', '--eta', '0', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual(['eos-check trajectory: --eta must be > 0, got 0']);
    expect(r.out).toBe('');
  });
});

describe('eos-check verify', () => {
  it('exit 0 when every lemma came out as expected, with --json a parseable report', async () => {
    const r = await cli(['verify', 'lemmas/c4-flow-invariant-and-gfs-sharpness.ts', '--runs', '3', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.tool.name).toBe('eos-check');
    expect(j.model.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(j.outcomes.map((o: { kind: string }) => o.kind)).toEqual(['PROVED', 'PROVED', 'VERIFIED']);
  });

  it('exit 1 when a lemma marked true comes out FALSIFIED; the same seed gives byte-identical JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eos-'));
    // Outside a package with "type": "module", a TypeScript lemma file is named .mts.
    const f = join(dir, 'mine.mts');
    writeFileSync(
      f,
      `import { defineLemma } from '${process.cwd()}/src/lemma/types.js';
export default defineLemma({ id: 'mine', title: 'eta S <= 2 everywhere', claim: 'C6', provenance: 'variant', description: 'false on purpose',
  hypotheses: { hyper: { eta: { min: 1.5, max: 1.9 }, lambda1: 1, lambda2: 1e-3 }, init: { alpha: 1, beta1: 0.01, beta2: 0 } },
  quantifier: { kind: 'every-step' }, statement: 'eta * S <= 2', steps: 800, runs: 5, expect: 'holds' });`,
    );
    const a = await cli(['verify', f, '--json', '--seed', '11', '--allow-code']);
    const b = await cli(['verify', f, '--json', '--seed', '11', '--allow-code']);
    expect(a.code).toBe(1);
    const j = JSON.parse(a.out);
    expect(j.outcomes[0].kind).toBe('FALSIFIED');
    expect(j.outcomes[0].counterexample.confirmedExactly).toBe(true);
    expect(a.out).toBe(b.out);
    // the replay command in the report reproduces the counterexample
    const cmd: string = j.outcomes[0].counterexample.command;
    const args = cmd.replace(/^npx eos-check /, '').split(' ');
    const replay = await cli([...args, '--json']);
    expect(JSON.parse(replay.out).outcomes[0].counterexample.step).toBe(j.outcomes[0].counterexample.step);
  });
});

describe('eos-check verify --replay', () => {
  it('reproduces the counterexample a report recorded, from the report alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eos-'));
    const report = join(dir, 'r.json');
    const first = await cli(['verify', 'lemmas/c6-sharpness-bound.ts', '--id', 'c6-sharpness-never-exceeds-two-over-eta', '--runs', '5', '--seed', '3', '--out', report]);
    expect(first.code).toBe(0);
    const recorded = JSON.parse(readFileSync(report, 'utf8')).outcomes[0].counterexample;
    expect(recorded.path).toMatch(/^\d+(:\d+)*$/);
    const again = await cli(['verify', '--replay', report, 'c6-sharpness-never-exceeds-two-over-eta', '--json']);
    const ce = JSON.parse(again.out).outcomes[0].counterexample;
    expect(ce.hyper).toEqual(recorded.hyper);
    expect(ce.init).toEqual(recorded.init);
    expect(ce.step).toBe(recorded.step);
    const none = await cli(['verify', '--replay', report, 'no-such-lemma']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no lemma "no-such-lemma"/);
  });
});


describe('Ctrl-C', () => {
  it('stops a long verification between trajectories, says so, exits 130 and writes no report', async () => {
    const { spawn } = await import('node:child_process');
    const { existsSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'eos-int-'));
    const out = join(dir, 'report.json');
    const p = spawn('node', ['bin/eos-check.js', 'verify', 'lemmas/c6-sharpness-bound.ts', '--runs', '100000', '--jobs', '2', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    // Wait until the checks are running (start-up takes seconds, more on a loaded machine), then interrupt.
    await new Promise<void>((r) => {
      const poll = setInterval(() => {
        if (/verifying 1 lemma file/.test(err)) {
          clearInterval(poll);
          r();
        }
      }, 50);
    });
    await new Promise((r) => setTimeout(r, 2000));
    const t0 = Date.now();
    p.kill('SIGINT');
    const code = await new Promise<number | null>((r) => p.on('exit', (c) => r(c)));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(code).toBe(130);
    expect(err).toMatch(/interrupted by Ctrl-C after \d+ lemmas; no report was written/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.tmp`)).toBe(false);
  });
});

describe('eos-check report --shard and report merge', () => {
  it('two shard files merged write the report file the unsharded verify writes, byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eos-shard-'));
    const files = ['test/fixtures/search/hill.ts'];
    const whole = join(dir, 'whole.json');
    expect((await cli(['verify', ...files, '--runs', '300', '--seed', '5', '--out', whole, '--allow-code'])).code).toBe(0);
    for (const k of [1, 2]) {
      const r = await cli(['verify', ...files, '--runs', '300', '--seed', '5', '--shard', `${k}/2`, '--out', join(dir, `s${k}.json`), '--allow-code']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`shard ${k}/2: \\d+ of 4 units`));
    }
    const merged = join(dir, 'merged.json');
    const m = await cli(['report', 'merge', join(dir, 's2.json'), join(dir, 's1.json'), '--out', merged, '--allow-code']);
    expect(m.code).toBe(0);
    expect(readFileSync(merged, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    const missing = await cli(['report', 'merge', join(dir, 's1.json'), '--allow-code']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/missing shard 2\/2/);
    const noOut = await cli(['verify', ...files, '--shard', '1/2', '--allow-code']);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toMatch(/--shard needs --out/);
  });
});

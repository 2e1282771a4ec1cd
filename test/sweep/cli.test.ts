import { describe, it, expect, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { main } from '../../src/cli/main.js';
import { ProgressBar } from '../../src/sweep/progress.js';

const dir = mkdtempSync(join(tmpdir(), 'eos-sweep-cli-'));
const GRID = ['--x', 'eta=1:2.4:4', '--y', 'lambda2=1e-3:1e-1:3:log', '--lambda1', '1', '--init', '1,0.01,0', '--steps', '300'];

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const rows = (csv: string) => csv.split('\n').slice(1);

describe('eos-check sweep', () => {
  it('a 4x3 grid run whole equals the merge of its 2 shards; no progress output when stderr is not a terminal', async () => {
    const tty = process.stderr.isTTY;
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    const write = vi.spyOn(process.stderr, 'write');
    try {
      const [whole, s1, s2] = await Promise.all([
        // One worker each: every worker thread loads mathjs and derives the model, the bulk of this test's time.
        // Ordering across workers is tested on InOrder (run.test.ts).
        run(['sweep', ...GRID, '--workers', '1', '--out', join(dir, 'whole.csv'), '--svg', join(dir, 'phase.svg')]),
        run(['sweep', ...GRID, '--workers', '1', '--shard', '1/2', '--out', join(dir, 's1.json')]),
        run(['sweep', ...GRID, '--workers', '1', '--shard', '2/2', '--out', join(dir, 's2.csv')]),
      ]);
      expect(write).not.toHaveBeenCalled();
      for (const r of [whole, s1, s2]) expect(r.code, r.err).toBe(0);
      expect(whole.out).toMatch(/4 x 3 = 12 cells/);
      expect(whole.out).toMatch(/\|[.ec?x]{4}\|/);
      expect(s1.out).toMatch(/shard 1\/2: 6 cells/);
      const m = await run(['sweep', 'merge', join(dir, 's2.csv'), join(dir, 's1.json'), '--out', join(dir, 'merged.csv')]);
      expect(m.code, m.err).toBe(0);
      const a = readFileSync(join(dir, 'whole.csv'), 'utf8');
      expect(rows(a)).toHaveLength(14); // header, 12 rows, final newline
      expect(rows(a)[0]).toMatch(/^cell,ix,iy,eta,lambda2,class,converged,max_etaS_minus_2,/);
      for (const r of rows(a).slice(1, 13)) expect(r).toMatch(/^\d+,\d+,\d+,[\d.e-]+,[\d.e-]+,(stable,true|not-converged,false|eos,(true|false)|catapult,(true|false)|divergence,false),/);
      expect(readFileSync(join(dir, 'merged.csv'), 'utf8')).toBe(a);
      expect(m.out).toBe(whole.out.split('\nworkers')[0] + `\nmerged 2 shard files; wrote ${join(dir, 'merged.csv')}`);
    } finally {
      write.mockRestore();
      Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true });
    }
    const svg = readFileSync(join(dir, 'phase.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('outcome class');
    expect(svg).toContain('max over t of eta*S');
    expect(Number(/^<svg [^>]*width="(\d+)"/.exec(svg)![1])).toBeLessThanOrEqual(900);
    expect(svg).toContain('lambda2 (log scale)');
    expect(svg).not.toMatch(/href|<script/);
  });

  it.each([
    [['--x', 'eta=2:1:4', '--y', 'lambda2=1e-3:1e-1:3:log', '--lambda1', '1', '--init', '1,0.01,0'], /min 2 is above max 1/],
    [['--x', 'eta=1:2:4', '--y', 'lambda2=0:1e-1:3:log', '--lambda1', '1', '--init', '1,0.01,0'], /log range needs min > 0/],
    [['--x', 'eta=1:2:0', '--y', 'lambda2=1e-3:1e-1:3:log', '--lambda1', '1', '--init', '1,0.01,0'], /count must be a whole number >= 1/],
    [['--x', 'gamma=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--lambda1', '1', '--init', '1,0.01,0'], /unknown axis "gamma"/],
    [['--x', 'lambda1=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--eta', '0', '--init', '1,0.01,0'], /--eta must be > 0/],
    [['--x', 'lambda1=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--eta', 'NaN', '--init', '1,0.01,0'], /--eta expects a number, got "NaN"/],
    [['--x', 'eta=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--lambda1', '1', '--init', '1,0.01,0', '--steps', '10000001'], /above the limit of 10000000 steps/],
    [['--x', 'eta=1:2:2000', '--y', 'lambda2=1e-3:1e-1:1000', '--lambda1', '1', '--init', '1,0.01,0'], /2000000 cells in one run is above the limit of 1000000: split the grid with --shard/],
    [['--x', 'eta=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--lambda1', '1', '--init', '1,0.01,0', '--workers', '0'], /--workers must be between 1/],
    [['--x', 'eta=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--lambda1', '1', '--init', '1,0.01,0', '--workers=-2'], /--workers expects a whole number/],
    [['--x', 'eta=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--lambda1', '1', '--init', '1,0.01,0', '--shard', '3/2'], /--shard k\/n needs 1 <= k <= n/],
    [['--x', 'eta=1:2:4', '--y', 'eta=1:2:3', '--lambda1', '1', '--lambda2', '1', '--init', '1,0.01,0'], /both sweep eta/],
    [['--x', 'eta=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--eta', '1', '--lambda1', '1', '--init', '1,0.01,0'], /--eta is swept by --x: drop --eta/],
    [['--model', 'models/minimalist/model.json', '--x', 'eta=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--init', '1,0.01,0'], /--lambda1 is required/],
    [['--x', 'eta=1:2:4', '--y', 'beta1=1e-3:1e-1:3:log', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0'], /beta1 is swept by --y, write _ in its place/],
    [['--x', 'eta=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--lambda1', '1', '--init', '1,0.01'], /--init expects 3 comma-separated values/],
    [['--x', 'eta=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--lambda1', '1', '--init', '1,0.01,0', '--out', 'x.txt'], /must end in .csv or .json/],
    [['--x', 'eta=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--lambda1', '1', '--init', '1,0.01,0', '--out', '/no/such/dir/x.csv'], /directory \/no\/such\/dir does not exist/],
    [['--y', 'lambda2=1e-3:1e-1:3', '--lambda1', '1', '--init', '1,0.01,0'], /--x and --y are required/],
    [['merge', '--out', 'a.csv'], /merge needs shard files/],
    [['merge', 'no/such.json', '--out', 'a.csv'], /no\/such.json: no such file/],
    [['--bogus'], /unknown option --bogus/],
  ])('bad input %j: one line, exit code 2', async (args, msg) => {
    const r = await run(['sweep', ...(args as string[])]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  it('--help defines the classes', async () => {
    const r = await run(['sweep', '--help']);
    expect(r.code).toBe(0);
    for (const c of ['divergence', 'not-converged', 'catapult', 'eos', 'stable']) expect(r.out).toContain(`  ${c} `);
  });

  it('the progress bar draws on a terminal, and stays silent without one or under CI', () => {
    const frames: string[] = [];
    let now = 0;
    const tty = { isTTY: true, columns: 100, write: (s: string) => frames.push(s) };
    const bar = new ProgressBar(tty, 40, 'sweep', {}, () => now);
    for (let d = 1; d <= 40; d++) {
      now += 50;
      bar.update(d);
    }
    bar.end();
    expect(frames.length).toBeGreaterThan(5);
    expect(frames.length).toBeLessThan(40); // throttled
    expect(frames[frames.length - 2]).toMatch(/^\rsweep \[#+\] 40\/40 cells 100\.0%  20\.0 cells\/s  ETA 0:00\x1b\[K$/);
    expect(frames[frames.length - 1]).toBe('\r\x1b[K');
    for (const [stream, env] of [[{ ...tty, isTTY: false }, {}], [tty, { CI: 'true' }]] as const) {
      const quiet: string[] = [];
      const b = new ProgressBar({ ...stream, write: (s: string) => quiet.push(s) }, 40, 'sweep', env);
      b.update(20);
      b.end();
      expect(quiet).toEqual([]);
    }
  });

  it('Ctrl-C stops the workers, removes the .tmp file, says so in one line and exits 130', async () => {
    // In process: emitting SIGINT reaches the command's handler just as the signal does under bin/eos-check.js,
    // which exits with main's return value.
    const out = join(dir, 'big.csv');
    const errs: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (errs.push(String(s)), true));
    try {
      const done = run(['sweep', '--x', 'eta=1:2:50', '--y', 'lambda2=1e-3:1e-1:50:log', '--lambda1', '1', '--init', '1,0.01,0', '--steps', '20000', '--workers', '1', '--out', out]);
      for (let i = 0; i < 300 && !existsSync(`${out}.tmp`); i++) await new Promise((r) => setTimeout(r, 20));
      expect(existsSync(`${out}.tmp`)).toBe(true);
      process.emit('SIGINT');
      const r = await done;
      expect(r.code).toBe(130);
    } finally {
      write.mockRestore();
    }
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^eos-check sweep: interrupted after \d+ of 2500 cells; workers stopped, .*big\.csv\.tmp removed, .*big\.csv not written\n$/);
    expect(existsSync(`${out}.tmp`)).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });
});

import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

const FIXTURE = 'test/fixtures/html-report.json';
const dir = mkdtempSync(join(tmpdir(), 'eos-html-cli-'));

const run = runCli;

describe('eos-check report --html: bad input is one line and exit code 2', () => {
  const page = join(dir, 'bad.html');
  const cases: [string[], RegExp][] = [
    [['--from', FIXTURE], /--from only makes sense with --html/],
    [['--html', page, '--from', join(dir, 'missing.json')], /--from .*missing\.json: ENOENT/],
    [['--html', page, '--from', FIXTURE, 'lemmas/c6-sharpness-bound.ts'], /takes no lemma files/],
    [['--html', page, '--from', FIXTURE, '--seed', '3'], /no --seed/],
    [['--html', page, '--from', FIXTURE, '--run', 'eta=abc,lambda1=1,lambda2=1e-3,init=1:0.01:0'], /--run "eta=abc.*": eta expects a number, got "abc"/],
    [['--html', page, '--from', FIXTURE, '--run', 'eta=1.5,lambda1=1,init=1:0.01:0'], /lambda2 is required/],
    [['--html', page, '--from', FIXTURE, '--run', 'eta=1.5,lambda1=1,lambda2=1e-3,init=1,0.01,0'], /expected key=value pairs/],
    [['--html', page, '--from', FIXTURE, '--run', 'eta=1.5,lambda1=1,lambda2=1e-3,init=1:0.01'], /init expects 3 colon-separated numbers \(alpha:beta1:beta2\), got 2/],
    [['--html', page, '--from', FIXTURE, '--run', 'eta=-1,lambda1=1,lambda2=1e-3,init=1:0.01:0'], /eta must be > 0/],
    [['--html', page, '--from', FIXTURE, '--run', 'eta=1,lambda1=1,lambda2=1e-3,init=1:0.01:0,steps=1e3'], /steps expects a whole number/],
    [['--html', page, '--from', FIXTURE, '--run', 'eta=1,lambda1=1,lambda2=1e-3,init=1:0.01:0,steps=0'], /steps must be between 1 and/],
    [['--html', page, '--from', FIXTURE, '--run', 'eta=1,lambda1=1,lambda2=1e-3,init=1:0.01:0,colour=red'], /unknown key "colour"/],
    [['--html', page, '--from', FIXTURE, '--run', 'eta=1,eta=2,lambda1=1,lambda2=1e-3,init=1:0.01:0'], /eta given twice/],
    [['--html', page, '--from', FIXTURE, '--run', 'eta=1,lambda1=1,lambda2=1e-3,init=1:0.01:0,name=a b'], /name must be/],
    [['--html', page, '--from', FIXTURE, '--run', 'eta=1,lambda1=1,lambda2=1e-3,init=1:0.01:0,arith=float32'], /arith must be extended or float64/],
    [['--html', '', '--from', FIXTURE], /--html expects a file name/],
  ];
  for (const [args, message] of cases) {
    it(args.slice(-1)[0]!, async () => {
      const r = await run(['report', ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(existsSync(page)).toBe(false);
    });
  }

  it('a JSON file that is not a report is refused by name', async () => {
    const f = join(dir, 'not-a-report.json');
    writeFileSync(f, JSON.stringify({ tool: { name: 'eos-check' }, outcomes: [{ id: 'x' }], model: { hash: 'h' }, totals: {} }));
    const r = await run(['report', '--html', page, '--from', f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not an eos-check report \(outcome 0 lacks/);
  });
});

describe('eos-check report --html --from', () => {
  it('rebuilds the page from a JSON report, writes it atomically and is deterministic', async () => {
    const a = join(dir, 'a.html');
    const b = join(dir, 'b.html');
    const r1 = await run(['report', '--html', a, '--from', FIXTURE, '--run', 'eta=1.2,lambda1=1,lambda2=1e-2,init=0.9:0.02:0.1,steps=300,name=mine,arith=float64']);
    expect(r1.code).toBe(0);
    expect(r1.out).toMatch(/wrote .*a\.html \(0\.\d\d MB; 8 lemmas, runs R1, R2, R3, mine\)/);
    await run(['report', '--html', b, '--from', FIXTURE, '--run', 'eta=1.2,lambda1=1,lambda2=1e-2,init=0.9:0.02:0.1,steps=300,name=mine,arith=float64']);
    const html = readFileSync(a, 'utf8');
    expect(html).toBe(readFileSync(b, 'utf8'));
    expect(html).toContain('id="run-mine"');
    expect(html).toContain('Arithmetic: IEEE float64');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

/**
 * Negative numbers as option values (issue 22 item 3): Node's parseArgs refuses `--init -1,0.5` ("argument
 * is ambiguous"); src/cli/args.ts `parse` gives a string option the negative number that follows it, in
 * every command, so `--init -1,...` runs and `--eta -0.5` reaches the tool's own range check (exit 2).
 */
import { describe, expect, it } from 'vitest';
import { joinNegativeValues, parse } from '../../src/cli/args.js';
import { sweepSpec } from '../../src/cli/sweep.js';
import { loadPack } from '../../src/model/pack.js';
import { runCli } from '../support/cli.js';

const OPTIONS = {
  init: { type: 'string' },
  eta: { type: 'string' },
  hyper: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  out: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

describe('joinNegativeValues', () => {
  it.each([
    [['--init', '-1,0.5,0.3,-0.5'], ['--init=-1,0.5,0.3,-0.5']],
    [['--eta', '-0.5', '--json'], ['--eta=-0.5', '--json']],
    [['--eta', '-.5'], ['--eta=-.5']],
    [['--eta', '-1e-3'], ['--eta=-1e-3']],
    [['--hyper', '-1'], ['--hyper=-1']],
    [['-o', '-2'], ['--out=-2']],
  ])('%j: the string option takes the negative number as its value', (argv, want) => {
    expect(joinNegativeValues(argv, OPTIONS)).toEqual(want);
  });

  it.each([
    // A boolean option never takes a value.
    [['--json', '-1']],
    [['-h', '-1']],
    // A string option followed by a real option: left to parseArgs (which says the value is missing).
    [['--init', '--json']],
    [['--init', '-h']],
    [['--eta', '-x']],
    // Already joined, or after the terminator.
    [['--init=-1,0.5']],
    [['--', '--init', '-1']],
    [['--init', '1,0.5', '--eta', '2']],
    // Not an option of the command: parseArgs reports it as unknown.
    [['--nope', '-1']],
  ])('%j is left alone', (argv) => {
    expect(joinNegativeValues(argv, OPTIONS)).toEqual(argv);
  });

  it('parse: the values arrive whole, and a flag followed by a real option still parses', () => {
    const { values } = parse(['--init', '-1,0.5,0.3,-0.5', '--hyper', 'y=-1', '--hyper', '-2', '--eta', '-0.5', '--json'], { ...OPTIONS });
    expect(values.init).toBe('-1,0.5,0.3,-0.5');
    expect(values.hyper).toEqual(['y=-1', '-2']);
    expect(values.eta).toBe('-0.5');
    expect(values.json).toBe(true);
    expect(() => parse(['--init', '--json'], { ...OPTIONS })).toThrow(/--init/);
  });
});

describe('negative numbers on the command line, every command', () => {
  const CATAPULT = ['trajectory', '--model', 'catapult-n2', '--eta', '3.77', '--steps', '5', '--json'];

  it('trajectory --init -1,... (the catapult pack needs negative starts)', async () => {
    const r = await runCli([...CATAPULT, '--hyper', 'y=0', '--init', '-1,0.5,0.3,-0.5']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).init).toEqual([-1, 0.5, 0.3, -0.5]);
    // The README's example, with its last start value negative.
    const readme = await runCli([...CATAPULT, '--hyper', 'y=0', '--init', '1,0.5,0.3,-0.5']);
    expect(readme.code, readme.err).toBe(0);
    expect(JSON.parse(readme.out).init).toEqual([1, 0.5, 0.3, -0.5]);
  });

  it('trajectory --hyper y=-1 and --hyper with the value a separate negative word', async () => {
    const r = await runCli([...CATAPULT, '--hyper', 'y=-1', '--init', '1,0.5,0.3,-0.5']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).hyper.y).toBe(-1);
  });

  it('trajectory --eta -0.5 reaches the range check: the tool\'s own message, exit 2', async () => {
    const r = await runCli(['trajectory', '--eta', '-0.5', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('eos-check trajectory: --eta must be > 0, got -0.5');
    const pack = await runCli(['trajectory', '--model', 'scalar-d2', '--eta', '-0.5']);
    expect(pack.code).toBe(2);
    expect(pack.err).toBe('eos-check trajectory: --eta must be > 0, got -0.5');
  });

  it('sweep: --eta -0.5 is range-checked and --init -1,_,0 is read whole', async () => {
    const r = await runCli(['sweep', '--x', 'lambda1=1:2:4', '--y', 'lambda2=1e-3:1e-1:3', '--eta', '-0.5', '--init', '1,0.01,0']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('eos-check sweep: --eta must be > 0, got -0.5');
    const pack = loadPack(undefined);
    const { values } = parse(['--x', 'eta=1:2:2', '--y', 'beta1=1e-3:1e-1:2:log', '--lambda1', '1', '--lambda2', '1e-3', '--init', '-1,_,0'], {
      x: { type: 'string' },
      y: { type: 'string' },
      init: { type: 'string' },
      lambda1: { type: 'string' },
      lambda2: { type: 'string' },
    });
    expect(sweepSpec(values, pack.spec).init).toEqual([-1, null, 0]);
  });

  it('verify and report: a negative count is the tool\'s own message, not the parser\'s', async () => {
    for (const [argv, msg] of [
      [['verify', '--seed', '-1'], /^eos-check verify: --seed expects a whole number, got "-1"$/],
      [['report', '--budget', '-2'], /^eos-check report: --budget must be in \(0, 1000\], got -2$/],
    ] as const) {
      const r = await runCli([...argv]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/ambiguous/);
    }
  });
});

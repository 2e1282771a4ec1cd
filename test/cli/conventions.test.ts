import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The real binary, as a user runs it. */
function eos(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/eos-check.js', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const COMMANDS = ['trajectory', 'verify', 'report', 'sweep', 'models'];

describe('CLI conventions (through bin/eos-check.js)', () => {
  it('--version prints the package version and exits 0', () => {
    const r = eos('--version');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('help <command> and <command> --help explain every command and exit 0', () => {
    for (const c of COMMANDS) {
      const a = eos('help', c);
      const b = eos(c, '--help');
      expect(a.code, c).toBe(0);
      expect(b.code, c).toBe(0);
      expect(a.out).toBe(b.out);
      expect(a.out).toContain(`eos-check ${c}`);
      expect(a.err).toBe('');
    }
    expect(eos('verify', '--help').out).toMatch(/--budget B .*default: 1 for verify, 3 for report/);
    expect(eos('help', 'nope').code).toBe(2);
  });

  it('an unknown option is one line naming the nearest valid one, exit 2, no parser internals', () => {
    const r = eos('verify', '--bugdet', '2');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('eos-check verify: unknown option --bugdet (did you mean "--budget"?); see --help for the options');
    expect(eos('trajectory', '--eta', '1', '--lamda1', '1').err).toMatch(/did you mean "--lambda1"/);
  });
});

/**
 * Use from anywhere (issue 15, item 2): the package installed globally (`npm install -g .`, which is what
 * `npm link` does) into a temporary prefix, then the lemma examples of the README's "Adding a lemma",
 * copied out of the README itself, verified by the installed `eos-check` from an empty directory outside
 * the clone. The TypeScript example imports `defineLemma` from 'eos-check', which only the package's own
 * resolution makes work there.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** The README's code blocks of one language in the "Adding a lemma" section, in order. */
function readmeBlocks(lang: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Adding a lemma'), readme.indexOf('\n## ', readme.indexOf('## Adding a lemma') + 5));
  return [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

describe('the installed CLI, outside the clone', () => {
  let prefix: string;
  let work: string;
  let bin: string;
  beforeAll(() => {
    prefix = mkdtempSync(join(tmpdir(), 'eos-prefix-'));
    work = mkdtempSync(join(tmpdir(), 'eos-user-'));
    // --ignore-scripts: the clone under test is already built; a folder install is a symlink to it.
    execFileSync('npm', ['install', '-g', ROOT, '--prefix', prefix, '--ignore-scripts', '--no-audit', '--no-fund'], { stdio: 'pipe' });
    bin = join(prefix, 'bin', 'eos-check');
  }, 120_000);
  afterAll(() => {
    rmSync(prefix, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  const run = (args: string[]) => spawnSync(bin, args, { cwd: work, encoding: 'utf8', env: { ...process.env, CI: 'true' } });

  it('prints its version from an empty directory', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  for (const [lang, ext] of [['json', 'json'], ['yaml', 'yaml'], ['ts', 'ts']] as const) {
    it(`verifies the README's ${lang} lemma example, written to a file outside the clone`, () => {
      const blocks = readmeBlocks(lang);
      expect(blocks.length, `the README's "Adding a lemma" has a ${lang} example`).toBeGreaterThan(0);
      const file = `example.${ext}`;
      writeFileSync(join(work, file), blocks[0]!);
      // Code runs with the user's rights, so a code lemma outside the package needs --allow-code; the C6
      // example's 1600 draws are cut to 16 (what is tested here is that it loads and runs from there).
      const r = run(['verify', file, ...(lang === 'ts' ? ['--allow-code', '--runs', '16'] : [])]);
      expect(r.stderr, r.stderr).not.toMatch(/error|warning|cannot|not found/i);
      expect(r.stdout).toMatch(/\d+ lemmas?: .*; (\d+) as expected/);
      const [, n, ok] = /(\d+) lemmas?: .*; (\d+) as expected/.exec(r.stdout)!;
      expect(Number(n)).toBeGreaterThan(0);
      expect(ok).toBe(n);
      expect(r.status).toBe(0);
    }, 180_000);
  }
});

#!/usr/bin/env node
// `npm test`: vitest run, then one plain line "N passed, N failed" after the verification tables
// (counted from vitest's JSON report as .ci/run counts it). Without colour codes when the output is
// not a terminal: vitest's colour library turns them on whenever TERM is set, so a piped or logged
// run was full of escape codes.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const JSON_REPORT = 'reports/vitest.json';
const env = { ...process.env };
if (!process.stdout.isTTY && env.FORCE_COLOR === undefined) env.NO_COLOR = '1';
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
// A report left by an earlier run must not be counted as this one's.
rmSync(JSON_REPORT, { force: true });
const child = spawn(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => {
  let line = '0 passed, 1 failed (vitest wrote no JSON report)';
  if (existsSync(JSON_REPORT)) {
    const r = JSON.parse(readFileSync(JSON_REPORT, 'utf8'));
    const failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) + (r.numFailedTestSuites && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
    line = `${r.numPassedTests} passed, ${failed} failed`;
  }
  process.stdout.write(`\n${line}\n`);
  process.exit(code ?? (signal ? 1 : 0));
});

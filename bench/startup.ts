/**
 * Start-up times of the CLI as a user meets them (issue 15 item 3): `eos-check --help`, `--version`,
 * `trajectory --help`, and a 4000-step trajectory of run R1, each a fresh `node bin/eos-check.js`
 * process, median of REPS runs after one warm-up. Part of `npm run bench`; alone: `npx tsx bench/startup.ts`.
 * Targets: --help and --version under 0.3 s, the trajectory under 1.5 s.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { distIsFresh } from '../bin/dist-fresh.js';
import { isMain } from './main.js';

const ROOT = join(import.meta.dirname, '..');
const REPS = 7;

const CASES: { name: string; args: string[]; targetS: number }[] = [
  { name: 'eos-check --help', args: ['--help'], targetS: 0.3 },
  { name: 'eos-check --version', args: ['--version'], targetS: 0.3 },
  { name: 'eos-check trajectory --help', args: ['trajectory', '--help'], targetS: 0.3 },
  {
    name: 'eos-check trajectory, run R1, 4000 steps (extended exponent)',
    args: ['trajectory', '--eta', '1.9', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0', '--steps', '4000'],
    targetS: 1.5,
  },
];

export function startupFigures(): { name: string; value: string }[] {
  const fresh = distIsFresh(ROOT);
  const out = [{ name: 'start-up: package', value: fresh ? 'compiled (dist/)' : 'dist/ missing or older than src/: the CLI ran the sources through tsx (run npm run build)' }];
  for (const c of CASES) {
    const ts: number[] = [];
    for (let i = 0; i <= REPS; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'eos-check.js'), ...c.args], { encoding: 'utf8' });
      const dt = (performance.now() - t0) / 1000;
      if (r.status !== 0) throw new Error(`${c.name}: exit ${r.status}: ${r.stderr}`);
      if (i > 0) ts.push(dt);
    }
    ts.sort((a, b) => a - b);
    const med = ts[Math.floor(ts.length / 2)]!;
    out.push({ name: `start-up: ${c.name} (s, median of ${REPS}; min, max)`, value: `${med.toFixed(3)} (${ts[0]!.toFixed(3)}, ${ts.at(-1)!.toFixed(3)}); target < ${c.targetS}: ${med < c.targetS ? 'met' : 'NOT met'}` });
  }
  out.push({ name: 'start-up: load average (1, 5, 15 min)', value: loadavg().map((x) => x.toFixed(2)).join(', ') });
  return out;
}

if (isMain(import.meta)) for (const f of startupFigures()) console.log(`${f.name.padEnd(78)} ${f.value}`);

/**
 * --jobs 1 against --jobs 2 as a user runs them: fresh `eos-check verify` processes on a pack's
 * catalogue (worker start-up and all), wall time and CPU time (user + system, from /usr/bin/time where
 * it exists), every configuration once per round so that machine noise hits all alike; the medians of
 * REPS rounds. Issue 25 item 4: --jobs 2 must never be slower than --jobs 1.
 * EOS_BENCH_BIN=label=/a/checkout/bin/eos-check.js,label2=/b/bin/eos-check.js compares checkouts (before
 * and after a change) in the same rounds.
 *
 * Run alone: npx tsx bench/jobs.ts [pack ...]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import { isMain } from './main.js';

const REPS = Number(process.env.EOS_BENCH_REPS ?? 5);
const BINS: [string, string][] = process.env.EOS_BENCH_BIN
  ? process.env.EOS_BENCH_BIN.split(',').map((x) => x.split('=') as [string, string])
  : [['this checkout', fileURLToPath(new URL('../bin/eos-check.js', import.meta.url))]];
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function run(bin: string, args: string[]): { wall: number; cpu: number | null; report: string } {
  const argv = [process.execPath, bin, 'verify', ...args, '--json'];
  const t0 = performance.now();
  const r = TIME ? spawnSync(TIME, ['-f', 'cpu %U %S', ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 }) : spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  // Exit 1 is an outcome (a lemma not as expected at this budget), not a failure of the run.
  if (r.status !== 0 && r.status !== 1) throw new Error(`eos-check verify ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  // The report without its wall-clock fields, which are the only thing allowed to differ between runs.
  const report = createHash('sha256').update(r.stdout.replace(/"timeMs":\s*\d+/g, '')).digest('hex').slice(0, 12);
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : null, report };
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function jobsFigures(packs = ['catapult-n2', 'minimalist']): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const pack of packs) {
    const args = ['--model', pack, ...(pack === 'minimalist' ? ['--budget', '0.25'] : [])];
    const t = new Map<string, { wall: number[]; cpu: number[] }>();
    // Per checkout: a report names its lemma files by absolute path, which differs between checkouts.
    const reports = new Map<string, Set<string>>();
    const load0 = loadavg()[0]!;
    for (let r = 0; r < REPS; r++)
      for (const [label, bin] of BINS)
        for (const j of [1, 2]) {
          const key = `${label}|${j}`;
          const x = run(bin, [...args, '--jobs', String(j)]);
          if (!t.has(key)) t.set(key, { wall: [], cpu: [] });
          t.get(key)!.wall.push(x.wall);
          if (!reports.has(label)) reports.set(label, new Set());
          reports.get(label)!.add(x.report);
          if (x.cpu !== null) t.get(key)!.cpu.push(x.cpu);
        }
    for (const [label] of BINS) {
      const [a, b] = [t.get(`${label}|1`)!, t.get(`${label}|2`)!];
      const cpu = a.cpu.length ? `; CPU ${med(a.cpu).toFixed(2)} / ${med(b.cpu).toFixed(2)} s` : '';
      out.push({
        name: `verify ${args.join(' ')}${BINS.length > 1 ? ` [${label}]` : ''}: --jobs 1 / --jobs 2, wall s (fresh processes, median of ${REPS})`,
        value: `${med(a.wall).toFixed(2)} / ${med(b.wall).toFixed(2)} (jobs 2 takes ${(med(b.wall) / med(a.wall)).toFixed(3)}x${cpu}; all walls ${a.wall.map((x) => x.toFixed(1)).join(' ')} / ${b.wall.map((x) => x.toFixed(1)).join(' ')}; load ${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}; ${reports.get(label)!.size === 1 ? 'every run wrote the same report' : `${reports.get(label)!.size} different reports`})`,
      });
    }
  }
  return out;
}

// One pack at a time, printed as it is done (a long run loses nothing already measured).
if (isMain(import.meta)) for (const pack of process.argv.slice(2).length ? process.argv.slice(2) : ['catapult-n2', 'minimalist']) for (const f of jobsFigures([pack])) console.log(f.name, f.value);

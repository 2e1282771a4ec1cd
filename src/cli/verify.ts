import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { minimalistModel } from '../model/minimalist.js';
import { deriveModel } from '../symbolic/derive.js';
import { lemmaFiles } from '../lemma/load.js';
import { DEFAULT_SEED, verifyFiles } from '../check/catalogue.js';
import { formatTable } from '../report/table.js';
import { reportJson, totals, type Report } from '../report/report.js';
import type { Arithmetic } from '../dynamics/gd.js';
import { intArg, numberArg, parse, UsageError } from './args.js';
import { loadModel } from './trajectory.js';
import { existsSync, readFileSync } from 'node:fs';
import { VERSION } from './version.js';

export const VERIFY_USAGE = `eos-check verify [lemma-file ...] [--id ID] [--seed S] [--runs N] [--budget B] [--arith extended|float64] [--exact-all] [--path P] [--json] [--out report.json]
  eos-check verify --replay report.json LEMMA-ID   (reproduce the counterexample recorded in a report)`;
export const REPORT_USAGE = `eos-check report [--seed S] [--budget B] [--out reports/verification-full.json]   (the whole catalogue; default budget 3)`;

/** Write a file atomically, so an interrupted run never leaves half a report. */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** The options that reproduce the counterexample a report recorded for one lemma. */
function replayArgs(reportPath: string, positionals: string[]): Record<string, unknown> {
  const id = positionals[0];
  if (id === undefined || positionals.length > 1) throw new UsageError('--replay takes a report file and exactly one lemma id');
  let report: Report;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch (e) {
    throw new UsageError(`--replay ${reportPath}: ${(e as Error).message}`);
  }
  const o = report.outcomes?.find((x) => x.id === id);
  if (!o) throw new UsageError(`--replay: no lemma "${id}" in ${reportPath}`);
  if (!o.counterexample || o.counterexample.path === null) throw new UsageError(`--replay: ${id} has no sampled counterexample in ${reportPath} (outcome ${o.kind})`);
  const file = `lemmas/${o.file}`;
  if (!existsSync(file)) throw new UsageError(`--replay: lemma file ${file} not found (run from the project directory)`);
  return { replayFile: file, id, seed: String(report.seed), budget: String(report.budget), path: o.counterexample.path };
}

async function run(argv: string[], out: (s: string) => void, defaults: { budget: number; out?: string }): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      seed: { type: 'string' },
      runs: { type: 'string' },
      budget: { type: 'string' },
      arith: { type: 'string' },
      'exact-all': { type: 'boolean' },
      path: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      model: { type: 'string' },
      id: { type: 'string' },
      replay: { type: 'string' },
    },
    true,
  );
  if (values.replay !== undefined) Object.assign(values, replayArgs(values.replay, positionals));
  const seed = intArg('seed', values.seed, DEFAULT_SEED, 0, 2 ** 31 - 1);
  const runs = values.runs === undefined ? undefined : intArg('runs', values.runs, 1, 1, 1_000_000);
  const budget = values.budget === undefined ? defaults.budget : numberArg('budget', values.budget)!;
  if (!(budget > 0) || budget > 1000) throw new UsageError(`--budget must be in (0, 1000], got ${values.budget}`);
  const arith = (values.arith ?? 'extended') as Arithmetic;
  if (arith !== 'extended' && arith !== 'float64') throw new UsageError(`--arith must be extended or float64, got "${values.arith}"`);
  if (values.path !== undefined && !/^\d+(:\d+)*$/.test(values.path)) throw new UsageError(`--path expects a fast-check path like 12:0:3, got "${values.path}"`);
  const files = values.replayFile ? [values.replayFile] : positionals.length > 0 ? positionals : lemmaFiles('lemmas');
  for (const f of files) if (!existsSync(f)) throw new UsageError(`no such lemma file: ${f}`);
  const spec = loadModel(values.model);
  const model = deriveModel(spec);
  const outcomes = await verifyFiles(model, files, { seed, runs, budget, arith, exactAll: values['exact-all'], path: values.path, only: values.id }, (o) => {
    if (!values.json) process.stderr.write(`  ${o.kind.padEnd(9)} ${o.id} (${(o.timeMs / 1000).toFixed(1)} s)\n`);
  });
  for (const o of outcomes) if (o.counterexample) o.counterexample.command = o.counterexample.command.replace(`lemmas/${o.file}`, relative('.', files.find((f) => f.endsWith(o.file)) ?? o.file));
  const report: Report = {
    tool: { name: 'eos-check', version: VERSION },
    model: { name: spec.name, hash: model.hash, loss: spec.loss, source: spec.source },
    seed,
    budget,
    arithmetic: `trajectories in ${arith === 'extended' ? 'extended-exponent float64 (unbounded exponent)' : 'IEEE float64'}; claims decided exactly ${values['exact-all'] ? 'at every iterate' : 'near the boundary and at every violation'} (rational arithmetic, certified eigenvalue enclosures)`,
    outcomes,
    totals: totals(outcomes),
  };
  const json = reportJson(report);
  const target = values.out ?? defaults.out;
  if (target) writeAtomic(target, json);
  out(values.json ? json.trimEnd() : formatTable(report));
  return outcomes.every((o) => o.asExpected) ? 0 : 1;
}

export function verifyCommand(argv: string[], out: (s: string) => void): Promise<number> {
  return run(argv, out, { budget: 1 });
}

export function reportCommand(argv: string[], out: (s: string) => void): Promise<number> {
  return run(argv, out, { budget: 3, out: 'reports/verification-full.json' });
}

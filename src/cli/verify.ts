import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { deriveModel, dynamicsText } from '../symbolic/derive.js';
import { lemmaFiles } from '../lemma/load.js';
import { foreignCode } from '../lemma/code-files.js';
import { DEFAULT_SEED, verifyCatalogueRuns, verifyFiles, type VerifyProgress } from '../check/catalogue.js';
import { InterruptedError } from '../check/verify.js';
import { mergeShards, MergeError, runShard, type ShardFile } from '../check/shard.js';
import type { Outcome } from '../check/outcome.js';
import { interruptOnSigint } from './interrupt.js';
import { formatTable } from '../report/table.js';
import { reportJson, totals, type Report } from '../report/report.js';
import type { Arithmetic } from '../dynamics/gd.js';
import { intArg, numberArg, parse, UsageError } from './args.js';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { VERSION } from './version.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { runSeries, type RunSpec } from '../dynamics/series.js';
import { DEFAULT_PACK, packArg, packNames, packRef, type ModelPack } from '../model/pack.js';
import { VerifyProgressLine } from '../report/progress.js';
import { modelFromArgv, packArgument } from './model-arg.js';
import { buildHtml } from '../report/html.js';

const RUN_NAME = /^[A-Za-z0-9_.+-]{1,40}$/;

/** One --run value: comma-separated key=value pairs; init is colon-separated because commas split the pairs. */
export function parseRunSpec(text: string, index: number, model: DerivedModel): RunSpec {
  const fail = (why: string): never => {
    throw new UsageError(`--run "${text}": ${why}`);
  };
  const kv = new Map<string, string>();
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z]\w*)\s*=\s*(.*?)\s*$/.exec(part);
    if (!m) fail(`expected key=value pairs separated by commas, got "${part}"`);
    if (kv.has(m![1]!)) fail(`${m![1]} given twice`);
    kv.set(m![1]!, m![2]!);
  }
  const allowed = [...model.hypers, 'init', 'steps', 'name', 'arith'];
  for (const k of kv.keys()) if (!allowed.includes(k)) fail(`unknown key "${k}" (expected ${allowed.join(', ')})`);
  const number = (key: string, v: string): number => {
    try {
      return numberArg(`run ${key}`, v)!;
    } catch (e) {
      return fail(`${key} expects a number, got "${v}"`);
    }
  };
  const hyper: Record<string, number> = {};
  for (const h of model.hypers) {
    const v = kv.get(h);
    if (v === undefined) fail(`${h} is required`);
    hyper[h] = number(h, v!);
  }
  if (!(hyper.eta! > 0)) fail(`eta must be > 0, got ${hyper.eta}`);
  const initText = kv.get('init') ?? fail(`init is required (${model.params.join(':')})`);
  const parts = initText.split(':');
  if (parts.length !== model.params.length) fail(`init expects ${model.params.length} colon-separated numbers (${model.params.join(':')}), got ${parts.length}`);
  const init = parts.map((p, i) => number(`init ${model.params[i]}`, p));
  const stepsText = kv.get('steps');
  if (stepsText !== undefined && !/^\d+$/.test(stepsText)) fail(`steps expects a whole number, got "${stepsText}"`);
  const steps = stepsText === undefined ? 1000 : Number(stepsText);
  if (steps < 1 || steps > 10_000_000) fail(`steps must be between 1 and 10000000, got ${steps}`);
  const name = kv.get('name') ?? `U${index + 1}`;
  if (!RUN_NAME.test(name)) fail(`name must be 1-40 letters, digits or _.+-, got "${name}"`);
  const arith = kv.get('arith') ?? 'extended';
  if (arith !== 'extended' && arith !== 'float64') fail(`arith must be extended or float64, got "${arith}"`);
  return { name, hyper, init, steps, arith: arith as Arithmetic };
}

/** A report written by `verify --out` / `report`, read back for --from. */
function readReport(path: string): Report {
  let r: Report;
  try {
    r = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--from ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  const bad = (why: string) => new UsageError(`--from ${path}: not an eos-check report (${why})`);
  if (typeof r !== 'object' || r === null || r.tool?.name !== 'eos-check') throw bad('no tool.name "eos-check"');
  if (!Array.isArray(r.outcomes)) throw bad('no outcomes list');
  if (typeof r.model?.hash !== 'string' || typeof r.totals !== 'object' || r.totals === null) throw bad('no model hash or totals');
  r.outcomes.forEach((o, i) => {
    if (typeof o?.id !== 'string' || typeof o.kind !== 'string' || !Array.isArray(o.statement) || !Array.isArray(o.statementLatex)) throw bad(`outcome ${i} lacks id, kind, statement or statementLatex`);
    // A report written before region proofs has no regionCertificate: none.
    if (o.regionCertificate === undefined) o.regionCertificate = null;
  });
  return r;
}

/** Run the pack's reference runs and the user's runs, build the page, write it atomically. */
function writeHtmlReport(path: string, report: Report, model: DerivedModel, pack: ModelPack, runs: RunSpec[], source: string | undefined): string {
  const notes: string[] = [];
  const specs = [...pack.referenceRuns, ...runs];
  if (pack.referenceRuns.length === 0) notes.push(`Model ${pack.name} has no reference runs; add them to its pack.json (referenceRuns) or give --run.`);
  const view = { series: pack.series, gfsSharpness: pack.roles.gfsSharpness?.quantity };
  const series = specs.map((s) => runSeries(model, s, 1000, view));
  const html = buildHtml(report, series, { source, notes, title: pack.title, panels: pack.panels, gfsName: pack.roles.gfsSharpness?.quantity });
  writeAtomic(path, html);
  return `wrote ${path} (${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB; ${report.outcomes.length} lemmas, runs ${specs.map((s) => s.name).join(', ') || 'none'})`;
}

/** A pack's lemma files, as paths relative to the working directory where they lie below it. */
function packLemmaFiles(pack: ModelPack): string[] {
  if (!pack.lemmaDir) throw new UsageError(`model ${pack.name} has no lemma catalogue: give lemma files`);
  return lemmaFiles(pack.lemmaDir).map((f) => {
    const r = relative('.', f);
    return r.startsWith('..') ? f : r;
  });
}


/** Refuses code lemma files outside the package unless --allow-code: checked before anything is loaded. */
function requireAllowCode(files: string[], allowed: boolean): void {
  const code = allowed ? [] : foreignCode(files);
  if (code.length === 0) return;
  throw new UsageError(
    `${code.join(', ')}: ${code.length === 1 ? 'a lemma file that is' : 'lemma files that are'} code (TypeScript/JavaScript) outside the package's lemmas/ folder; loading one runs it with your rights, so pass --allow-code if you trust ${code.length === 1 ? 'it' : 'them'} (JSON and YAML lemma files are data and need no flag)`,
  );
}

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
  const model = report.model?.pack;
  const pack = packArgument(model);
  // The recorded absolute path first (a report copied anywhere on this machine), then the pack's
  // catalogue by file name (a report from another checkout), then ./lemmas as before the path was recorded.
  const recorded: string | null | undefined = o.lemma?.path;
  const candidates = [recorded, pack.lemmaDir ? join(pack.lemmaDir, o.file) : undefined, join('lemmas', o.file)].filter((f): f is string => typeof f === 'string');
  const file = candidates.find((f) => existsSync(f));
  if (file === undefined) throw new UsageError(`--replay: lemma file ${o.file} not found (looked at ${candidates.join(', ')})`);
  const want: string | null | undefined = o.lemma?.fileHash;
  if (typeof want === 'string') {
    const have = createHash('sha256').update(readFileSync(file)).digest('hex');
    if (have !== want)
      throw new UsageError(`--replay: ${file} is not the lemma file the report checked: its sha256 is ${have}, the report recorded ${want} for ${id} (the file changed since; re-run verify on it instead)`);
  }
  return { replayFile: file, id, seed: String(report.seed), budget: String(report.budget), path: o.counterexample.path, ...(model ? { model } : {}) };
}

type RunDefaults = { budget: number; out?: string; jobs?: number };

/** A verify or report run with its arguments read, its lemma files found and its model derived, before verifying. */
interface PreparedRun {
  values: Record<string, any>;
  defaults: RunDefaults;
  pack: ModelPack;
  model: DerivedModel;
  modelArg: string | undefined;
  files: string[];
  seed: number;
  runs: number | undefined;
  budget: number;
  arith: Arithmetic;
  jobs: number;
  runSpecs: ReturnType<typeof parseRunSpec>[];
}

async function run(argv: string[], out: (s: string) => void, err: (s: string) => void, defaults: RunDefaults): Promise<number> {
  const p = await prepareRun(argv, out, err, defaults);
  return typeof p === 'number' ? p : runPrepared(p, out, err);
}

async function runPrepared(p: PreparedRun, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, files, model, jobs } = p;
  const interrupt = interruptOnSigint();
  if (!values.json) err(verifyingLine(p));
  let done = 0;
  let outcomes: Outcome[];
  const progress = new VerifyProgressLine(process.stderr);
  try {
    outcomes = await verifyFiles(
      model,
      files,
      { ...verifyOptions(p), jobs, signal: interrupt.signal, onProgress: (q) => progress.update(q) },
      (o) => {
        done++;
        if (!values.json) progress.above(() => err(outcomeLine(o)));
      },
    );
  } catch (e) {
    if (e instanceof InterruptedError) {
      progress.end();
      err(`interrupted by Ctrl-C after ${done} lemmas; no report was written`);
      return 130;
    }
    throw e;
  } finally {
    progress.end();
    interrupt.dispose();
  }
  return finishRun(p, outcomes, out, err);
}

/** What the verification of a prepared run is given, besides its threads, its signal and its progress. */
function verifyOptions(p: PreparedRun) {
  const { values, seed, runs, budget, arith, modelArg } = p;
  return { seed, runs, budget, arith, exactAll: values['exact-all'], path: values.path, only: values.id, modelArg };
}

function verifyingLine(p: PreparedRun): string {
  const n = p.files.length;
  return `verifying ${n} lemma file${n === 1 ? '' : 's'}, seed ${p.seed}, budget ${p.budget}${p.jobs > 1 ? `, ${p.jobs} worker threads` : ''} (Ctrl-C stops without writing a report)`;
}

function outcomeLine(o: Outcome): string {
  return `  ${o.kind.padEnd(9)} ${o.id} (${(o.timeMs / 1000).toFixed(1)} s)`;
}

/** The report of a verified run: written to its file, its table (or JSON) to `out`; the exit code. */
function finishRun(p: PreparedRun, outcomes: Outcome[], out: (s: string) => void, err: (s: string) => void): number {
  const { values, defaults, pack, model, modelArg, seed, budget, arith, runSpecs } = p;
  const report = makeReport(outcomes, pack, model, seed, budget, arith, !!values['exact-all']);
  const json = reportJson(report);
  // Each pack's full report has its own default file, so one pack's report never overwrites another's.
  const target = values.out ?? (defaults.out && modelArg ? defaults.out.replace(/\.json$/, `-${pack.name}.json`) : defaults.out);
  if (target) writeAtomic(target, json);
  out(values.json ? json.trimEnd() : formatTable(report, { wide: values.wide === true }));
  if (values.html !== undefined) err(writeHtmlReport(values.html, report, model, pack, runSpecs, target ? `verified in this run; JSON in ${target}` : 'verified in this run'));
  return outcomes.every((o) => o.asExpected) ? 0 : 1;
}

/** run() up to verifying: a number where the command is done (merge, --from, a shard), else the prepared run. */
async function prepareRun(argv: string[], out: (s: string) => void, err: (s: string) => void, defaults: RunDefaults): Promise<number | PreparedRun> {
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
      html: { type: 'string' },
      from: { type: 'string' },
      run: { type: 'string', multiple: true },
      jobs: { type: 'string' },
      shard: { type: 'string' },
      wide: { type: 'boolean' },
      'allow-code': { type: 'boolean' },
    },
    true,
  );
  if (positionals[0] === 'merge' && defaults.out !== undefined) return mergeCommand(positionals.slice(1), values, out, err);
  if (values.html === '') throw new UsageError('--html expects a file name');
  if (values.html === undefined && (values.from !== undefined || values.run !== undefined)) throw new UsageError(`--${values.from !== undefined ? 'from' : 'run'} only makes sense with --html page.html`);
  if (values.from !== undefined) {
    const extra = ['replay', 'seed', 'runs', 'budget', 'arith', 'exact-all', 'path', 'json', 'out', 'id', 'jobs'].filter((k) => values[k] !== undefined);
    if (positionals.length > 0 || extra.length > 0)
      throw new UsageError(`--from rebuilds the page from a report without verifying: it takes no lemma files${extra.length ? ` and no --${extra.join(', --')}` : ''}`);
    const report = readReport(values.from);
    const pack = packArgument(values.model ?? report.model.pack);
    const model = deriveModel(pack.spec);
    if (model.hash !== report.model.hash) throw new UsageError(`--from ${values.from}: the report is of model ${report.model.name} (hash ${report.model.hash}), not of ${pack.name} (hash ${model.hash}); give its --model`);
    const runs = (values.run ?? []).map((t: string, i: number) => parseRunSpec(t, i, model));
    out(writeHtmlReport(values.html, report, model, pack, runs, `${values.from} (page rebuilt from the JSON report; not re-verified)`));
    return 0;
  }
  if (values.replay !== undefined) Object.assign(values, replayArgs(values.replay, positionals));
  const seed = intArg('seed', values.seed, DEFAULT_SEED, 0, 2 ** 31 - 1);
  const runs = values.runs === undefined ? undefined : intArg('runs', values.runs, 1, 1, 1_000_000);
  // Lemmas can be spread over worker threads (the outcomes do not depend on it). A worker costs a few
  // seconds to start (tsx, mathjs, the derivation), so only the whole-catalogue report uses one per core by default.
  const jobs = intArg('jobs', values.jobs, defaults.jobs ?? 1, 1, 64);
  const budget = values.budget === undefined ? defaults.budget : numberArg('budget', values.budget)!;
  if (!(budget > 0) || budget > 1000) throw new UsageError(`--budget must be in (0, 1000], got ${values.budget}`);
  const arith = (values.arith ?? 'extended') as Arithmetic;
  if (arith !== 'extended' && arith !== 'float64') throw new UsageError(`--arith must be extended or float64, got "${values.arith}"`);
  if (values.path !== undefined && !/^\d+(:\d+)*$/.test(values.path)) throw new UsageError(`--path expects a fast-check path like 12:0:3, got "${values.path}"`);
  const pack = packArgument(values.model);
  const files = values.replayFile ? [values.replayFile] : positionals.length > 0 ? positionals : packLemmaFiles(pack);
  for (const f of files) if (!existsSync(f)) throw new UsageError(`no such lemma file: ${f}`);
  requireAllowCode(files, values['allow-code'] === true);
  const spec = pack.spec;
  const model = deriveModel(spec);
  const modelArg = packArg(pack);
  // Parsed before verifying, so a typo in --run fails in a second, not after the whole catalogue.
  const runSpecs = (values.run ?? []).map((t: string, i: number) => parseRunSpec(t, i, model));
  if (values.shard !== undefined) {
    const shard = parseShardArg(values.shard);
    const bad = ['path', 'replay', 'html', 'json'].filter((k) => values[k] !== undefined);
    if (bad.length > 0) throw new UsageError(`--shard runs part of a report: it takes no --${bad.join(', --')}`);
    if (values.out === undefined) throw new UsageError('--shard needs --out shard-k.json (merge the shards with eos-check report merge)');
    const interrupt = interruptOnSigint();
    try {
      const file = await runShard(model, files, shard, { seed, runs, budget, arith, exactAll: values['exact-all'], only: values.id, modelArg, signal: interrupt.signal }, (done, total) => {
        if (process.stderr.isTTY && !process.env.CI) process.stderr.write(`\r  shard ${shard.k}/${shard.n}: ${done}/${total} units`);
      });
      writeAtomic(values.out, JSON.stringify(file) + '\n');
      out(`shard ${shard.k}/${shard.n}: ${file.units.length} of ${file.lemmas.reduce((a, l) => a + l.units, 0)} units; wrote ${values.out}`);
      return 0;
    } catch (e) {
      if (e instanceof InterruptedError) {
        err('interrupted by Ctrl-C; no shard file was written');
        return 130;
      }
      throw e;
    } finally {
      interrupt.dispose();
    }
  }
  return { values, defaults, pack, model, modelArg, files, seed, runs, budget, arith, jobs, runSpecs };
}

/** The report of a run (or of merged shards): one construction, so both give the same bytes. */
export function makeReport(outcomes: Outcome[], pack: ModelPack, model: DerivedModel, seed: number, budget: number, arith: string, exactAll: boolean): Report {
  const spec = pack.spec;
  const ref = packRef(pack);
  return {
    tool: { name: 'eos-check', version: VERSION },
    model: { name: spec.name, hash: model.hash, loss: spec.loss, source: spec.source, dynamics: dynamicsText(spec), ...(ref !== undefined ? { pack: ref } : {}) },
    seed,
    budget,
    arithmetic: `trajectories in ${arith === 'extended' ? 'extended-exponent float64 (unbounded exponent)' : 'IEEE float64'}; claims decided ${exactAll ? 'exactly at every iterate' : 'by outward-rounded interval enclosures, and exactly wherever they do not separate'} (rational arithmetic, certified eigenvalue enclosures, Sylvester's criterion for S)`,
    outcomes,
    totals: totals(outcomes),
  };
}

function parseShardArg(text: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!(n >= 1 && k >= 1 && k <= n && Number.isSafeInteger(n))) throw new UsageError(`--shard expects k/n with 1 <= k <= n (e.g. 2/8), got "${text}"`);
  return { k, n };
}

/** eos-check report merge a.json b.json ...: the outcomes of the unsharded run, from its shards. */
async function mergeCommand(paths: string[], values: Record<string, any>, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (paths.length === 0) throw new UsageError('merge needs shard files: eos-check report merge shard-1.json ... --out report.json');
  const shards = paths.map((p) => {
    try {
      return JSON.parse(readFileSync(p, 'utf8')) as ShardFile;
    } catch (e) {
      throw new UsageError(`${p}: ${(e as Error).message.split('\n')[0]}`);
    }
  });
  const pack = packArgument(values.model);
  const model = deriveModel(pack.spec);
  const files = shards[0]!.files ?? [];
  for (const f of files) if (!existsSync(f)) throw new UsageError(`merge: the shards ran ${f}, which is not here (run merge where the shards ran)`);
  requireAllowCode(files, values['allow-code'] === true);
  let merged;
  try {
    merged = await mergeShards(model, files, shards);
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(`merge: ${e.message}`);
    throw e;
  }
  const report = makeReport(merged.outcomes, pack, model, merged.seed, merged.budget, merged.arith, merged.exactAll);
  const json = reportJson(report);
  if (values.out) writeAtomic(values.out, json);
  out(values.json ? json.trimEnd() : formatTable(report, { wide: values.wide === true }));
  if (values.out) err(`merged ${paths.length} shard files; wrote ${values.out}`);
  return merged.outcomes.every((o) => o.asExpected) ? 0 : 1;
}

/** Progress and notices go to `err` (stderr in the bin), the table or JSON to `out`. */
export function verifyCommand(argv: string[], out: (s: string) => void, err: (s: string) => void = (s) => console.error(s)): Promise<number> {
  return everyPack(argv, out, err, { budget: 1 });
}

export function reportCommand(argv: string[], out: (s: string) => void, err: (s: string) => void = (s) => console.error(s)): Promise<number> {
  return everyPack(argv, out, err, { budget: 3, out: 'reports/verification-full.json', jobs: availableParallelism() });
}

/**
 * `--model all`: the catalogue of every registered pack (the default pack first), each with its own table and report
 * file; the exit code is 0 only if every lemma of every pack came out as expected. With more than one job the packs
 * share one pool of threads (check/verify-pool.ts, verifyCatalogues), so a pack's last lemmas overlap the next pack's
 * first; each pack's lines and table are printed, in pack order, once it is done.
 */
async function everyPack(argv: string[], out: (s: string) => void, err: (s: string) => void, defaults: RunDefaults): Promise<number> {
  if (modelFromArgv(argv) !== 'all') return run(argv, out, err, defaults);
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--model') i++;
    else if (!argv[i]!.startsWith('--model=')) rest.push(argv[i]!);
  }
  const bad = ['--out', '--replay', '--from', '--id', '--path', '--shard'].filter((f) => rest.some((a) => a === f || a.startsWith(`${f}=`)));
  if (bad.length > 0 || rest.some((a) => !a.startsWith('-') && existsSync(a))) throw new UsageError(`--model all runs each pack's own catalogue to its own report file: it takes no lemma files${bad.length ? ` and no ${bad.join(', ')}` : ''}`);
  const names = [DEFAULT_PACK, ...packNames().filter((n) => n !== DEFAULT_PACK)];
  const header = (k: number) => out(`${k === 0 ? '' : '\n'}== model pack ${names[k]} ==`);
  const prepared: PreparedRun[] = [];
  for (const [k, name] of names.entries()) {
    const p = await prepareRun(name === DEFAULT_PACK ? rest : [...rest, '--model', name], out, err, defaults);
    if (typeof p === 'number') {
      header(k);
      return p;
    }
    prepared.push(p);
  }
  let code = 0;
  if (prepared.every((p) => p.jobs <= 1)) {
    for (const [k, p] of prepared.entries()) {
      header(k);
      const c = await runPrepared(p, out, err);
      if (c === 130) return c;
      code = Math.max(code, c);
    }
    return code;
  }
  const jobs = Math.max(...prepared.map((p) => p.jobs));
  const state = prepared.map(() => ({ lines: [] as string[], got: new Map<number, Outcome>(), progress: null as VerifyProgress | null }));
  const interrupt = interruptOnSigint();
  const progress = new VerifyProgressLine(process.stderr);
  let next = 0;
  // Each pack's section once it and every pack before it are done.
  const flush = () => {
    for (let st = state[next]; st && st.progress !== null && st.got.size === st.progress.lemmas; st = state[++next]) {
      const p = prepared[next]!;
      const outcomes = [...st.got.entries()].sort((a, b) => a[0] - b[0]).map(([, o]) => o);
      const k = next;
      progress.above(() => {
        header(k);
        if (!p.values.json) for (const line of [verifyingLine(p), ...st!.lines]) err(line);
        code = Math.max(code, finishRun(p, outcomes, out, err));
      });
    }
  };
  const total = (): VerifyProgress => {
    const sum: VerifyProgress = { lemmas: 0, lemmasDone: 0, units: 0, unitsDone: 0, iterates: 0 };
    for (const st of state) if (st.progress) for (const f of Object.keys(sum) as (keyof VerifyProgress)[]) sum[f] += st.progress[f];
    return sum;
  };
  try {
    await verifyCatalogueRuns(
      prepared.map((p, k) => ({
        model: p.model,
        files: p.files,
        opts: {
          ...verifyOptions(p),
          signal: interrupt.signal,
          onProgress: (q: VerifyProgress) => {
            state[k]!.progress = q;
            progress.update(total());
            flush();
          },
        },
        onOutcome: (o: Outcome, index: number) => {
          state[k]!.got.set(index, o);
          state[k]!.lines.push(outcomeLine(o));
          flush();
        },
      })),
      jobs,
      interrupt.signal,
    );
  } catch (e) {
    if (e instanceof InterruptedError) {
      progress.end();
      err(`interrupted by Ctrl-C; ${next === 0 ? 'no report was written' : `reports were written for ${names.slice(0, next).join(', ')} only`}`);
      return 130;
    }
    throw e;
  } finally {
    progress.end();
    interrupt.dispose();
  }
  flush();
  return code;
}

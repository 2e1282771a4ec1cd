import { helpFor } from './help.js';
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { ModelSpec } from '../model/spec.js';
import { givenHypers, hyperOptions, modelFromArgv, packArgument } from './model-arg.js';
import { modelHash } from '../symbolic/derive.js';
import type { Arithmetic } from '../dynamics/gd.js';
import { DIVERGED_LOG10 } from '../dynamics/gd.js';
import { CLASSES, DEFAULT_CATAPULT, DEFAULT_TOL } from '../sweep/classify.js';
import {
  axisLabel,
  cellCount,
  GridError,
  MAX_CELLS_PER_SHARD,
  MAX_STEPS,
  parseAxis,
  parseShard,
  shardSize,
  specHash,
  type Shard,
  type SweepSpec,
} from '../sweep/grid.js';
import { formatOf, makeMeta, MergeAborted, mergeShards, SweepWriter } from '../sweep/output.js';
import { runSweep, SweepAborted, type WorkerStats } from '../sweep/run.js';
import { charMap, classCounts, CHAR_MAP_MAX, NO_CELL, PhaseMap } from '../sweep/summary.js';
import { MAX_SVG_CELLS, phaseSvg } from '../sweep/svg.js';
import { ProgressBar } from '../sweep/progress.js';
import { numberArg, parse, UsageError } from './args.js';

/** A bad grid, shard or file is bad input: one line and exit code 2 (main.ts), like any UsageError. */
function asUsage(e: unknown): unknown {
  return e instanceof GridError ? new UsageError(e.message) : e;
}

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asUsage(e);
  }
}

function checkWritable(flag: string, path: string): void {
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--${flag} ${path}: directory ${dir} does not exist`);
}

/** Writes text to path through path.tmp, so a reader never sees half a figure. */
function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** The sweep's own options: a hyperparameter of the same name is given as --hyper NAME=V. */
const SWEEP_OPTIONS = new Set(['x', 'y', 'init', 'steps', 'arith', 'tol', 'catapult', 'workers', 'shard', 'out', 'svg', 'help', 'model', 'hyper']);

/**
 * The grid from the command line, every value checked before any worker starts. A hyperparameter not swept
 * and not given takes the pack's default (`defaults.hyper`), and without --init the start is the pack's
 * `defaults.init` with the swept parameters left free, as in `trajectory`.
 */
export function sweepSpec(
  values: Record<string, any>,
  model: ModelSpec,
  defaultSteps = 6000,
  defaults: { hyper?: Record<string, number>; init?: readonly number[] } = {},
): SweepSpec {
  // A hyperparameter is given as --NAME, or as --hyper NAME=V (needed when NAME is an option of sweep, like y).
  const given = givenHypers(values, model, SWEEP_OPTIONS);
  const names = [...model.hypers, ...model.params];
  if (values.x === undefined || values.y === undefined) throw new UsageError('--x and --y are required (NAME=MIN:MAX:N[:log])');
  const x = usage(() => parseAxis('x', values.x!, names));
  const y = usage(() => parseAxis('y', values.y!, names));
  if (x.name === y.name) throw new UsageError(`--x and --y both sweep ${x.name}`);
  const swept = (n: string) => (x.name === n ? 'x' : y.name === n ? 'y' : undefined);

  const hyper: Record<string, number> = {};
  for (const h of model.hypers) {
    const axis = swept(h);
    if (axis) {
      if (given.has(h)) throw new UsageError(`--${h} is swept by --${axis}: drop --${h}`);
      continue;
    }
    const dflt = defaults.hyper?.[h];
    if (!given.has(h) && dflt === undefined) throw new UsageError(`--${h} is required (or sweep it with --x/--y)${SWEEP_OPTIONS.has(h) ? `; give it as --hyper ${h}=V` : ''}`);
    hyper[h] = given.has(h) ? numberArg(h, given.get(h))! : dflt!;
  }
  if (hyper.eta !== undefined && !(hyper.eta > 0)) throw new UsageError(`--eta must be > 0, got ${hyper.eta}`);

  if (values.init === undefined && !defaults.init) throw new UsageError(`--init is required (${model.params.join(',')}, with _ for a swept value)`);
  // The pack's default start, with _ where a parameter is swept.
  const initText = values.init ?? defaults.init!.map((v, i) => (swept(model.params[i]!) ? '_' : String(v))).join(',');
  const parts: string[] = String(initText).split(',');
  if (parts.length !== model.params.length) throw new UsageError(`--init expects ${model.params.length} comma-separated values, got ${parts.length}`);
  const init = parts.map((p: string, i: number) => {
    const name = model.params[i]!;
    const axis = swept(name);
    if (axis) {
      if (p.trim() !== '_') throw new UsageError(`--init: ${name} is swept by --${axis}, write _ in its place (got "${p}")`);
      return null;
    }
    if (p.trim() === '_') throw new UsageError(`--init: ${name} is not swept, it needs a number`);
    return numberArg(`init[${i}]`, p)!;
  });

  let steps = defaultSteps;
  if (values.steps !== undefined) {
    if (!/^\d+$/.test(values.steps.trim())) throw new UsageError(`--steps expects a whole number, got "${values.steps}"`);
    steps = Number(values.steps);
    if (steps > MAX_STEPS) throw new UsageError(`--steps ${values.steps} is above the limit of ${MAX_STEPS} steps per cell`);
  }
  const arith = (values.arith ?? 'extended') as Arithmetic;
  if (arith !== 'extended' && arith !== 'float64') throw new UsageError(`--arith must be extended or float64, got "${values.arith}"`);
  const tol = numberArg('tol', values.tol, false) ?? DEFAULT_TOL;
  if (!(tol > 0 && tol <= 1)) throw new UsageError(`--tol must be in (0, 1], got ${tol}`);
  const catapult = numberArg('catapult', values.catapult, false) ?? DEFAULT_CATAPULT;
  if (!(catapult >= 1)) throw new UsageError(`--catapult must be >= 1, got ${catapult}`);

  return { model: { name: model.name, hash: modelHash(model), params: model.params, hypers: model.hypers }, x, y, hyper, init, steps, arith, tol, catapult };
}

function describe(spec: SweepSpec, shard: Shard, cells: number): string {
  const fixed = Object.entries(spec.hyper).map(([k, v]) => `${k}=${v}`);
  const start = `(${spec.model.params.join(', ')}) = (${spec.init.map((v) => (v === null ? '_' : v)).join(', ')})`;
  return [
    `eos-check sweep: ${spec.x.name} x ${spec.y.name}, ${spec.x.count} x ${spec.y.count} = ${cellCount(spec)} cells` +
      (shard.n > 1 ? ` (shard ${shard.k}/${shard.n}: ${cells} cells)` : ''),
    `  x: ${axisLabel(spec.x)}   y: ${axisLabel(spec.y)}`,
    `  ${fixed.join(' ')}  start ${start}  steps ${spec.steps}  ${spec.arith === 'extended' ? 'extended-exponent arithmetic' : 'IEEE float64 arithmetic'}  grid ${specHash(spec)}`,
    `  converged: L_T <= ${spec.tol} L_0; catapult: max L_t > ${spec.catapult} L_0`,
  ].join('\n');
}

function marginRange(m: PhaseMap): string {
  if (!m.cls) return '';
  const div = CLASSES.indexOf('divergence');
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < m.cls.length; k++) {
    const v = m.margin![k]!;
    if (m.cls[k] !== NO_CELL && m.cls[k] !== div && Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo <= hi ? `max eta*S - 2 over the cells that did not diverge: ${lo.toPrecision(4)} .. ${hi.toPrecision(4)}` : '';
}

function report(out: (s: string) => void, spec: SweepSpec, shard: Shard, m: PhaseMap, extra: string[]): void {
  out(describe(spec, shard, m.rows));
  out(classCounts(m));
  const r = marginRange(m);
  if (r) out(r);
  const map = charMap(m);
  if (map) out(map);
  for (const e of extra) out(e);
}

function keepCells(spec: SweepSpec, svg: string | undefined): boolean {
  return svg !== undefined || (spec.x.count <= CHAR_MAP_MAX && spec.y.count <= CHAR_MAP_MAX);
}

function svgInfo(spec: SweepSpec) {
  const fixed = Object.entries(spec.hyper).map(([k, v]) => `${k} = ${v}`);
  return {
    title: `Phase diagram: ${spec.x.name} x ${spec.y.name}, ${spec.steps} GD steps per cell`,
    subtitle: `${fixed.join(', ')}; start (${spec.model.params.join(', ')}) = (${spec.init.map((v) => (v === null ? '*' : v)).join(', ')}); ${spec.arith === 'extended' ? 'extended-exponent' : 'float64'} arithmetic; converged: L_T <= ${spec.tol} L_0; catapult: max L_t > ${spec.catapult} L_0; grid ${specHash(spec)}`,
  };
}

function workerLine(stats: WorkerStats[], wallMs: number, done: number): string {
  const per = stats.map((s, i) => `#${i + 1} ${s.cells} cells ${(s.busyMs / 1000).toFixed(1)} s busy`).join(', ');
  return `workers ${stats.length}: ${per}; wall ${(wallMs / 1000).toFixed(1)} s (${((1000 * done) / Math.max(1, wallMs)).toFixed(1)} cells/s)`;
}

async function mergeCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, { out: { type: 'string' }, svg: { type: 'string' } }, true);
  if (positionals.length === 0) throw new UsageError('merge needs shard files: eos-check sweep merge a.json b.json ... --out all.csv');
  if (values.out === undefined) throw new UsageError('merge needs --out all.csv|all.json');
  usage(() => formatOf(values.out));
  checkWritable('out', values.out);
  if (values.svg !== undefined) checkWritable('svg', values.svg);
  let map: PhaseMap | undefined;
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.on('SIGINT', onSigint);
  let meta;
  try {
    meta = await mergeShards(positionals, values.out, {
      signal: ac.signal,
      onStart: (m) => {
        if (values.svg !== undefined && cellCount(m.spec) > MAX_SVG_CELLS)
          throw new GridError(`--svg: the grid has ${cellCount(m.spec)} cells, above the figure's limit of ${MAX_SVG_CELLS}`);
        map = new PhaseMap(m.spec, keepCells(m.spec, values.svg));
      },
      onRow: (r) => map!.add(r),
    });
  } catch (e) {
    if (e instanceof MergeAborted) {
      process.stderr.write(`eos-check sweep merge: interrupted after ${e.done} of ${e.total} cells; ${values.out}.tmp removed, ${values.out} not written\n`);
      return 130;
    }
    throw asUsage(e);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  if (values.svg !== undefined) writeAtomic(values.svg, phaseSvg(map!, svgInfo(meta.spec)));
  report(out, meta.spec, { k: 1, n: 1 }, map!, [`merged ${positionals.length} shard files; wrote ${values.out}${values.svg ? `, ${values.svg}` : ''}`]);
  return 0;
}

export async function sweepCommand(argv: string[], out: (s: string) => void): Promise<number> {
  if (argv[0] === 'merge') return mergeCommand(argv.slice(1), out);
  const pack = packArgument(modelFromArgv(argv));
  const { values } = parse(argv, {
    ...hyperOptions(pack.spec, SWEEP_OPTIONS),
    model: { type: 'string' },
    x: { type: 'string' },
    y: { type: 'string' },
    init: { type: 'string' },
    steps: { type: 'string' },
    arith: { type: 'string' },
    tol: { type: 'string' },
    catapult: { type: 'string' },
    workers: { type: 'string' },
    shard: { type: 'string' },
    out: { type: 'string' },
    svg: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(helpFor('sweep')!);
    return 0;
  }
  const spec = sweepSpec(values, pack.spec, pack.defaults.steps, pack.defaults);
  let workers = availableParallelism();
  if (values.workers !== undefined) {
    if (!/^\d+$/.test(values.workers.trim())) throw new UsageError(`--workers expects a whole number >= 1, got "${values.workers}"`);
    workers = Number(values.workers);
    if (workers < 1 || workers > 1024) throw new UsageError(`--workers must be between 1 and 1024, got ${workers}`);
  }
  const shard = values.shard === undefined ? { k: 1, n: 1 } : usage(() => parseShard(values.shard!));
  const cells = shardSize(cellCount(spec), shard);
  if (cells > MAX_CELLS_PER_SHARD)
    throw new UsageError(`${cells} cells in one run is above the limit of ${MAX_CELLS_PER_SHARD}: split the grid with --shard k/n (n >= ${Math.ceil(cellCount(spec) / MAX_CELLS_PER_SHARD)})`);
  if (values.out !== undefined) {
    usage(() => formatOf(values.out!));
    checkWritable('out', values.out);
  }
  if (values.svg !== undefined) {
    if (cellCount(spec) > MAX_SVG_CELLS) throw new UsageError(`--svg: the grid has ${cellCount(spec)} cells, above the figure's limit of ${MAX_SVG_CELLS}`);
    checkWritable('svg', values.svg);
  }

  const writer = values.out === undefined ? undefined : new SweepWriter(values.out, makeMeta(spec, shard, cells));
  const map = new PhaseMap(spec, keepCells(spec, values.svg));
  const bar = new ProgressBar(process.stderr, cells, 'sweep');
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.on('SIGINT', onSigint);
  const t0 = performance.now();
  bar.update(0);
  let stats: WorkerStats[];
  try {
    stats = await runSweep(spec, pack.spec, shard, {
      workers,
      signal: ac.signal,
      onRow: (row) => {
        writer?.write(row);
        map.add(row);
      },
      onProgress: (done) => bar.update(done),
    });
    bar.end();
    writer?.commit();
  } catch (e) {
    bar.end();
    writer?.discard();
    if (e instanceof SweepAborted) {
      process.stderr.write(`eos-check sweep: interrupted after ${e.done} of ${e.total} cells; workers stopped${writer ? `, ${writer.tmp} removed, ${values.out} not written` : ''}\n`);
      return 130;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  const wall = performance.now() - t0;
  if (values.svg !== undefined) writeAtomic(values.svg, phaseSvg(map, svgInfo(spec)));
  const wrote = [values.out, values.svg].filter((f) => f !== undefined);
  report(out, spec, shard, map, [workerLine(stats, wall, cells), ...(wrote.length ? [`wrote ${wrote.join(', ')}`] : [])]);
  return 0;
}

import { closeSync, createReadStream, openSync, renameSync, unlinkSync, writeSync, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CLASSES, type CellClass } from './classify.js';
import type { Row } from './cell.js';
import { cellCount, GridError, specHash, type Shard, type SweepSpec } from './grid.js';

/**
 * Sweep files, CSV or JSON by extension, written one row at a time (constant memory) to `<out>.tmp`
 * and renamed into place only when complete, so an interrupted run never leaves a half-written file.
 *
 * Both formats carry the grid (spec, spec hash, shard) so shards can be merged and checked:
 *   CSV   line 1 `# eos-check-sweep {meta}`, line 2 the header, then one row per line
 *         (pandas: read_csv(path, comment='#')).
 *   JSON  `{"meta":{...},"rows":[` on line 1, one row object per line, `]}` on the last line: valid
 *         JSON as a whole, and readable line by line without holding the file.
 * A number that is not finite (say log10 of a loss that is exactly 0) is written as null / an empty field.
 */
export const FORMAT = 'eos-check-sweep';
/**
 * Version 2 (this one): the column `converged`, and the class order divergence, catapult, eos,
 * not-converged, stable (classify.ts). Version 1 files (not-converged before catapult and eos, no
 * `converged` column) are refused by name: their classes mean something else, so they cannot be merged
 * with version 2 shards.
 */
export const FORMAT_VERSION = 2;

export interface Meta {
  format: typeof FORMAT;
  version: typeof FORMAT_VERSION;
  specHash: string;
  spec: SweepSpec;
  shard: Shard;
  /** Rows in this file. */
  cells: number;
}

type Kind = 'int' | 'int?' | 'num' | 'class' | 'bool';
interface Column {
  name: string;
  kind: Kind;
  key: keyof Row;
}

export function columns(spec: SweepSpec): Column[] {
  return [
    { name: 'cell', kind: 'int', key: 'cell' },
    { name: 'ix', kind: 'int', key: 'ix' },
    { name: 'iy', kind: 'int', key: 'iy' },
    { name: spec.x.name, kind: 'num', key: 'x' },
    { name: spec.y.name, kind: 'num', key: 'y' },
    { name: 'class', kind: 'class', key: 'class' },
    { name: 'converged', kind: 'bool', key: 'converged' },
    { name: 'max_etaS_minus_2', kind: 'num', key: 'maxEtaSMinus2' },
    { name: 'argmax_etaS', kind: 'int', key: 'argmaxEtaS' },
    { name: 'final_etaS', kind: 'num', key: 'finalEtaS' },
    { name: 'final_loss', kind: 'num', key: 'finalLoss' },
    { name: 'log10_final_loss', kind: 'num', key: 'log10FinalLoss' },
    { name: 'log10_max_loss_ratio', kind: 'num', key: 'log10MaxLossRatio' },
    { name: 'loss_increases', kind: 'int', key: 'lossIncreases' },
    { name: 'steps', kind: 'int', key: 'steps' },
    { name: 'diverged_at', kind: 'int?', key: 'divergedAt' },
    { name: 'underflow', kind: 'bool', key: 'underflow' },
  ];
}

export function makeMeta(spec: SweepSpec, shard: Shard, cells: number): Meta {
  return { format: FORMAT, version: FORMAT_VERSION, specHash: specHash(spec), spec, shard, cells };
}

export type FileFormat = 'csv' | 'json';

export function formatOf(path: string): FileFormat {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.json$/i.test(path)) return 'json';
  throw new GridError(`${path}: the file name must end in .csv or .json`);
}

/** The value as stored: finite numbers as numbers, everything else not finite as null. */
function cellValue(c: Column, row: Row): number | string | boolean | null {
  const v = row[c.key];
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return v as string | boolean | null;
}

const FLUSH_BYTES = 1 << 16;

export class SweepWriter {
  readonly tmp: string;
  private fd: number | undefined;
  private buf = '';
  private rows = 0;
  private readonly cols: Column[];
  private readonly fmt: FileFormat;

  constructor(
    readonly path: string,
    private readonly meta: Meta,
  ) {
    this.fmt = formatOf(path);
    this.cols = columns(meta.spec);
    this.tmp = `${path}.tmp`;
    this.fd = openSync(this.tmp, 'w');
    if (this.fmt === 'csv') this.buf = `# ${FORMAT} ${JSON.stringify(meta)}\n${this.cols.map((c) => c.name).join(',')}\n`;
    else this.buf = `{"meta":${JSON.stringify(meta)},"rows":[\n`;
  }

  write(row: Row): void {
    const vals = this.cols.map((c) => cellValue(c, row));
    if (this.fmt === 'csv') this.buf += vals.map((v) => (v === null ? '' : String(v))).join(',') + '\n';
    else {
      const o: Record<string, unknown> = {};
      this.cols.forEach((c, i) => (o[c.name] = vals[i]));
      this.buf += (this.rows === 0 ? '' : ',\n') + JSON.stringify(o);
    }
    this.rows++;
    if (this.buf.length >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.fd === undefined || this.buf === '') return;
    writeSync(this.fd, this.buf);
    this.buf = '';
  }

  /** Finish the file and move it into place. */
  commit(): void {
    if (this.rows !== this.meta.cells) throw new Error(`internal: ${this.rows} rows written, ${this.meta.cells} expected`);
    if (this.fmt === 'json') this.buf += (this.rows === 0 ? '' : '\n') + ']}\n';
    this.flush();
    closeSync(this.fd!);
    this.fd = undefined;
    renameSync(this.tmp, this.path);
  }

  /** Drop the partial file (interrupt or error). */
  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.buf = '';
    if (existsSync(this.tmp)) unlinkSync(this.tmp);
  }
}

function parseValue(c: Column, v: unknown, where: string): unknown {
  const bad = () => new GridError(`${where}: bad value ${JSON.stringify(v)} in column ${c.name}`);
  switch (c.kind) {
    case 'class':
      if (!CLASSES.includes(v as CellClass)) throw bad();
      return v;
    case 'bool':
      if (v === true || v === 'true') return true;
      if (v === false || v === 'false') return false;
      throw bad();
    case 'int?':
    case 'int': {
      if (c.kind === 'int?' && (v === null || v === '')) return null;
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isSafeInteger(n)) throw bad();
      return n;
    }
    case 'num': {
      if (v === null || v === '') return NaN;
      const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw bad();
      return n;
    }
  }
}

function rowFrom(cols: Column[], values: unknown[], where: string): Row {
  const r: Record<string, unknown> = {};
  cols.forEach((c, i) => (r[c.key] = parseValue(c, values[i], where)));
  return r as unknown as Row;
}

export class MergeAborted extends Error {
  constructor(readonly done: number, readonly total: number) {
    super(`merge interrupted after ${done} of ${total} cells`);
    this.name = 'MergeAborted';
  }
}

export interface ShardReader {
  path: string;
  meta: Meta;
  next(): Promise<Row | undefined>;
  close(): void;
}

/** Opens a sweep file written by SweepWriter and reads it row by row. */
export async function openShard(path: string): Promise<ShardReader> {
  const fmt = formatOf(path);
  if (!existsSync(path)) throw new GridError(`${path}: no such file`);
  const stream = createReadStream(path, { encoding: 'utf8' });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  const lines = rl[Symbol.asyncIterator]();
  let lineNo = 0;
  const nextLine = async () => {
    const r = await lines.next();
    lineNo++;
    return r.done ? undefined : r.value;
  };
  const notOurs = (why: string) => new GridError(`${path}: not an eos-check sweep file (${why})`);

  const header = async (): Promise<Meta> => {
    let metaText: string;
    const first = await nextLine();
    if (first === undefined) throw notOurs('empty');
    if (fmt === 'csv') {
      if (!first.startsWith(`# ${FORMAT} `)) throw notOurs(`line 1 should start with "# ${FORMAT}"`);
      metaText = first.slice(FORMAT.length + 3);
    } else {
      if (!first.startsWith('{"meta":') || !first.endsWith(',"rows":[')) throw notOurs('line 1 should be {"meta":...,"rows":[');
      metaText = first.slice(8, -9);
    }
    let meta: Meta;
    try {
      meta = JSON.parse(metaText);
    } catch {
      throw notOurs('unreadable meta');
    }
    if (meta.format === FORMAT && typeof meta.version === 'number' && meta.version !== FORMAT_VERSION)
      throw new GridError(
        `${path}: sweep file format version ${meta.version}, this eos-check reads version ${FORMAT_VERSION}` +
          (meta.version < FORMAT_VERSION ? ' (classes decided in another order, no converged column): run the sweep again' : ': a newer eos-check wrote it'),
      );
    if (meta.format !== FORMAT || meta.version !== FORMAT_VERSION || typeof meta.specHash !== 'string' || !meta.spec || !meta.shard) throw notOurs('bad meta');
    if (specHash(meta.spec) !== meta.specHash) throw new GridError(`${path}: the grid does not match its recorded hash (edited?)`);
    const cols = columns(meta.spec);
    if (fmt === 'csv') {
      const names = await nextLine();
      if (names !== cols.map((c) => c.name).join(',')) throw notOurs('unexpected header');
    }
    return meta;
  };
  let meta: Meta;
  try {
    meta = await header();
  } catch (e) {
    rl.close();
    stream.destroy();
    throw e;
  }
  const cols = columns(meta.spec);
  let ended = false;
  return {
    path,
    meta,
    close: () => {
      rl.close();
      stream.destroy();
    },
    async next() {
      for (;;) {
        const line = await nextLine();
        const where = `${path} line ${lineNo}`;
        if (line === undefined) {
          if (fmt === 'json' && !ended) throw new GridError(`${path}: truncated (no closing "]}")`);
          return undefined;
        }
        if (ended) {
          if (line.trim() === '') continue;
          throw new GridError(`${where}: text after the end of the rows`);
        }
        if (fmt === 'csv') {
          if (line === '') continue;
          const f = line.split(',');
          if (f.length !== cols.length) throw new GridError(`${where}: ${f.length} fields, expected ${cols.length}`);
          return rowFrom(cols, f, where);
        }
        if (line === ']}') {
          ended = true;
          continue;
        }
        let o: Record<string, unknown>;
        try {
          o = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
        } catch {
          throw new GridError(`${where}: not a JSON row`);
        }
        return rowFrom(cols, cols.map((c) => o[c.name]), where);
      }
    },
  };
}

/**
 * Merges the shard files of one grid into `outPath`, checking that they share one grid (spec hash),
 * that every shard 1..n is there once, and that together they hold every cell exactly once. Shard k holds
 * the cells = k - 1 (mod n) in order (grid.ts), so the merge is a round-robin over the files: constant
 * memory, one row per file open at a time. The result is byte-identical to running the grid unsharded.
 */
export async function mergeShards(
  inputs: string[],
  outPath: string,
  hooks: { onStart?: (meta: Meta) => void; onRow?: (row: Row) => void; signal?: AbortSignal } = {},
): Promise<Meta> {
  if (inputs.length === 0) throw new GridError('merge needs at least one shard file');
  formatOf(outPath);
  const readers: ShardReader[] = [];
  let writer: SweepWriter | undefined;
  try {
    for (const p of inputs) readers.push(await openShard(p));
    const r0 = readers[0]!;
    const n = r0.meta.shard.n;
    const byK = new Array<ShardReader | undefined>(n).fill(undefined);
    for (const r of readers) {
      if (r.meta.specHash !== r0.meta.specHash)
        throw new GridError(`${r.path} and ${r0.path} come from different grids (spec hash ${r.meta.specHash} vs ${r0.meta.specHash})`);
      if (r.meta.shard.n !== n) throw new GridError(`${r.path} is a shard of ${r.meta.shard.n}, ${r0.path} of ${n}`);
      const k = r.meta.shard.k;
      if (byK[k - 1]) throw new GridError(`shard ${k}/${n} given twice: ${byK[k - 1]!.path} and ${r.path}`);
      byK[k - 1] = r;
    }
    const missing = byK.map((r, i) => (r ? 0 : i + 1)).filter((k) => k > 0);
    if (missing.length > 0) throw new GridError(`shard${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''} of ${n} missing`);
    const spec = r0.meta.spec;
    const total = cellCount(spec);
    const meta = makeMeta(spec, { k: 1, n: 1 }, total);
    hooks.onStart?.(meta);
    writer = new SweepWriter(outPath, meta);
    for (let i = 0; i < total; i++) {
      if (hooks.signal?.aborted) throw new MergeAborted(i, total);
      const r = byK[i % n]!;
      const row = await r.next();
      if (row === undefined) throw new GridError(`${r.path}: ends before cell ${i} (${r.meta.cells} rows expected)`);
      if (row.cell !== i) throw new GridError(`${r.path}: expected cell ${i}, found cell ${row.cell}`);
      writer.write(row);
      hooks.onRow?.(row);
    }
    for (const r of readers) if ((await r.next()) !== undefined) throw new GridError(`${r.path}: rows beyond the cells of shard ${r.meta.shard.k}/${n}`);
    writer.commit();
    writer = undefined;
    return meta;
  } finally {
    writer?.discard();
    for (const r of readers) r.close();
  }
}

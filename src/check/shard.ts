import { quantifierKind } from '../lemma/quantifiers/index.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { loadLemmas, type LoadedLemma } from '../lemma/load.js';
import type { Outcome } from './outcome.js';
import { assemble, base, errorOutcome, finishOutcome, InterruptedError, lemmaRuns, sampleContext, verifyLemma, type VerifyOptions } from './verify.js';
import { blockCount, foldBlocks, randomDraws, runBlock, type BlockResult } from './sample.js';
import { lemmaSeed } from './seeds.js';
import type { UnitPayload } from './verify-protocol.js';

/**
 * Sharding a verification over machines: the units of work are a lemma's blocks of draws
 * (sample.ts), or the whole lemma for identities and lemmas that failed to load. Units are numbered
 * in catalogue order and shard k of n takes those with index = k - 1 (mod n), so every shard gets
 * some of each lemma's draws. A shard file holds its units' results as data; `report merge` folds
 * them per lemma exactly as the unsharded run does, so the merged report has the same bytes.
 */
export interface Shard {
  k: number;
  n: number;
}

export type UnitResult = { lemma: string; unit: number } & UnitPayload;

export interface ShardFile {
  format: 'eos-check-shard/1';
  shard: Shard;
  /** The model the shard ran (merge refuses shards of another). */
  model: { name: string; hash: string };
  /** The lemma files as the shard was given them (merge loads them again). */
  files: string[];
  seed: number;
  /** --runs, when given (null: each lemma's own). */
  runs: number | null;
  budget: number;
  arith: string;
  exactAll: boolean;
  /**
   * Per lemma in catalogue order: its id, how many units it has, and the sha256 of its file (null:
   * the file did not load); merge refuses lemma files whose bytes changed since.
   */
  lemmas: { id: string; units: number; fileHash: string | null }[];
  units: UnitResult[];
}

type Unit = { lemma: LoadedLemma; key: string; index: number; block: number | null };

type ShardOptions = Omit<VerifyOptions, 'seed'> & { seed: number; only?: string };

function lemmaKey(l: LoadedLemma): string {
  return l.ok ? l.lemma.id : (l.id ?? `(${l.file})`);
}

/** Draws of a sampled lemma, 0 for a unit of one whole lemma (identities, load errors, and a replay of one path). */
function runsOf(l: LoadedLemma, opts: ShardOptions): number {
  if (!l.ok || quantifierKind(l.lemma.quantifier.kind)!.mode === 'prove' || opts.path !== undefined) return 0;
  return lemmaRuns(l.lemma, opts);
}

/** Every unit of the lemmas (those with id `only`, if given), numbered in catalogue order. */
function units(loaded: LoadedLemma[], opts: ShardOptions): Unit[] {
  const indices = loaded.flatMap((l, i) => (opts.only === undefined || (l.ok && l.lemma.id === opts.only) ? [i] : []));
  return lemmaUnits(loaded, indices, opts).map((u, index) => ({ lemma: loaded[u.index]!, key: lemmaKey(loaded[u.index]!), index, block: u.block }));
}

function lemmaOptions(l: Extract<LoadedLemma, { ok: true }>, opts: ShardOptions): VerifyOptions {
  return { ...opts, seed: lemmaSeed(opts.seed, l.lemma.id), reportSeed: opts.seed };
}

/** Run shard k/n of the lemma files: every unit of the shard, in order. */
export async function runShard(model: DerivedModel, files: string[], shard: Shard, opts: ShardOptions, onUnit?: (done: number, total: number) => void): Promise<ShardFile> {
  const loaded = await loadLemmas(files, model);
  const all = units(loaded, opts);
  const mine = all.filter((u) => u.index % shard.n === shard.k - 1);
  const results: UnitResult[] = [];
  const runner = new UnitRunner(model, opts);
  for (const u of mine) {
    if (opts.signal?.aborted) throw new InterruptedError();
    results.push({ lemma: u.key, unit: u.index, ...(await runner.run(u.lemma, u.block)) });
    onUnit?.(results.length, mine.length);
  }
  const counts = new Map<string, number>();
  const hashes = new Map<string, string | null>();
  for (const u of all) {
    counts.set(u.key, (counts.get(u.key) ?? 0) + 1);
    hashes.set(u.key, u.lemma.ok ? (u.lemma.lemma.fileHash ?? null) : null);
  }
  return {
    format: 'eos-check-shard/1',
    shard,
    model: { name: model.spec.name, hash: model.hash },
    files,
    seed: opts.seed,
    runs: opts.runs ?? null,
    budget: opts.budget ?? 1,
    arith: opts.arith ?? 'extended',
    exactAll: opts.exactAll ?? false,
    lemmas: [...counts].map(([id, n]) => ({ id, units: n, fileHash: hashes.get(id)! })),
    units: results,
  };
}

/** Runs units of work: a whole lemma, or one block of a sampled lemma (its draws generated once per lemma). */
export class UnitRunner {
  private readonly draws = new Map<CompiledLemmaLike, ReturnType<typeof randomDraws>>();
  constructor(
    private readonly model: DerivedModel,
    private readonly opts: ShardOptions,
  ) {}

  async run(l: LoadedLemma, block: number | null): Promise<UnitPayload> {
    if (!l.ok) return { kind: 'outcome', outcome: errorOutcome(l, this.opts.seed) };
    const vo = lemmaOptions(l, this.opts);
    if (block === null) return { kind: 'outcome', outcome: await verifyLemma(this.model, l.lemma, vo) };
    const ctx = sampleContext(this.model, l.lemma, vo);
    try {
      if (!this.draws.has(l.lemma)) this.draws.set(l.lemma, randomDraws(ctx));
      return { kind: 'block', block: (await runBlock(ctx, this.draws.get(l.lemma)!, block)).result };
    } catch (e) {
      if (e instanceof InterruptedError) throw e;
      return { kind: 'error', message: (e as Error).message };
    }
  }
}

type CompiledLemmaLike = Extract<LoadedLemma, { ok: true }>['lemma'];

/** Whether a lemma's outcome is settled by these units (in block order): all blocks, or all up to a violation or an error. */
export function unitsSettle(payloads: (UnitPayload | undefined)[]): boolean {
  for (const p of payloads) {
    if (p === undefined) return false;
    if (p.kind !== 'block' || p.block.failure) return true;
  }
  return true;
}

/** The lemma's outcome from its units in order: a whole-lemma outcome, or the fold of its blocks up to the first violation or error. */
export function outcomeFromUnits(l: Extract<LoadedLemma, { ok: true }>, payloads: UnitPayload[], opts: ShardOptions, model: DerivedModel): Outcome {
  const whole = payloads.find((u) => u.kind === 'outcome');
  if (whole && whole.kind === 'outcome') return whole.outcome;
  const vo = lemmaOptions(l, opts);
  const o = base(l.lemma, vo);
  const blocks: BlockResult[] = [];
  for (const u of payloads) {
    if (u.kind === 'error') {
      const detail = `${l.lemma.file} [${l.lemma.id}]: ${u.message}`;
      return finishOutcome({ ...o, kind: 'ERROR', established: 'none', detail, counterexample: null, certificate: null, error: { file: l.lemma.file, field: '(check)', message: u.message, problems: [{ field: '(check)', detail: u.message }] } }, performance.now());
    }
    if (u.kind === 'block') {
      blocks.push(u.block);
      if (u.block.failure) break;
    }
  }
  return finishOutcome(assemble(l.lemma, vo, o, foldBlocks(blocks), model), performance.now());
}

/** The units of the lemmas at `indices` of `loaded`, in order (exported for the worker pool). */
export function lemmaUnits(loaded: LoadedLemma[], indices: number[], opts: ShardOptions): { index: number; block: number | null }[] {
  const out: { index: number; block: number | null }[] = [];
  for (const i of indices) {
    const runs = runsOf(loaded[i]!, opts);
    if (runs === 0) out.push({ index: i, block: null });
    else for (let b = 0; b < blockCount(runs); b++) out.push({ index: i, block: b });
  }
  return out;
}

export class MergeError extends Error {}

/**
 * Merge shard files into the outcomes of the unsharded run. The lemma files are loaded again (the
 * outcome text comes from the lemma); they must be the files the shards ran.
 */
export async function mergeShards(model: DerivedModel, files: string[], shards: ShardFile[]): Promise<{ outcomes: Outcome[]; seed: number; budget: number; arith: string; exactAll: boolean }> {
  if (shards.length === 0) throw new MergeError('no shard files');
  const first = shards[0]!;
  for (const s of shards) {
    if (s.format !== 'eos-check-shard/1') throw new MergeError(`not an eos-check shard file (format ${JSON.stringify(s.format)})`);
    for (const k of ['seed', 'runs', 'budget', 'arith', 'exactAll'] as const)
      if (s[k] !== first[k]) throw new MergeError(`shards disagree on ${k}: ${JSON.stringify(first[k])} and ${JSON.stringify(s[k])}`);
    if (s.model?.hash !== first.model?.hash) throw new MergeError(`shards of different models: ${first.model?.name} and ${s.model?.name}`);
    if (s.model?.hash !== model.hash) throw new MergeError(`the shards ran model ${s.model?.name} (hash ${s.model?.hash}), merge was given ${model.spec.name} (hash ${model.hash}): pass the same --model`);
    if (s.shard.n !== first.shard.n) throw new MergeError(`shards of different splits: ${first.shard.k}/${first.shard.n} and ${s.shard.k}/${s.shard.n}`);
    if (JSON.stringify(s.lemmas) !== JSON.stringify(first.lemmas)) throw new MergeError(`shard ${s.shard.k}/${s.shard.n} was run on other lemmas than shard ${first.shard.k}/${first.shard.n}`);
  }
  const have = new Set(shards.map((s) => s.shard.k));
  const missing = Array.from({ length: first.shard.n }, (_, i) => i + 1).filter((k) => !have.has(k));
  if (missing.length > 0) throw new MergeError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${first.shard.n}`).join(', ')}`);
  if (have.size !== shards.length) throw new MergeError('a shard was given twice');
  const byLemma = new Map<string, UnitResult[]>();
  for (const s of shards) for (const u of s.units) byLemma.set(u.lemma, [...(byLemma.get(u.lemma) ?? []), u]);
  const loaded = await loadLemmas(files, model);
  const opts: ShardOptions = { seed: first.seed, runs: first.runs ?? undefined, budget: first.budget, arith: first.arith as VerifyOptions['arith'], exactAll: first.exactAll };
  const outcomes: Outcome[] = [];
  for (const { id, units: n, fileHash } of first.lemmas) {
    const us = (byLemma.get(id) ?? []).sort((a, b) => a.unit - b.unit);
    if (us.length !== n) throw new MergeError(`${id}: ${us.length} of its ${n} units in the shard files`);
    const l = loaded.find((x) => lemmaKey(x) === id);
    if (!l) throw new MergeError(`${id}: not in the lemma files given to merge`);
    const now = l.ok ? (l.lemma.fileHash ?? null) : null;
    if (fileHash !== undefined && now !== fileHash)
      throw new MergeError(`${id}: its lemma file ${l.ok ? l.lemma.file : l.file} changed since the shards ran (sha256 ${fileHash ?? 'none'} in the shards, ${now ?? 'none'} now)`);
    const whole = us.find((u) => u.kind === 'outcome');
    if (whole && whole.kind === 'outcome') {
      outcomes.push(whole.outcome);
      continue;
    }
    if (!l.ok) throw new MergeError(`${id}: the lemma no longer loads (${l.error.message})`);
    outcomes.push(outcomeFromUnits(l, us, opts, model));
  }
  return { outcomes, seed: first.seed, budget: first.budget, arith: first.arith, exactAll: first.exactAll };
}

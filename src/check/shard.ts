import { quantifierKind } from '../lemma/quantifiers/index.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { loadLemmas, type LoadedLemma } from '../lemma/load.js';
import type { Outcome } from './outcome.js';
import { base, checkFailed, errorOutcome, finishOutcome, foldSampled, InterruptedError, keptOf, lemmaRuns, reachBudget, reachVerdict, runReachUnit, sampleContext, sampledAfterBoxes, verifyLemma, type VerifyOptions } from './verify.js';
import { reachUnitCount, reachUnsupported, type ReachUnit } from './box-reach.js';
import { reachInvariant, type KeptResult } from './box-invariant.js';
import { blockCount, randomDraws, runBlock } from './sample.js';
import type { BlockResult } from './evidence.js';
import { lemmaSeed } from './seeds.js';
import type { UnitPayload } from './verify-protocol.js';
import { ObligationCache } from './induction.js';

/**
 * Sharding a verification over machines: the units of work are a lemma's blocks of draws
 * (sample.ts), or the whole lemma for identities and lemmas that failed to load. Units are numbered
 * in catalogue order and shard k of n takes those with index = k - 1 (mod n), so every shard gets
 * some of each lemma's draws. A shard file holds its units' results as data; `report merge` folds
 * them per lemma exactly as the unsharded run does, so the merged report has the same bytes.
 *
 * The fold must see the numbers the blocks produced, and JSON cannot spell all of them: it writes
 * Infinity, -Infinity and NaN as null and -0 as 0 (a search evaluation that violates the claim scores
 * +Infinity, a trajectory with nothing to score -Infinity). A shard file therefore writes each such number
 * as null and lists it, by its place in the unit, in the unit's `numbers` (encodeUnit); merge puts
 * it back (decodeUnit) before folding.
 */
export interface Shard {
  k: number;
  n: number;
}

/**
 * The units of a lemma decided on boxes of starts (check/box-reach.ts): first the proof that its set is kept
 * (`kept`, null when it names none), then one unit per top box of its hypothesis box (`reach`), then the blocks
 * of its draws, which the fold reads only where the boxes leave part of the volume unproved (verify-protocol.ts,
 * ReachPayload).
 */
export type { ReachPayload } from './verify-protocol.js';

export type UnitResult = { lemma: string; unit: number } & UnitPayload;

/** A number JSON cannot spell, at its place in a unit (a path of keys and indices), as text Number() reads back. */
export type SpelledNumber = [path: (string | number)[], value: 'Infinity' | '-Infinity' | 'NaN' | '-0'];

/** A unit as a shard file holds it: JSON-safe, with the numbers JSON cannot spell listed beside it (absent: none). */
export type ShardUnit = UnitResult & { numbers?: SpelledNumber[] };

export const SHARD_FORMAT = 'eos-check-shard/2';

export interface ShardFile {
  /** /2: units carry their non-JSON numbers (format /1 wrote them as null or 0, and merged other outcomes). */
  format: typeof SHARD_FORMAT;
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
   * The model option the shard's replay commands carry (" --model scalar-d2"; empty for the default pack), so
   * the merged rows print the command the unsharded run prints. Absent in files written before it was
   * recorded: merged without it, as then.
   */
  modelArg?: string;
  /**
   * Per lemma in catalogue order: its id, how many units it has, and the sha256 of its file (null:
   * the file did not load); merge refuses lemma files whose bytes changed since.
   */
  lemmas: { id: string; units: number; fileHash: string | null }[];
  units: ShardUnit[];
}

/** The unit as JSON-safe data: each number JSON.stringify would not give back (+-Infinity, NaN, -0) becomes null and is listed in `numbers`. */
export function encodeUnit(u: UnitResult): ShardUnit {
  const numbers: SpelledNumber[] = [];
  const path: (string | number)[] = [];
  // What JSON.stringify does, but keeping the place of each number it would not give back.
  const walk = (x: unknown): unknown => {
    if (x !== null && typeof x === 'object' && typeof (x as { toJSON?: unknown }).toJSON === 'function') x = (x as { toJSON: (k: string) => unknown }).toJSON(String(path[path.length - 1] ?? ''));
    if (typeof x === 'number') {
      if (Number.isFinite(x) && !Object.is(x, -0)) return x;
      numbers.push([[...path], Object.is(x, -0) ? '-0' : (String(x) as SpelledNumber[1])]);
      return null;
    }
    if (x === null || typeof x !== 'object') return x;
    const entries: [string | number, unknown][] = Array.isArray(x) ? Array.from(x, (v, i) => [i, v]) : Object.entries(x);
    const out = (Array.isArray(x) ? [] : {}) as Record<string | number, unknown>;
    for (const [k, v] of entries) {
      path.push(k);
      out[k] = walk(v);
      path.pop();
    }
    return out;
  };
  const data = walk(u) as ShardUnit;
  return numbers.length > 0 ? { ...data, numbers } : data;
}

/** The unit a shard file holds, with its non-JSON numbers put back (a copy; the shard file is not changed). */
export function decodeUnit(u: ShardUnit): UnitResult {
  const { numbers, ...data } = u;
  const out = structuredClone(data) as UnitResult;
  for (const entry of numbers ?? []) {
    const [path, text] = Array.isArray(entry) ? entry : [];
    const value = Number(text);
    let at: unknown = out;
    // Own properties only: a path names a place in the unit's data, never one on a prototype.
    const has = (x: unknown, k: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && (typeof k === 'string' || typeof k === 'number') && Object.hasOwn(x, k);
    for (const k of (Array.isArray(path) ? path : []).slice(0, -1)) at = has(at, k) ? at[k] : undefined;
    const last = Array.isArray(path) ? path[path.length - 1] : undefined;
    if (!['Infinity', '-Infinity', 'NaN', '-0'].includes(text as string) || !has(at, last) || at[last as string] !== null)
      throw new MergeError(`${u.lemma} unit ${u.unit}: a listed number ${JSON.stringify(entry)} is not at a null of the unit (the shard file was changed)`);
    at[last as string] = value;
  }
  return out;
}

type Unit = { lemma: LoadedLemma; key: string; index: number; block: number | null };

type ShardOptions = Omit<VerifyOptions, 'seed'> & { seed: number; only?: string };

function lemmaKey(l: LoadedLemma): string {
  return l.ok ? l.lemma.id : (l.id ?? `(${l.file})`);
}

/**
 * Draws of a sampled lemma, 0 for a unit of one whole lemma (identities, load errors, a replay of one path, and
 * the kinds proved by induction: whether they are sampled at all depends on the proof, which runs once).
 */
function runsOf(l: LoadedLemma, opts: ShardOptions): number {
  if (!l.ok || opts.path !== undefined) return 0;
  if (reachPlan(l, opts)) return lemmaRuns(l.lemma, opts);
  const kind = quantifierKind(l.lemma.quantifier.kind)!;
  if (kind.mode === 'prove' || kind.proof) return 0;
  return lemmaRuns(l.lemma, opts);
}

/** A lemma decided on boxes: its box budget and how many box units it has (null: not decided on boxes). */
function reachPlan(l: LoadedLemma, opts: Pick<ShardOptions, 'path' | 'budget'>): { budget: number; boxes: number } | null {
  if (!l.ok || opts.path !== undefined) return null;
  const budget = reachBudget(l.lemma, opts);
  if (budget === null || reachUnsupported(l.lemma) !== null) return null;
  return { budget, boxes: reachUnitCount(l.lemma) };
}

/**
 * The block of draws a unit of lemmaUnits is (its index among the lemma's blocks), or null for a unit that is
 * not one (a whole lemma; a box lemma's proof and box units). For the worker pool's work estimate.
 */
export function drawBlockOf(l: LoadedLemma, block: number | null, opts: Pick<ShardOptions, 'path' | 'budget'>): number | null {
  if (block === null) return null;
  const plan = reachPlan(l, opts);
  if (!plan) return block;
  return block <= plan.boxes ? null : block - plan.boxes - 1;
}

/**
 * What a unit of a lemma decided on boxes is, for the worker pool's work estimate (verify-pool.ts): the proof of
 * its set (2 obligations when it names one, else none), or a box unit with an upper bound of its box-steps (its
 * share of the box budget, each box enclosed through the horizon, one step more with `_next`; most boxes finish
 * or split earlier); null for any other unit.
 */
export function reachUnitOf(l: LoadedLemma, block: number | null, opts: Pick<ShardOptions, 'path' | 'budget'>): { kind: 'kept'; obligations: number } | { kind: 'boxes'; boxSteps: number } | null {
  if (block === null || !l.ok) return null;
  const plan = reachPlan(l, opts);
  if (!plan || block > plan.boxes) return null;
  if (block === 0) return { kind: 'kept', obligations: reachInvariant(l.lemma).length > 0 ? 2 : 0 };
  const perUnit = Math.max(1, Math.floor(plan.budget / plan.boxes));
  const horizon = l.lemma.steps + (l.lemma.suffixes.has('_next') ? 1 : 0);
  return { kind: 'boxes', boxSteps: perUnit * (horizon + 1) };
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
  const results: ShardUnit[] = [];
  const runner = new UnitRunner(model, opts);
  for (const u of mine) {
    if (opts.signal?.aborted) throw new InterruptedError();
    results.push(encodeUnit({ lemma: u.key, unit: u.index, ...(await runner.run(u.lemma, u.block)) }));
    onUnit?.(results.length, mine.length);
  }
  const counts = new Map<string, number>();
  const hashes = new Map<string, string | null>();
  for (const u of all) {
    counts.set(u.key, (counts.get(u.key) ?? 0) + 1);
    hashes.set(u.key, u.lemma.ok ? (u.lemma.lemma.fileHash ?? null) : null);
  }
  return {
    format: SHARD_FORMAT,
    shard,
    model: { name: model.spec.name, hash: model.hash },
    files,
    seed: opts.seed,
    runs: opts.runs ?? null,
    budget: opts.budget ?? 1,
    arith: opts.arith ?? 'extended',
    exactAll: opts.exactAll ?? false,
    modelArg: opts.modelArg ?? '',
    lemmas: [...counts].map(([id, n]) => ({ id, units: n, fileHash: hashes.get(id)! })),
    units: results,
  };
}

/** Runs units of work: a whole lemma, or one block of a sampled lemma (its draws generated once per lemma). */
export class UnitRunner {
  private readonly draws = new Map<CompiledLemmaLike, ReturnType<typeof randomDraws>>();
  private readonly obligations = new ObligationCache();
  constructor(
    private readonly model: DerivedModel,
    private readonly opts: ShardOptions,
  ) {}

  async run(l: LoadedLemma, block: number | null): Promise<UnitPayload> {
    if (!l.ok) return { kind: 'outcome', outcome: errorOutcome(l, this.opts.seed) };
    const vo = { ...lemmaOptions(l, this.opts), obligations: this.obligations };
    if (block === null) return { kind: 'outcome', outcome: await verifyLemma(this.model, l.lemma, vo) };
    const plan = reachPlan(l, this.opts);
    if (plan && block <= plan.boxes) {
      try {
        if (block === 0) return { kind: 'kept', kept: await keptOf(this.model, l.lemma) };
        return { kind: 'reach', boxes: await runReachUnit(this.model, l.lemma, vo, plan.budget, block - 1) };
      } catch (e) {
        if (e instanceof InterruptedError) throw e;
        return { kind: 'error', message: (e as Error).message };
      }
    }
    if (plan) block -= plan.boxes + 1;
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
    // A box lemma's proof and box units are all needed, whatever its blocks find.
    if (p.kind === 'kept' || p.kind === 'reach') continue;
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
  let kept: KeptResult | null | undefined;
  const units: ReachUnit[] = [];
  for (const p of payloads) {
    if (p.kind === 'kept') kept = p.kept;
    else if (p.kind === 'reach') units.push(p.boxes);
    else if (p.kind === 'error') return finishOutcome(checkFailed(o, l.lemma, p.message), performance.now());
    else if (p.kind === 'block') {
      blocks.push(p.block);
      if (p.block.failure) break;
    }
  }
  const plan = reachPlan(l, opts);
  if (plan && kept !== undefined) {
    // The same fold as verify.ts's verifyByBoxes: the boxes' verdict, else the sampled blocks with the proved share.
    const v = reachVerdict(model, l.lemma, vo, o, plan.budget, kept, units);
    if ('done' in v) return finishOutcome(v.done, performance.now());
    return finishOutcome(sampledAfterBoxes(model, l.lemma, vo, v, blocks), performance.now());
  }
  return finishOutcome(foldSampled(model, l.lemma, vo, o, blocks), performance.now());
}

/** The units of the lemmas at `indices` of `loaded`, in order (exported for the worker pool). */
export function lemmaUnits(loaded: LoadedLemma[], indices: number[], opts: ShardOptions): { index: number; block: number | null }[] {
  const out: { index: number; block: number | null }[] = [];
  for (const i of indices) {
    const runs = runsOf(loaded[i]!, opts);
    const plan = reachPlan(loaded[i]!, opts);
    const first = plan ? -(plan.boxes + 1) : 0;
    if (runs === 0) out.push({ index: i, block: null });
    else for (let b = first; b < blockCount(runs); b++) out.push({ index: i, block: b - first });
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
    if ((s.format as string) === 'eos-check-shard/1')
      throw new MergeError(`shard ${s.shard?.k}/${s.shard?.n} was written by an older eos-check (format eos-check-shard/1, which lost the numbers JSON cannot spell, so its merge could differ from the unsharded run): run the shards again`);
    if (s.format !== SHARD_FORMAT) throw new MergeError(`not an eos-check shard file (format ${JSON.stringify(s.format)})`);
    for (const k of ['seed', 'runs', 'budget', 'arith', 'exactAll', 'modelArg'] as const)
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
  for (const s of shards) for (const u of s.units) byLemma.set(u.lemma, [...(byLemma.get(u.lemma) ?? []), decodeUnit(u)]);
  const loaded = await loadLemmas(files, model);
  const opts: ShardOptions = { seed: first.seed, runs: first.runs ?? undefined, budget: first.budget, arith: first.arith as VerifyOptions['arith'], exactAll: first.exactAll, modelArg: first.modelArg };
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

import { foreignCode } from '../lemma/code-files.js';
import { certifyViolation, certifyWorstCase } from './certify.js';
import { quantifierKind, sentenceText } from '../lemma/quantifiers/index.js';
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledLemma } from '../lemma/compile.js';
import type { LoadedLemma } from '../lemma/load.js';
import type { Arithmetic } from '../dynamics/gd.js';
import { blockCount, evidence, SEARCH_STRIDE, randomDraws, replayPath, runBlock, type SampleContext } from './sample.js';
import { emptyBlock, foldBlocks, type BlockResult } from './evidence.js';
import { decideIdentity } from './identity-decision.js';
import { proveByInduction, type ObligationCache } from './induction.js';
import { invariantRelations, proveKept, reachInvariant, type KeptResult } from './box-invariant.js';
import { reachCertificate } from './reach-certificate.js';
import { REACH_BITS, reachUnit, reachUnitCount, reachUnsupported, summarize, wholeVolume, type ReachUnit } from './box-reach.js';
import { isPass, plain, type Counterexample, type DefinitionValue, type Diagnosis, type LemmaDefinition, type Outcome, type OutcomeCommon, type PendingOutcome, type Point } from './outcome.js';
import { decide, ExactIterate, type ExactContext } from './decide.js';
import { Interval } from '../numeric/interval.js';
import { Rational } from '../numeric/rational.js';
import { fiFromRational } from '../numeric/float-interval.js';
import { constantToRational } from '../symbolic/rational-function.js';
import type { Step } from '../dynamics/gd.js';

export interface VerifyOptions {
  seed: number;
  /** Trajectories per lemma; default: the lemma's own `runs`. */
  runs?: number;
  /** Multiplies every lemma's runs (the main job runs a larger budget than `npm test`). */
  budget?: number;
  arith?: Arithmetic;
  exactAll?: boolean;
  /** Replay one fast-check path (from a report) instead of a fresh run. */
  path?: string;
  /** Trajectory checks the shrinking of a counterexample may spend (a count, so the result does not depend on machine load). */
  shrinkRuns?: number;
  /** The model option a replay command must carry (" --model catapult-n2"; empty for the default pack). */
  modelArg?: string;
  /** The report-level seed from which this lemma's seed was derived (what --seed takes). */
  reportSeed?: number;
  /** Aborted (by Ctrl-C): the check stops between two trajectories and throws InterruptedError. */
  signal?: AbortSignal;
  /** Called after each block of a sampled lemma's draws with its iterates (progress display only; not sent to workers). */
  onBlock?: (iterates: number) => void;
  /** The run's decided induction obligations (check/induction.ts), shared by its lemmas; made in each thread, never sent. */
  obligations?: ObligationCache;
}

export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

/**
 * Trajectories run synchronously; a signal handler only runs when the event loop gets control.
 * Yielding to it every YIELD_MS keeps Ctrl-C responsive at a negligible cost.
 */
const YIELD_MS = 50;
let lastYield = 0;
async function yieldToSignals(): Promise<void> {
  const now = performance.now();
  if (now - lastYield < YIELD_MS) return;
  await new Promise((r) => setImmediate(r));
  lastYield = performance.now();
}

/** The evidence fields of an outcome before anything was checked: those of an empty block (sample.ts). */
function noEvidence(): ReturnType<typeof evidence> & Pick<Outcome, 'tightness'> {
  return { ...evidence(emptyBlock(0)), draws: null, tightness: null };
}

/**
 * The lemma as plain JSON data, without losing what JSON cannot spell (outcome.ts, LemmaDefinition):
 * JSON.stringify would turn Infinity into null.
 */
export function lemmaDefinition(spec: unknown): LemmaDefinition | null {
  const v = plainValue(spec);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
}

function plainValue(x: unknown): DefinitionValue {
  if (typeof x === 'number') {
    if (Object.is(x, -0)) return { $number: '-0' };
    return Number.isFinite(x) ? x : { $number: String(x) };
  }
  if (typeof x === 'string' || typeof x === 'boolean' || x === null) return x;
  if (typeof x === 'bigint') return { $bigint: String(x) };
  if (x === undefined) return { $unsupported: 'undefined' };
  if (Array.isArray(x)) return x.map(plainValue);
  if (typeof x === 'object') {
    const out: LemmaDefinition = {};
    // An absent field and one set to undefined mean the same to the lemma format.
    for (const [k, v] of Object.entries(x)) if (v !== undefined) out[k] = plainValue(v);
    return out;
  }
  return { $unsupported: typeof x };
}

export function base(lemma: CompiledLemma, opts: VerifyOptions): Omit<OutcomeCommon, 'established' | 'detail' | 'asExpected' | 'timeMs'> {
  return {
    id: lemma.id,
    file: lemma.file,
    lemma: { path: lemma.path ?? null, fileHash: lemma.fileHash ?? null, definition: lemmaDefinition(lemma.spec) },
    title: lemma.spec.title,
    claim: lemma.spec.claim,
    provenance: lemma.spec.provenance,
    quantifier: lemma.quantifier.kind,
    statement: lemma.statements.map((s) => s.text),
    statementLatex: lemma.statements.map((s) => s.latex),
    premise: quantifierKind(lemma.quantifier.kind)!.sentence(lemma.quantifierTerms, lemma.steps),
    expect: lemma.spec.expect,
    seed: opts.seed,
    arithmetic: quantifierKind(lemma.quantifier.kind)!.mode === 'prove' ? 'symbolic' : (opts.arith ?? 'extended'),
    ...noEvidence(),
    diagnosis: null,
    regionCertificate: null,
  };
}

export function finishOutcome(o: PendingOutcome, t0: number): Outcome {
  return finish(o, t0);
}

function finish(o: PendingOutcome, t0: number): Outcome {
  const asExpected = o.expect === 'holds' ? isPass(o.kind) : o.kind === 'FALSIFIED';
  return { ...o, asExpected, timeMs: Math.round(performance.now() - t0) } as Outcome;
}

export function errorOutcome(l: Extract<LoadedLemma, { ok: false }>, seed: number): Outcome {
  return {
    id: l.id ?? `(${l.file})`,
    file: l.file,
    lemma: { path: l.path, fileHash: l.fileHash, definition: null },
    title: '',
    claim: '',
    provenance: '',
    quantifier: '',
    statement: [],
    statementLatex: [],
    premise: [],
    expect: 'holds',
    kind: 'ERROR',
    established: 'none',
    detail: l.error.message,
    asExpected: false,
    seed,
    arithmetic: 'symbolic',
    ...noEvidence(),
    diagnosis: null,
    regionCertificate: null,
    counterexample: null,
    certificate: null,
    error: { file: l.file, field: l.error.field, message: l.error.detail, problems: l.error.problems.map((p) => ({ field: p.field, detail: p.detail })) },
    timeMs: 0,
  };
}

/** A path as one shell word (single quotes where it has anything but safe characters). */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+,=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function replayCommand(lemma: CompiledLemma, opts: VerifyOptions, path: string | null): string {
  // The absolute path, so the command works from any directory; a file that is code outside the package
  // needs the flag the run that printed it had. --id, because a path is one lemma's: applied to the other
  // lemmas of the file it names other draws (or none).
  const file = lemma.path ? shellWord(lemma.path) : `lemmas/${lemma.file}`;
  const code = lemma.path && foreignCode([lemma.path]).length > 0 ? ' --allow-code' : '';
  const budget = opts.budget !== undefined && opts.budget !== 1 ? ` --budget ${opts.budget}` : '';
  const runs = opts.runs !== undefined ? ` --runs ${opts.runs}` : '';
  return `npx eos-check verify ${file}${opts.modelArg ?? ''} --id ${shellWord(lemma.id)} --seed ${opts.reportSeed ?? opts.seed}${runs}${budget}${path ? ` --path ${path}` : ''}${opts.arith === 'float64' ? ' --arith float64' : ''}${code}`;
}

/** A counterexample that is an exact point of the hypotheses (a prover's witness), not an orbit. */
function symbolicCounterexample(lemma: CompiledLemma, opts: VerifyOptions, statement: string, witness: Record<string, string>, what: string): Counterexample {
  return { hyper: {}, init: {}, step: null, statement, lhs: null, rhs: null, witness, confirmedExactly: true, what, seed: opts.seed, path: null, command: replayCommand(lemma, opts, null), trueOrbit: null };
}

export async function verifyLemma(model: DerivedModel, lemma: CompiledLemma, opts: VerifyOptions): Promise<Outcome> {
  const t0 = performance.now();
  const o = base(lemma, opts);
  try {
    const kind = quantifierKind(lemma.quantifier.kind)!;
    if (kind.mode === 'prove') {
      const r = await decideIdentity(model, lemma);
      if (r.status === 'proved') return finish({ ...o, kind: 'PROVED', established: r.established, detail: r.detail, certificate: r.certificate, regionCertificate: r.regionCertificate, counterexample: null, error: null }, t0);
      if (r.status === 'vacuous') return finish({ ...o, kind: 'VACUOUS', established: 'none', detail: r.detail, diagnosis: { reason: 'no-witness', detail: r.detail }, certificate: r.certificate, regionCertificate: r.regionCertificate, counterexample: null, error: null }, t0);
      if (r.status === 'refuted') return finish({ ...o, kind: 'FALSIFIED', established: r.established, detail: r.detail, counterexample: symbolicCounterexample(lemma, opts, r.statement, r.witness, r.detail), certificate: null, error: null }, t0);
      return finish({ ...o, ...plain('UNDECIDED'), established: 'none', detail: r.detail, diagnosis: { reason: 'prover-unknown', detail: r.detail } }, t0);
    }
    const boxes = reachBudget(lemma, opts);
    if (boxes !== null && opts.path === undefined) return finish(await verifyByBoxes(model, lemma, opts, o, boxes), t0);
    if (kind.proof && opts.path === undefined) {
      // A claim for every start and every t: the induction proof first (check/induction.ts); sampling where it does not go through.
      const r = await proveByInduction(model, lemma, opts.obligations);
      const withObligations = { ...o, obligations: r.obligations };
      if (r.status === 'proved') return finish({ ...withObligations, kind: 'PROVED', established: 'proved-induction', detail: r.detail, certificate: `induction proof: ${r.obligations.length} obligations, each with its own certificate in obligations (re-check the region proofs with eos-check check-certificate)`, counterexample: null, error: null }, t0);
      if (r.status === 'vacuous') return finish({ ...withObligations, kind: 'VACUOUS', established: 'none', detail: r.detail, diagnosis: { reason: 'no-witness', detail: r.detail }, certificate: null, counterexample: null, error: null }, t0);
      if (r.status === 'refuted') return finish({ ...withObligations, kind: 'FALSIFIED', established: 'proved-induction', detail: r.detail, counterexample: symbolicCounterexample(lemma, opts, r.statement, r.witness, r.detail), certificate: null, error: null }, t0);
      const sampled = await sampleLemma(model, lemma, opts, withObligations);
      const note = `not proved for every t (${r.detail}); sampled instead: `;
      return finish({ ...sampled, detail: `${note}${sampled.detail}` }, t0);
    }
    return finish(await sampleLemma(model, lemma, opts, o), t0);
  } catch (e) {
    if (e instanceof InterruptedError) throw e;
    return finish({ ...o, kind: 'ERROR', established: 'none', detail: `${lemma.file} [${lemma.id}]: ${(e as Error).message}`, counterexample: null, certificate: null, error: { file: lemma.file, field: '(check)', message: (e as Error).message, problems: [{ field: '(check)', detail: (e as Error).message }] } }, t0);
  }
}

/**
 * The box budget of a lemma decided on boxes of starts (its quantifier's `reach`, times --budget like its
 * runs), or null for a lemma that is not.
 */
export function reachBudget(lemma: CompiledLemma, opts: Pick<VerifyOptions, 'budget'>): number | null {
  const r = (lemma.spec.quantifier as { reach?: unknown }).reach;
  if (typeof r !== 'string') return null;
  return Math.max(1, Math.round(Number(r) * (opts.budget ?? 1)));
}

/**
 * A lemma decided on boxes of starts (check/box-reach.ts): the set it names proved kept (box-invariant.ts),
 * every unit of its hypothesis box, then reachVerdict; the sampled check only where that leaves part of the
 * volume unproved. Shards and workers run the same pieces as units (shard.ts) and fold them the same way.
 */
export async function verifyByBoxes(model: DerivedModel, lemma: CompiledLemma, opts: VerifyOptions, o: ReturnType<typeof base>, budget: number): Promise<PendingOutcome> {
  const why = reachUnsupported(lemma);
  if (why !== null) {
    const sampled = await sampleLemma(model, lemma, opts, o);
    return { ...sampled, detail: `not decided on boxes of starts (${why}); sampled instead: ${sampled.detail}` };
  }
  const kept = await keptOf(model, lemma);
  const units: ReachUnit[] = [];
  for (let u = 0; u < reachUnitCount(lemma); u++) {
    await yieldToSignals();
    if (opts.signal?.aborted) throw new InterruptedError();
    units.push(await runReachUnit(model, lemma, opts, budget, u));
  }
  const v = reachVerdict(model, lemma, opts, o, budget, kept, units);
  if ('done' in v) return v.done;
  return sampledAfterBoxes(model, lemma, opts, v, await sampleBlocks(model, lemma, opts));
}

const KEPT = new WeakMap<CompiledLemma, Promise<KeptResult | null>>();

/**
 * The set's obligations (null: the lemma names no set), proved once per lemma and process: every box unit
 * needs them (a shard or worker with box units of the lemma proves them itself; the result is the same).
 */
export function keptOf(model: DerivedModel, lemma: CompiledLemma): Promise<KeptResult | null> {
  let p = KEPT.get(lemma);
  if (!p) {
    const I = reachInvariant(lemma);
    KEPT.set(lemma, (p = I.length > 0 ? proveKept(model, lemma, I) : Promise.resolve(null)));
  }
  return p;
}

/** One unit of the lemma's hypothesis box, under its share of the box budget. */
export async function runReachUnit(model: DerivedModel, lemma: CompiledLemma, opts: VerifyOptions, budget: number, unit: number): Promise<ReachUnit> {
  const I = reachInvariant(lemma);
  const kept = await keptOf(model, lemma);
  const invariant = I.length > 0 && kept?.use ? invariantRelations(model, lemma, I) : undefined;
  return reachUnit(model, lemma, unit, {
    budget,
    invariant,
    use: kept?.use ?? false,
    kept: kept?.kept ?? false,
    admits: (p: Point) => hypothesisFailure(lemma, model, p) === null,
    certify: (p: Point, step: number, statement: string) => {
      const ce: Counterexample = { ...p, step, statement, lhs: null, rhs: null, confirmedExactly: true, what: '', seed: opts.seed, path: null, command: '', trueOrbit: null };
      const r = certifyViolation(model, lemma, ce);
      return r.certified ? r.text : null;
    },
  });
}

type ReachPending = { withReach: ReturnType<typeof base>; note: string };

/**
 * What the boxes decide: FALSIFIED by a refuted box's certified counterexample (the first in path order),
 * PROVED when the proved fraction is exactly the whole hypothesis volume, otherwise the row to be sampled
 * with the proved share in front of its detail. Kind invariant claims every t; the other kinds claim the
 * steps through the horizon T only, and their PROVED says "up to T" and nothing more.
 */
export function reachVerdict(model: DerivedModel, lemma: CompiledLemma, opts: VerifyOptions, o: ReturnType<typeof base>, budget: number, kept: KeptResult | null, units: ReachUnit[]): { done: PendingOutcome } | ReachPending {
  const everyTOnly = lemma.quantifier.kind === 'invariant';
  const T = lemma.steps;
  const I = reachInvariant(lemma);
  const summary = summarize(units, budget, lemma.steps, I.length > 0 ? I : null, kept?.status === 'proved', everyTOnly);
  if (kept?.use && !kept.kept) summary.invariant = I;
  // The leaves as a certificate (check/reach-certificate.ts) wherever they prove part of the volume (for every t or
  // through T): eos-check check-certificate re-checks it.
  const reachCert = summary.fractions.proved !== '0' || summary.fractions.upToT !== '0' ? { reachCertificate: reachCertificate(model, lemma, units, kept, summary) } : {};
  const withReach = { ...o, reach: summary, ...(kept ? { obligations: kept.obligations } : {}), ...reachCert };
  const setNote = kept === null ? '' : kept.status === 'proved' ? `; ${kept.detail}` : `; ${kept.detail}${kept.use ? '' : ', so the boxes do not use it'}`;
  const share = `${summary.enclosed} boxes (budget ${budget}), ${summary.leaves} leaves`;
  const first = summary.refuted[0];
  if (first) {
    const r = first.refutation!;
    const ce: Counterexample = { ...r.point, step: r.step, statement: r.statement, lhs: null, rhs: null, confirmedExactly: true, what: `the statement fails at step ${r.step} on the enclosure of every orbit from box ${first.path} (${Object.entries(first.box).map(([k, v]) => `${k} ${v}`).join(', ')}); its midpoint is a certified counterexample`, seed: opts.seed, path: null, command: replayCommand(lemma, opts, null), trueOrbit: null };
    ce.trueOrbit = certifyViolation(model, lemma, ce);
    return { done: { ...withReach, kind: 'FALSIFIED', established: 'exact', detail: `refuted on ${summary.percent.refuted} of the hypothesis volume by reachability from boxes of starts (${share}): ${ce.trueOrbit.text}`, counterexample: ce, certificate: null, error: null } };
  }
  // A whole volume decided without a box that certainly met the premises (or entered the set) may be decided
  // only because nothing is claimed: not PROVED; the sampled check says whether the premise ever held.
  const witnessed = units.some((u) => (u.witnessed ?? 0) > 0);
  if (wholeVolume(summary) && !witnessed)
    return { withReach, note: `decided on the whole hypothesis volume (${share}), but at no step of any box did every premise certainly hold on its whole enclosure, so the boxes do not show that the claim is about any orbit; sampled instead: ` };
  if (wholeVolume(summary)) {
    const certificate = `reachability: ${summary.leaves} boxes tile the hypothesis box (the row's reach); box orbits at ${REACH_BITS} bits; the box tree in reachCertificate (eos-check-reach/1); re-check it with eos-check check-certificate`;
    // For kind invariant the whole volume is proved only when every box entered the set (summarize).
    const detail = everyTOnly
      ? `for every start in the hypotheses and every t, by certified enclosures of every orbit from ${share}: every box entered the invariant set or left the hypotheses along the trajectory${setNote}`
      : `up to T = ${T} only (the lemma's horizon; nothing is proved past step ${T}): for every start and hyperparameter in the hypotheses, ${sentenceText(o.premise)}, by certified enclosures of every orbit from ${share}: every box's statement decided true at every asserted step through ${T}${lemma.along.length > 0 ? ' or up to where all its orbits left the along hypotheses' : ''}`;
    return { done: { ...withReach, kind: 'PROVED', established: 'proved-reach', detail, certificate, counterexample: null, error: null } };
  }
  const open = summary.open[0] ? `; first open box ${summary.open[0].path}: ${summary.open[0].why}` : '';
  if (!everyTOnly) return { withReach, note: `proved up to T = ${T} on ${summary.percent.proved} of the hypothesis volume (${share}${open}); the rest sampled: ` };
  return { withReach, note: `proved on ${summary.percent.proved} of the hypothesis volume (${summary.percent.everyT} for every t, ${summary.percent.upToT} through step ${T}; ${share}${open})${setNote}; the rest sampled: ` };
}

/** The sampled row, with the boxes' share in front of its detail. */
export function sampledAfterBoxes(model: DerivedModel, lemma: CompiledLemma, opts: VerifyOptions, v: ReachPending, blocks: BlockResult[]): PendingOutcome {
  const sampled = foldSampled(model, lemma, opts, v.withReach, blocks);
  return { ...sampled, detail: `${v.note}${sampled.detail}` };
}

/** Default budget of trajectory checks for shrinking one counterexample. */
export const SHRINK_RUNS = 300;

/**
 * Whether a draw satisfies the hypotheses exactly: every drawn value inside its range as written
 * (decimal bounds, so max 0.1 means 1/10, not the double above it) and every `where` relation
 * decided like any other comparison (float filter, then exact); a relation that is undefined or
 * cannot be decided at the start excludes the draw.
 */
export function drawSatisfiesHypotheses(lemma: CompiledLemma, model: DerivedModel, p: Point): boolean {
  return hypothesisFailure(lemma, model, p) === null;
}

/** The hypothesis a draw fails (a range or a `where` relation, as the lemma states it), or null when it satisfies them all. */
export function hypothesisFailure(lemma: CompiledLemma, model: DerivedModel, p: Point): string | null {
  const bounds = drawBounds(lemma);
  for (const d of [...lemma.hyperDraws.map((x) => [x, p.hyper[x.name]!] as const), ...lemma.initDraws.map((x) => [x, p.init[x.name]!] as const)]) {
    const [spec, v] = d;
    if (!Number.isFinite(v)) return `${spec.name} is not finite`;
    if ('fixed' in spec.draw) continue;
    const b = bounds.get(spec.name)!;
    if (!(v >= b[0] && v <= b[1])) return `${spec.name} in [${spec.draw.min}, ${spec.draw.max}]`;
  }
  if (lemma.where.length === 0) return null;
  const env = new Float64Array(lemma.slots.size).fill(NaN);
  const E = new Float64Array(2 * Math.max(1, lemma.fiSlots.size)).fill(NaN);
  const put = (name: string, v: number) => {
    const i = lemma.fiSlots.get(name);
    if (i !== undefined) E[2 * i] = E[2 * i + 1] = v;
    const j = lemma.slots.get(name);
    if (j !== undefined) env[j] = v;
  };
  for (const [k, v] of Object.entries(p.hyper)) put(k, v);
  for (const [k, v] of Object.entries(p.init)) put(`${k}_0`, v);
  const hyperExact = new Map(model.hypers.map((h) => [h, Interval.point(Rational.fromDouble(p.hyper[h]!))]));
  const theta = model.params.map((k) => p.init[k]!);
  const start = { t: 0, theta, topVector: theta.map(() => 0) } as unknown as Step;
  const ctx = (): ExactContext => ({ iterates: { _0: new ExactIterate(model, start, hyperExact) }, scalars: hyperExact });
  const failed = lemma.where.find((w) => decide(model, w, E, env, ctx).holds !== true);
  return failed === undefined ? null : failed.text;
}

const DRAW_BOUNDS = new WeakMap<CompiledLemma, Map<string, [number, number]>>();

/**
 * Each ranged draw's range [min, max] (decimals as written) as doubles [lo, hi], lo the least double >= min and hi
 * the largest double <= max: a double v lies in the range exactly iff lo <= v <= hi. Made once per lemma (each draw
 * had parsed the decimals and compared rationals).
 */
function drawBounds(lemma: CompiledLemma): Map<string, [number, number]> {
  let out = DRAW_BOUNDS.get(lemma);
  if (out) return out;
  out = new Map();
  for (const spec of [...lemma.hyperDraws, ...lemma.initDraws]) {
    if ('fixed' in spec.draw) continue;
    // The tightest double interval around each end: its upper end the least double >= min, its lower the largest <= max.
    out.set(spec.name, [fiFromRational(constantToRational(spec.draw.min)).hi, fiFromRational(constantToRational(spec.draw.max)).lo]);
  }
  DRAW_BOUNDS.set(lemma, out);
  return out;
}

async function sampleLemma(model: DerivedModel, lemma: CompiledLemma, opts: VerifyOptions, o: ReturnType<typeof base>): Promise<PendingOutcome> {
  return foldSampled(model, lemma, opts, o, await sampleBlocks(model, lemma, opts));
}

/** The blocks of a sampled lemma's draws in order, up to the first violation (or the one replayed path). */
async function sampleBlocks(model: DerivedModel, lemma: CompiledLemma, opts: VerifyOptions): Promise<BlockResult[]> {
  const ctx = sampleContext(model, lemma, opts);
  const draws = randomDraws(ctx);
  const blocks: BlockResult[] = [];
  if (opts.path !== undefined) {
    const r = await replayPath(ctx, draws, opts.path);
    if (!r.ok) throw new Error(`--path ${opts.path}: no such draw (at this budget the lemma has ${ctx.runs} random draws, indices 0..${ctx.runs - 1}, and search evaluations from index ${ctx.runs} in ${blockCount(ctx.runs)} block(s) of ${SEARCH_STRIDE})`);
    blocks.push(r.result);
  } else {
    for (let b = 0; b < blockCount(ctx.runs); b++) {
      await yieldToSignals();
      if (opts.signal?.aborted) throw new InterruptedError();
      const r = (await runBlock(ctx, draws, b)).result;
      opts.onBlock?.(r.iterates);
      blocks.push(r);
      if (r.failure) break;
    }
  }
  return blocks;
}

/**
 * The row of a sampled lemma whose check threw (a block, or the fold after it): the same text whichever
 * path ran the check (verifyLemma's own catch writes the same).
 */
export function checkFailed(o: ReturnType<typeof base>, lemma: CompiledLemma, message: string): PendingOutcome {
  return { ...o, kind: 'ERROR', established: 'none', detail: `${lemma.file} [${lemma.id}]: ${message}`, counterexample: null, certificate: null, error: { file: lemma.file, field: '(check)', message, problems: [{ field: '(check)', detail: message }] } };
}

/**
 * The one fold of a sampled lemma: its blocks' results (in any order; folded in block order up to the
 * first violation) into its outcome. The unsharded run (sampleLemma), the worker pool and `report merge`
 * (check/shard.ts, outcomeFromUnits) all end here, so they agree byte for byte as long as they fold the
 * same BlockResults (a shard file carries them losslessly: shard.ts, encodeUnit).
 */
export function foldSampled(model: DerivedModel, lemma: CompiledLemma, opts: VerifyOptions, o: ReturnType<typeof base>, blocks: BlockResult[]): PendingOutcome {
  try {
    return assemble(lemma, opts, o, foldBlocks(blocks), model);
  } catch (e) {
    if (e instanceof InterruptedError) throw e;
    return checkFailed(o, lemma, (e as Error).message);
  }
}

/** The random draws of a sampled lemma under these options: its `runs` (or --runs) times the budget, at least 1. */
export function lemmaRuns(lemma: CompiledLemma, opts: Pick<VerifyOptions, 'runs' | 'budget'>): number {
  return Math.max(1, Math.round((opts.runs ?? lemma.runs) * (opts.budget ?? 1)));
}

/** The sampling context of a lemma under these options (the same in every shard). */
export function sampleContext(model: DerivedModel, lemma: CompiledLemma, opts: VerifyOptions): SampleContext {
  return {
    model,
    lemma,
    seed: opts.seed,
    runs: lemmaRuns(lemma, opts),
    arith: opts.arith ?? 'extended',
    exactAll: opts.exactAll,
    shrinkRuns: opts.shrinkRuns ?? SHRINK_RUNS,
    rejects: (p) => hypothesisFailure(lemma, model, p),
    replayCommand: (path) => replayCommand(lemma, opts, path),
    checkpoint: async () => {
      await yieldToSignals();
      if (opts.signal?.aborted) throw new InterruptedError();
    },
  };
}

/** What must hold before a sampled lemma claims anything: its quantifier's premises as written (`from` as "t >= ..."). */
function premiseTexts(lemma: CompiledLemma): string[] {
  const q = lemma.quantifier as { from?: unknown };
  return [...lemma.when, ...(lemma.event ? [lemma.event] : []), ...lemma.trigger].map((c) => c.text).concat(q.from !== undefined ? [`t >= ${String(q.from)}`] : []);
}

/** The outcome of a sampled lemma from its folded blocks. */
export function assemble(lemma: CompiledLemma, opts: VerifyOptions, o: ReturnType<typeof base>, b: BlockResult, model: DerivedModel): PendingOutcome {
  const agg = { ...o, ...evidence(b) };
  const skipped = b.skipped;
  const flow = quantifierKind(lemma.quantifier.kind)?.mode === 'flow';
  if (lemma.tightness) {
    const stated = lemma.spec.constants![lemma.tightness.constant]!;
    const varies = b.constant?.varies ?? false;
    agg.tightness = {
      constant: lemma.tightness.constant,
      stated: varies || b.constant === null ? stated : `${stated} = ${b.constant.first.toPrecision(6)}`,
      observedMaxNeeded: b.maxNeeded ?? -Infinity,
      ...(b.maxNeededDecimal !== undefined ? { observedMaxNeededDecimal: b.maxNeededDecimal } : {}),
      maxRatio: varies ? b.maxRatio : null,
      trueOrbit: null,
    };
  }
  const how = lemma.floatOnly ? 'float' : opts.exactAll ? 'exact' : 'interval-or-exact';
  const stall = agg.stalledTrajectories > 0 ? `; ${agg.stalledTrajectories} computed orbits stalled at a float rounding fixed point (first at step ${agg.firstStall!.step}) while exact GD moves on: their later iterates repeat one point` : '';
  const undef = agg.undefinedIterates > 0 ? `; ${agg.undefinedIterates} statement evaluations skipped where a term was undefined` : '';
  if (b.failure) {
    const ce = { ...b.failure.counterexample, trueOrbit: certifyViolation(model, lemma, b.failure.counterexample) };
    // A violation of the computed orbit that the true orbit is certified not to have refutes nothing.
    if (ce.trueOrbit.artefact)
      return { ...agg, ...plain('UNDECIDED'), established: 'none', detail: `the computed orbit violates the claim (${ce.what}), but ${ce.trueOrbit.text.replace(/^not certified on the true orbit: /, '')}; replay: ${ce.command}`, diagnosis: { reason: 'rounding-artefact', step: ce.step!, point: { hyper: ce.hyper, init: ce.init }, detail: ce.trueOrbit.text } };
    // A flow-limit row decides at an enclosure of the true limit (check/flow-check.ts), not at a computed iterate.
    const at = flow ? 'on the certified enclosure of the gradient-flow limit from the exact start, so at the true limit' : 'at the computed iterate';
    // A divergence is a fact about the true orbit only when the certified orbit shows it.
    const divergence = ce.statement === '(trajectory exists)';
    const conf = ce.confirmedExactly ? `decided rigorously ${at} (interval filter or exact arithmetic)` : divergence ? `divergence of the computed trajectory${ce.trueOrbit.certified ? ', certified on the true orbit' : ''}` : 'float64 only, not confirmed exactly';
    const by = Number(ce.path!.split(':')[0]) >= lemmaRuns(lemma, opts) ? '; found by the guided search' : '';
    return { ...agg, kind: 'FALSIFIED', established: ce.confirmedExactly || (divergence && ce.trueOrbit.certified) ? 'exact' : 'float', detail: `${ce.what} (${conf}); shrunk after ${b.failure.numShrinks} shrinks${by}`, counterexample: ce, certificate: null, error: null };
  }
  if (agg.trajectories === 0)
    return { ...agg, ...plain('VACUOUS'), established: 'none', detail: `no draw satisfied the hypotheses' relations (${skipped} draws skipped)`, diagnosis: { reason: 'no-admissible-draw', skipped, first: b.firstSkipped } };
  if (agg.premiseIterates === 0)
    return {
      ...agg,
      ...plain('VACUOUS'),
      established: 'none',
      detail: `the premise never held in ${agg.trajectories} trajectories${agg.leftHypotheses > 0 ? ` (${agg.leftHypotheses} left the hypotheses along the way)` : ''}: nothing was checked`,
      diagnosis: { reason: 'premise-never-held', premises: premiseTexts(lemma), trajectories: agg.trajectories, leftHypotheses: agg.leftHypotheses },
    };
  const never = lemma.statements.findIndex((_, k) => (agg.testedPerStatement[k] ?? 0) === 0);
  const undecided: Diagnosis | null = agg.undecided > 0 && b.undecidedAt ? { reason: 'undecided-comparison', count: agg.undecided, ...b.undecidedAt } : null;
  if (never >= 0) {
    const text = lemma.statements[never]!.text;
    // A statement that was only ever undecided was not tested either; its diagnosis is then the undecided comparison.
    const alsoUndecided = agg.undecided > 0 ? ` or could not be decided (${agg.undecided} comparisons)` : '';
    return {
      ...agg,
      ...plain('VACUOUS'),
      established: 'none',
      detail: `statement "${text}" was never tested: its terms were undefined${alsoUndecided} at every iterate where the premises held (${agg.undefinedIterates} evaluations)`,
      diagnosis: agg.undefinedIterates === 0 && undecided ? undecided : { reason: 'statement-never-defined', statement: text, undefinedIterates: agg.undefinedIterates },
    };
  }
  if (agg.undecided > 0)
    return { ...agg, ...plain('UNDECIDED'), established: how, detail: `no violation, but ${agg.undecided} iterates could not be decided exactly (first: ${b.firstUndecided ?? 'unknown'})`, diagnosis: undecided };
  const left = agg.leftHypotheses > 0 ? `; ${agg.leftHypotheses} trajectories left the hypotheses along the way and were checked only up to that iterate` : '';
  const band = how === 'interval-or-exact' ? ` (outward-rounded interval filter; ${agg.decidedExactly} comparisons it could not separate decided exactly)` : '';
  const search = agg.searchTrajectories > 0 ? `; ${agg.searchTrajectories} of the ${flow ? 'starts' : 'trajectories'} chosen by the guided search` : '';
  // The figure a reader cites, re-evaluated on the true orbit of the worst case (check/certify.ts).
  if (agg.tightness && agg.worstCase) agg.tightness.trueOrbit = certifyWorstCase(model, lemma, agg.worstCase.point, agg.tightness.maxRatio !== null);
  return {
    ...agg,
    ...plain('VERIFIED'),
    established: how,
    detail: `${flow ? `holds at the gradient-flow limits of ${agg.trajectoriesWithPremise}/${agg.trajectories} starts, each limit enclosed rigorously` : `holds at ${agg.premiseIterates} iterates of ${agg.trajectoriesWithPremise}/${agg.trajectories} trajectories`}${band}${search}${left}${undef}${stall}`,
  };
}

import fc from 'fast-check';
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledLemma } from '../lemma/compile.js';
import type { LoadedLemma } from '../lemma/load.js';
import type { Arithmetic } from '../dynamics/gd.js';
import { checkTrajectory, DEFECT_EVERY, type TrajectoryResult } from './trajectory-check.js';
import { gridToPoint, pointArbitrary, type Grid } from './draw.js';
import { proveLemma } from './prove.js';
import { isPass, type Counterexample, type Outcome, type Point } from './outcome.js';
import { FLOAT_BAND } from './decide.js';

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
  /** Time limit for shrinking a counterexample, ms. */
  shrinkMs?: number;
  /** The lemma file's path as the user should type it in a replay command. */
  displayPath?: string;
  /** The report-level seed from which this lemma's seed was derived (what --seed takes). */
  reportSeed?: number;
  /** Aborted (by Ctrl-C): the check stops between two trajectories and throws InterruptedError. */
  signal?: AbortSignal;
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

/** The evidence fields of an outcome before anything was checked. */
function noEvidence(): Pick<Outcome, 'trajectories' | 'trajectoriesWithPremise' | 'skippedDraws' | 'iterates' | 'premiseIterates' | 'decidedExactly' | 'decidedByFloat' | 'undecided' | 'floatFalseAlarms' | 'diverged' | 'leftHypotheses' | 'maxStepDefect' | 'defectEvery' | 'worstSlack' | 'tightness' | 'counterexample'> {
  return {
    trajectories: 0,
    trajectoriesWithPremise: 0,
    skippedDraws: 0,
    iterates: 0,
    premiseIterates: 0,
    decidedExactly: 0,
    decidedByFloat: 0,
    undecided: 0,
    floatFalseAlarms: 0,
    diverged: 0,
    leftHypotheses: 0,
    maxStepDefect: null,
    defectEvery: null,
    worstSlack: null,
    tightness: null,
    counterexample: null,
  };
}

function base(lemma: CompiledLemma, opts: VerifyOptions): Omit<Outcome, 'kind' | 'established' | 'detail' | 'asExpected' | 'timeMs'> {
  return {
    id: lemma.id,
    file: lemma.file,
    title: lemma.spec.title,
    claim: lemma.spec.claim,
    provenance: lemma.spec.provenance,
    quantifier: lemma.quantifier.kind,
    statement: lemma.statements.map((s) => s.text),
    statementLatex: lemma.statements.map((s) => s.latex),
    expect: lemma.spec.expect,
    seed: opts.seed,
    arithmetic: lemma.quantifier.kind === 'identity' ? 'symbolic' : (opts.arith ?? 'extended'),
    ...noEvidence(),
    error: null,
  };
}

function finish(o: Omit<Outcome, 'asExpected' | 'timeMs'>, t0: number): Outcome {
  const asExpected = o.expect === 'holds' ? isPass(o.kind) : o.kind === 'FALSIFIED';
  return { ...o, asExpected, timeMs: Math.round(performance.now() - t0) };
}

export function errorOutcome(l: Extract<LoadedLemma, { ok: false }>, seed: number): Outcome {
  return {
    id: l.id ?? `(${l.file})`,
    file: l.file,
    title: '',
    claim: '',
    provenance: '',
    quantifier: '',
    statement: [],
    statementLatex: [],
    expect: 'holds',
    kind: 'ERROR',
    established: 'none',
    detail: l.error.message,
    asExpected: false,
    seed,
    arithmetic: 'symbolic',
    ...noEvidence(),
    error: { file: l.file, field: l.error.field, message: l.error.detail },
    timeMs: 0,
  };
}

function replayCommand(lemma: CompiledLemma, opts: VerifyOptions, path: string | null): string {
  const file = opts.displayPath ?? `lemmas/${lemma.file}`;
  const budget = opts.budget !== undefined && opts.budget !== 1 ? ` --budget ${opts.budget}` : '';
  const runs = opts.runs !== undefined ? ` --runs ${opts.runs}` : '';
  return `npx eos-check verify ${file} --seed ${opts.reportSeed ?? opts.seed}${runs}${budget}${path ? ` --path ${path}` : ''}${opts.arith === 'float64' ? ' --arith float64' : ''}`;
}

export async function verifyLemma(model: DerivedModel, lemma: CompiledLemma, opts: VerifyOptions): Promise<Outcome> {
  const t0 = performance.now();
  const o = base(lemma, opts);
  try {
    if (lemma.quantifier.kind === 'identity') {
      const r = await proveLemma(model, lemma);
      if (r.status === 'proved') return finish({ ...o, kind: 'PROVED', established: r.method, detail: r.detail }, t0);
      if (r.status === 'refuted') {
        const ce: Counterexample = {
          hyper: {},
          init: {},
          step: null,
          statement: r.statement,
          lhs: null,
          rhs: null,
          witness: r.witness,
          confirmedExactly: true,
          what: r.detail,
          seed: opts.seed,
          path: null,
          command: replayCommand(lemma, opts, null),
        };
        return finish({ ...o, kind: 'FALSIFIED', established: r.method, detail: r.detail, counterexample: ce }, t0);
      }
      return finish({ ...o, kind: 'UNDECIDED', established: 'none', detail: r.detail }, t0);
    }
    return finish(await sampleLemma(model, lemma, opts, o), t0);
  } catch (e) {
    if (e instanceof InterruptedError) throw e;
    return finish({ ...o, kind: 'ERROR', established: 'none', detail: `${lemma.file} [${lemma.id}]: ${(e as Error).message}`, error: { file: lemma.file, field: '(check)', message: (e as Error).message } }, t0);
  }
}

function whereHolds(lemma: CompiledLemma, model: DerivedModel, p: Point): boolean {
  if (lemma.where.length === 0) return true;
  const e = new Float64Array(lemma.slots.size).fill(NaN);
  for (const [k, v] of Object.entries(p.hyper)) e[lemma.slots.get(k)!] = v;
  for (const [k, v] of Object.entries(p.init)) e[lemma.slots.get(`${k}_0`)!] = v;
  const th = model.params.map((k) => p.init[k]!);
  const h = model.hypers.map((k) => p.hyper[k]!);
  for (const [k, f] of model.kernels.quantities) e[lemma.slots.get(`${k}_0`)!] = f(th, h);
  e[lemma.slots.get('L_0')!] = model.kernels.loss(th, h);
  // Start relations are decided in float: they only select which draws are used, never a verdict.
  return lemma.where.every((w) => {
    const l = w.lhs(e);
    const r = w.rhs(e);
    return { '<': l < r, '<=': l <= r, '>': l > r, '>=': l >= r, '==': l === r }[w.rel];
  });
}

async function sampleLemma(model: DerivedModel, lemma: CompiledLemma, opts: VerifyOptions, o: ReturnType<typeof base>): Promise<Omit<Outcome, 'asExpected' | 'timeMs'>> {
  const arith = opts.arith ?? 'extended';
  const numRuns = Math.max(1, Math.round((opts.runs ?? lemma.runs) * (opts.budget ?? 1)));
  let failedOnce = false;
  let skipped = 0;
  const agg = { ...o };
  let maxNeeded = -Infinity;
  let maxRatio: number | null = null;
  let constantSeen = null as number | null;
  const constantVaries = { v: false };
  const run = (g: Grid): TrajectoryResult | null => {
    const p = gridToPoint(lemma, g);
    if (!whereHolds(lemma, model, p)) {
      if (!failedOnce) skipped++;
      return null;
    }
    const init = model.params.map((k) => p.init[k]!);
    return checkTrajectory(model, lemma, p.hyper, init, { arith, exactAll: opts.exactAll });
  };
  const property = fc.asyncProperty(pointArbitrary(lemma), async (g) => {
    await yieldToSignals();
    // Once aborted, every remaining run passes at once so fast-check returns; the caller throws.
    if (opts.signal?.aborted) return true;
    const r = run(g);
    if (r === null) return true;
    if (!failedOnce) {
      agg.trajectories++;
      if (r.premiseIterates > 0) agg.trajectoriesWithPremise++;
      agg.iterates += r.iterates;
      agg.premiseIterates += r.premiseIterates;
      agg.decidedExactly += r.decidedExactly;
      agg.decidedByFloat += r.decidedByFloat;
      agg.undecided += r.undecided;
      agg.floatFalseAlarms += r.floatFalseAlarms;
      if (r.diverged !== null) agg.diverged++;
      if (r.leftHypothesesAt !== null) agg.leftHypotheses++;
      if (r.maxDefect !== null) {
        agg.defectEvery = DEFECT_EVERY;
        agg.maxStepDefect = Math.max(agg.maxStepDefect ?? 0, r.maxDefect);
      }
      if (r.worstSlack && (agg.worstSlack === null || r.worstSlack.value < agg.worstSlack.value))
        agg.worstSlack = { value: r.worstSlack.value, step: r.worstSlack.step, point: gridToPoint(lemma, g) };
      if (r.maxNeeded > maxNeeded) maxNeeded = r.maxNeeded;
      if (r.maxNeededRatio !== null) maxRatio = Math.max(maxRatio ?? -Infinity, r.maxNeededRatio);
      if (r.constantValue !== null) {
        if (constantSeen !== null && constantSeen !== r.constantValue) constantVaries.v = true;
        constantSeen = r.constantValue;
      }
    }
    if (r.violation) failedOnce = true;
    return r.violation === null;
  });
  // Find a failure without shrinking, then shrink from its path under a time limit: each shrink
  // step reruns a whole trajectory, and an unbounded shrink could take longer than the search.
  let details = await fc.check(property, { seed: opts.seed, numRuns, path: opts.path, endOnFailure: true });
  if (opts.signal?.aborted) throw new InterruptedError();
  if (details.failed && details.counterexamplePath) {
    const shrunk = await fc.check(property, {
      seed: opts.seed,
      numRuns,
      path: details.counterexamplePath,
      interruptAfterTimeLimit: opts.shrinkMs ?? 20_000,
      markInterruptAsFailure: false,
    });
    if (opts.signal?.aborted) throw new InterruptedError();
    if (shrunk.failed && shrunk.counterexample) details = shrunk;
  }
  agg.skippedDraws = skipped;
  if (lemma.tightness) {
    const stated = lemma.spec.constants![lemma.tightness.constant]!;
    agg.tightness = {
      constant: lemma.tightness.constant,
      stated: constantVaries.v || constantSeen === null ? stated : `${stated} = ${(constantSeen as number).toPrecision(6)}`,
      observedMaxNeeded: maxNeeded,
      maxRatio: constantVaries.v ? maxRatio : null,
    };
  }
  const how = lemma.floatOnly ? 'float' : opts.exactAll ? 'exact' : 'exact-near-boundary';
  if (details.failed && details.counterexample) {
    const g = details.counterexample[0];
    const p = gridToPoint(lemma, g);
    const r = run(g)!;
    const v = r.violation!;
    const ce: Counterexample = {
      ...p,
      step: v.step,
      statement: v.statement,
      lhs: Number.isFinite(v.lhs) ? v.lhs : null,
      rhs: Number.isFinite(v.rhs) ? v.rhs : null,
      confirmedExactly: v.confirmedExactly,
      what: v.what,
      seed: opts.seed,
      path: details.counterexamplePath,
      command: replayCommand(lemma, opts, details.counterexamplePath),
    };
    const conf = v.confirmedExactly ? 'confirmed by exact evaluation at the computed iterate' : v.statement === '(trajectory exists)' ? 'divergence of the computed trajectory' : 'float64 only, not confirmed exactly';
    return {
      ...agg,
      kind: 'FALSIFIED',
      established: v.confirmedExactly ? 'exact' : 'float',
      detail: `${v.what} (${conf}); shrunk after ${details.numShrinks} shrinks`,
      counterexample: ce,
    };
  }
  if (details.failed) {
    // fast-check itself failed (e.g. the property threw): an engine error, not a verdict.
    return { ...agg, kind: 'ERROR', established: 'none', detail: `fast-check: ${String((details as any).errorInstance ?? (details as any).error ?? 'failed')}` };
  }
  if (agg.trajectories === 0)
    return { ...agg, kind: 'VACUOUS', established: 'none', detail: `no draw satisfied the hypotheses' relations (${skipped} draws skipped)` };
  if (agg.premiseIterates === 0)
    return { ...agg, kind: 'VACUOUS', established: 'none', detail: `the premise never held in ${agg.trajectories} trajectories${agg.leftHypotheses > 0 ? ` (${agg.leftHypotheses} left the hypotheses along the way)` : ''}: nothing was checked` };
  if (agg.undecided > 0)
    return { ...agg, kind: 'UNDECIDED', established: how, detail: `no violation, but ${agg.undecided} iterates could not be decided exactly` };
  const left = agg.leftHypotheses > 0 ? `; ${agg.leftHypotheses} trajectories left the hypotheses along the way and were checked only up to that iterate` : '';
  const band = how === 'exact-near-boundary' ? ` (float64 with margin ${FLOAT_BAND} relative; ${agg.decidedExactly} iterates decided exactly)` : '';
  return {
    ...agg,
    kind: 'VERIFIED',
    established: how,
    detail: `holds at ${agg.premiseIterates} iterates of ${agg.trajectoriesWithPremise}/${agg.trajectories} trajectories${band}${left}`,
  };
}

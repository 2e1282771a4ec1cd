import fc from 'fast-check';
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledLemma } from '../lemma/compile.js';
import type { LoadedLemma } from '../lemma/load.js';
import type { Arithmetic } from '../dynamics/gd.js';
import { checkTrajectory, DEFECT_EVERY, type TrajectoryResult } from './trajectory-check.js';
import { gridToPoint, pointArbitrary, type Grid } from './draw.js';
import { proveLemma } from './prove.js';
import { isPass, type Counterexample, type Outcome, type Point } from './outcome.js';
import { decide, ExactIterate, type ExactContext } from './decide.js';
import { Interval } from '../numeric/interval.js';
import { Rational } from '../numeric/rational.js';
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
function noEvidence(): Pick<Outcome, 'trajectories' | 'trajectoriesWithPremise' | 'skippedDraws' | 'iterates' | 'premiseIterates' | 'decidedExactly' | 'decidedByFloat' | 'undecided' | 'undefinedIterates' | 'testedPerStatement' | 'stalledTrajectories' | 'firstStall' | 'diverged' | 'leftHypotheses' | 'maxStepDefect' | 'defectEvery' | 'worstSlack' | 'tightness' | 'counterexample'> {
  return {
    trajectories: 0,
    trajectoriesWithPremise: 0,
    skippedDraws: 0,
    iterates: 0,
    premiseIterates: 0,
    decidedExactly: 0,
    decidedByFloat: 0,
    undecided: 0,
    undefinedIterates: 0,
    testedPerStatement: [],
    stalledTrajectories: 0,
    firstStall: null,
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
    certificate: null,
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
    certificate: null,
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
      if (r.status === 'proved') return finish({ ...o, kind: 'PROVED', established: r.method, detail: r.detail, certificate: r.certificate }, t0);
      if (r.status === 'vacuous') return finish({ ...o, kind: 'VACUOUS', established: 'none', detail: r.detail, certificate: r.certificate ?? null }, t0);
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

/** Default budget of trajectory checks for shrinking one counterexample. */
export const SHRINK_RUNS = 300;

/**
 * Whether a draw satisfies the hypotheses exactly: every drawn value inside its range as written
 * (decimal bounds, so max 0.1 means 1/10, not the double above it) and every `where` relation
 * decided like any other comparison (float filter, then exact); a relation that is undefined or
 * cannot be decided at the start excludes the draw.
 */
export function drawSatisfiesHypotheses(lemma: CompiledLemma, model: DerivedModel, p: Point): boolean {
  for (const d of [...lemma.hyperDraws.map((x) => [x, p.hyper[x.name]!] as const), ...lemma.initDraws.map((x) => [x, p.init[x.name]!] as const)]) {
    const [spec, v] = d;
    if (!Number.isFinite(v)) return false;
    if ('fixed' in spec.draw) continue;
    const x = Rational.fromDouble(v);
    if (x.lt(constantToRational(spec.draw.min)) || x.gt(constantToRational(spec.draw.max))) return false;
  }
  if (lemma.where.length === 0) return true;
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
  return lemma.where.every((w) => decide(model, w, E, env, ctx).holds === true);
}

async function sampleLemma(model: DerivedModel, lemma: CompiledLemma, opts: VerifyOptions, o: ReturnType<typeof base>): Promise<Omit<Outcome, 'asExpected' | 'timeMs'>> {
  const arith = opts.arith ?? 'extended';
  const numRuns = Math.max(1, Math.round((opts.runs ?? lemma.runs) * (opts.budget ?? 1)));
  let failedOnce = false;
  let skipped = 0;
  let firstUndecided: string | null = null;
  const agg = { ...o };
  let maxNeeded = -Infinity;
  let maxRatio: number | null = null;
  let constantSeen = null as number | null;
  const constantVaries = { v: false };
  const run = (g: Grid): TrajectoryResult | null => {
    const p = gridToPoint(lemma, g);
    if (!drawSatisfiesHypotheses(lemma, model, p)) {
      if (!failedOnce) skipped++;
      return null;
    }
    const init = model.params.map((k) => p.init[k]!);
    return checkTrajectory(model, lemma, p.hyper, init, { arith, exactAll: opts.exactAll });
  };
  // Shrinking is bounded by a count of trajectory checks: once spent, every further candidate
  // "passes" at once, so fast-check stops descending and keeps the smallest failure found so far.
  let shrinkLeft = Infinity;
  const property = fc.asyncProperty(pointArbitrary(lemma), async (g) => {
    await yieldToSignals();
    // Once aborted, every remaining run passes at once so fast-check returns; the caller throws.
    if (opts.signal?.aborted) return true;
    if (shrinkLeft <= 0) return true;
    shrinkLeft--;
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
      if (firstUndecided === null && r.firstUndecided !== null) firstUndecided = r.firstUndecided;
      agg.undefinedIterates += r.undefinedIterates;
      r.tested.forEach((n, k) => (agg.testedPerStatement[k] = (agg.testedPerStatement[k] ?? 0) + n));
      if (r.stalledAt !== null) {
        agg.stalledTrajectories++;
        if (agg.firstStall === null || r.stalledAt < agg.firstStall.step) agg.firstStall = { step: r.stalledAt, point: gridToPoint(lemma, g) };
      }
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
  // Find a failure without shrinking, then shrink from its path with a budget of trajectory checks:
  // each shrink step reruns a whole trajectory, and an unbounded shrink could take longer than the search.
  let details = await fc.check(property, { seed: opts.seed, numRuns, path: opts.path, endOnFailure: true });
  if (opts.signal?.aborted) throw new InterruptedError();
  if (details.failed && details.counterexamplePath) {
    shrinkLeft = opts.shrinkRuns ?? SHRINK_RUNS;
    const shrunk = await fc.check(property, { seed: opts.seed, numRuns, path: details.counterexamplePath });
    shrinkLeft = Infinity;
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
  const how = lemma.floatOnly ? 'float' : opts.exactAll ? 'exact' : 'interval-or-exact';
  const stall = agg.stalledTrajectories > 0 ? `; ${agg.stalledTrajectories} computed orbits stalled at a float rounding fixed point (first at step ${agg.firstStall!.step}) while exact GD moves on: their later iterates repeat one point` : '';
  const undef = agg.undefinedIterates > 0 ? `; ${agg.undefinedIterates} statement evaluations skipped where a term was undefined` : '';
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
    const conf = v.confirmedExactly ? 'decided rigorously at the computed iterate (interval filter or exact arithmetic)' : v.statement === '(trajectory exists)' ? 'divergence of the computed trajectory' : 'float64 only, not confirmed exactly';
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
  const never = lemma.statements.findIndex((_, k) => (agg.testedPerStatement[k] ?? 0) === 0);
  if (never >= 0)
    return { ...agg, kind: 'VACUOUS', established: 'none', detail: `statement "${lemma.statements[never]!.text}" was never tested: its terms were undefined at every iterate where the premises held (${agg.undefinedIterates} evaluations)` };
  if (agg.undecided > 0)
    return { ...agg, kind: 'UNDECIDED', established: how, detail: `no violation, but ${agg.undecided} iterates could not be decided exactly (first: ${firstUndecided ?? 'unknown'})` };
  const left = agg.leftHypotheses > 0 ? `; ${agg.leftHypotheses} trajectories left the hypotheses along the way and were checked only up to that iterate` : '';
  const band = how === 'interval-or-exact' ? ` (outward-rounded interval filter; ${agg.decidedExactly} comparisons it could not separate decided exactly)` : '';
  return {
    ...agg,
    kind: 'VERIFIED',
    established: how,
    detail: `holds at ${agg.premiseIterates} iterates of ${agg.trajectoriesWithPremise}/${agg.trajectories} trajectories${band}${left}${undef}${stall}`,
  };
}

/**
 * Peer benchmark: eos-check against an independent SymPy + NumPy + Hypothesis script
 * (bench/peers/eta_s_hypothesis.py) on one claim,
 *
 *   eta * S_t <= 2.5 for every GD iterate t = 0..4000, eta in [1.3, 1.9], lambda1 = 1,
 *   lambda2 in [1e-3, 1e-2] (log), theta_0 = (1, b1, 0), b1 in [1e-4, 1e-1] (log).
 *
 * The claim is false, so both tools stop at the first failing trajectory; the figures are iterate checks
 * per second over the search up to that failure, and the time to the first counterexample. Each tool's
 * counterexample is re-checked by the other one.
 *
 * Usage: npx tsx -e "import('./bench/peer-compare.ts').then(async m => console.log(await m.peerFigures()))"
 * Runs in about 30 s on a 2-core machine (the peer's Python start-up and SymPy derivation, about 1.5 s per
 * process, are outside its timed search, like our model derivation).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { deriveModel } from '../src/symbolic/derive.js';
import { minimalistModel } from '../src/model/minimalist.js';
import { defineLemma, type Draw, type LemmaSpec } from '../src/lemma/types.js';
import { compileLemma } from '../src/lemma/compile.js';
import { verifyLemma, SHRINK_RUNS, type VerifyOptions } from '../src/check/verify.js';
import { DEFAULT_SEED } from '../src/check/catalogue.js';
import type { Outcome } from '../src/check/outcome.js';
import type { Arithmetic } from '../src/dynamics/gd.js';

/** Trajectories our checker may draw (runs) and examples Hypothesis may generate (max_examples): the same budget. */
export const EXAMPLES = 100;
const STEPS = 4000;
/** Timed repetitions of our search (median), after one warm-up; and of the peer's process. */
const REPS = 5;
const PEER_REPS = 3;
const PEER_SCRIPT = fileURLToPath(new URL('./peers/eta_s_hypothesis.py', import.meta.url));

function peerLemma(hyper: Record<string, Draw>, init: Record<string, Draw>): LemmaSpec {
  return defineLemma({
    id: 'peer-eta-s-at-most-two-and-a-half',
    title: 'Peer benchmark claim: eta S_t <= 2.5 at every step',
    claim: 'C6',
    provenance: 'variant',
    description: 'The claim of bench/peer-compare.ts, checked by eos-check and by bench/peers/eta_s_hypothesis.py.',
    hypotheses: { hyper, init },
    quantifier: { kind: 'every-step' },
    statement: 'eta * S <= 2.5',
    steps: STEPS,
    runs: EXAMPLES,
    expect: 'holds',
  });
}

const CLAIM_HYPER: Record<string, Draw> = { eta: { min: 1.3, max: 1.9 }, lambda1: 1, lambda2: { min: 1e-3, max: 1e-2, scale: 'log' } };
const CLAIM_INIT: Record<string, Draw> = { alpha: 1, beta1: { min: 1e-4, max: 1e-1, scale: 'log' }, beta2: 0 };

interface PeerViolation {
  step: number;
  etaS: number | null;
  diverged: boolean;
  theta: number[];
  minAbsBeta1: number;
}
interface PeerExample extends PeerViolation {
  eta: number;
  lambda1: number;
  lambda2: number;
  beta10: number;
}
interface PeerRun {
  examples: number;
  iterateChecks: number;
  seconds: number;
  checksPerSecond: number | null;
  firstCounterexampleSeconds: number | null;
  examplesToFirstCounterexample: number | null;
  checksToFirstCounterexample: number | null;
  counterexample: PeerExample | null;
  loss: string;
  versions: Record<string, string>;
}
interface PeerPoint {
  iterateChecks: number;
  violation: PeerViolation | null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
const rate = (x: number) => x.toExponential(3);
const ms = (x: number) => `${x.toFixed(1)} ms`;
const ratio = (x: number, y: number) => `${(x / y).toFixed(3)}`;

/** Why the peer cannot run here, or null. */
function peerUnavailable(): string | null {
  const r = spawnSync('python3', ['-c', 'import numpy, sympy, hypothesis'], { encoding: 'utf8' });
  if (r.error) return `python3 could not be started (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  if (r.status !== 0) {
    const missing = /No module named '([^']+)'/.exec(r.stderr ?? '');
    return missing ? `python3 has no module ${missing[1]}` : `python3 -c "import numpy, sympy, hypothesis" failed: ${(r.stderr ?? '').trim().split('\n').pop()}`;
  }
  return null;
}

function runPeer<T>(args: string[]): T {
  const r = spawnSync('python3', [PEER_SCRIPT, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (r.error || r.status !== 0) throw new Error(`peer ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

const normalize = (e: string) => e.replace(/\s+/g, '');

export async function peerFigures(): Promise<{ name: string; value: string }[]> {
  const out: { name: string; value: string }[] = [];
  const fig = (name: string, value: string) => out.push({ name, value });
  fig('machine load average at start', loadavg().map((x) => x.toFixed(2)).join(' '));

  const model = deriveModel(minimalistModel);
  const lemma = compileLemma(peerLemma(CLAIM_HYPER, CLAIM_INIT), model, 'peer-compare');
  const verify = (opts: Partial<VerifyOptions>, l = lemma) => verifyLemma(model, l, { seed: DEFAULT_SEED, runs: EXAMPLES, ...opts });
  const timed = async (opts: Partial<VerifyOptions>): Promise<{ o: Outcome; ms: number }> => {
    const t0 = performance.now();
    const o = await verify(opts);
    return { o, ms: performance.now() - t0 };
  };

  // --- ours: the search to the first failure, without shrinking (shrinkRuns 0), in both arithmetics.
  const first = await timed({ shrinkRuns: 0 });
  const ours: Record<Arithmetic, { rate: number; ms: number; o: Outcome }> = {} as never;
  for (const arith of ['extended', 'float64'] as const) {
    await verify({ shrinkRuns: 0, arith }); // warm-up
    const reps: { o: Outcome; ms: number }[] = [];
    for (let i = 0; i < REPS; i++) reps.push(await timed({ shrinkRuns: 0, arith }));
    const m = median(reps.map((r) => r.ms));
    ours[arith] = { rate: reps[0]!.o.iterates / (m / 1000), ms: m, o: reps[0]!.o };
  }
  const o = ours.extended.o;
  const shrunk = await timed({ shrinkRuns: SHRINK_RUNS });
  const describe = (x: Outcome) =>
    x.counterexample
      ? `FALSIFIED at trajectory ${x.trajectories}: eta = ${x.counterexample.hyper.eta}, lambda2 = ${x.counterexample.hyper.lambda2}, beta1_0 = ${x.counterexample.init.beta1}, step ${x.counterexample.step}, eta*S = ${x.counterexample.lhs}${x.counterexample.confirmedExactly ? ' (rigorous)' : ''}`
      : `${x.kind}: ${x.detail}`;

  const base = `${EXAMPLES} runs x ${STEPS} steps, seed ${DEFAULT_SEED}, warm, median of ${REPS}`;
  fig(`ours: outcome (${EXAMPLES} runs, no shrinking)`, describe(o));
  fig(`ours: iterate checks/s, extended arithmetic (${base})`, `${rate(ours.extended.rate)} (${o.iterates} checks in ${o.trajectories} trajectories, ${ms(ours.extended.ms)})`);
  fig(`ours: iterate checks/s, float64 arithmetic (${base})`, `${rate(ours.float64.rate)} (${ours.float64.o.iterates} checks, ${ms(ours.float64.ms)})`);
  const firstNote = 'shrinkRuns 0: no shrinking; includes the report re-run of the failing trajectory';
  fig(`ours: time to first counterexample, extended (${firstNote}; ${base})`, o.counterexample ? `${ms(ours.extended.ms)} (found at trajectory ${o.trajectories})` : `none found (${ms(ours.extended.ms)})`);
  fig(`ours: time to first counterexample, extended, first run in this process (JIT cold)`, ms(first.ms));
  fig(`ours: time to shrunk counterexample, extended (shrinkRuns ${SHRINK_RUNS}, 1 run)`, `${ms(shrunk.ms)}; ${describe(shrunk.o)}`);

  // --- the peer.
  const why = peerUnavailable();
  if (why) {
    fig('peer (SymPy + NumPy + Hypothesis, bench/peers/eta_s_hypothesis.py)', `skipped: ${why}`);
    return out;
  }
  const searches = Array.from({ length: PEER_REPS }, () => runPeer<PeerRun>([String(EXAMPLES), '--no-shrink']));
  const p = searches[0]!;
  if (normalize(p.loss) !== normalize(minimalistModel.loss)) {
    fig('peer', `skipped: its loss "${p.loss}" differs from src/model/minimalist.ts "${minimalistModel.loss}"`);
    return out;
  }
  const peerRate = median(searches.map((r) => r.checksPerSecond ?? 0));
  const peerFirst = searches.every((r) => r.firstCounterexampleSeconds !== null) ? median(searches.map((r) => r.firstCounterexampleSeconds!)) * 1000 : null;
  const peerShrunk = runPeer<PeerRun>([String(EXAMPLES)]);
  const v = Object.entries(p.versions).map(([k, x]) => `${k} ${x}`).join(', ');
  const pbase = `max_examples ${EXAMPLES}, derandomized, ${STEPS} steps, float64, median of ${PEER_REPS} processes`;
  const describePeer = (r: PeerRun) =>
    r.counterexample
      ? `FALSIFIED at example ${r.examplesToFirstCounterexample ?? r.examples}: eta = ${r.counterexample.eta}, lambda2 = ${r.counterexample.lambda2}, beta1_0 = ${r.counterexample.beta10}, step ${r.counterexample.step}, eta*S = ${r.counterexample.etaS ?? 'diverged'} (min |beta1| on the way ${r.counterexample.minAbsBeta1.toExponential(2)})`
      : `no counterexample in ${r.examples} examples`;
  fig(`peer: versions`, v);
  fig(`peer: outcome (max_examples ${EXAMPLES}, no shrink phase)`, describePeer(p));
  fig(`peer: iterate checks/s (${pbase})`, `${rate(peerRate)} (${p.iterateChecks} checks in ${p.examples} examples)`);
  fig(`ratio peer / ours, iterate checks/s, extended`, ratio(peerRate, ours.extended.rate));
  fig(`ratio peer / ours, iterate checks/s, float64`, ratio(peerRate, ours.float64.rate));
  const times = ours.extended.rate / peerRate;
  fig(`  target: ours >= 100x the peer in iterate checks/s`, times >= 100 ? `met (${times.toFixed(1)}x)` : `NOT met (${times.toFixed(2)}x; profile in README "Performance")`);
  fig(`peer: time to first counterexample (Hypothesis search, excluding imports and SymPy; ${pbase})`, peerFirst === null ? 'none found' : `${ms(peerFirst)} (found at example ${p.examplesToFirstCounterexample})`);
  fig(
    `ratio ours / peer, time to first counterexample (ours extended, warm)`,
    peerFirst === null || !o.counterexample ? 'n/a (one of them found none)' : ratio(ours.extended.ms, peerFirst),
  );
  fig(`peer: time to shrunk counterexample (Hypothesis generate + shrink phases, 1 process)`, `${ms(peerShrunk.seconds * 1000)}; ${describePeer(peerShrunk)}, ${peerShrunk.examples} examples in all`);

  // --- cross-checks: each tool's shrunk counterexample, re-checked by the other tool.
  if (peerShrunk.counterexample) {
    const c = peerShrunk.counterexample;
    const at = compileLemma(peerLemma({ eta: c.eta, lambda1: c.lambda1, lambda2: c.lambda2 }, { alpha: 1, beta1: c.beta10, beta2: 0 }), model, 'peer-compare');
    const r = await verify({ runs: 1, shrinkRuns: 0 }, at);
    fig(`cross-check: ours at the peer's shrunk counterexample`, r.counterexample ? `FALSIFIED at step ${r.counterexample.step}, eta*S = ${r.counterexample.lhs} (peer: step ${c.step}, ${c.etaS})` : `${r.kind}: ${r.detail}`);
  }
  if (shrunk.o.counterexample) {
    const c = shrunk.o.counterexample;
    const r = runPeer<PeerPoint>(['--point', String(c.hyper.eta), String(c.hyper.lambda2), String(c.init.beta1)]);
    fig(`cross-check: peer at our shrunk counterexample`, r.violation ? `fails at step ${r.violation.step}, eta*S = ${r.violation.etaS} (ours: step ${c.step}, ${c.lhs})` : `holds at all ${r.iterateChecks} iterates (ours: fails at step ${c.step})`);
  }
  return out;
}

/**
 * Issue 25's side-by-side, in one run: the true claim
 *
 *   eta S_t <= 3.2 for t = 0..4000, eta in [1.3, 1.5], lambda1 = 1, lambda2 in [1e-3, 1e-2] (log),
 *   theta_0 = (1, b1, 0), b1 in [1e-4, 1e-1] (log),
 *
 * checked by eos-check (in this thread, rigorous and faithful), by the SymPy + NumPy + Hypothesis peer
 * (bench/peers/eta_s_hypothesis.py), by the vectorized NumPy batch peer (bench/peers/eta_s_numpy_batch.py:
 * closed-form 3x3 sharpness, and batched eigvalsh), and by the hand-written ceiling loop (bench/ceiling.ts:
 * a float64 GD step plus a rigorous Sylvester test, a priori and outward-rounded), with the ratios. The
 * peers are neither rigorous nor faithful (float64, beta1 underflows); the ceiling is rigorous, not
 * faithful. Without python3 and numpy the Python figures say so on their line.
 *
 * Run alone: npx tsx -e "import('./bench/peer-batch.ts').then(async m => { for (const f of await m.peerBatchFigures()) console.log(f.name, f.value) })"
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { deriveModel } from '../src/symbolic/derive.js';
import { minimalistModel } from '../src/model/minimalist.js';
import { defineLemma } from '../src/lemma/types.js';
import { compileLemma } from '../src/lemma/compile.js';
import { verifyLemma } from '../src/check/verify.js';
import { checkTrajectory } from '../src/check/trajectory-check.js';
import { DEFAULT_SEED } from '../src/check/catalogue.js';
import { ceilingApriori, ceilingOutward, claimDraws } from './ceiling.js';

const STEPS = 4000;
const RUNS = 100;
const REPS = 3;
/** NumPy batch lanes: large enough that NumPy's per-call overhead is spread thin, as a researcher would run it. */
const LANES = 4096;
const CEILING_TRAJECTORIES = 400;
const STEADY_TRAJECTORIES = 40;
const peer = (name: string) => fileURLToPath(new URL(`./peers/${name}`, import.meta.url));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
const rate = (x: number) => x.toExponential(3);

/** Why a Python peer cannot run here ("python3 has no module numpy"), or null. */
function pythonMissing(modules: string): string | null {
  const r = spawnSync('python3', ['-c', `import ${modules}`], { encoding: 'utf8' });
  if (r.error) return `python3 could not be started (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  if (r.status !== 0) {
    const m = /No module named '([^']+)'/.exec(r.stderr ?? '');
    return m ? `python3 has no module ${m[1]}` : `python3 -c "import ${modules}" failed: ${(r.stderr ?? '').trim().split('\n').pop()}`;
  }
  return null;
}

function runPython<T>(script: string, args: string[]): T {
  const r = spawnSync('python3', [peer(script), ...args], { encoding: 'utf8', timeout: 600_000 });
  if (r.error || r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

export async function peerBatchFigures(): Promise<{ name: string; value: string }[]> {
  const out: { name: string; value: string }[] = [];
  const fig = (name: string, value: string) => out.push({ name, value });
  const claim = `eta S_t <= 3.2, t <= ${STEPS}, eta in [1.3, 1.5], lambda2 in [1e-3, 1e-2] log, b1 in [1e-4, 1e-1] log`;
  fig(`issue 25 claim (${claim}): load average at start`, loadavg().map((x) => x.toFixed(2)).join(' '));

  // --- ours: one thread, in-process, the lemma's random draws and its guided search.
  const model = deriveModel(minimalistModel);
  const lemma = compileLemma(
    defineLemma({
      id: 'issue-25-eta-s-at-most-3-2', title: 'eta S_t <= 3.2', claim: 'C6', provenance: 'variant', description: 'bench/peer-batch.ts',
      hypotheses: { hyper: { eta: { min: 1.3, max: 1.5 }, lambda1: 1, lambda2: { min: 1e-3, max: 1e-2, scale: 'log' } }, init: { alpha: 1, beta1: { min: 1e-4, max: 1e-1, scale: 'log' }, beta2: 0 } },
      quantifier: { kind: 'every-step' }, statement: 'eta * S <= 3.2', steps: STEPS, runs: RUNS, expect: 'holds',
    }),
    model,
    'peer-batch',
  );
  const oursRuns: { rate: number; ms: number; iterates: number; kind: string }[] = [];
  for (let i = 0; i <= REPS; i++) {
    const t0 = performance.now();
    const o = await verifyLemma(model, lemma, { seed: DEFAULT_SEED });
    const ms = performance.now() - t0;
    if (i > 0) oursRuns.push({ rate: (o.iterates / ms) * 1000, ms, iterates: o.iterates, kind: o.kind });
  }
  const ours = median(oursRuns.map((r) => r.rate));
  fig(`ours, 1 thread (${RUNS} runs + search, extended, rigorous; median of ${REPS} after a warm-up): lemma-iterate checks/s`, `${rate(ours)} (${oursRuns[0]!.kind}, ${oursRuns[0]!.iterates} checks, ${median(oursRuns.map((r) => r.ms)).toFixed(0)} ms)`);

  // --- the steady loop against the state machine alone (check/steady-run.ts), interleaved round by round.
  const sd = claimDraws(STEADY_TRAJECTORIES, 2);
  const pass = (steady: boolean, fused = true) => {
    const t0 = performance.now();
    let iterates = 0;
    let settled = 0;
    for (let i = 0; i < STEADY_TRAJECTORIES; i++) {
      const r = checkTrajectory(model, lemma, { eta: sd.eta[i]!, lambda1: 1, lambda2: sd.lambda2[i]! }, [1, sd.beta1[i]!, 0], { arith: 'extended', steady, fused });
      iterates += r.iterates;
      settled += r.steadyIterates;
    }
    return { rate: (iterates / (performance.now() - t0)) * 1000, settled: settled / iterates };
  };
  pass(true);
  pass(false);
  const rounds = Array.from({ length: 5 }, () => {
    const on = pass(true);
    const off = pass(false);
    return { on, off, ratio: on.rate / off.rate };
  });
  fig(
    `ours, checkTrajectory alone (${STEADY_TRAJECTORIES} trajectories, extended): with the steady loop / the state machine at every iterate (interleaved, median of 5): checks/s`,
    `${rate(median(rounds.map((r) => r.on.rate)))} / ${rate(median(rounds.map((r) => r.off.rate)))}, ratio ${median(rounds.map((r) => r.ratio)).toFixed(3)} (${(100 * rounds[0]!.on.settled).toFixed(1)}% of iterates settled in the steady loop)`,
  );

  // --- the fused rung (check/fused-rung.ts) against the interval rung alone, both in the steady loop, interleaved.
  pass(true, false);
  const fusedRounds = Array.from({ length: 5 }, () => {
    const on = pass(true, true);
    const off = pass(true, false);
    return { on, off, ratio: on.rate / off.rate };
  });
  fig(
    `ours, checkTrajectory alone (${STEADY_TRAJECTORIES} trajectories, extended), steady loop: fused rung first / interval rung only (interleaved, median of 5): checks/s`,
    `${rate(median(fusedRounds.map((r) => r.on.rate)))} / ${rate(median(fusedRounds.map((r) => r.off.rate)))}, ratio ${median(fusedRounds.map((r) => r.ratio)).toFixed(3)}`,
  );

  // --- the ceiling loop.
  const d = claimDraws(CEILING_TRAJECTORIES);
  const ceil: Record<string, number> = {};
  for (const [name, f] of [['a priori error bound', ceilingApriori], ['every operation rounded outward', ceilingOutward]] as const) {
    f(d, 100);
    const rs = Array.from({ length: 5 }, () => f(d, STEPS));
    ceil[name] = median(rs.map((r) => r.rate));
    fig(`ceiling loop (bench/ceiling.ts: float64 step + Sylvester test, ${name}; ${CEILING_TRAJECTORIES} trajectories, median of 5): checks/s`, `${rate(ceil[name]!)} (${rs[0]!.undecided} undecided)`);
  }

  // --- the Python peers.
  const pyRates: Record<string, number> = {};
  const noNumpy = pythonMissing('numpy, sympy');
  if (noNumpy) fig('NumPy batch peer (bench/peers/eta_s_numpy_batch.py)', `SKIPPED: ${noNumpy}`);
  else {
    type Batch = { checksPerSecond: number; iterateChecks: number; violatingLanes: number; maxEtaS: number; minAbsBeta1: number; versions: Record<string, string> };
    for (const [eig, lanes, reps] of [['closed', LANES, 3], ['eigvalsh', LANES / 4, 1]] as const) {
      const r = runPython<Batch>('eta_s_numpy_batch.py', [String(lanes), '--steps', String(STEPS), '--eig', eig, '--reps', String(reps)]);
      pyRates[eig] = r.checksPerSecond;
      fig(
        `NumPy batch peer, ${eig === 'closed' ? 'closed-form 3x3 sharpness' : 'batched eigvalsh'} (${lanes} lanes in lockstep, float64, median of ${reps}): checks/s`,
        `${rate(r.checksPerSecond)} (${r.violatingLanes} violating lanes, max eta S ${r.maxEtaS.toFixed(4)}, min |beta1| ${r.minAbsBeta1.toExponential(2)}; numpy ${r.versions.numpy})`,
      );
    }
  }
  const noHyp = pythonMissing('numpy, sympy, hypothesis');
  if (noHyp) fig('Hypothesis peer (bench/peers/eta_s_hypothesis.py)', `SKIPPED: ${noHyp}`);
  else {
    type Hyp = { checksPerSecond: number; iterateChecks: number; examples: number; counterexample: unknown };
    const rs = Array.from({ length: REPS }, () => runPython<Hyp>('eta_s_hypothesis.py', [String(RUNS), '--no-shrink', '--bound', '3.2', '--eta', '1.3', '1.5']));
    pyRates.hypothesis = median(rs.map((r) => r.checksPerSecond));
    fig(`Hypothesis peer (SymPy + NumPy + Hypothesis, max_examples ${RUNS}, float64, median of ${REPS} processes): checks/s`, `${rate(pyRates.hypothesis)} (${rs[0]!.iterateChecks} checks in ${rs[0]!.examples} examples, ${rs[0]!.counterexample ? 'a counterexample' : 'no counterexample'})`);
  }

  // --- ratios, from this one run.
  const x = (a: number | undefined) => (a === undefined ? 'n/a (peer skipped)' : `${(ours / a).toFixed(3)}x`);
  fig('ratio ours / NumPy batch closed form, / NumPy eigvalsh, / Hypothesis', `${x(pyRates.closed)}, ${x(pyRates.eigvalsh)}, ${x(pyRates.hypothesis)}`);
  fig('ratio ours / ceiling a priori, / ceiling outward', `${x(ceil['a priori error bound'])}, ${x(ceil['every operation rounded outward'])}`);
  const met = (ok: boolean, what: string) => (ok ? `met (${what})` : `NOT met (${what})`);
  fig('  target: >= 1e7 checks/s per core on this claim', met(ours >= 1e7, rate(ours)));
  if (pyRates.closed !== undefined) fig('  target: >= 1x the NumPy batch peer with the closed form', met(ours >= pyRates.closed, x(pyRates.closed)));
  if (pyRates.hypothesis !== undefined) fig('  target: >= 10x the Hypothesis peer', met(ours >= 10 * pyRates.hypothesis, x(pyRates.hypothesis)));
  return out;
}

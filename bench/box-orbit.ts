/**
 * Throughput of the box-orbit engine (src/dynamics/box-orbit.ts, box-split.ts) on the minimalist
 * model: `npx tsx bench/box-orbit.ts`. Not a test: nothing here decides an outcome; it prints the
 * steps enclosed (a count, the same on any machine) and the time per box and per box-step (which
 * depend on the machine and its load, printed beside them). The last section (alone with `--reach`)
 * decides lemmas on boxes of starts as the checker does (src/check/box-reach.ts): the proved share of
 * the hypothesis volume (exact), boxes per second and the cost per box-step, for C12 and C8 on the
 * catalogue's EoS regime and on a stable-regime box, and for a scalar-d2 claim.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { deriveModel } from '../src/symbolic/derive.js';
import { loadPack } from '../src/model/pack.js';
import { Rational } from '../src/numeric/rational.js';
import { encloseBoxOrbit, type StartBox } from '../src/dynamics/box-orbit.js';
import { subdivide } from '../src/dynamics/box-split.js';

const model = deriveModel(loadPack('minimalist').spec);
const R = (s: string) => Rational.fromDecimalString(s);
const pm = (c: string, w: string) => [R(c).sub(R(w)), R(c).add(R(w))] as const;
const fixed = (c: string) => [R(c), R(c)] as const;

/** Run R1 of docs/paper.md (eta 1.9, lambda2 1e-3, start (1, 0.01, 0)) widened to a box of starts and etas. */
const r1: StartBox = {
  params: { alpha: pm('1', '1e-6'), beta1: pm('0.01', '1e-8'), beta2: [R('0'), R('1e-6')] },
  hypers: { eta: pm('1.9', '1e-9'), lambda1: fixed('1'), lambda2: fixed('0.001') },
};
/** A wider box, for subdivision: too wide to enclose whole through 300 steps (beta1's hull passes 0.5 at step 2xx). */
const wide: StartBox = {
  params: { alpha: pm('1', '1e-3'), beta1: pm('0.01', '1e-4'), beta2: [R('0'), R('1e-4')] },
  hypers: { eta: pm('1.9', '1e-4'), lambda1: fixed('1'), lambda2: fixed('0.001') },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(f: () => T, reps: number): { ms: number; value: T } {
  let value = f(); // warm-up: compiles the programs
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    value = f();
    ts.push(performance.now() - t0);
  }
  return { ms: median(ts), value };
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`load average before: ${load()}`);
/** --reach: only the lemma-checking section at the end. */
const reachOnly = process.argv.includes('--reach');
for (const form of reachOnly ? [] : (['lohner', 'interval'] as const)) {
  const { ms, value: o } = time(() => encloseBoxOrbit(model, r1, 4000, { bits: 128, form, maxWidth: 0.5 }), 3);
  const w = o.hulls[o.steps]!.map((x) => x.width().toNumber().toExponential(2)).join(', ');
  console.log(`R1 box, ${form}, 128 bits: ${o.steps} steps enclosed (${o.status}${o.wideParam ? ` in ${o.wideParam}` : ''}), widths at the last step ${w}; ${ms.toFixed(0)} ms, ${((1000 * o.steps) / ms).toFixed(0)} steps/s, ${(1000 / ms).toFixed(2)} boxes/s`);
}
if (!reachOnly) {
  const steps = 300;
  const { ms, value: s } = time(() => subdivide(model, wide, steps, { bits: 128, maxWidth: 0.5, maxBoxes: 32 }), 1);
  const finished = s.leaves.filter((l) => l.state === 'finished');
  const boxSteps = s.leaves.reduce((n, l) => n + l.orbit.steps, 0);
  const fraction = finished.reduce((v, l) => v + 2 ** -l.depth, 0);
  const root = encloseBoxOrbit(model, wide, steps, { bits: 128, maxWidth: 0.5 });
  console.log(`wide box whole: ${root.status} at step ${root.steps}${root.wideParam ? ` (${root.wideParam})` : ''}`);
  console.log(
    `wide box, subdivide to ${steps} steps, budget 32: ${s.enclosed} boxes enclosed, ${s.leaves.length} leaves, ${finished.length} finished (${(100 * fraction).toFixed(1)}% of the volume); ` +
      `${ms.toFixed(0)} ms, ${((1000 * s.enclosed) / ms).toFixed(2)} boxes/s, leaves' steps ${boxSteps}`,
  );
}
console.log(`load average after: ${load()}`);

// ---- reachability wired into lemma checking (src/check/box-reach.ts) ----------------------------------
// Boxes per second and the cost per box-step of deciding lemmas on boxes: a lemma's units run one after
// another in this thread, each box's orbit enclosed and its relations decided at every step.
{
  const { compileLemma } = await import('../src/lemma/compile.js');
  const { reachUnitCount, summarize } = await import('../src/check/box-reach.js');
  const { runReachUnit } = await import('../src/check/verify.js');
  const { eosRegime } = await import('../lemmas/shared/regimes.js');
  type Spec = Parameters<typeof compileLemma>[0];
  const reach = async (name: string, spec: Spec, budget: number, pack = model) => {
    const lemma = compileLemma(spec, pack, 'bench');
    const t0 = performance.now();
    const units = [];
    for (let u = 0; u < reachUnitCount(lemma); u++) units.push(await runReachUnit(pack, lemma, { seed: 1 }, budget, u));
    const ms = performance.now() - t0;
    const s = summarize(units, budget, lemma.steps, null, false, lemma.quantifier.kind === 'invariant');
    console.log(
      `${name}: proved ${s.percent.proved} (exactly ${s.fractions.proved}; for every t ${s.fractions.everyT}, through step ${lemma.steps} ${s.fractions.upToT}), refuted ${s.percent.refuted}, open ${s.percent.open}; ` +
        `${s.enclosed} boxes, ${s.boxSteps} box-steps in ${ms.toFixed(0)} ms: ${((1000 * s.enclosed) / ms).toFixed(2)} boxes/s, ${((1000 * ms) / s.boxSteps).toFixed(0)} us per box-step` +
        (s.open[0] ? `; first open: ${s.open[0].why}` : ''),
    );
  };
  // The catalogue's C12 statement, and its first half alone: beta1_next^2 <= beta1^2 follows from q_osc <= 2
  // (c3-beta1-contracts-if-stable, PROVED), but on a box it compares two enclosures whose correlation is lost.
  const c12 = ['q_osc <= 2', 'beta1_next^2 <= beta1^2'];
  const c12q = ['q_osc <= 2'];
  const base = { claim: 'C12', provenance: 'variant', description: 'bench', runs: 1, expect: 'holds' } as const;
  // C12 on the catalogue's own hypotheses (the EoS regime, eta up to 1.95): the claim after the event, here from
  // the first step the event may hold (after-event; the catalogue's eventually/from T_event reads T_event).
  await reach('C12 (stays in the stable set) on the EoS regime, after eta S_GFS < 2, 3000 steps, budget 64', { ...base, id: 'c12-eos', title: 'c12', hypotheses: eosRegime, quantifier: { kind: 'after-event', event: 'eta * S_GFS < 2' }, statement: c12, steps: 3000 }, 64);
  // A stable-regime box (eta lambda1 alpha^2 <= 1.45 at the start, beta1 small): every step through 1000.
  const stable = { hyper: { eta: { min: 1.5, max: 1.6 }, lambda1: 1, lambda2: 0.01 }, init: { alpha: { min: 0.9, max: 0.95 }, beta1: { min: 0.001, max: 0.002 }, beta2: { min: 0.9, max: 1 } } };
  await reach('C12 first half (q_osc <= 2) on the EoS regime, after eta S_GFS < 2, 3000 steps, budget 64', { ...base, id: 'c12q-eos', title: 'c12', hypotheses: eosRegime, quantifier: { kind: 'after-event', event: 'eta * S_GFS < 2' }, statement: c12q, steps: 3000 }, 64);
  for (const budget of [8, 64]) {
    await reach(`C12 first half (q_osc <= 2) on a stable-regime box, every step through 1000, budget ${budget}`, { ...base, id: 'c12q-stable', title: 'c12', hypotheses: stable, quantifier: { kind: 'every-step' }, statement: c12q, steps: 1000 }, budget);
    await reach(`C12 on a stable-regime box, every step through 1000, budget ${budget}`, { ...base, id: 'c12-stable', title: 'c12', hypotheses: stable, quantifier: { kind: 'every-step' }, statement: c12, steps: 1000 }, budget);
    await reach(`C8 (L_next <= L) on the same box, every step through 1000, budget ${budget}`, { ...base, id: 'c8-stable', title: 'c8', claim: 'C8', hypotheses: stable, quantifier: { kind: 'every-step' }, statement: 'L_next <= L', steps: 1000 }, budget);
  }
  // The catalogue's box lemma (lemmas/c12-stable-set-box.ts): the set q_osc <= 2 implies the whole statement (use,
  // proved by Z3 once per lemma, included in the first unit's time), so the steps whose enclosure lies in it are decided.
  const { default: c12box } = await import('../lemmas/c12-stable-set-box.js');
  for (const [steps, budget] of [[200, 16], [1000, 64]] as const) await reach(`C12 box lemma (use-set q_osc <= 2), through step ${steps}, budget ${budget}`, { ...c12box[0]!, id: `c12-box-${steps}`, steps }, budget);
  const d2 = deriveModel(loadPack('scalar-d2').spec);
  await reach('scalar-d2: L <= 1/2 every step through 30 from w in [0.6, 0.7]^2, eta in [0.05, 0.055], budget 64', { ...base, id: 'd2', title: 'd2', claim: 'D4', hypotheses: { hyper: { eta: { min: 0.05, max: 0.055 } }, init: { w1: { min: 0.6, max: 0.7 }, w2: { min: 0.6, max: 0.7 } } }, quantifier: { kind: 'every-step' }, statement: 'L <= 0.5', steps: 30 }, 64, d2);
  console.log(`load average after reachability: ${load()}`);
}

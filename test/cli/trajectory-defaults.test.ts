/**
 * A pack's `defaults` (issue 22 item 4): `trajectory --model P` with no other option runs the pack's
 * default hyperparameters, start and steps, and the run shows the pack's phenomenon, judged by the
 * sweep's own classifier (src/sweep/classify.ts): edge of stability for the minimalist and scalar packs,
 * a catapult for the catapult packs. `sweep` takes the same defaults for what it is not given.
 */
import { describe, expect, it } from 'vitest';
import { listPacks, loadPack, type ModelPack } from '../../src/model/pack.js';
import { parse } from '../../src/cli/args.js';
import { sweepSpec } from '../../src/cli/sweep.js';
import { classify, DEFAULT_CATAPULT, DEFAULT_TOL, isConverged } from '../../src/sweep/classify.js';
import { runCli } from '../support/cli.js';

const PACKS = listPacks();
/** What each pack's default run is there to show. */
const PHENOMENON: Record<string, 'eos' | 'catapult'> = {
  minimalist: 'eos',
  'catapult-n2': 'catapult',
  'catapult-n3': 'catapult',
  'scalar-d2': 'eos',
  'scalar-d3': 'eos',
  'scalar-d4': 'eos',
};

interface StepLine {
  t: number;
  L: number;
  log10L: number;
  etaS: number;
  [q: string]: number;
}

async function defaultRun(pack: ModelPack) {
  const r = await runCli(['trajectory', '--model', pack.name, '--every', '1', '--json']);
  expect(r.code, r.err).toBe(0);
  const lines = r.out.split('\n');
  const summary = JSON.parse(lines.pop()!);
  const steps = lines.map((l) => JSON.parse(l) as StepLine);
  return { summary, steps };
}

describe('every registered pack has defaults for trajectory', () => {
  it('the registered packs are the ones this test knows', () => {
    expect(PACKS.map((p) => p.name).sort()).toEqual(Object.keys(PHENOMENON).sort());
  });

  it.each(PACKS.map((p) => [p.name, p] as const))('%s: trajectory --model alone runs the pack defaults and shows its phenomenon', async (name, pack) => {
    const d = pack.defaults;
    // Every hyperparameter, the start and the steps have a default.
    expect(Object.keys(d.hyper ?? {}).sort()).toEqual([...pack.spec.hypers].sort());
    expect(d.init).toHaveLength(pack.spec.params.length);
    expect(Number.isInteger(d.steps)).toBe(true);

    const { summary, steps } = await defaultRun(pack);
    expect(summary.hyper).toEqual(d.hyper);
    expect(summary.init).toEqual(d.init);
    expect(summary.steps).toBe(d.steps);
    expect(steps).toHaveLength(d.steps! + 1);
    expect(summary.diverged).toBeNull();

    // The sweep's classes, from the run's own steps.
    const log10L0 = steps[0]!.log10L;
    const log10MaxLossRatio = Math.max(...steps.map((s) => s.log10L)) - log10L0;
    const inputs = { diverged: false, log10L0, log10LT: steps.at(-1)!.log10L, log10MaxLossRatio, maxEtaS: summary.maxEtaS };
    expect(classify(inputs, DEFAULT_TOL, DEFAULT_CATAPULT)).toBe(PHENOMENON[name]);
    expect(isConverged(inputs, DEFAULT_TOL)).toBe(true);

    // Past the edge and back: eta S above 2 at some step, the instability role fired, and the run ends
    // below the edge (eta S and eta times the GFS sharpness).
    expect(summary.maxEtaS).toBeGreaterThan(2);
    expect(summary.firstUnstableStep).not.toBeNull();
    expect(summary.eosIntervals.length).toBeGreaterThan(0);
    expect(summary.finalEtaS).toBeLessThan(2);
    expect(summary.etaSgfsFinal).toBeLessThan(2);
    // The flow invariant's GFS sharpness starts beyond the classical step size 2/eta and falls below it.
    expect(summary.etaSgfsStart).toBeGreaterThan(2);

    if (name === 'minimalist') {
      // Progressive sharpening first (eta S below 2 at the start), then repeated EoS cycles.
      expect(steps[0]!.etaS).toBeLessThan(2);
      expect(summary.eosIntervals.length).toBeGreaterThanOrEqual(2);
      expect(summary.firstUnstableStep).toBeGreaterThan(0);
    }
    if (PHENOMENON[name] === 'catapult') {
      // The catapult regime of Lewkowycz et al.: 2 < eta lambda_0 < 4, and lambda ends below 2/eta.
      expect(steps[0]!.eta_lambda).toBeGreaterThan(2);
      expect(steps[0]!.eta_lambda).toBeLessThan(4);
      expect(steps.at(-1)!.eta_lambda).toBeLessThan(2);
    }
    if (name.startsWith('scalar-')) {
      // Kreisler et al.: the GFS sharpness phi decreases from eta phi_0 > 2 to below 2.
      expect(steps[0]!.eta_phi).toBeGreaterThan(2);
      expect(steps.at(-1)!.eta_phi).toBeLessThan(2);
    }
  });

  it('options override the defaults one by one; the text summary says the default steps', async () => {
    const pack = loadPack('scalar-d2');
    const r = await runCli(['trajectory', '--model', 'scalar-d2', '--eta', '0.5', '--steps', '7', '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.hyper).toEqual({ eta: 0.5 });
    expect(j.init).toEqual(pack.defaults.init);
    expect(j.steps).toBe(7);
    const text = await runCli(['trajectory', '--model', 'catapult-n2']);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(new RegExp(`^steps\\s+${loadPack('catapult-n2').defaults.steps}$`, 'm'));
  });

  it('a model file with no pack has no defaults: what it needs is required', async () => {
    const r = await runCli(['trajectory', '--model', 'models/minimalist/model.json', '--eta', '1', '--lambda1', '1', '--lambda2', '1e-3']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--init is required/);
  });
});

describe('sweep takes the pack defaults for what it is not given', () => {
  const OPTIONS = { x: { type: 'string' }, y: { type: 'string' }, init: { type: 'string' }, steps: { type: 'string' }, hyper: { type: 'string', multiple: true } } as const;

  it.each(PACKS.map((p) => [p.name, p] as const))('%s: the hyperparameters not swept, the start with the swept parameter left free, the steps', (_name, pack) => {
    const [h0] = pack.spec.hypers;
    const p0 = pack.spec.params[0]!;
    const { values } = parse(['--x', `${h0}=0.1:0.2:2`, '--y', `${p0}=0.5:1:2`], { ...OPTIONS });
    const spec = sweepSpec(values, pack.spec, pack.defaults.steps, pack.defaults);
    expect(spec.hyper).toEqual(Object.fromEntries(Object.entries(pack.defaults.hyper!).filter(([k]) => k !== h0)));
    expect(spec.init).toEqual(pack.defaults.init!.map((v, i) => (i === 0 ? null : v)));
    expect(spec.steps).toBe(pack.defaults.steps);
  });

  it('a given option wins over the default', () => {
    const pack = loadPack('catapult-n2');
    const { values } = parse(['--x', 'eta=1:2:2', '--y', 'u1=0.5:1:2', '--hyper', 'y=-1', '--init', '_,1,2,-3', '--steps', '9'], { ...OPTIONS });
    const spec = sweepSpec(values, pack.spec, pack.defaults.steps, pack.defaults);
    expect(spec.hyper).toEqual({ y: -1, s: pack.defaults.hyper!.s });
    expect(spec.init).toEqual([null, 1, 2, -3]);
    expect(spec.steps).toBe(9);
  });

  it.each([
    ['minimalist', 'eos'],
    ['catapult-n2', 'catapult'],
  ])('%s: a one-cell sweep at the default run, without --init or hyperparameters, is its phenomenon (%s)', async (name, cls) => {
    const pack = loadPack(name);
    const eta = pack.defaults.hyper!.eta!;
    const p0 = pack.spec.params[0]!;
    const v0 = pack.defaults.init![0]!;
    const r = await runCli(['sweep', '--model', name, '--x', `eta=${eta}:${eta}:1`, '--y', `${p0}=${v0}:${v0}:1`, '--workers', '1']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`steps ${pack.defaults.steps} `));
    expect(r.out).toMatch(new RegExp(`^\\s+\\S ${cls}\\s+1\\s+100\\.0%`, 'm'));
  });
});

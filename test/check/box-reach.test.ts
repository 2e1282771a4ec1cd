/**
 * Certified reachability from boxes of starts wired into lemma checking (src/check/box-reach.ts,
 * box-invariant.ts, verify.ts's verifyByBoxes, the shard units of shard.ts). Issue 24 item 3.
 * The pack is scalar-d2 (L = (w1 w2 - 1)^2 / 2): its orbits from below the minimizer curve climb to it
 * monotonically, so the claims below have known truth values.
 */
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack } from '../../src/model/pack.js';
import { compileLemma, type CompiledLemma } from '../../src/lemma/compile.js';
import type { LemmaSpec } from '../../src/lemma/types.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import { mergeShards, runShard, type ShardFile } from '../../src/check/shard.js';
import { hypothesisBox, reachUnit, reachUnitCount, reachUnits, summarize, type ReachUnit } from '../../src/check/box-reach.js';
import { hypothesisFailure, runReachUnit, verifyLemma } from '../../src/check/verify.js';
import type { Outcome } from '../../src/check/outcome.js';
import { Rational } from '../../src/numeric/rational.js';
import { invariantRelations } from '../../src/check/box-invariant.js';
import { readFileSync } from 'node:fs';

const model = deriveModel(loadPack('scalar-d2').spec);
const FIXTURE = 'test/fixtures/box-reach/scalar-d2-reach.json';
const strip = (os: Outcome[]) => JSON.stringify(os.map((o) => ({ ...o, timeMs: undefined })), null, 1);

function everyStep(statement: string, steps: number, extra: Partial<LemmaSpec> = {}): CompiledLemma {
  const spec: LemmaSpec = {
    id: 'box-every-step',
    title: 't',
    claim: 'D4',
    provenance: 'variant',
    description: 'd',
    hypotheses: { hyper: { eta: { min: 0.05, max: 0.055 } }, init: { w1: { min: 0.6, max: 0.7 }, w2: { min: 0.6, max: 0.7 } } },
    quantifier: { kind: 'every-step' },
    statement,
    steps,
    runs: 4,
    expect: 'holds',
    ...extra,
  };
  return compileLemma(spec, model, 'box-reach.test.ts');
}

/** Every unit of an every-step lemma without an invariant set, certifying nothing (no refutation expected). */
function units(lemma: CompiledLemma, budget: number, certify: (p: { hyper: Record<string, number>; init: Record<string, number> }) => string | null = () => null): ReachUnit[] {
  return Array.from({ length: reachUnitCount(lemma) }, (_, u) =>
    reachUnit(model, lemma, u, { budget, admits: (p) => hypothesisFailure(lemma, model, p) === null, certify: (p) => certify(p) }),
  );
}

/** GD on scalar-d2 in float64 from a start (for checks with a margin far above rounding). */
function orbit(w1: number, w2: number, eta: number, n: number): [number, number][] {
  const out: [number, number][] = [[w1, w2]];
  for (let t = 0; t < n; t++) {
    const r = eta * (w1 * w2 - 1);
    [w1, w2] = [w1 - r * w2, w2 - r * w1];
    out.push([w1, w2]);
  }
  return out;
}

const range = (s: string) => s.split('..').map((x) => Rational.fromDecimalString(x).toNumber()) as [number, number];

describe('lemmas decided on boxes of starts', async () => {
  const outcomes = new Map((await verifyFiles(model, [FIXTURE], { seed: 3 })).map((o) => [o.id, o]));

  it('PROVED for every t when every box enters a set proved kept (consecution and use, no initiation)', () => {
    const o = outcomes.get('loss-below-half-from-a-wide-box-by-reachability')!;
    expect(o.kind, o.detail).toBe('PROVED');
    expect(o.established).toBe('proved-reach');
    expect(o.reach!.fractions).toMatchObject({ proved: '1', everyT: '1', refuted: '0', open: '0', outside: '0' });
    expect(o.obligations!.map((ob) => [ob.name, ob.status])).toEqual([
      ['consecution', 'proved'],
      ['use', 'proved'],
    ]);
    // Some starts are outside the set (w < 1/2): the proof did not need them to start in it.
    expect(o.detail).toMatch(/every box entered the invariant set/);
  });

  it('an orbit from a leaf that entered the set at step s is in the set at s (float64 orbits from the leaf corners, margin 1e-9)', () => {
    // Re-run the proved lemma's first unit to see its leaves (the summary keeps only counts and open/refuted ones).
    const lemma = compileLemma(JSON.parse(readFileSync(FIXTURE, 'utf8'))[0], model, FIXTURE);
    const I = (w1: number, w2: number) => w1 >= 0.5 + 1e-9 && w2 >= 0.5 + 1e-9 && w1 * w2 >= 0.25 + 1e-9 && w1 * w2 <= 1 - 1e-9;
    let checked = 0;
    for (let u = 0; u < 2; u++) {
      const ru = reachUnit(model, lemma, u, { budget: 64, invariant: undefined, admits: () => true, certify: () => null });
      // Without the set the boxes run to the horizon: that is the mutation "no entry check" (every leaf proved through T only).
      expect(ru.leaves.every((l) => l.state !== 'entered')).toBe(true);
    }
    const rel = invariantRelations(model, lemma, ['w1 >= 0.5', 'w2 >= 0.5', 'w1 <= 2', 'w2 <= 2', 'p <= 1', 'p >= 0.25']);
    for (let u = 0; u < reachUnitCount(lemma); u++) {
      const ru = reachUnit(model, lemma, u, { budget: 64, invariant: rel, use: true, kept: true, admits: () => true, certify: () => null });
      for (const l of ru.leaves.filter((x) => x.state === 'entered')) {
        const [a, b] = range(l.box.w1!);
        const [c, d] = range(l.box.w2!);
        const [e, f] = range(l.box.eta!);
        for (const [w1, w2, eta] of [
          [a, c, e],
          [b, d, f],
          [a, d, e],
          [b, c, f],
        ] as const) {
          const [x, y] = orbit(w1, w2, eta, l.step!)[l.step!]!;
          expect(I(x, y), `leaf ${l.path} corner (${w1}, ${w2}, ${eta}) at step ${l.step}: (${x}, ${y})`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('with too small a budget: the exact proved share in the row, and the sampled verdict stands', () => {
    const o = outcomes.get('loss-below-half-from-a-wide-box-small-budget')!;
    expect(o.kind).toBe('VERIFIED');
    expect(o.reach!.fractions.proved).toBe('5/8');
    expect(o.reach!.fractions.open).toBe('3/8');
    expect(o.detail).toMatch(/^proved on 62\.5% of the hypothesis volume/);
    expect(o.trajectories).toBeGreaterThan(0);
  });

  it('FALSIFIED by a box whose enclosure violates the claim, at an exact start certified on its true orbit', () => {
    const o = outcomes.get('product-stays-below-0-6-refuted-on-boxes')!;
    expect(o.kind).toBe('FALSIFIED');
    const ce = o.counterexample!;
    expect(ce.trueOrbit!.certified).toBe(true);
    expect(ce.init.w1).toBeGreaterThanOrEqual(0.45);
    expect(ce.init.w1).toBeLessThanOrEqual(0.5);
    // The float orbit from that start does cross 0.6 by the certified step.
    const o2 = orbit(ce.init.w1!, ce.init.w2!, ce.hyper.eta!, ce.trueOrbit!.step!);
    expect(o2[ce.trueOrbit!.step!]![0] * o2[ce.trueOrbit!.step!]![1]).toBeGreaterThan(0.6);
    expect(o.reach!.refuted.length).toBeGreaterThan(0);
  });
});

describe('every-step claims on boxes (the engine, without a lemma field)', () => {
  it('a true claim is proved through the horizon on the whole box; a false one is refuted box by box, each at a certified start', async () => {
    const ok = everyStep('L <= 0.5', 30);
    const s = summarize(units(ok, 64), 64, 30, null, false, false);
    expect(s.fractions).toMatchObject({ proved: '1', upToT: '1', everyT: '0', open: '0' });
    // p climbs from at most 0.49 past 0.6 by step 10 on every orbit.
    const bad = everyStep('p <= 0.6', 30);
    const real = await Promise.all(Array.from({ length: reachUnitCount(bad) }, (_, u) => runReachUnit(model, bad, { seed: 1 }, 64, u)));
    const sb = summarize(real, 64, 30, null, false, false);
    expect(sb.fractions).toMatchObject({ proved: '0', refuted: '1' });
    for (const l of sb.refuted) expect(l.refutation!.text).toMatch(/^violated on the true orbit at step \d+ \(certified/);
    // The same claim through a horizon before the crossing holds.
    expect(summarize(units(everyStep('p <= 0.6', 3), 64), 64, 3, null, false, false).fractions.proved).toBe('1');
    // False only near one corner of the box (w1_0 + w2_0 up to 1.4): never proved on the boxes that hold that corner.
    const corner = summarize(units(everyStep('w1_0 + w2_0 <= 1.31', 3), 64), 64, 3, null, false, false);
    expect(Rational.fromDecimalString(corner.fractions.open).gt(Rational.fromInt(0))).toBe(true);
    expect(corner.fractions.proved).not.toBe('1');
  });

  it('`where` discards boxes outside the hypotheses exactly; a box straddling it is checked whole; the shares add up to 1', () => {
    const hyp = (w: string) => ({ hypotheses: { hyper: { eta: { min: 0.05, max: 0.055 } }, init: { w1: { min: 0.6, max: 0.7 }, w2: { min: 0.6, max: 0.7 } }, where: [w] } });
    const s = summarize(units(everyStep('L <= 0.5', 30, hyp('w1_0 + w2_0 <= 1.25')), 64), 64, 30, null, false, false);
    // The top box w1, w2 in [0.65, 0.7] has w1_0 + w2_0 >= 1.3 everywhere.
    expect(s.fractions.outside).toBe('1/4');
    expect(s.fractions.proved).toBe('1');
    const s2 = summarize(units(everyStep('L <= 0.5', 30, hyp('w1_0 + w2_0 <= 1.3')), 64), 64, 30, null, false, false);
    expect(s2.fractions.outside).toBe('0');
    const sum = ['proved', 'refuted', 'open'].map((k) => Rational.fromDecimalString(s2.fractions[k as 'proved'])).reduce((a, b) => a.add(b));
    expect(sum.eq(Rational.fromInt(1))).toBe(true);
  });

  it('a `when` premise: asserted only where it may hold', () => {
    // Where p >= 0.8, L = (1 - p)^2 / 2 <= 0.02 < 0.05; elsewhere nothing is claimed.
    const lemma = everyStep('L <= 0.05', 30, { quantifier: { kind: 'every-step', when: 'p >= 0.8' } });
    expect(summarize(units(lemma, 64), 64, 30, null, false, false).fractions.proved).toBe('1');
    // Without the premise the claim is false at the start (p_0 <= 0.49 gives L >= 0.13).
    expect(summarize(units(everyStep('L <= 0.05', 30), 64), 64, 30, null, false, false).fractions.proved).toBe('0');
  });

  it('after an event (eventually from T_event): asserted from the first step where the event may hold', () => {
    // L <= 0.2 needs p >= 0.37: false at the starts with p_0 < 0.3675, true once p >= 1/2.
    const after = everyStep('L <= 0.2', 30, { quantifier: { kind: 'eventually', event: 'p >= 0.5', from: 'T_event' } });
    expect(summarize(units(after, 64), 64, 30, null, false, false).fractions.proved).toBe('1');
    expect(summarize(units(everyStep('L <= 0.2', 30), 64), 64, 30, null, false, false).fractions.proved).not.toBe('1');
    // An event that holds from the start asserts the statement at step 0, where it fails for p_0 < 0.3675.
    const early = everyStep('L <= 0.2', 30, { quantifier: { kind: 'after-event', event: 'p >= 0.3' } });
    expect(summarize(units(early, 64), 64, 30, null, false, false).fractions.proved).not.toBe('1');
  });

  it('units tile the hypothesis box and do not depend on the order they run in', () => {
    const lemma = everyStep('L <= 0.5', 20);
    const us = reachUnits(model, hypothesisBox(lemma));
    expect(us.length).toBe(reachUnitCount(lemma));
    const forward = units(lemma, 16);
    const backward = Array.from({ length: us.length }, (_, k) => us.length - 1 - k).map((u) => reachUnit(model, lemma, u, { budget: 16, admits: () => true, certify: () => null }));
    expect(JSON.stringify(backward.reverse())).toBe(JSON.stringify(forward));
  });
});

describe('box units under --shard and report merge', () => {
  it('three shards merged give the unsharded outcomes byte for byte (proved, sampled with a share, refuted)', async () => {
    const opts = { seed: 3 };
    const whole = await verifyFiles(model, [FIXTURE], opts);
    const shards: ShardFile[] = [];
    for (const k of [2, 3, 1]) shards.push(JSON.parse(JSON.stringify(await runShard(model, [FIXTURE], { k, n: 3 }, opts))));
    // The boxes are units of their own, spread over the shards.
    expect(shards.every((s) => s.units.some((u) => (u.kind as string) === 'reach'))).toBe(true);
    const merged = await mergeShards(model, [FIXTURE], shards);
    expect(strip(merged.outcomes)).toBe(strip(whole));
    // The worker pool hands out the same units and folds them with the same code.
    const pooled = await verifyFiles(model, [FIXTURE], { ...opts, jobs: 2 });
    expect(strip(pooled)).toBe(strip(whole));
  });
});

describe('the proved share in the text, JSON and HTML rows', () => {
  it('a sampled row shows its exact proved fraction and why the open boxes stayed open', async () => {
    const { runCli } = await import('../support/cli.js');
    const { mkdtempSync, readFileSync: read } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const html = join(mkdtempSync(join(tmpdir(), 'eos-reach-')), 'r.html');
    const args = ['verify', FIXTURE, '--model', 'scalar-d2', '--id', 'loss-below-half-from-a-wide-box-small-budget'];
    const text = await runCli([...args, '--html', html]);
    expect(text.code, text.err).toBe(0);
    const flat = text.out.replace(/\s+/g, ' ');
    expect(flat).toMatch(/VERIFIED loss-below-half-from-a-wide-box-small-budget on boxes of starts: proved on 62\.5% of the hypothesis volume \(exactly 5\/8\): 62\.5% for every t \(entered the invariant set\), 0\.0% through step 200; refuted 0\.0%, open 37\.5%/);
    expect(flat).toMatch(/open box 000: "L <= 0\.5" undecided at step \d+/);
    const json = JSON.parse((await runCli([...args, '--json'])).out);
    expect(json.outcomes[0].reach.fractions).toMatchObject({ proved: '5/8', open: '3/8' });
    const page = read(html, 'utf8');
    expect(page).toContain('proved on 62.5% of the hypothesis volume (exactly 5/8)');
  });
});

describe('a set that implies the statement but is not kept (lemmas/c12-stable-set-box.ts)', async () => {
  const minimalist = deriveModel(loadPack('minimalist').spec);
  const [o] = await verifyFiles(minimalist, ['lemmas/c12-stable-set-box.ts'], { seed: 1 });

  it('decides the steps whose enclosure lies in the set: proved through the horizon, not for every t', () => {
    expect(o!.kind, o!.detail).toBe('VERIFIED');
    expect(o!.reach!.fractions).toMatchObject({ everyT: '0', upToT: '1', proved: '0', open: '0' });
    expect(o!.obligations!.map((ob) => [ob.name, ob.status])).toEqual([
      ['consecution', 'refuted'],
      ['use', 'proved'],
    ]);
    expect(o!.detail).toMatch(/^proved on 0\.0% of the hypothesis volume \(0\.0% for every t, 100\.0% through step 200/);
  });

  it('without the set, beta1_next^2 <= beta1^2 is undecided on the boxes (the enclosures of beta1 and beta1_next lose their correlation)', async () => {
    const lemma = (await import('../../src/lemma/load.js')).loadLemmas;
    const [l] = await lemma(['lemmas/c12-stable-set-box.ts'], minimalist);
    if (!l!.ok) throw new Error(l!.error.message);
    const u0 = reachUnit(minimalist, l!.lemma, 0, { budget: 16, admits: () => true, certify: () => null });
    expect(u0.leaves.every((x) => x.state === 'open')).toBe(true);
    expect(u0.leaves[0]!.why).toMatch(/beta1_next\^2 <= beta1\^2" undecided at step/);
  });
});

describe('every-step lemmas asking for reach (lemmas/scalar-d2/d4-near-the-minimizers-by-step-20-on-boxes.ts)', async () => {
  const FILE = 'lemmas/scalar-d2/d4-near-the-minimizers-by-step-20-on-boxes.ts';
  const [proved, refuted] = await verifyFiles(model, [FILE], { seed: 3 });
  /** The file's hypothesis box with another horizon or quantifier. */
  const near = (id: string, steps: number, quantifier: LemmaSpec['quantifier']) =>
    everyStep('p >= 0.9', steps, { id, hypotheses: { hyper: { eta: { min: 0.09, max: 0.1 } }, init: { w1: { min: 0.5, max: 0.6 }, w2: { min: 0.5, max: 0.6 } } }, quantifier });
  const corners = (f: (w1: number, w2: number, eta: number) => void) => {
    for (const w1 of [0.5, 0.55, 0.6]) for (const w2 of [0.5, 0.55, 0.6]) for (const eta of [0.09, 0.1]) f(w1, w2, eta);
  };

  it('a true claim: PROVED up to T on the whole box, and the row says up to T, not every t', () => {
    const o = proved!;
    expect(o.id).toBe('d4-within-10-percent-of-the-minimizers-from-step-20-on-boxes-d2');
    expect(o.kind, o.detail).toBe('PROVED');
    expect(o.established).toBe('proved-reach');
    expect(o.reach!.fractions).toMatchObject({ proved: '1', upToT: '1', everyT: '0', refuted: '0', open: '0', outside: '0' });
    expect(o.detail).toMatch(/^up to T = 40 only \(the lemma's horizon; nothing is proved past step 40\): for every start and hyperparameter in the hypotheses, at every step t = 0\.\.40, where t >= 20, by certified enclosures/);
    expect(o.detail).not.toMatch(/every t(?! in)|every t >= 0/);
    expect(o.trajectories).toBe(0);
    // What was proved, seen on float64 orbits from the box's corners and midpoints: p >= 0.9 from step 20 with a
    // margin far above rounding (the slowest, w = (0.5, 0.5) at eta = 0.09, has p = 0.935 at step 20).
    corners((w1, w2, eta) => {
      const o2 = orbit(w1, w2, eta, 40);
      for (let t = 20; t <= 40; t++) expect(o2[t]![0] * o2[t]![1]).toBeGreaterThan(0.93);
    });
  });

  it('a false claim (the same ten steps earlier): FALSIFIED at an exact start inside a refuted box, certified on its true orbit', () => {
    const o = refuted!;
    expect(o.kind, o.detail).toBe('FALSIFIED');
    expect(o.asExpected).toBe(true);
    expect(o.detail).toMatch(/^refuted on 100\.0% of the hypothesis volume by reachability from boxes of starts/);
    const ce = o.counterexample!;
    expect(ce.trueOrbit!.certified).toBe(true);
    expect(ce.trueOrbit!.step).toBe(10);
    expect(ce.init.w1).toBeGreaterThanOrEqual(0.5);
    expect(ce.init.w1).toBeLessThanOrEqual(0.6);
    expect(ce.hyper.eta).toBeGreaterThanOrEqual(0.09);
    expect(ce.hyper.eta).toBeLessThanOrEqual(0.1);
    // The float orbit from that start is far below 0.9 at step 10, and every orbit of the box is.
    const at10 = orbit(ce.init.w1!, ce.init.w2!, ce.hyper.eta!, 10)[10]!;
    expect(at10[0] * at10[1]).toBeLessThan(0.85);
    corners((w1, w2, eta) => {
      const x = orbit(w1, w2, eta, 10)[10]!;
      expect(x[0] * x[1]).toBeLessThan(0.9);
    });
    expect(o.reach!.fractions.refuted).toBe('1');
  });

  it('where the boxes decide only part of the volume, the row is sampled as without reach, the proved share in front', async () => {
    // Through T = 60 the hulls of the corner boxes, spread along the minimizer curve, straddle p = 0.9.
    const lemma = near('within-10-percent-through-60', 60, { kind: 'every-step', when: 't >= 20', reach: '64' });
    const o = await verifyLemma(model, lemma, { seed: 3 });
    expect(o.kind, o.detail).toBe('VERIFIED');
    expect(o.reach!.fractions).toMatchObject({ proved: '25/32', upToT: '25/32', everyT: '0', refuted: '0', open: '7/32' });
    expect(o.detail).toMatch(/^proved up to T = 60 on 78\.1% of the hypothesis volume \(56 boxes \(budget 64\), 32 leaves; first open box \d+: "p >= 0\.9" undecided at step \d+/);
    expect(o.detail).toMatch(/; the rest sampled: holds at \d+ iterates/);
    expect(o.trajectories).toBeGreaterThan(0);
  });

  it('a premise no box certainly meets: not PROVED, however the boxes decide the volume; the sampled check says VACUOUS', async () => {
    // p climbs toward 1 from below: p >= 2 never holds, so no step asserts anything.
    const lemma = near('premise-never-met', 40, { kind: 'every-step', when: 'p >= 2', reach: '64' });
    const o = await verifyLemma(model, lemma, { seed: 3 });
    expect(o.reach!.fractions.proved).toBe('1');
    expect(o.kind, o.detail).toBe('VACUOUS');
    expect(o.detail).toMatch(/^decided on the whole hypothesis volume \(8 boxes \(budget 64\), 8 leaves\), but at no step of any box did every premise certainly hold/);
  });

  it('reach on eventually only from T_event; not on the kinds the boxes do not decide', () => {
    expect(() => near('r', 40, { kind: 'eventually', from: '20', reach: '64' })).toThrow(/quantifier\.reach: boxes of starts decide eventually only from T_event/);
    expect(() => near('r', 40, { kind: 'eventually', from: 'T_event', event: 'p >= 0.5', reach: '64' })).not.toThrow();
    expect(() => near('r', 40, { kind: 'every-step', reach: '0' })).toThrow(/quantifier\.reach: must be a box budget/);
    expect(() => near('r', 40, { kind: 'at-end', reach: '64' } as never)).toThrow(/quantifier\.reach: not a field of at-end/);
  });

  it('report merge of --shard 1/2 and 2/2 writes the unsharded report byte for byte', async () => {
    const { runCli } = await import('../support/cli.js');
    const { mkdtempSync, readFileSync: read } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'eos-reach-shards-'));
    const run = async (args: string[]) => {
      const r = await runCli([...args, '--model', 'scalar-d2']);
      expect(r.code, r.err).toBe(0);
    };
    await run(['report', FILE, '--jobs', '1', '--out', join(dir, 'whole.json')]);
    await run(['report', FILE, '--shard', '1/2', '--out', join(dir, 's1.json')]);
    await run(['report', FILE, '--shard', '2/2', '--out', join(dir, 's2.json')]);
    // Each shard holds box units of both lemmas.
    for (const s of ['s1.json', 's2.json']) expect((JSON.parse(read(join(dir, s), 'utf8')) as ShardFile).units.filter((u) => (u.kind as string) === 'reach').length).toBeGreaterThan(4);
    await run(['report', 'merge', join(dir, 's2.json'), join(dir, 's1.json'), '--out', join(dir, 'merged.json')]);
    const whole = read(join(dir, 'whole.json'), 'utf8');
    expect(read(join(dir, 'merged.json'), 'utf8')).toBe(whole);
    // The replay command of the refuted row names the pack in both (the shard file records it).
    expect(whole).toMatch(/"command": "npx eos-check verify [^"]*--model scalar-d2 --id d4-within-10-percent-of-the-minimizers-from-step-10-refuted/);
  });
});

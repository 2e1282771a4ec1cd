import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { listPacks, loadPack, packNames, PackError } from '../../src/model/pack.js';
import { deriveModel } from '../../src/symbolic/derive.js';
import { lemmaFiles } from '../../src/lemma/load.js';

const run = runCli;

describe('model packs', () => {
  it('eos-check models lists at least the six specs of issue 14, each deriving', async () => {
    const r = await run(['models', '--json']);
    expect(r.code).toBe(0);
    const names = JSON.parse(r.out).packs.map((p: { name: string }) => p.name);
    for (const n of ['minimalist', 'catapult-n2', 'catapult-n3', 'scalar-d2', 'scalar-d3', 'scalar-d4']) expect(names).toContain(n);
    for (const p of listPacks()) expect(deriveModel(p.spec).params).toEqual(p.spec.params);
  });

  it('a malformed pack.json reports every problem of the file at once, by field', () => {
    let e: unknown;
    try {
      loadPack('test/fixtures/packs/bad');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(PackError);
    const m = (e as Error).message;
    for (const field of ['colour: unknown key', 'title: must be a string', 'claims[1].id: K1 is declared twice', 'claims[2].id', 'claims[2].title', 'roles.invariant.quantity: "nope" is not a quantity', 'roles.speed: unknown role', 'series[0].of', 'referenceRuns[0].hyper.y', 'referenceRuns[0].init', 'referenceRuns[0].steps'])
      expect(m).toContain(field);
  });

  it('--model all runs each pack to its own file: lemma files or --out are refused', async () => {
    const r = await run(['verify', '--model', 'all', 'lemmas/c6-sharpness-bound.ts']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--model all .* no lemma files/);
    expect((await run(['report', '--model', 'all', '--out', 'x.json'])).err).toMatch(/no --out/);
  });

  it('an unknown --model names the registered packs', async () => {
    const r = await run(['trajectory', '--model', 'no-such-pack', '--eta', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no such model pack.*minimalist/);
  });

  it('a lemma cites a claim of its pack: an unknown claim id is an error with a suggestion', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eos-claim-'));
    const file = join(dir, 'bad-claim.mts');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, `export default { id: 'x-claim', title: 't', claim: 'K7', provenance: 'variant', description: 'd', hypotheses: { hyper: { eta: 1, y: 0, s: 0.5 }, init: { u1: 1, u2: 1, v1: 1, v2: 1 } }, quantifier: { kind: 'every-step' }, statement: 'L >= 0', expect: 'holds' };\n`);
    const r = await run(['verify', '--model', 'catapult-n2', file, '--json', '--allow-code']);
    const o = JSON.parse(r.out).outcomes[0];
    expect(o.kind).toBe('ERROR');
    expect(o.error.field).toBe('claim');
    expect(o.error.message).toMatch(/K1, K2, K3, K4, K5, K6/);
  });

  for (const name of packNames()) {
    const pack = loadPack(name);
    const ref = pack.referenceRuns[0];
    it(`${name}: trajectory prints the pack's own summary lines, and its replayable JSON names the pack`, async () => {
      expect(ref, `${name} has a reference run`).toBeDefined();
      const hyper = Object.entries(ref!.hyper).flatMap(([k, v]) => ['--hyper', `${k}=${v}`]);
      const r = await run(['trajectory', '--model', name, ...hyper, '--init', ref!.init.join(','), '--steps', '60']);
      expect(r.code, r.err).toBe(0);
      if (pack.roles.gfsSharpness) expect(r.out).toContain(`eta*${pack.roles.gfsSharpness.quantity}`);
      if (pack.roles.invariant) expect(r.out).toContain(`${pack.roles.invariant.quantity} increases`);
      const j = await run(['trajectory', '--model', name, ...hyper, '--init', ref!.init.join(','), '--steps', '60', '--json']);
      expect(JSON.parse(j.out).pack).toBe(name);
    });

    it(`${name}: sweep runs a small grid over eta and the first parameter`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'eos-sweep-'));
      const out = join(dir, 's.csv');
      const p0 = pack.spec.params[0]!;
      const fixed = Object.entries(ref!.hyper).filter(([k]) => k !== 'eta').flatMap(([k, v]) => ['--hyper', `${k}=${v}`]);
      const init = ref!.init.map((v, i) => (i === 0 ? '_' : String(v))).join(',');
      const r = await run(['sweep', '--model', name, '--x', `eta=${ref!.hyper.eta! / 2}:${ref!.hyper.eta}:2`, '--y', `${p0}=${ref!.init[0]! / 2}:${ref!.init[0]}:2`, ...fixed, '--init', init, '--steps', '40', '--workers', '1', '--out', out]);
      expect(r.code, r.err).toBe(0);
      expect(readFileSync(out, 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(5);
    });
  }

  it('a counterexample of a pack lemma replays from its report, and the printed command carries --model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eos-replay-'));
    const json = join(dir, 'r.json');
    const file = 'lemmas/catapult-n2/k4-catapult-regime.ts';
    const id = 'k4-n2-catapult-loss-rises-at-some-step';
    const r = await run(['verify', '--model', 'catapult-n2', file, '--id', id, '--out', json]);
    expect(r.code, r.err).toBe(0);
    const o = JSON.parse(readFileSync(json, 'utf8')).outcomes[0];
    expect(o.kind).toBe('FALSIFIED');
    expect(o.counterexample.path).not.toBeNull();
    expect(o.counterexample.command).toContain('--model catapult-n2');
    const again = await run(['verify', '--replay', json, id, '--json']);
    const replayed = JSON.parse(again.out).outcomes[0];
    expect(replayed.kind).toBe('FALSIFIED');
    expect(replayed.counterexample.step).toBe(o.counterexample.step);
  });

  it('report --html draws each pack from its own panels and reference runs', async () => {
    for (const name of packNames()) {
      const pack = loadPack(name);
      const dir = mkdtempSync(join(tmpdir(), 'eos-html-'));
      const json = join(dir, 'r.json');
      const html = join(dir, 'r.html');
      const file = lemmaFiles(pack.lemmaDir!)[0]!;
      const r = await run(['verify', '--model', name, file, '--runs', '2', '--out', json, '--html', html]);
      expect([0, 1]).toContain(r.code);
      expect(existsSync(html)).toBe(true);
      const page = readFileSync(html, 'utf8');
      expect(page).toContain(pack.title);
      for (const p of pack.panels) expect(page).toContain(p.title);
      for (const run of pack.referenceRuns) expect(page).toContain(`id="run-${run.name}"`);
      // The default pack is implied (no --model in its replay commands); every other one is named.
      expect(JSON.parse(readFileSync(json, 'utf8')).model.pack ?? 'minimalist').toBe(name);
    }
  });
});

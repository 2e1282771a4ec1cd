import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import { mergeShards, runShard } from '../../src/check/shard.js';
import { lemmaDefinition } from '../../src/check/verify.js';
import type { Outcome } from '../../src/check/outcome.js';
import { formatTable } from '../../src/report/table.js';
import { totals, type Report } from '../../src/report/report.js';
import { definitionEntries } from '../../src/report/definition.js';
import { runCli } from '../support/cli.js';

/**
 * Report rows that stand alone (issue 15 item 4): each carries its lemma's file (absolute path),
 * the file's sha256 and the definition as checked, the same through the worker pool and the shard
 * merge; --replay refuses a changed file; VACUOUS and UNDECIDED rows say where, why, and what to do.
 */
const model = deriveModel(minimalistModel);
const sha256 = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const strip = (os: Outcome[]) => JSON.stringify(os.map((o) => ({ ...o, timeMs: undefined })));

const dir = mkdtempSync(join(tmpdir(), 'eos-standalone-'));
const LEMMAS = join(dir, 'diagnosed.mts');
// beta2: -0 is a value JSON cannot spell (it reads back as 0); `(alpha - 1) * sqrt(2) * sqrt(2) <= 2 (alpha - 1)`
// is exact at the start (alpha = 1) and an equality of irrationals no enclosure separates after it.
writeFileSync(
  LEMMAS,
  `import { defineLemma } from '${process.cwd()}/src/lemma/types.js';
const base = { claim: 'C6', provenance: 'variant', description: 'a fixture', steps: 3, runs: 2, expect: 'holds',
  hypotheses: { hyper: { eta: 1, lambda1: 1, lambda2: 1e-3 }, init: { alpha: { min: 0.5, max: 1 }, beta1: 0.01, beta2: -0 } },
  quantifier: { kind: 'every-step' } } as const;
export default [
  defineLemma({ ...base, id: 'undecided-after-the-start-of-a-trajectory-with-a-long-id', title: 'undecidable after the start', runs: 1,
    hypotheses: { ...base.hypotheses, init: { alpha: 1, beta1: 0.01, beta2: 0 } }, statement: '(alpha - 1) * sqrt(2) * sqrt(2) <= 2 * (alpha - 1)' }),
  defineLemma({ ...base, id: 'vacuous-premise', title: 'a premise that never holds', quantifier: { kind: 'every-step', when: 'L < 0' }, statement: 'L >= 0' }),
  defineLemma({ ...base, id: 'vacuous-where', title: 'a where relation no draw meets', hypotheses: { ...base.hypotheses, where: ['alpha_0 > 2'] }, statement: 'L >= 0' }),
  defineLemma({ ...base, id: 'loss-is-nonnegative', title: 'holds', constants: { c: '0 * eta' }, statement: 'L >= c' }),
];
`,
);

function report(outcomes: Outcome[]): Report {
  return { tool: { name: 'eos-check', version: 'test' }, model: { name: 'minimalist', hash: model.hash, loss: model.spec.loss }, seed: 1, budget: 1, arithmetic: 'extended', outcomes, totals: totals(outcomes) };
}

describe('every row carries its lemma as checked', () => {
  it('the absolute path, the sha256 of the file, and the definition (non-JSON numbers spelled out)', async () => {
    const os = await verifyFiles(model, [LEMMAS], { seed: 1 });
    expect(os.map((o) => o.kind)).toEqual(['UNDECIDED', 'VACUOUS', 'VACUOUS', 'VERIFIED']);
    for (const o of os) {
      expect(o.lemma.path).toBe(resolve(LEMMAS));
      expect(o.lemma.fileHash).toBe(sha256(LEMMAS));
      expect(o.lemma.definition!.id).toBe(o.id);
    }
    const d = os[3]!.lemma.definition!;
    expect(d.hypotheses).toEqual({ hyper: { eta: 1, lambda1: 1, lambda2: 1e-3 }, init: { alpha: { min: 0.5, max: 1 }, beta1: 0.01, beta2: { $number: '-0' } } });
    expect(d.constants).toEqual({ c: '0 * eta' });
    expect(d.quantifier).toEqual({ kind: 'every-step' });
    expect([d.statement, d.steps, d.runs, d.expect, d.provenance, d.description]).toEqual(['L >= c', 3, 2, 'holds', 'variant', 'a fixture']);
    // The definition survives the JSON report unchanged.
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it('spells out what JSON cannot hold instead of turning it into null', () => {
    const d = lemmaDefinition({ a: Infinity, b: -Infinity, c: NaN, d: -0, e: 10n, f: [1, undefined], g: undefined, h: { min: 0, max: 1 } })!;
    expect(d).toEqual({ a: { $number: 'Infinity' }, b: { $number: '-Infinity' }, c: { $number: 'NaN' }, d: { $number: '-0' }, e: { $bigint: '10' }, f: [1, { $unsupported: 'undefined' }], h: { min: 0, max: 1 } });
    expect(JSON.stringify(d)).not.toContain('null');
    expect(definitionEntries({ id: 'x', hypotheses: { hyper: { eta: { min: 1, max: { $number: 'Infinity' } } }, init: {} } })[0]!.text).toBe('eta in [1, Infinity]');
  });

  it('is the same through the worker pool, and the same seed gives the same bytes', async () => {
    const one = await verifyFiles(model, [LEMMAS, 'test/fixtures/bad-lemmas/throws.ts'], { seed: 1 });
    const pooled = await verifyFiles(model, [LEMMAS, 'test/fixtures/bad-lemmas/throws.ts'], { seed: 1, jobs: 2 });
    expect(strip(pooled)).toBe(strip(one));
    // A file that did not load: its hash and path, and no definition.
    const err = one.find((o) => o.kind === 'ERROR')!;
    expect(err.lemma).toEqual({ path: resolve('test/fixtures/bad-lemmas/throws.ts'), fileHash: sha256('test/fixtures/bad-lemmas/throws.ts'), definition: null });
  });

  it('is the same after a shard merge, and merge refuses a lemma file that changed since the shards ran', async () => {
    const f = join(dir, 'merge-me.mts');
    copyFileSync(LEMMAS, f);
    const whole = await verifyFiles(model, [f], { seed: 3 });
    const shards = [await runShard(model, [f], { k: 1, n: 2 }, { seed: 3 }), await runShard(model, [f], { k: 2, n: 2 }, { seed: 3 })].map((s) => JSON.parse(JSON.stringify(s)));
    expect(strip((await mergeShards(model, [f], shards)).outcomes)).toBe(strip(whole));
    writeFileSync(f, readFileSync(f, 'utf8') + '\n// edited\n');
    await expect(mergeShards(model, [f], shards)).rejects.toThrow(new RegExp(`changed since the shards ran \\(sha256 ${sha256(LEMMAS)} in the shards, ${sha256(f)} now\\)`));
  });
});

describe('VACUOUS and UNDECIDED say where, why and how to restate the claim', () => {
  it('in the outcome as data, and in the text table as words', async () => {
    const os = await verifyFiles(model, [LEMMAS], { seed: 1 });
    const [und, premise, where] = os;
    expect(und!.diagnosis).toMatchObject({ reason: 'undecided-comparison', step: 1, comparison: '(alpha - 1) * sqrt(2) * sqrt(2) <= 2 * (alpha - 1)', point: { init: { alpha: 1 } } });
    expect(premise!.diagnosis).toEqual({ reason: 'premise-never-held', premises: ['L < 0'], trajectories: premise!.trajectories, leftHypotheses: 0 });
    expect(where!.diagnosis).toMatchObject({ reason: 'no-admissible-draw', skipped: where!.skippedDraws, first: { failed: 'alpha_0 > 2' } });
    expect(where!.skippedDraws).toBeGreaterThanOrEqual(2);
    expect(os[3]!.diagnosis).toBeNull();
    const text = formatTable(report(os), { definitions: false });
    expect(text).toMatch(/where: step 1 of the trajectory from eta=1 lambda1=1 lambda2=0\.001; start alpha=1 beta1=0\.01/);
    expect(text).toMatch(/suggestion: state the comparison with a margin/);
    expect(text).toMatch(/why: the premise "L < 0" never held/);
    expect(text).toMatch(/suggestion: no draw satisfied the premise: widen the hypotheses, or check the premise/);
    expect(text).toMatch(/why: the first failed the hypothesis alpha_0 > 2/);
  });
});

describe('the text table', () => {
  it('fits 100 columns by default, with the six columns; --wide has every column; the definitions are above it', async () => {
    const os = await verifyFiles(model, [LEMMAS, 'lemmas/c6-sharpness-bound.ts'], { seed: 1, runs: 2 });
    const r = report(os);
    const narrow = formatTable(r);
    const lines = narrow.split('\n');
    const head = lines.findIndex((l) => /^id\s+outcome\s+established\s+traj\s+iterates\s+tightness$/.test(l));
    expect(head).toBeGreaterThan(0);
    const table = lines.slice(head, head + 2 + os.length);
    for (const l of table) expect(l.length).toBeLessThanOrEqual(100);
    // The long id is shortened in the middle, and still names its lemma at both ends.
    expect(table.some((l) => /^undecided-after-.*….*-long-id /.test(l))).toBe(true);
    // Prose is wrapped; only replay commands (copied whole) and the totals line (read by scripts) may be longer.
    for (const l of lines) if (l.length > 100) expect(l).toMatch(/^ {2}replay: npx eos-check verify |^\d+ lemmas: \d+ PROVED, /);
    const wide = formatTable(r, { wide: true }).split('\n');
    expect(wide.find((l) => l.startsWith('id '))!.split(/\s{2,}/)).toEqual(['id', 'claim', 'provenance', 'expect', 'outcome', 'established', 'draws', 'traj', 'iterates', 'premise', 'worst slack', 'tightness', 'defect', 'seed']);
    expect(wide.some((l) => l.startsWith('undecided-after-the-start-of-a-trajectory-with-a-long-id '))).toBe(true);
    // Each lemma as checked, above the table: file and sha256 once, then hypotheses, constants, statement.
    const defs = narrow.slice(0, narrow.indexOf('\nid '));
    expect(defs).toContain(`sha256 ${sha256(LEMMAS)}`);
    expect(defs).toContain(`sha256 ${sha256('lemmas/c6-sharpness-bound.ts')}`);
    expect(defs).toMatch(/ {4}init: alpha in \[0\.5, 1\], beta1 = 0\.01, beta2 = -0/);
    expect(defs).toMatch(/ {4}constants: delta = 1\.02 \* \(eta \* S_GFS_0 - 2\)/);
    expect(defs).toMatch(/ {4}quantifier: after-event; event: eta \* S >= 2/);
    expect(formatTable(r, { definitions: false })).not.toContain('lemmas as checked');
  });
});

describe('verify --replay', () => {
  it('finds the lemma file from a copy of the report elsewhere, and refuses a file whose sha256 changed, naming both hashes', async () => {
    const f = join(dir, 'false.mts');
    writeFileSync(
      f,
      `export default { id: 'eta-s-below-two', title: 'false on purpose', claim: 'C6', provenance: 'variant', description: 'd',
  hypotheses: { hyper: { eta: { min: 1.5, max: 1.9 }, lambda1: 1, lambda2: 1e-3 }, init: { alpha: 1, beta1: 0.01, beta2: 0 } },
  quantifier: { kind: 'every-step' }, statement: 'eta * S <= 2', steps: 800, runs: 3, expect: 'fails' };\n`,
    );
    const first = join(dir, 'first.json');
    expect((await runCli(['verify', f, '--out', first, '--allow-code'])).code).toBe(0);
    const recorded = JSON.parse(readFileSync(first, 'utf8')).outcomes[0];
    expect(recorded.counterexample.command).toContain(`verify ${resolve(f)} `);
    expect(recorded.counterexample.command).toMatch(/ --allow-code$/);
    const other = mkdtempSync(join(tmpdir(), 'eos-standalone-copy-'));
    const copy = join(other, 'copy.json');
    copyFileSync(first, copy);
    const again = await runCli(['verify', '--replay', copy, 'eta-s-below-two', '--json', '--allow-code']);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out).outcomes[0].counterexample.init).toEqual(recorded.counterexample.init);
    const before = sha256(f);
    writeFileSync(f, readFileSync(f, 'utf8') + '// edited\n');
    const refused = await runCli(['verify', '--replay', copy, 'eta-s-below-two', '--allow-code']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`its sha256 is ${sha256(f)}, the report recorded ${before}`);
    expect(refused.err.split('\n')).toHaveLength(1);
  });
});

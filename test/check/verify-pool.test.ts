import { describe, it, expect } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import { InterruptedError } from '../../src/check/verify.js';
import { verifyCatalogues, verifyInWorkers, warmWorkerData, WORK_PER_WORKER, workersFor } from '../../src/check/verify-pool.js';
import { loadPack } from '../../src/model/pack.js';
import { loadLemmas } from '../../src/lemma/load.js';
import { importDerivation } from '../../src/symbolic/derivation-data.js';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const model = deriveModel(minimalistModel);
const files = ['lemmas/c3-beta1-multiplicative-update.ts', 'lemmas/c10-gfs-sharpness-non-increasing.ts', 'test/fixtures/bad-lemmas/many.ts'];
// Outcomes without their wall-clock times, which are the only thing allowed to differ.
const comparable = (os: Awaited<ReturnType<typeof verifyFiles>>) => os.map(({ timeMs: _t, ...o }) => o);

describe('lemmas spread over worker threads', () => {
  it('give the same outcomes, in the same order, as one thread (unloadable files included)', async () => {
    const opts = { seed: 7, runs: 4 };
    const one = await verifyFiles(model, files, opts);
    const seen: string[] = [];
    const loaded = await loadLemmas(files, model);
    // A worker thread beside the calling thread, whatever the estimated work.
    const two = await verifyInWorkers(model, files, loaded, loaded.map((_, i) => i), opts, 2, (o) => seen.push(o.id), undefined, { workPerWorker: 0 });
    expect(comparable(two)).toEqual(comparable(one));
    expect(two.map((o) => o.kind)).toContain('ERROR');
    expect([...seen].sort()).toEqual(one.map((o) => o.id).sort());
    // Proof that two threads ran: the Z3 lemma (second in the c10 file) is still running on one thread
    // while the other finishes the quick lemmas after it, so outcomes arrive out of file order; one
    // thread would report them in order.
    expect(seen).not.toEqual(one.map((o) => o.id));
  });

  it('start no worker thread for a small run (the calling thread does it), and the same outcomes with forced workers', async () => {
    // Sampled lemmas of one step and lemmas that do not load: too little work to pay for a thread.
    const small = ['test/fixtures/draw/interior.json', 'test/fixtures/bad-lemmas/many.ts'];
    const opts = { seed: 7, runs: 40 };
    const loaded = await loadLemmas(small, model);
    const indices = loaded.map((_, i) => i);
    const one = await verifyFiles(model, small, opts);
    let started = -1;
    const alone = await verifyInWorkers(model, small, loaded, indices, opts, 2, undefined, undefined, { onWorkers: (n) => (started = n) });
    expect(started).toBe(0);
    expect(comparable(alone)).toEqual(comparable(one));
    const forced = await verifyInWorkers(model, small, loaded, indices, opts, 3, undefined, undefined, { workPerWorker: 0, onWorkers: (n) => (started = n) });
    expect(started).toBe(2);
    expect(comparable(forced)).toEqual(comparable(one));
  });

  it('route whole lemmas to the worker threads and blocks of draws to the calling thread, which must keep dispatching', async () => {
    // A whole lemma (a region or induction proof) runs without yielding; on the calling thread it would hold up the
    // dispatch. With a worker from the start, each thread's first unit shows the routing.
    const mixed = ['lemmas/c10-gfs-sharpness-non-increasing.ts', 'lemmas/c3-beta1-multiplicative-update.ts'];
    const opts = { seed: 7, runs: 4 };
    const loaded = await loadLemmas(mixed, model);
    const ran = new Map<number, (number | null)[]>();
    const two = await verifyInWorkers(model, mixed, loaded, loaded.map((_, i) => i), opts, 2, undefined, undefined, {
      workPerWorker: 0,
      onThread: (u, w) => ran.set(w, [...(ran.get(w) ?? []), u.block]),
    });
    expect(comparable(two)).toEqual(comparable(await verifyFiles(model, mixed, opts)));
    expect(ran.get(-1)![0]).not.toBeNull();
    expect(ran.get(0)![0]).toBeNull();
  });

  it('start workers warm: the derivation and the checked lemmas as data, nothing to derive or import again', async () => {
    const loaded = await loadLemmas(files, model);
    const data = warmWorkerData(model, files, loaded, [0, 2], { seed: 7 });
    // A structured clone is what a worker receives.
    const copy = structuredClone(data);
    expect(importDerivation(copy.derivation!).hash).toBe(model.hash);
    expect(copy.lemmas!.map((d) => (d === null ? null : d.ok))).toEqual(loaded.map((l, i) => (i === 0 || i === 2 ? l.ok : null)));
  });

  it('run the lemmas the calling thread loaded, in the worker too: a lemma file changed after loading changes nothing', async () => {
    // A copy of a lemma file, loaded, then overwritten: a worker that imported the file again would run
    // (or fail on) the new text; the outcomes must be those of the file as loaded.
    const dir = mkdtempSync(join(tmpdir(), 'eos-pool-'));
    try {
      const file = join(dir, 'c3.ts');
      copyFileSync('lemmas/c3-beta1-multiplicative-update.ts', file);
      writeFileSync(join(dir, 'package.json'), '{"type": "module"}');
      // The copy imports the catalogue's shared regimes by a relative path: give it the same place.
      const rel = (await import('node:fs')).readFileSync(file, 'utf8').replace(/from '\.\.\/src\//g, `from '${resolve('src')}/`).replace(/from '\.\/shared\//g, `from '${resolve('lemmas/shared')}/`);
      writeFileSync(file, rel);
      // Every unit on the worker thread (the calling thread only hands them out): else whether the worker gets one of
      // the copy's lemmas would depend on how fast it starts beside the calling thread.
      const both = [file, 'lemmas/c10-gfs-sharpness-non-increasing.ts'];
      const opts = { seed: 7, runs: 40 };
      const loaded = await loadLemmas(both, model);
      expect(loaded.every((l) => l.ok)).toBe(true);
      const one = await verifyFiles(model, both, opts);
      writeFileSync(file, 'throw new Error("changed after loading");\n');
      const onWorker = new Set<number>();
      const two = await verifyInWorkers(model, both, loaded, loaded.map((_, i) => i), opts, 2, undefined, undefined, { workPerWorker: 0, callerRuns: false, onThread: (u, w) => w >= 0 && onWorker.add(u.index) });
      expect(comparable(two)).toEqual(comparable(one));
      // The worker thread ran units of the changed file's lemmas.
      const copied = loaded.flatMap((l, i) => (l.ok && l.lemma.path === resolve(file) ? [i] : []));
      expect(copied.some((i) => onWorker.has(i))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('size the threads by the work: one more per WORK_PER_WORKER iterates, at most jobs - 1 beside the calling thread', () => {
    expect(workersFor(WORK_PER_WORKER - 1, 8)).toBe(0);
    expect(workersFor(WORK_PER_WORKER, 8)).toBe(1);
    expect(workersFor(3.5 * WORK_PER_WORKER, 8)).toBe(3);
    expect(workersFor(100 * WORK_PER_WORKER, 2)).toBe(1);
    expect(workersFor(100 * WORK_PER_WORKER, 1)).toBe(0);
  });

  it('stop when the signal is aborted and throw InterruptedError', async () => {
    const ctl = new AbortController();
    const t0 = Date.now();
    const p = verifyFiles(model, files, { seed: 7, runs: 100_000, jobs: 2, signal: ctl.signal });
    setTimeout(() => ctl.abort(), 3000);
    await expect(p).rejects.toBeInstanceOf(InterruptedError);
    expect(Date.now() - t0).toBeLessThan(3000 + 5000);
  });
});

describe('catalogues of several models in one pool (report --model all)', () => {
  it('give each catalogue the outcomes of its own single-thread run, and a worker runs the second model\'s units', async () => {
    // Every unit on the worker thread (the calling thread only hands them out), the first catalogue's and the second's:
    // the worker must hold the second model as well.
    const cats = [
      { model, files: ['lemmas/c5-progressive-sharpening.ts', 'test/fixtures/bad-lemmas/many.ts'] },
      { model: deriveModel(loadPack('catapult-n2').spec), files: ['lemmas/catapult-n2/k1-one-step-updates.ts', 'lemmas/catapult-n2/k3-lazy-regime.ts'] },
    ];
    const opts = { seed: 7, runs: 120 };
    const alone = await Promise.all(cats.map((c) => verifyFiles(c.model, c.files, opts)));
    const pool = await Promise.all(cats.map(async (c) => ({ ...c, loaded: await loadLemmas(c.files, c.model) })));
    const onWorker = new Set<number>();
    const seen: string[][] = [[], []];
    const both = await verifyCatalogues(
      pool.map((c, k) => ({ ...c, indices: c.loaded.map((_, i) => i), opts, onOutcome: (o) => seen[k]!.push(o.id) })),
      2,
      undefined,
      { workPerWorker: 0, callerRuns: false, onThread: (u, w) => w >= 0 && onWorker.add(u.catalogue ?? 0) },
    );
    expect(both.map(comparable)).toEqual(alone.map(comparable));
    expect(both[0]!.map((o) => o.kind)).toContain('ERROR');
    expect(seen.map((ids) => [...ids].sort())).toEqual(alone.map((os) => os.map((o) => o.id).sort()));
    expect(onWorker.has(1), `catalogues with units on the worker: ${[...onWorker].join(', ')}`).toBe(true);
  }, 300_000);
});

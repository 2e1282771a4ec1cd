/**
 * Where a verification worker's start-up goes, measured in a fresh worker thread as the pool starts one,
 * both ways: `cold` (derive the model from its spec, import the lemma files: what workers did before
 * issue 25 item 4, and still do when the data cannot be copied) and `warm` (import the derivation the
 * calling thread exported, compile the lemmas from their data: verify-worker.ts today). Per way: module
 * loading, the model, the lemmas, in ms of the worker's wall clock, and the CPU time of the whole process
 * from the worker's spawn to its answer (the main thread waits idle meanwhile, so that is the worker's
 * start-up, its compiler and GC threads included). Each way in its own fresh thread, REPS rounds
 * interleaved, medians.
 *
 * Run: npx tsx bench/worker-warmup.ts [pack] [--dist]   (--dist: the compiled package in dist/, as the CLI
 * runs it after npm install; build it first with npm run build)
 */
import { Worker } from 'node:worker_threads';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loadavg } from 'node:os';

type Way = 'cold' | 'warm';
const REPS = Number(process.env.EOS_BENCH_REPS ?? 5);

if (isMainThread) {
  const args = process.argv.slice(2);
  const dist = args.includes('--dist');
  const pack = args.find((a) => !a.startsWith('--')) ?? 'catapult-n2';
  const src = dist ? '../dist' : '../src';
  const ext = dist ? '.js' : '.ts';
  // The data the calling thread gives a warm worker, made here as verify-pool.ts makes it.
  const { loadPack } = await import(`${src}/model/pack${ext}`);
  const { deriveModel } = await import(`${src}/symbolic/derive${ext}`);
  const { lemmaFiles, loadLemmas } = await import(`${src}/lemma/load${ext}`);
  const { warmWorkerData } = await import(`${src}/check/verify-pool${ext}`);
  const p = loadPack(pack);
  const model = deriveModel(p.spec);
  const files = lemmaFiles(p.lemmaDir!);
  const loaded = await loadLemmas(files, model);
  const data = warmWorkerData(model, files, loaded, loaded.map((_: unknown, i: number) => i), { seed: 1 });
  const once = (way: Way) =>
    new Promise<Record<string, number>>((resolve, reject) => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const w = new Worker(new URL('../src/dynamics/ts-worker-entry.mjs', import.meta.url), { workerData: { tsModule: import.meta.url, data: { way, src, ext, pack, data } } });
      w.on('message', (m: Record<string, number>) => {
        const cpu = process.cpuUsage(cpu0);
        resolve({ ...m, totalFromSpawnMs: performance.now() - t0, processCpuMs: (cpu.user + cpu.system) / 1000 });
        void w.terminate();
      });
      w.on('error', reject);
    });
  const runs: Record<Way, Record<string, number>[]> = { cold: [], warm: [] };
  const load0 = loadavg()[0]!;
  for (let r = 0; r < REPS; r++) for (const way of ['cold', 'warm'] as const) runs[way].push(await once(way));
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const way of ['cold', 'warm'] as const) {
    const keys = Object.keys(runs[way][0]!);
    console.log(JSON.stringify({ pack, way, modules: dist ? 'dist' : 'src (tsx)', reps: REPS, ...Object.fromEntries(keys.map((k) => [k, Math.round(med(runs[way].map((x) => x[k]!)))])), load: `${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}` }));
  }
} else {
  const { way, src, ext, pack, data } = (workerData as { data: { way: Way; src: string; ext: string; pack: string; data: any } }).data;
  const t0 = performance.now();
  // The modules a verification worker imports (verify-worker.ts): the unit runner and the way's own.
  await import(`${src}/check/shard${ext}`);
  const load = await import(`${src}/lemma/load${ext}`);
  const { loadPack } = await import(`${src}/model/pack${ext}`);
  const derive = way === 'cold' ? await import(`${src}/symbolic/derive${ext}`) : null;
  const imported = way === 'warm' ? await import(`${src}/symbolic/derivation-data${ext}`) : null;
  const t1 = performance.now();
  const model = derive ? derive.deriveModel(loadPack(pack).spec) : imported!.importDerivation(data.derivation);
  const t2 = performance.now();
  if (way === 'cold') await load.loadLemmas(data.files, model);
  else for (const d of data.lemmas) load.lemmaFromData(d, model);
  const t3 = performance.now();
  parentPort!.postMessage({ importMs: t1 - t0, modelMs: t2 - t1, lemmasMs: t3 - t2 });
}

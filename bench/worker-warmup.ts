/**
 * Where a verification worker's start-up goes, measured in a fresh worker thread as the pool starts one
 * (module loading, the model's derivation, loading the lemma files). Run: npx tsx bench/worker-warmup.ts [pack]
 */
import { Worker } from 'node:worker_threads';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  const pack = process.argv[2] ?? 'catapult-n2';
  const t0 = performance.now();
  const w = new Worker(new URL('../src/dynamics/ts-worker-entry.mjs', import.meta.url), { workerData: { tsModule: import.meta.url, data: { pack } } });
  w.on('message', (m: Record<string, number>) => {
    console.log(JSON.stringify({ pack, ...Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v)])), totalFromSpawnMs: Math.round(performance.now() - t0) }));
    void w.terminate();
  });
} else {
  const t0 = performance.now();
  const { loadPack } = await import('../src/model/pack.js');
  const { deriveModel } = await import('../src/symbolic/derive.js');
  const { lemmaFiles, loadLemmas } = await import('../src/lemma/load.js');
  await import('../src/check/shard.js');
  const t1 = performance.now();
  const pack = loadPack((workerData as { data: { pack: string } }).data.pack);
  const model = deriveModel(pack.spec);
  const t2 = performance.now();
  await loadLemmas(lemmaFiles(pack.lemmaDir!), model);
  const t3 = performance.now();
  parentPort!.postMessage({ importMs: t1 - t0, deriveMs: t2 - t1, loadLemmasMs: t3 - t2 });
}

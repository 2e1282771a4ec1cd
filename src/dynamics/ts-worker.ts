import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on a TypeScript module. A worker does not inherit the tsx loader of the
 * CLI or of vitest, so a plain-JavaScript entry registers it and then imports `module`; the
 * module reads its own data from `workerData.data`.
 */
export function startTsWorker(module: URL, data: unknown, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  return new Worker(new URL('./ts-worker-entry.mjs', import.meta.url), { ...options, workerData: { tsModule: module.href, data } });
}

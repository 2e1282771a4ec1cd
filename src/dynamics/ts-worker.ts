import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The module `name` beside `base` (an import.meta.url), with base's extension: .ts when running from the
 * TypeScript sources (vitest, tsx), .js when running the compiled package (dist/).
 */
export function siblingModule(base: string, name: string): URL {
  return new URL(`${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

/**
 * Starts a worker thread on a module; the module reads its own data from `workerData.data`. A worker does
 * not inherit the tsx loader of the CLI or of vitest, so for a TypeScript module a plain-JavaScript entry
 * registers tsx first and then imports it; a compiled module starts directly.
 */
export function startTsWorker(module: URL, data: unknown, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { ...options, workerData: { data } });
  return new Worker(new URL('./ts-worker-entry.mjs', import.meta.url), { ...options, workerData: { tsModule: module.href, data } });
}

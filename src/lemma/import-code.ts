import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Imports a lemma file that is code (.ts, .mts, .js, .mjs). From the TypeScript sources (vitest, or the CLI
 * run through tsx) a plain dynamic import already understands TypeScript. The compiled package runs plain
 * Node, so a TypeScript file goes through tsx's `tsImport`, loaded only then: a run without TypeScript
 * lemmas never loads tsx.
 */
export async function importCode(path: string): Promise<any> {
  const url = pathToFileURL(resolve(path)).href;
  const compiled = !import.meta.url.endsWith('.ts');
  if (compiled && /\.m?ts$/.test(path)) {
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(url, import.meta.url);
  }
  return import(url);
}

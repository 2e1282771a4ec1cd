import Module, { register } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const compiled = !import.meta.url.endsWith('.ts');
// From the sources, tsx is the loader when bin/eos-check.js or a worker's entry registered it (they set this
// mark); otherwise vitest is, which transforms TypeScript itself.
const viaTsx = compiled || (globalThis as Record<symbol, unknown>)[Symbol.for('eos-check.tsx')] === true;
let selfResolving = false;

/**
 * `import { defineLemma } from 'eos-check'` must work in a lemma file anywhere, also outside any folder
 * where Node would find this package. A resolve hook maps the bare name to this very package (the same
 * module instances the CLI runs); it is registered once, before the first lemma file that is code.
 */
function resolveSelf(): void {
  if (selfResolving) return;
  selfResolving = true;
  const target = new URL(compiled ? '../index.js' : '../index.ts', import.meta.url).href;
  const hook = `export async function resolve(specifier, context, next) {
  return specifier === 'eos-check' ? { url: ${JSON.stringify(target)}, shortCircuit: true } : next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  // A lemma file Node treats as CommonJS requires the package synchronously: map the name there too, to
  // the package's CommonJS entry (compiled) or its source (tsx compiles .cts on the fly).
  const cjs = fileURLToPath(new URL(compiled ? './define-lemma.cjs' : './define-lemma.cts', import.meta.url));
  const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = M._resolveFilename;
  M._resolveFilename = (request, ...rest) => (request === 'eos-check' ? cjs : original.call(Module, request, ...rest));
}

/**
 * Imports a lemma file that is code (.ts, .mts, .js, .mjs). TypeScript goes through tsx's `tsImport`,
 * loaded only then (a run without TypeScript lemmas never loads tsx); it compiles a .ts file outside any
 * "type": "module" package as CommonJS, as Node would a .js file there. Under vitest, which transforms
 * TypeScript itself, a plain dynamic import does.
 */
export async function importCode(path: string): Promise<any> {
  const url = pathToFileURL(resolve(path)).href;
  resolveSelf();
  let mod: any;
  if (viaTsx && /\.m?ts$/.test(path)) {
    const { tsImport } = await import('tsx/esm/api');
    mod = await tsImport(url, import.meta.url);
  } else mod = await import(url);
  // A file loaded as CommonJS arrives as { default: module.exports }, its own `export default` one level down.
  const d = mod?.default;
  return d !== null && typeof d === 'object' && d.__esModule === true && 'default' in d ? { default: d.default } : mod;
}

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DerivedModel } from '../symbolic/derive.js';
import { importCode } from './import-code.js';
import { compileLemma, type CompiledLemma } from './compile.js';
import { LemmaError } from './errors.js';
import type { LemmaSpec } from './types.js';

/** A lemma that loaded and compiled, or the error that stopped it (the report shows an ERROR row). */
export type LoadedLemma = { ok: true; lemma: CompiledLemma } | { ok: false; file: string; id: string | undefined; error: LemmaError };

export function lemmaFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(ts|mts|js|mjs|json)$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => join(dir, f));
}

function readJsonLemmas(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON: ${(e as Error).message}`);
  }
}

/** Load lemma files; a file that throws or exports garbage becomes an ERROR entry, never a crash. */
export async function loadLemmas(paths: string[], model: DerivedModel): Promise<LoadedLemma[]> {
  const out: LoadedLemma[] = [];
  const ids = new Map<string, string>();
  for (const path of paths) {
    const file = basename(path);
    let mod: any;
    try {
      if (!statSync(path).isFile()) throw new Error('not a file');
      // A JSON lemma file is data: one lemma object or a list of them, never executed.
      mod = path.endsWith('.json') ? { default: readJsonLemmas(path) } : await importCode(path);
    } catch (e) {
      const msg = (e as Error)?.message ?? String(e);
      const hint = /require|ES Module|Cannot use import/.test(msg) ? ' (outside a package with "type": "module", name the lemma file .mts)' : '';
      out.push({ ok: false, file, id: undefined, error: new LemmaError(file, undefined, '(load)', `the file failed to load: ${msg}${hint}`) });
      continue;
    }
    const fileHash = createHash('sha256').update(readFileSync(path)).digest('hex');
    const exported: unknown = mod?.default;
    const specs: unknown[] = Array.isArray(exported) ? exported : [exported];
    if (exported === undefined) {
      out.push({ ok: false, file, id: undefined, error: new LemmaError(file, undefined, '(export)', 'no default export: write `export default defineLemma({...})`') });
      continue;
    }
    for (const spec of specs) {
      const id = typeof (spec as any)?.id === 'string' ? (spec as any).id : undefined;
      try {
        const lemma = compileLemma(spec as LemmaSpec, model, file);
        lemma.fileHash = fileHash;
        const prev = ids.get(lemma.id);
        if (prev !== undefined) throw new LemmaError(file, lemma.id, 'id', `duplicate id, already used in ${prev}`);
        ids.set(lemma.id, file);
        out.push({ ok: true, lemma });
      } catch (e) {
        const err = e instanceof LemmaError ? e : new LemmaError(file, id, '(compile)', (e as Error)?.message ?? String(e));
        out.push({ ok: false, file, id, error: err });
      }
    }
  }
  return out;
}

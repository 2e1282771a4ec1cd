import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { DerivedModel } from '../symbolic/derive.js';
import { importCode } from './import-code.js';
import { compileLemma, type CompiledLemma } from './compile.js';
import { LemmaError, oneLine, type LemmaProblem } from './errors.js';
import { DataSyntaxError, DATA_LEMMA_FILE, readDataLemmas } from './read-data.js';
import type { LemmaSpec } from './types.js';

/** A lemma that loaded and compiled, or the error that stopped it (the report shows an ERROR row). */
/** path: the file's absolute path; fileHash: the sha256 of its bytes (null when it cannot be read). */
export type LoadedLemma = { ok: true; lemma: CompiledLemma } | { ok: false; file: string; path: string; fileHash: string | null; id: string | undefined; error: LemmaError };

/** sha256 of a file's bytes, or null when it cannot be read (that file is an ERROR row anyway). */
function fileHashOf(path: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return null;
  }
}

export function lemmaFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => (/\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')) || DATA_LEMMA_FILE.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** What a lemma file holds: code is imported (its default export), data (JSON, YAML) only parsed. */
async function readLemmaFile(path: string): Promise<{ exported: unknown; field: string; none: string }> {
  if (!statSync(path).isFile()) throw new Error('not a file');
  if (DATA_LEMMA_FILE.test(path)) return { exported: readDataLemmas(path, readFileSync(path, 'utf8')), field: '(load)', none: 'the file holds no lemma: write one lemma object, or a list of them' };
  const mod = await importCode(path);
  return { exported: mod?.default, field: '(export)', none: 'no default export: write `export default defineLemma({...})`' };
}

/**
 * Why a code file failed to load, on one line (one problem, one line of the report). A compiler's message
 * spans lines ("Transform failed with 1 error:", then file:line:col and the message) and may carry
 * colours and a code frame (an excerpt of the file, boxed): those are dropped, the position they gave is
 * kept. A lemma file's own `throw` may span lines too.
 */
function loadMessage(message: string): string {
  const lines = message.replace(/\x1b\[[0-9;]*m/g, '').split(/\r\n|[\r\n\u2028\u2029]/);
  const frame = (l: string) => /[\u2500-\u257f]/.test(l) || /^\s*(\d+\s*)?[|│]/.test(l) || /^[\s^~]*\^[\s^~]*$/.test(l);
  const kept = lines.filter((l) => !frame(l));
  const at = lines.filter(frame).map((l) => /[^\s[\]]+:\d+:\d+/.exec(l)?.[0]).find((x) => x !== undefined);
  return oneLine([...kept, ...(at !== undefined && !kept.some((l) => l.includes(at)) ? [`(at ${at})`] : [])].join('\n'));
}

/**
 * Load lemma files; a file that throws, does not parse or exports garbage becomes an ERROR entry,
 * never a crash. Each lemma of a file is compiled on its own (a bad one does not stop the others)
 * and its entry carries all its problems.
 */
export async function loadLemmas(paths: string[], model: DerivedModel): Promise<LoadedLemma[]> {
  const out: LoadedLemma[] = [];
  const ids = new Map<string, string>();
  for (const path of paths) {
    const file = basename(path);
    const where = { file, path: resolve(path), fileHash: fileHashOf(path) };
    let read: Awaited<ReturnType<typeof readLemmaFile>>;
    try {
      read = await readLemmaFile(path);
    } catch (e) {
      if (e instanceof DataSyntaxError) {
        out.push({ ok: false, ...where, id: undefined, error: LemmaError.of(file, e.errors.map((detail) => ({ lemmaId: undefined, field: '(load)', detail }))) });
        continue;
      }
      const msg = loadMessage((e as Error)?.message ?? String(e));
      const hint = /require|ES Module|Cannot use import/.test(msg) ? ' (outside a package with "type": "module", name the lemma file .mts)' : '';
      out.push({ ok: false, ...where, id: undefined, error: new LemmaError(file, undefined, '(load)', `the file failed to load: ${msg}${hint}`) });
      continue;
    }
    const { exported } = read;
    const specs: unknown[] = Array.isArray(exported) ? exported : [exported];
    if (exported === undefined || (exported === null && read.field === '(load)') || specs.length === 0) {
      out.push({ ok: false, ...where, id: undefined, error: new LemmaError(file, undefined, read.field, read.none) });
      continue;
    }
    for (const spec of specs) {
      const id = typeof (spec as any)?.id === 'string' ? (spec as any).id : undefined;
      const problems: LemmaProblem[] = [];
      let lemma: CompiledLemma | undefined;
      try {
        lemma = compileLemma(spec as LemmaSpec, model, file);
      } catch (e) {
        if (e instanceof LemmaError) problems.push(...e.problems);
        else problems.push({ lemmaId: id, field: '(compile)', detail: (e as Error)?.message ?? String(e) });
      }
      const prev = id === undefined ? undefined : ids.get(id);
      if (prev !== undefined) problems.push({ lemmaId: id, field: 'id', detail: `duplicate id, already used in ${prev}` });
      if (!lemma || problems.length > 0) {
        out.push({ ok: false, ...where, id, error: LemmaError.of(file, problems) });
        continue;
      }
      lemma.path = where.path;
      lemma.fileHash = where.fileHash ?? undefined;
      ids.set(lemma.id, file);
      out.push({ ok: true, lemma });
    }
  }
  return out;
}

/**
 * A loaded lemma as plain data, for a worker thread: the lemma as its file gave it (a worker compiles it
 * again, against the same model, instead of importing the file: no tsx, no TypeScript, and the very
 * bytes the calling thread read, even if the file changed since), or the problems that stopped it.
 */
export type LemmaData =
  | { ok: true; spec: unknown; file: string; path: string | undefined; fileHash: string | undefined }
  | { ok: false; file: string; path: string; fileHash: string | null; id: string | undefined; errorFile: string; problems: LemmaProblem[] };

export function lemmaData(l: LoadedLemma): LemmaData {
  if (l.ok) return { ok: true, spec: l.lemma.spec, file: l.lemma.file, path: l.lemma.path, fileHash: l.lemma.fileHash };
  return { ok: false, file: l.file, path: l.path, fileHash: l.fileHash, id: l.id, errorFile: l.error.file, problems: [...l.error.problems] };
}

/**
 * The LoadedLemma that lemmaData was made from, compiled here. A lemma that compiled where it was loaded
 * and does not compile here (its data did not survive the copy) is an error of the run, never a
 * different outcome.
 */
export function lemmaFromData(d: LemmaData, model: DerivedModel): LoadedLemma {
  if (!d.ok) return { ok: false, file: d.file, path: d.path, fileHash: d.fileHash, id: d.id, error: LemmaError.of(d.errorFile, d.problems) };
  let lemma: CompiledLemma;
  try {
    lemma = compileLemma(d.spec as LemmaSpec, model, d.file);
  } catch (e) {
    throw new Error(`lemma data from ${d.file} does not compile as it did where it was loaded: ${(e as Error)?.message ?? String(e)}`);
  }
  lemma.path = d.path;
  lemma.fileHash = d.fileHash;
  return { ok: true, lemma };
}

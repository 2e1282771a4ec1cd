import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPack } from '../../src/model/pack.js';
import { deriveModel, modelHash } from '../../src/symbolic/derive.js';
import { lemmaFiles, loadLemmas } from '../../src/lemma/load.js';

/**
 * The README's gallery matches the current catalogue (issue 15, item 6). docs/gallery/gallery.json
 * is written by `npm run gallery` together with the PNGs; it records the report they were made from.
 *
 * On ordering: reports/verification.json is written by the verification reporter when the whole run
 * ends, so while this file runs it holds the previous `npm test`'s outcomes (the sequencer starts the
 * catalogue first, but its outcomes reach the file only at the end). The gallery is therefore held
 * (1) to the catalogue as it is now, loaded here: model hash, lemma ids and count, and the lemma
 * files' bytes when gallery.json records them; and (2) to the outcomes of reports/verification.json
 * when that report is of the same catalogue. A report of another catalogue is older than the
 * lemmas; (1) still decides, and the outcome comparison is reported as skipped.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GALLERY = join(ROOT, 'docs', 'gallery');
const RECORD = join(GALLERY, 'gallery.json');
const REPORT = join(ROOT, 'reports', 'verification.json');
const REGENERATE = 'regenerate it: npm test (writes reports/verification.json), then npm run gallery';

interface GalleryRecord {
  report: {
    file: string;
    model: { name: string | null; hash: string; pack: string };
    lemmas: number;
    totals: Record<string, number>;
    outcomes: Record<string, string>;
    lemmaFiles: Record<string, string> | null;
  };
  images: { file: string; shows: string }[];
}

function readmeImages(): string[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...new Set([...text.matchAll(/docs\/gallery\/([A-Za-z0-9._-]+\.png)/g)].map((m) => m[1]!))];
}

function readRecord(): GalleryRecord {
  expect(existsSync(RECORD), `docs/gallery/gallery.json is missing: ${REGENERATE}`).toBe(true);
  return JSON.parse(readFileSync(RECORD, 'utf8')) as GalleryRecord;
}

/** Totals per outcome kind, counted from id -> kind. */
function countKinds(outcomes: Record<string, string>): Record<string, number> {
  const t: Record<string, number> = {};
  for (const kind of Object.values(outcomes)) t[kind] = (t[kind] ?? 0) + 1;
  return t;
}

/** The kind counts of a report's totals (without lemmas, asExpected, iterates). */
function kindTotals(totals: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(totals).filter(([k, v]) => /^[A-Z]+$/.test(k) && v > 0));
}

/** The catalogue as it is now: the pack's lemma files, loaded (once for the whole file). */
let catalogue: Promise<{ ids: string[]; fileHashes: Record<string, string> }> | undefined;
function currentCatalogue(packName: string) {
  catalogue ??= (async () => {
    const pack = loadPack(packName);
    const loaded = await loadLemmas(lemmaFiles(pack.lemmaDir!), deriveModel(pack.spec));
    return {
      ids: loaded.map((l) => (l.ok ? l.lemma.id : (l.id ?? l.file))).sort(),
      fileHashes: Object.fromEntries(loaded.flatMap((l) => (l.ok && l.lemma.fileHash ? [[l.lemma.file, l.lemma.fileHash] as const] : []))),
    };
  })();
  return catalogue;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('the README gallery', () => {
  it('every image the README shows exists in docs/gallery and is a PNG', () => {
    const images = readmeImages();
    expect(images.length, 'the README shows no docs/gallery image').toBeGreaterThan(0);
    for (const file of images) {
      const path = join(GALLERY, file);
      expect(existsSync(path), `README shows docs/gallery/${file}, which does not exist: ${REGENERATE}`).toBe(true);
      const bytes = readFileSync(path);
      expect(bytes.length, `docs/gallery/${file} is suspiciously small`).toBeGreaterThan(1000);
      expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE), `docs/gallery/${file} is not a PNG`).toBe(true);
    }
  });

  it('gallery.json records every README image and a consistent report summary', () => {
    const g = readRecord();
    const made = g.images.map((i) => i.file);
    for (const file of readmeImages()) expect(made, `docs/gallery/${file} was not made with gallery.json: ${REGENERATE}`).toContain(file);
    const ids = Object.keys(g.report.outcomes);
    expect(g.report.lemmas).toBe(ids.length);
    expect(g.report.totals.lemmas).toBe(ids.length);
    expect(kindTotals(g.report.totals)).toEqual(countKinds(g.report.outcomes));
  });

  it('was made from the current catalogue: model hash, lemma ids and count (and lemma file bytes, when recorded)', async () => {
    const g = readRecord();
    const pack = loadPack(g.report.model.pack);
    expect(g.report.model.hash, `the gallery shows model hash ${g.report.model.hash}, the ${pack.name} model is now ${modelHash(pack.spec)}: ${REGENERATE}`).toBe(modelHash(pack.spec));
    const { ids: current, fileHashes: now } = await currentCatalogue(pack.name);
    const shown = Object.keys(g.report.outcomes).sort();
    const missing = current.filter((id) => !shown.includes(id));
    const gone = shown.filter((id) => !current.includes(id));
    expect({ missing, gone }, `the gallery is not of the current catalogue (${current.length} lemmas now, ${shown.length} shown): ${REGENERATE}`).toEqual({ missing: [], gone: [] });
    expect(g.report.lemmas).toBe(current.length);
    if (g.report.lemmaFiles) {
      const changed = Object.entries(g.report.lemmaFiles).filter(([file, hash]) => now[file] !== hash).map(([file]) => file);
      expect(changed, `lemma files changed since the gallery's report was made: ${REGENERATE}`).toEqual([]);
    }
  });

  it("shows the outcomes of reports/verification.json when that report is of the current catalogue", async ({ skip }) => {
    const g = readRecord();
    if (!existsSync(REPORT)) {
      console.log('gallery: reports/verification.json not found; the gallery was checked against the lemma ids and count only');
      skip();
    }
    const report = JSON.parse(readFileSync(REPORT, 'utf8')) as { model: { hash: string }; outcomes: { id: string; kind: string }[]; totals: Record<string, number> };
    const pack = loadPack(g.report.model.pack);
    const { ids: current } = await currentCatalogue(pack.name);
    const reportIds = report.outcomes.map((o) => o.id).sort();
    if (report.model.hash !== modelHash(pack.spec) || JSON.stringify(reportIds) !== JSON.stringify(current)) {
      console.log('gallery: reports/verification.json is of an older catalogue (it is rewritten when this run ends); outcomes not compared');
      skip();
    }
    const outcomes = Object.fromEntries(report.outcomes.map((o) => [o.id, o.kind]));
    expect(g.report.totals.lemmas, REGENERATE).toBe(report.totals.lemmas);
    expect(kindTotals(g.report.totals), `the gallery's totals differ from reports/verification.json: ${REGENERATE}`).toEqual(kindTotals(report.totals));
    const differ = Object.keys(outcomes).filter((id) => g.report.outcomes[id] !== outcomes[id]).map((id) => `${id}: gallery ${g.report.outcomes[id]}, report ${outcomes[id]}`);
    expect(differ, `the gallery shows other outcomes than reports/verification.json: ${REGENERATE}`).toEqual([]);
  });
});

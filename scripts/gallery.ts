/**
 * npm run gallery [-- report.json]: build the HTML page exactly as `eos-check report --html --from`
 * does, open it in headless Chromium (offline, every request refused) and save into docs/gallery/
 * every PNG the README shows: `<run>.png` is the plot section of reference run <run> (r1.png is run
 * R1), `table.png` the header and the first rows of the verification table. An image the README
 * shows and the gallery cannot make is an error, so the README never shows a stale picture.
 *
 * Alongside, docs/gallery/gallery.json records what the images were made from: the report file, its
 * tool version, model (name and hash), seed, budget, lemma count, totals per outcome kind, each
 * lemma's id and outcome, and the lemma files' sha256 when the report records them. test/report/gallery.test.ts compares it with the current catalogue.
 *
 * The report defaults to reports/verification.json (written by npm test); nothing is re-verified.
 * A report that is not of the current catalogue (another model hash, another set of lemma ids than
 * lemmas/ holds now, or, when its rows record them, other lemma file hashes) is refused: run npm
 * test first.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { VERSION } from '../src/cli/version.js';
import { lemmaFiles, loadLemmas } from '../src/lemma/load.js';
import { loadPack } from '../src/model/pack.js';
import { openOffline } from '../src/report/html-browser.js';
import { deriveModel, modelHash } from '../src/symbolic/derive.js';

const OUT = 'docs/gallery';
const README = 'README.md';
/** Used only when the README shows no gallery image at all. */
const DEFAULT_IMAGES = ['r1.png', 'r2.png', 'r3.png', 'table.png'];
// The header and the table are cut after TABLE_HEIGHT px: the first rows show every column and
// kind of cell, and the whole table would be a ~1 MB image.
const TABLE_HEIGHT = 1500;

const source = process.argv[2] ?? 'reports/verification.json';
if (!existsSync(source)) {
  console.error(`gallery: ${source} not found (npm test writes it, or pass a report: npm run gallery -- report.json)`);
  process.exit(2);
}

/** The docs/gallery/*.png files the README shows, in order of first appearance. */
function readmeImages(): string[] {
  if (!existsSync(README)) return [];
  const names = [...readFileSync(README, 'utf8').matchAll(/docs\/gallery\/([A-Za-z0-9._-]+\.png)/g)].map((m) => m[1]!);
  return [...new Set(names)];
}

interface ReportFile {
  tool?: { name?: string; version?: string };
  model?: { name?: string; hash?: string; pack?: string };
  seed?: number;
  budget?: number;
  outcomes?: { id: string; file: string; kind: string; lemma?: { fileHash?: string | null } }[];
  totals?: Record<string, number>;
}

const report = JSON.parse(readFileSync(source, 'utf8')) as ReportFile;
if (!Array.isArray(report.outcomes) || typeof report.totals !== 'object' || typeof report.model?.hash !== 'string') {
  console.error(`gallery: ${source} is not an eos-check JSON report (no outcomes, totals or model hash)`);
  process.exit(2);
}

// The report must be of the current catalogue of its pack: the same model and the same lemma ids.
const pack = loadPack(report.model.pack ?? 'minimalist');
const model = deriveModel(pack.spec);
const loaded = pack.lemmaDir ? await loadLemmas(lemmaFiles(pack.lemmaDir), model) : [];
const currentIds = loaded.map((l) => (l.ok ? l.lemma.id : (l.id ?? l.file))).sort();
const reportIds = report.outcomes.map((o) => o.id).sort();
const stale: string[] = [];
if (report.model.hash !== modelHash(pack.spec)) stale.push(`model hash ${report.model.hash} in the report, ${modelHash(pack.spec)} now`);
const missing = currentIds.filter((id) => !reportIds.includes(id));
const extra = reportIds.filter((id) => !currentIds.includes(id));
if (missing.length > 0) stale.push(`not in the report: ${missing.join(', ')}`);
if (extra.length > 0) stale.push(`in the report but no longer in ${pack.lemmaDir}: ${extra.join(', ')}`);
if (reportIds.length !== currentIds.length && missing.length === 0 && extra.length === 0) stale.push(`${reportIds.length} rows in the report, ${currentIds.length} lemmas now`);
// Reports that carry each lemma file's sha256 (report rows since issue 15) are also held to the bytes of the files.
const reportHashes = new Map<string, string>();
for (const o of report.outcomes) if (typeof o.lemma?.fileHash === 'string') reportHashes.set(o.file, o.lemma.fileHash);
const hasHashes = report.outcomes.length > 0 && report.outcomes.every((o) => typeof o.lemma?.fileHash === 'string');
const currentHashes = new Map(loaded.flatMap((l) => (l.ok && l.lemma.fileHash ? [[l.lemma.file, l.lemma.fileHash] as const] : [])));
if (hasHashes) {
  const changed = [...reportHashes].filter(([file, hash]) => currentHashes.get(file) !== hash).map(([file]) => file);
  if (changed.length > 0) stale.push(`lemma files changed since the report was made: ${changed.join(', ')}`);
}
if (stale.length > 0) {
  console.error(`gallery: ${source} is not of the current ${pack.name} catalogue (${stale.join('; ')}); run npm test, then npm run gallery`);
  process.exit(2);
}

const images = readmeImages();
if (images.length === 0) console.warn(`gallery: ${README} shows no docs/gallery image; making ${DEFAULT_IMAGES.join(', ')}`);
const wanted = images.length > 0 ? images : DEFAULT_IMAGES;

const t0 = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'eos-gallery-'));
const htmlPath = join(dir, 'report.html');
const code = await main(['report', '--html', htmlPath, '--from', source]);
if (code !== 0) process.exit(code);
const html = readFileSync(htmlPath, 'utf8');
rmSync(dir, { recursive: true, force: true });

const view = await openOffline(html, { width: 1280, height: 1000 });
let failed = false;
const made: { file: string; shows: string }[] = [];
try {
  if (view.errors.length > 0 || view.foreignRequests.length > 0)
    throw new Error(`the page is not clean: errors ${JSON.stringify(view.errors)}, requests ${JSON.stringify(view.foreignRequests)}`);
  const runs = await view.page.$$eval('section.run[data-run]', (els) => els.map((e) => (e as HTMLElement).dataset.run ?? ''));
  // Each image: a selector, what it shows, and a height cut (for the table).
  const shots: { file: string; selector: string; shows: string; maxHeight?: number }[] = [];
  const unknown: string[] = [];
  for (const file of wanted) {
    const stem = file.replace(/\.png$/, '');
    const run = runs.find((r) => r.toLowerCase() === stem.toLowerCase());
    if (stem === 'table') shots.push({ file, selector: 'body', shows: `the report's header and verification table (first ${TABLE_HEIGHT} px)`, maxHeight: TABLE_HEIGHT });
    else if (run !== undefined) shots.push({ file, selector: `section.run[data-run="${run}"]`, shows: `reference run ${run}` });
    else unknown.push(file);
  }
  if (unknown.length > 0)
    throw new Error(`${README} shows ${unknown.map((f) => `${OUT}/${f}`).join(', ')}, which the gallery cannot make (it makes table.png and <run>.png for the page's runs: ${runs.join(', ') || 'none'})`);
  mkdirSync(OUT, { recursive: true });
  for (const { file, selector, shows, maxHeight } of shots) {
    const path = join(OUT, file);
    if (maxHeight === undefined) await view.page.locator(selector).screenshot({ path, animations: 'disabled' });
    else {
      // clip is in page coordinates (fullPage), boundingBox in viewport ones: add the scroll offset.
      const box = await view.page.locator(selector).boundingBox();
      if (!box) throw new Error(`${selector} is not visible`);
      const scrollY = await view.page.evaluate(() => window.scrollY);
      await view.page.screenshot({ path, fullPage: true, animations: 'disabled', clip: { x: box.x, y: box.y + scrollY, width: box.width, height: Math.min(maxHeight, box.height) } });
    }
    made.push({ file, shows });
    const kb = statSync(path).size / 1024;
    console.log(`${path}: ${kb.toFixed(0)} KB (${shows})`);
    if (kb > 300) console.warn(`  warning: ${path} is over 300 KB`);
  }
  const unused = readdirSync(OUT).filter((f) => f.endsWith('.png') && !wanted.includes(f));
  if (unused.length > 0) console.warn(`gallery: ${unused.map((f) => `${OUT}/${f}`).join(', ')} not shown by ${README} (left as they are)`);

  // What the images were made from. No timestamps: the same report gives the same file.
  const outcomes = Object.fromEntries([...report.outcomes].sort((a, b) => a.id.localeCompare(b.id)).map((o) => [o.id, o.kind]));
  const record = {
    madeBy: { script: 'scripts/gallery.ts (npm run gallery)', tool: { name: 'eos-check', version: VERSION } },
    report: {
      file: source,
      tool: report.tool ?? null,
      model: { name: report.model.name ?? null, hash: report.model.hash, pack: pack.name },
      seed: report.seed ?? null,
      budget: report.budget ?? null,
      lemmas: report.outcomes.length,
      totals: report.totals,
      outcomes,
      // sha256 of each lemma file as the report recorded it (null: the report does not record them).
      lemmaFiles: hasHashes ? Object.fromEntries([...reportHashes].sort(([a], [b]) => a.localeCompare(b))) : null,
    },
    images: made,
  };
  writeFileSync(join(OUT, 'gallery.json'), JSON.stringify(record, null, 2) + '\n');
  console.log(`${join(OUT, 'gallery.json')}: ${record.report.lemmas} lemmas, model ${record.report.model.name} (hash ${record.report.model.hash})`);
} catch (e) {
  console.error(`gallery: ${(e as Error).message}`);
  failed = true;
} finally {
  await view.close();
}
console.log(`gallery: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
// The Z3 runtime loaded with the CLI keeps worker threads alive; exit explicitly, as bin/eos-check.js does.
process.exit(failed ? 1 : 0);

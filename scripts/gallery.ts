/**
 * npm run gallery [-- report.json]: build the HTML page exactly as `eos-check report --html --from`
 * does, open it in headless Chromium (offline, every request refused) and save PNGs of the plots of
 * runs R1-R3 and of the verification table into docs/gallery/, for the README.
 * The report defaults to reports/verification.json (written by npm test); nothing is re-verified.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { openOffline } from '../src/report/html-browser.js';

const OUT = 'docs/gallery';
const source = process.argv[2] ?? 'reports/verification.json';
if (!existsSync(source)) {
  console.error(`gallery: ${source} not found (npm test writes it, or pass a report: npm run gallery -- report.json)`);
  process.exit(2);
}

const t0 = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'eos-gallery-'));
const htmlPath = join(dir, 'report.html');
const code = await main(['report', '--html', htmlPath, '--from', source]);
if (code !== 0) process.exit(code);
const html = readFileSync(htmlPath, 'utf8');
rmSync(dir, { recursive: true, force: true });

const view = await openOffline(html, { width: 1280, height: 1000 });
let failed = false;
try {
  if (view.errors.length > 0 || view.foreignRequests.length > 0)
    throw new Error(`the page is not clean: errors ${JSON.stringify(view.errors)}, requests ${JSON.stringify(view.foreignRequests)}`);
  // The header and the table are cut after TABLE_HEIGHT px: the first rows show every column and
  // kind of cell, and the whole 36-row table would be a ~1 MB image.
  const TABLE_HEIGHT = 1500;
  const shots: [string, string, number?][] = [
    ['#run-R1', 'r1.png'],
    ['#run-R2', 'r2.png'],
    ['#run-R3', 'r3.png'],
    ['body', 'table.png', TABLE_HEIGHT],
  ];
  mkdirSync(OUT, { recursive: true });
  for (const [selector, file, maxHeight] of shots) {
    const path = join(OUT, file);
    if (maxHeight === undefined) await view.page.locator(selector).screenshot({ path, animations: 'disabled' });
    else {
      // clip is in page coordinates (fullPage), boundingBox in viewport ones: add the scroll offset.
      const box = await view.page.locator(selector).boundingBox();
      if (!box) throw new Error(`${selector} is not visible`);
      const scrollY = await view.page.evaluate(() => window.scrollY);
      await view.page.screenshot({ path, fullPage: true, animations: 'disabled', clip: { x: box.x, y: box.y + scrollY, width: box.width, height: Math.min(maxHeight, box.height) } });
    }
    const kb = statSync(path).size / 1024;
    console.log(`${path}: ${kb.toFixed(0)} KB`);
    if (kb > 300) console.warn(`  warning: ${path} is over 300 KB`);
  }
} catch (e) {
  console.error(`gallery: ${(e as Error).message}`);
  failed = true;
} finally {
  await view.close();
}
console.log(`gallery: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
// The Z3 runtime loaded with the CLI keeps worker threads alive; exit explicitly, as bin/eos-check.js does.
process.exit(failed ? 1 : 0);

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, openOffline, type OfflinePage } from '../../src/report/html-browser.js';
import { runCli } from '../support/cli.js';

/**
 * The HTML page of a fresh report (rows with their lemma definitions) in headless Chromium at 800 px:
 * an anchor per lemma, its hypotheses and constants in view, the whole definition with the file's
 * sha256 in a <details>, the where/why of a VACUOUS row, and no sideways scroll of the page (the wide
 * table scrolls inside its own box). Skipped like test/report/html.test.ts when Chromium is missing.
 */
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const REQUIRED = process.env.EOS_REQUIRE_CHROMIUM === '1';
if (!HAVE_CHROMIUM && !REQUIRED) console.warn(`SKIPPED test/report/standalone-html.test.ts: ${CHROMIUM} not found. Enable it with: apt-get install chromium`);

let view: OfflinePage;
let html: string;
const dir = mkdtempSync(join(tmpdir(), 'eos-standalone-html-'));

beforeAll(async () => {
  if (!HAVE_CHROMIUM && !REQUIRED) return;
  const f = join(dir, 'lemmas.json');
  const base = { claim: 'C6', provenance: 'variant', description: 'a fixture\nover two lines', hypotheses: { hyper: { eta: { min: 1, max: 1.5 }, lambda1: 1, lambda2: 1e-3 }, init: { alpha: 1, beta1: 0.01, beta2: 0 } }, steps: 20, runs: 2, expect: 'holds' };
  writeFileSync(
    f,
    JSON.stringify([
      { ...base, id: 'loss-at-least-a-constant', title: 'holds', constants: { c: '0 * eta' }, quantifier: { kind: 'every-step' }, statement: 'L >= c' },
      { ...base, id: 'vacuous-premise', title: 'a premise that never holds', quantifier: { kind: 'every-step', when: 'L < 0' }, statement: 'L >= 0' },
    ]),
  );
  const page = join(dir, 'page.html');
  const r = await runCli(['verify', f, 'lemmas/c6-sharpness-bound.ts', '--runs', '2', '--html', page]);
  expect([0, 1]).toContain(r.code);
  html = readFileSync(page, 'utf8');
  view = await openOffline(html, { width: 800, height: 900 });
}, 120_000);

afterAll(async () => {
  await view?.close();
});

describe.skipIf(!HAVE_CHROMIUM && !REQUIRED)('the stand-alone HTML report at 800 px', () => {
  it('gives each lemma an anchor and shows its hypotheses, constants and whole definition', async () => {
    expect(html).toContain('id="lemma-loss-at-least-a-constant"');
    expect(html).toContain('id="lemma-c6-sharpness-bound-two-plus-delta"');
    const detail = view.page.locator('tr.detail[data-for="loss-at-least-a-constant"]');
    const visible = await detail.innerText();
    expect(visible).toMatch(/hyper\s+eta in \[1, 1\.5\], lambda1 = 1, lambda2 = 0\.001/);
    expect(visible).toMatch(/constants\s+c = 0 \* eta/);
    // The rest is folded away until the reader opens it.
    expect(visible).not.toMatch(/description/);
    await detail.locator('details summary').click();
    const opened = await detail.innerText();
    expect(opened).toMatch(/sha256 [0-9a-f]{64}/);
    expect(opened).toMatch(/statement\s+L >= c/);
    expect(opened).toMatch(/description\s+a fixture\s+over two lines/);
    const vac = await view.page.locator('tr.detail[data-for="vacuous-premise"]').innerText();
    expect(vac).toMatch(/why\s+the premise "L < 0" never held/);
    expect(vac).toMatch(/suggestion\s+no draw satisfied the premise/);
  });

  it('does not scroll the page sideways: the table scrolls inside its own box', async () => {
    const m = await view.page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
      box: (document.querySelector('.table-scroll') as HTMLElement).clientWidth,
      table: (document.querySelector('table.lemmas') as HTMLElement).scrollWidth,
    }));
    expect(m.page).toBeLessThanOrEqual(m.viewport);
    expect(m.box).toBeLessThanOrEqual(m.viewport);
    // The table is wider than 800 px, so the box is what keeps the page from scrolling.
    expect(m.table).toBeGreaterThan(m.box);
  });
});

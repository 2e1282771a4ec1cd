import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Headless Chromium for the gallery and the page tests (playwright-core is a dev dependency; nothing
 * in the CLI imports this). The system's Debian chromium is used, never a downloaded browser, with a
 * fresh profile per launch and the background services that would otherwise phone home turned off.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The page is served from this origin by request interception, so every other request is visible. */
export const PAGE_URL = 'http://eos-check.invalid/report.html';

export interface OfflinePage {
  page: Page;
  /** Requests other than the page itself, data: and blob: (each one is a failure: the page must be offline). */
  foreignRequests: string[];
  /** console.error messages and uncaught page errors. */
  errors: string[];
  close(): Promise<void>;
}

/** Launch Chromium, load `html` with every network request intercepted, and wait until the plots are drawn. */
export async function openOffline(html: string, viewport = { width: 1280, height: 900 }): Promise<OfflinePage> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  const profile = mkdtempSync(join(tmpdir(), 'eos-check-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      deviceScaleFactor: 1,
      offline: false,
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const foreignRequests: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === PAGE_URL) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    if (!foreignRequests.includes(url)) foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (req) => {
    const url = req.url();
    if (url !== PAGE_URL && !url.startsWith('data:') && !url.startsWith('blob:') && !foreignRequests.includes(url)) foreignRequests.push(url);
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  const close = async () => {
    await context!.close();
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    await page.goto(PAGE_URL, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.plots !== undefined, undefined, { timeout: 30_000 });
    const state = await page.evaluate(() => document.body.dataset.plots);
    if (state !== 'ready') errors.push(`plots: ${state}`);
  } catch (e) {
    await close();
    throw e;
  }
  return { page, foreignRequests, errors, close };
}

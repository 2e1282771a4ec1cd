import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The plotting library, inlined into the page so it opens offline with no request of any kind.
 *
 * Why uPlot: it is small (about 50 KB minified, MIT), draws on canvas (R3 is 40000 steps; even after
 * decimation a page has tens of thousands of points, which SVG-based libraries turn into as many DOM
 * nodes), needs no fonts, no CDN and no build step, and has the two things these plots need: a
 * draw hook to shade the phases behind the series, and per-axis tick formatters for log10 axes of
 * values far outside the double range. Read from node_modules at run time, so the page always
 * carries the installed version and nothing is vendored twice.
 */
export interface PageAssets {
  uplotJs: string;
  uplotCss: string;
  uplotVersion: string;
}

let cached: PageAssets | undefined;

export function pageAssets(): PageAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('uplot/package.json');
  const dir = pkgPath.slice(0, -'package.json'.length);
  const read = (rel: string) => readFileSync(dir + rel, 'utf8');
  cached = {
    uplotJs: read('dist/uPlot.iife.min.js'),
    uplotCss: read('dist/uPlot.min.css'),
    uplotVersion: JSON.parse(read('package.json')).version,
  };
  return cached;
}

import { describe, it, expect } from 'vitest';
import { VerifyProgressLine } from '../../src/report/progress.js';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { verifyFiles, type VerifyProgress } from '../../src/check/catalogue.js';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 100, writes, write: (s: string) => writes.push(s) };
}

const p = (unitsDone: number, lemmasDone = 1): VerifyProgress => ({ lemmas: 3, lemmasDone, units: 10, unitsDone, iterates: 1234 });

describe('the overall progress of verify and report', () => {
  it('shows lemmas done of N, blocks, iterates, elapsed time and an ETA from the fraction of work done', () => {
    expect(VerifyProgressLine.line(p(4), 20_000)).toBe('  1/3 lemmas, 4/10 blocks, 1234 iterates, 0:20 elapsed, ETA 0:30');
    expect(VerifyProgressLine.line(p(0, 0), 1000)).toMatch(/ETA --:--$/);
    expect(VerifyProgressLine.line(p(10, 3), 5000)).toMatch(/ETA 0:00$/);
    expect(VerifyProgressLine.line(p(4), 20_000, 30).length).toBeLessThan(30);
  });

  it('writes to a terminal, and stays quiet when the stream is not one or CI is set', () => {
    let t = 0;
    const tty = stream(true);
    const bar = new VerifyProgressLine(tty, {}, () => t);
    t = 1000;
    bar.update(p(4));
    bar.above(() => tty.writes.push('a line\n'));
    bar.end();
    expect(tty.writes[0]).toMatch(/^\r {2}1\/3 lemmas/);
    // A line printed while the bar shows: erase, print, redraw.
    expect(tty.writes.slice(1, 4)).toEqual(['\r\x1b[K', 'a line\n', tty.writes[0]!]);
    expect(tty.writes.at(-1)).toBe('\r\x1b[K');
    for (const [s, env] of [
      [stream(false), {}],
      [stream(true), { CI: 'true' }],
    ] as const) {
      const quiet = new VerifyProgressLine(s, env, () => t);
      quiet.update(p(4));
      quiet.above(() => {});
      quiet.end();
      expect(s.writes).toEqual([]);
    }
  });

  it('verifyFiles reports every unit, and ends with every lemma and unit done (a lemma settled early counts all its blocks)', async () => {
    const model = deriveModel(minimalistModel);
    const seen: VerifyProgress[] = [];
    // c2: identities (one unit each); hill: 300 runs, two blocks per lemma, one lemma falsified in its first block.
    const os = await verifyFiles(model, ['lemmas/c2-spectrum-at-global-minimizers.ts', 'test/fixtures/search/hill.ts'], { seed: 11, runs: 300, onProgress: (x) => seen.push(x) });
    const last = seen.at(-1)!;
    expect(last.lemmasDone).toBe(os.length);
    expect(last.unitsDone).toBe(last.units);
    expect(last.iterates).toBe(os.reduce((n, o) => n + o.iterates, 0));
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.unitsDone).toBeGreaterThanOrEqual(seen[i - 1]!.unitsDone);
    expect(seen.some((x) => x.unitsDone > 0 && x.lemmasDone < os.length && x.iterates > 0)).toBe(true);
  });
});

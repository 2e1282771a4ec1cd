import { describe, it, expect } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import { InterruptedError } from '../../src/check/verify.js';

const model = deriveModel(minimalistModel);
const files = ['lemmas/c3-beta1-multiplicative-update.ts', 'lemmas/c10-gfs-sharpness-non-increasing.ts', 'test/fixtures/bad-lemmas/many.ts'];
// Outcomes without their wall-clock times, which are the only thing allowed to differ.
const comparable = (os: Awaited<ReturnType<typeof verifyFiles>>) => os.map(({ timeMs: _t, ...o }) => o);

describe('lemmas spread over worker threads', () => {
  it('give the same outcomes, in the same order, as one thread (unloadable files included)', async () => {
    const opts = { seed: 7, runs: 4 };
    const one = await verifyFiles(model, files, opts);
    const seen: string[] = [];
    const two = await verifyFiles(model, files, { ...opts, jobs: 2 }, (o) => seen.push(o.id));
    expect(comparable(two)).toEqual(comparable(one));
    expect(two.map((o) => o.kind)).toContain('ERROR');
    expect([...seen].sort()).toEqual(one.map((o) => o.id).sort());
    // Proof that threads ran: the Z3 lemma (second in the c10 file) is still running on one worker while
    // the other finishes the quick lemmas after it, so outcomes arrive out of file order; one thread
    // would report them in order.
    expect(seen).not.toEqual(one.map((o) => o.id));
  });

  it('stop when the signal is aborted and throw InterruptedError', async () => {
    const ctl = new AbortController();
    const t0 = Date.now();
    const p = verifyFiles(model, files, { seed: 7, runs: 100_000, jobs: 2, signal: ctl.signal });
    setTimeout(() => ctl.abort(), 3000);
    await expect(p).rejects.toBeInstanceOf(InterruptedError);
    expect(Date.now() - t0).toBeLessThan(3000 + 5000);
  });
});

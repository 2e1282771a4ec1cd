/**
 * A tightness value is recorded from its double-double kernel first (check/extremes.ts NeededMax.record): its interval
 * kernel runs only where the double-double value leaves it open whether the value may exceed the largest so far.
 * Along two draws of every lemma with a tightness figure in every pack, the trajectory's result is the same as with the
 * interval kernel first, field by field.
 */
import { describe, expect, it } from 'vitest';
import { packNames } from '../../src/model/pack.js';
import { checkTrajectory } from '../../src/check/trajectory-check.js';
import { packDraws } from '../support/pack-draws.js';

/** A result as text: a margin's lazy enclosure by its value (its closure differs from run to run), bigints as decimals. */
const plain = (r: unknown) => JSON.stringify(r, (_, v) => (typeof v === 'function' ? (v.length === 0 ? v() : 'function') : typeof v === 'bigint' ? v.toString() : v));

describe('the double-double kernel first changes no tightness record', () => {
  for (const packName of packNames()) {
    it(`every lemma of ${packName} with a tightness figure`, async () => {
      const { model, draws } = await packDraws(packName, 20261210, 2);
      let finite = 0;
      for (const { lemma, hyper, init } of draws) {
        if (!lemma.tightness) continue;
        const opts = { arith: 'extended' as const, steps: Math.min(4000, lemma.steps) };
        const a = checkTrajectory(model, lemma, hyper, init, opts);
        const b = checkTrajectory(model, lemma, hyper, init, { ...opts, neededDDFirst: false });
        expect(plain(a), `${lemma.id} at ${JSON.stringify({ hyper, init })}`).toBe(plain(b));
        if (Number.isFinite(b.maxNeeded)) finite++;
      }
      // The scalar packs' tightness lemmas (if any) and the model packs': at least one value recorded where there are any.
      if (draws.some((d) => d.lemma.tightness)) expect(finite).toBeGreaterThan(0);
    }, 300_000);
  }
});

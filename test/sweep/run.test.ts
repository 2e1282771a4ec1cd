import { describe, it, expect } from 'vitest';
import { defaultBatch, InOrder } from '../../src/sweep/run.js';
import { mulberry32 } from '../support/prng.js';

describe('sweep pool bookkeeping', () => {
  it('rows arriving in any order leave in index order, holding only the early arrivals', () => {
    const rnd = mulberry32(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + Math.floor(rnd() * 200);
      const arrival = Array.from({ length: n }, (_, i) => i);
      // Shuffle within a window of 8, as workers running batches out of step would.
      for (let i = 0; i < n; i++) {
        const j = Math.min(n - 1, i + Math.floor(rnd() * 8));
        [arrival[i], arrival[j]] = [arrival[j]!, arrival[i]!];
      }
      const out: number[] = [];
      const q = new InOrder<number>((v) => out.push(v));
      const arrived = new Set<number>();
      let prefix = 0;
      for (const p of arrival) {
        q.put(p, p);
        arrived.add(p);
        while (arrived.has(prefix)) prefix++;
        // Released exactly the arrived prefix, and holds exactly the rest.
        expect(q.next).toBe(prefix);
        expect(q.held).toBe(arrived.size - prefix);
      }
      expect(out).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(q.held).toBe(0);
    }
  });

  it('batches are small enough that the last ones spread over the workers', () => {
    expect(defaultBatch(1600, 2)).toBe(16);
    expect(defaultBatch(12, 2)).toBe(1);
    expect(defaultBatch(1e6, 8)).toBe(16);
  });
});

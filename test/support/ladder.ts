import { LADDER, type Consumer, type Ladder } from '../../src/numeric/ladder.js';

/**
 * Runs f with one row of the decision ladder replaced, and restores the row afterwards, whatever f does; for an
 * async f, once its promise settles.
 */
export function withRow<C extends Consumer, T>(consumer: C, row: Ladder[C], f: () => T): T {
  const ladder = LADDER as { -readonly [K in Consumer]: Ladder[K] };
  const saved = ladder[consumer];
  const restore = () => {
    ladder[consumer] = saved;
  };
  ladder[consumer] = row;
  let r: T;
  try {
    r = f();
  } catch (e) {
    restore();
    throw e;
  }
  if (r instanceof Promise) return r.finally(restore) as T;
  restore();
  return r;
}

/**
 * A `within` window's length at an iterate, decided like every other value: its exact form
 * (lemma.withinExact) enclosed at the iterate's exact value with the exact decider's precisions
 * (check/decide.ts exactEnv: rationals with certified roots, logs and S), and its ceiling taken only
 * when the enclosure's two ends have the same ceiling. The deadline t + max(1, ceil(k)) is then an
 * exact integer; where the ends straddle an integer at every precision the length is undecided and
 * both candidate ceilings are returned.
 */
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledLemma } from '../lemma/compile.js';
import { freeSymbols } from '../symbolic/expr.js';
import { evalInterval } from '../symbolic/interval-eval.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import { exactEnv, type ExactContext } from './decide.js';
import { Interval, UndecidableError } from '../numeric/interval.js';
import { bitsOf } from '../numeric/ladder.js';
import { FI_OK } from '../numeric/outward.js';


/** An undecided length carries both candidate step counts (the ceilings of its enclosure's ends). */
export type WindowLength = { steps: number } | { undecided: string; lower: number; upper: number };

const USES = new WeakMap<CompiledLemma, Set<string>>();

/** max(1, ceil(k)) as a number (Infinity beyond 2^53 or where the window is undefined: no deadline, as before). */
function steps(c: bigint): number {
  const v = c < 1n ? 1 : Number(c);
  return Number.isSafeInteger(v) ? v : Infinity;
}

const OUT = new Float64Array(2);

/**
 * `enclosures` (optional) gives the float filter's enclosures at the iterate: where the window's interval kernel
 * encloses its length in two doubles with one ceiling, that is the length (a rigorous enclosure, as the exact one
 * below); anywhere else the exact enclosures decide. (c7's window is read at every triggered iterate: in rationals
 * with certified logs alone that was four fifths of the lemma's time.)
 */
export function windowLength(model: DerivedModel, lemma: CompiledLemma, ctx: () => ExactContext, enclosures?: () => Float64Array): WindowLength {
  if (lemma.withinKernel && enclosures && lemma.withinKernel(enclosures(), OUT) === FI_OK) {
    const lo = Math.ceil(OUT[0]!);
    if (Number.isFinite(lo) && Math.ceil(OUT[1]!) === lo) return { steps: steps(BigInt(lo)) };
  }
  const node = lemma.withinExact!;
  let uses = USES.get(lemma);
  if (!uses) USES.set(lemma, (uses = freeSymbols(node)));
  let last: Interval | undefined;
  let why = '';
  for (const bits of bitsOf('sampled', 'exact-rational')) {
    try {
      const env = uses.size === 0 ? new Map<string, Interval>() : exactEnv(model, uses, ctx(), bits);
      const k = evalInterval(node, env, bits);
      last = k;
      const lo = k.lo.ceil(), hi = k.hi.ceil();
      if (lo === hi) return { steps: steps(lo) };
      why = `the window ${lemma.quantifierTerms.within?.[0]?.text ?? ''} is enclosed in [${k.lo.toNumber()}, ${k.hi.toNumber()}], whose ends have different ceilings`;
    } catch (e) {
      if (e instanceof CertainlyUndefined) return { steps: Infinity };
      if (e instanceof UndecidableError || e instanceof MaybeUndefined) {
        why = `the window length: ${(e as Error).message}`;
        break;
      }
      throw e;
    }
  }
  return { undecided: why, lower: last ? steps(last.lo.ceil()) : 1, upper: last ? steps(last.hi.ceil()) : Infinity };
}

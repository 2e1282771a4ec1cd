/**
 * The decision ladder, declared once as data: which arithmetic decides a comparison first, and what
 * takes over (at which precisions) where it cannot separate. Cheap rungs come first; every rung is
 * rigorous (a rung that cannot separate says so and the next one runs), so the order changes only
 * the cost, never a verdict. A consumer walks its row of LADDER in order.
 *
 * Every consumer reads its row here each time it runs, so a row is the one place to change what it
 * does (test/numeric/ladder.test.ts changes rows and watches the consumers follow): check/decide.ts walks LADDER.sampled; dynamics/certified-orbit.ts takes its passes'
 * precisions from a row of its callers (check/certify.ts: LADDER.certify; dynamics/certified-summary.ts:
 * LADDER.certifiedSummary; a caller that names none: LADDER.certifiedOrbit); check/region-prove.ts reads
 * LADDER.regionProver, its precisions and its box budget.
 */

export type RungId = 'float' | 'double-double' | 'extended' | 'rounded' | 'sylvester' | 'exact-rational' | 'dyadic';

export interface Rung {
  readonly id: RungId;
  /** The arithmetic: a row of the enclosure interface (enclosure.ts) or the evaluator that stands for one. */
  readonly arithmetic: string;
  /** Which comparisons the rung takes (the others pass to the next rung). */
  readonly takes: string;
  /** How it encloses the sharpness S (the top Hessian eigenvalue). */
  readonly sharpness: string;
}

export const RUNGS: Readonly<Record<RungId, Rung>> = {
  float: {
    id: 'float',
    arithmetic: 'outward doubles (OUTWARD; the compiled kernels of symbolic/interval-kernel.ts), over enclosures of the computed iterate',
    takes: 'every comparison with an interval kernel',
    sharpness: 'topEigenvalueEnclosure3 (3x3 closed form with a priori error bounds), else topEigenvalueEnclosure (Rayleigh + interval elimination)',
  },
  'double-double': {
    id: 'double-double',
    arithmetic: 'double-double balls (DD_ENCLOSURES; the kernels of symbolic/dd-kernel.ts), values in 2^-900..2^900',
    takes: 'comparisons with a double-double kernel that the doubles did not separate',
    sharpness: 'ddTopEigenvalue3 (3 parameters), computed only where a comparison with S reaches this rung',
  },
  extended: {
    id: 'extended',
    arithmetic: 'extended-exponent intervals (symbolic/ext-interval-eval.ts): 53-bit mantissa, unbounded exponent, at the exact iterate',
    takes: 'comparisons without S, exp or log, at an iterate of the computed orbit with point inputs',
    sharpness: 'none (comparisons with S skip the rung)',
  },
  rounded: {
    id: 'rounded',
    arithmetic:
      "intervals rounded outward to `bits` after every operation: the comparison's compiled dyadic program (DyadicArith(bits), symbolic/dyadic-eval.ts); rational intervals rounded to about `bits` (RationalArith(bits, bits)) for one with exp or a non-integer power",
    takes: 'every comparison with an exact form',
    sharpness: 'certifyTopEigenvalue at `bits` (exact Rayleigh quotient, exact elimination), widened by Weyl for the rounded Hessian',
  },
  sylvester: {
    id: 'sylvester',
    arithmetic: 'exact rationals: Sylvester criterion on rI - H by fraction-free elimination (sylvester.ts)',
    takes: 'comparisons affine in one sharpness symbol with rational coefficients',
    sharpness: 'not enclosed: S rel r is decided exactly',
  },
  'exact-rational': {
    id: 'exact-rational',
    arithmetic: 'exact rational intervals, irrational values (sqrt, S, roots) enclosed to `bits` (RationalArith(bits))',
    takes: 'every comparison with an exact form',
    sharpness: 'certifyTopEigenvalue at `bits`',
  },
  dyadic: {
    id: 'dyadic',
    arithmetic: 'dyadic intervals at P bits (DyadicArith(P)), no float anywhere',
    takes: 'the whole orbit or box: a precision that cannot separate (or lets an enclosure grow too wide) asks for the next',
    sharpness: 'topEigenvalueDyadic (Rayleigh of inverse-iteration guesses + interval elimination, Gershgorin fallback)',
  },
};

/** One step of a consumer's ladder: a rung at the precisions tried there, in order (Infinity: exact). */
export interface LadderStep {
  readonly rung: RungId;
  readonly bits: readonly number[];
}

/**
 * The dyadic rung over a whole orbit (dynamics/certified-orbit.ts): one pass per precision, each from
 * step 0 (dyadic enclosures cannot be tightened afterwards, only recomputed).
 */
export interface OrbitStep extends LadderStep {
  readonly rung: 'dyadic';
  /**
   * A pass gives way to the next precision when a parameter's enclosure is wider than 2^-relWidthBits
   * relative to its magnitude: an enclosure that wide is valid but decides little.
   */
  readonly relWidthBits: number;
  /** The highest precision an undecided decision may ask for; the width rule above goes on to the last (default: the last). */
  readonly decisionBits?: number;
}

/** The dyadic rung over a region of theta (check/region-prove.ts): one precision, and a count of boxes as the budget. */
export interface RegionStep extends LadderStep {
  readonly rung: 'dyadic';
  /** Boxes evaluated at most: a count, so the verdict does not depend on the load. */
  readonly maxBoxes: number;
  /** Significant bits of the sharpness bounds written to the certificate (short numbers for the checker to re-check). */
  readonly certificateBits: number;
  /** The Rayleigh vector's entries are multiples of 2^-vectorBits (short dyadics, exact in the certificate). */
  readonly vectorBits: number;
}

export interface Ladder {
  /** check/decide.ts: one comparison at one iterate of a sampled orbit. */
  readonly sampled: readonly LadderStep[];
  /** check/certify.ts: a counterexample or a worst case re-run on the true orbit from its exact start. */
  readonly certify: readonly OrbitStep[];
  /** dynamics/certified-summary.ts (trajectory --certified): a run's figures on its true orbit. */
  readonly certifiedSummary: readonly OrbitStep[];
  /** dynamics/certified-orbit.ts when its caller names no precisions (the bench, the orbit's own tests). */
  readonly certifiedOrbit: readonly OrbitStep[];
  /** check/region-prove.ts: every box of a region at one precision (the box count is the budget, not the bits). */
  readonly regionProver: readonly RegionStep[];
}

export type Consumer = keyof Ladder;
export type OrbitConsumer = 'certify' | 'certifiedSummary' | 'certifiedOrbit';

/** Precisions doubling from `from` up to `to` (the last one `to`), as the orbit's passes restart. */
export function doublings(from: number, to: number): number[] {
  const out = [from];
  while (out[out.length - 1]! < to) out.push(Math.min(2 * out[out.length - 1]!, to));
  return out;
}

/** A row's precisions, or doublings between a caller's own ends (either defaulting to the row's; the last at least the first). */
export function scheduleOf(row: readonly number[], from?: number, to?: number): readonly number[] {
  if (from === undefined && to === undefined) return row;
  const start = from ?? row[0]!;
  return doublings(start, Math.max(to ?? row[row.length - 1]!, start));
}

/** Not frozen, so that a test can change a row (test/numeric/ladder.test.ts). */
export const LADDER: Ladder = {
  sampled: [
    { rung: 'float', bits: [53] },
    { rung: 'double-double', bits: [100] },
    { rung: 'extended', bits: [53] },
    { rung: 'rounded', bits: [192, 768] },
    { rung: 'sylvester', bits: [Infinity] },
    { rung: 'exact-rational', bits: [160, 640, 2560] },
  ],
  // A counterexample is re-run at 128 bits at once; 2^-16 relative width still decides the statements.
  certify: [{ rung: 'dyadic', bits: doublings(128, 2048), relWidthBits: 16 }],
  // Its decisions stop refining at certify's limit; a long run's boxes may go on to 4096 bits.
  certifiedSummary: [{ rung: 'dyadic', bits: doublings(128, 4096), relWidthBits: 64, decisionBits: 2048 }],
  certifiedOrbit: [{ rung: 'dyadic', bits: doublings(128, 8192), relWidthBits: 64 }],
  regionProver: [{ rung: 'dyadic', bits: [128], maxBoxes: 20000, certificateBits: 48, vectorBits: 24 }],
};

function stepOf<S extends LadderStep>(steps: readonly S[], consumer: Consumer, rung: RungId): S {
  const s = steps.find((x) => x.rung === rung);
  if (!s) throw new RangeError(`the ${consumer} ladder has no ${rung} rung`);
  return s;
}

/** The precisions a consumer tries on a rung, in order (RangeError if it does not use the rung). */
export function bitsOf(consumer: Consumer, rung: RungId): readonly number[] {
  return stepOf<LadderStep>(LADDER[consumer], consumer, rung).bits;
}

/** An orbit consumer's dyadic step: its passes' precisions and when a pass gives way. */
export function orbitStep(consumer: OrbitConsumer): OrbitStep {
  return stepOf(LADDER[consumer], consumer, 'dyadic');
}

/** The region prover's dyadic step: its one precision, its box budget and its certificate's precisions. */
export function regionStep(): RegionStep {
  const s = stepOf(LADDER.regionProver, 'regionProver', 'dyadic');
  if (s.bits.length !== 1) throw new RangeError(`the region prover works at one precision, the ladder gives ${s.bits.length}`);
  return s;
}

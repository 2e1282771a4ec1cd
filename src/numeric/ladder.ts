/**
 * The decision ladder, declared once as data: which arithmetic decides a comparison first, and what
 * takes over (at which precisions) where it cannot separate. Cheap rungs come first; every rung is
 * rigorous (a rung that cannot separate says so and the next one runs), so the order changes only
 * the cost, never a verdict. A consumer walks its row of LADDER in order.
 *
 * check/decide.ts walks its row (the exact rungs, in order, at these precisions); check/certify.ts
 * with dynamics/certified-orbit.ts and check/region-prove.ts still keep their own constants, which
 * test/numeric/ladder.test.ts holds equal to the table.
 */

export type RungId = 'float' | 'double-double' | 'extended' | 'rounded-rational' | 'sylvester' | 'exact-rational' | 'dyadic';

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
  'rounded-rational': {
    id: 'rounded-rational',
    arithmetic: 'rational intervals rounded outward to `bits` after every operation (RationalArith(bits, bits))',
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

export type Consumer = 'sampled' | 'certifiedOrbit' | 'regionProver';

export const LADDER: Readonly<Record<Consumer, readonly LadderStep[]>> = {
  /** check/decide.ts: one comparison at one iterate of a sampled orbit. */
  sampled: [
    { rung: 'float', bits: [53] },
    { rung: 'double-double', bits: [100] },
    { rung: 'extended', bits: [53] },
    { rung: 'rounded-rational', bits: [192, 768] },
    { rung: 'sylvester', bits: [Infinity] },
    { rung: 'exact-rational', bits: [160, 640, 2560] },
  ],
  /** check/certify.ts over dynamics/certified-orbit.ts: the true orbit from an exact start, restarted at twice the bits. */
  certifiedOrbit: [{ rung: 'dyadic', bits: [128, 256, 512, 1024, 2048] }],
  /** check/region-prove.ts: every box of a region at one precision (the box count is the budget, not the bits). */
  regionProver: [{ rung: 'dyadic', bits: [128] }],
};

/** The precisions a consumer tries on a rung, in order (RangeError if it does not use the rung). */
export function bitsOf(consumer: Consumer, rung: RungId): readonly number[] {
  const s = LADDER[consumer].find((x) => x.rung === rung);
  if (!s) throw new RangeError(`the ${consumer} ladder has no ${rung} rung`);
  return s.bits;
}

/**
 * Certified enclosures of the TRUE gradient-descent orbit theta_{t+1} = G(theta_t) from an exact
 * start: the hyperparameters and the start are the exact values of the given doubles, and each
 * step's box is G (the model's step trees, symbolic/derive.ts) evaluated in outward-rounded dyadic
 * interval arithmetic (numeric/dyadic.ts) on the previous box, so it contains G of every point of
 * it and, by induction, the true theta_t. No float64 takes part after the exact conversion of the
 * inputs.
 *
 * Precision adapts by counts only (the same inputs give the same result on any machine, loaded or
 * not): a pass at P bits aborts when a parameter's relative width exceeds 2^-relWidthBits, when an
 * enclosure touches the edge of G's domain, or when the caller's visitor asks for more precision;
 * the orbit then restarts from step 0 at the next precision of its schedule (the caller's row of the
 * decision ladder, numeric/ladder.ts). A pass at the last precision runs to the end whatever the widths
 * (its enclosures are still valid, only possibly too wide to decide things); the result says which.
 *
 * Also here: the sharpness S (largest Hessian eigenvalue) over a box, and statements (comparisons
 * of trees over parameters, hyperparameters and named quantities at a step, the step after and the
 * start) decided on the enclosures: true, false, 'undecided' (the enclosures overlap) or
 * 'undefined' (a term is undefined at every enclosed point), never a guess.
 */
import type { MathNode } from 'mathjs';
import { ConstantNode, FunctionNode, OperatorNode, SymbolNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { freeSymbols, substitute } from '../symbolic/expr.js';
import { compileDyadic, NotCertifiable, type DyadicProgram } from '../symbolic/dyadic-eval.js';
import { compareIntervals, DyadicArith, DyadicInterval, type Decision, type Relation } from '../numeric/dyadic.js';
import { topEigenvalueDyadic } from '../numeric/dyadic-eigen.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import { encloseUniqueRootDyadic } from '../numeric/dyadic-root.js';
import { projectionSlope, rawStepTrees } from './projection-slope.js';
import type { ImplicitQuantity } from '../symbolic/implicit.js';
import { orbitStep, scheduleOf } from '../numeric/ladder.js';

export type Box = readonly DyadicInterval[];

export interface OrbitVisitor {
  /**
   * Called at t = 0..steps with the enclosure of theta_t (in model.params order). Return 'refine'
   * to abandon this pass and restart at the next precision (ignored at the last).
   */
  visit(t: number, box: Box, A: DyadicArith): void | 'refine';
}

export interface CertifiedOrbitOptions<V extends OrbitVisitor = OrbitVisitor> {
  /** The passes' precisions in bits, in order (default: LADDER.certifiedOrbit's, numeric/ladder.ts). */
  bits?: readonly number[];
  /** Instead of `bits`: doubling from this precision (default: the ladder's first) ... */
  startBits?: number;
  /** ... up to this one (default: the ladder's last). */
  maxBits?: number;
  /** A pass restarts when a parameter's enclosure is wider than 2^-relWidthBits relative to its magnitude (default: the ladder's). */
  relWidthBits?: number;
  /** How each box is computed (default 'centered'; see StepForm). */
  form?: StepForm;
  /** A fresh visitor per pass (the passes that restart are discarded with theirs); the result carries the last one. */
  visitor?: (bits: number) => V;
}

export type PassEnd = 'completed' | 'too-wide' | 'refine' | 'maybe-undefined' | 'undefined' | 'exponent-range';

export interface PassRecord {
  bits: number;
  /** The last step enclosed in this pass. */
  reached: number;
  end: PassEnd;
  detail?: string;
}

export interface CertifiedOrbit<V extends OrbitVisitor = OrbitVisitor> {
  /**
   * certified: every step enclosed within the width threshold; wide: enclosed to the end at
   * the last precision but some box exceeded the threshold or the visitor still asked for more precision;
   * undefined: G is undefined at every point of the box at step `steps` (the true orbit ends there);
   * maybe-undefined / exponent-range: the enclosure could not be continued past step `steps`.
   */
  status: 'certified' | 'wide' | PassEnd;
  bits: number;
  /** The last step enclosed (the requested count unless the status says otherwise). */
  steps: number;
  /** The enclosure at `steps`. */
  box: DyadicInterval[];
  hyper: DyadicInterval[];
  theta0: DyadicInterval[];
  /** The widest relative enclosure of any parameter over the final pass (log2 of width / magnitude), and where. */
  widest: { log2RelWidth: number; step: number; param: string };
  /**
   * The first step of the final pass where a parameter's enclosure holds 0 without being the point 0
   * (its width outgrew its value: the box no longer knows the parameter's sign), or null. Wrapping that
   * the precision could not absorb shows here first; a later exponent-range end is its consequence.
   */
  signLost: { step: number; param: string } | null;
  passes: PassRecord[];
  visitor: V | undefined;
}

const STEP_PROGRAMS = new WeakMap<DerivedModel, DyadicProgram>();
const JACOBIAN_PROGRAMS = new WeakMap<DerivedModel, DyadicProgram | null>();

/** G as one program over (params, hypers): the components share their common subterms. */
export function stepProgram(model: DerivedModel): DyadicProgram {
  let p = STEP_PROGRAMS.get(model);
  if (!p) STEP_PROGRAMS.set(model, (p = compileDyadic(model.step, [...model.params, ...model.hypers])));
  return p;
}

/**
 * The Jacobian of the plain GD step theta - eta grad L, J = I - eta H (row-major), as one program, with
 * the Hessian trees that derive.ts cross-checks against a second CAS; null where it does not compile.
 * A projected model's step is P of that step: its projection enters by slopes (projection-slope.ts).
 */
function jacobianProgram(model: DerivedModel): DyadicProgram | null {
  let p = JACOBIAN_PROGRAMS.get(model);
  if (p === undefined) {
    const n = model.params.length;
    const eta = new SymbolNode('eta');
    try {
      const trees = Array.from({ length: n * n }, (_, k) => {
        const i = Math.floor(k / n);
        const j = k % n;
        const t = new OperatorNode('*', 'multiply', [eta, model.hessian[i]![j]!]) as MathNode;
        return (i === j ? new OperatorNode('-', 'subtract', [new ConstantNode(1), t]) : new OperatorNode('-', 'unaryMinus', [t])) as MathNode;
      });
      p = compileDyadic(trees, [...model.params, ...model.hypers]);
    } catch {
      p = null;
    }
    JACOBIAN_PROGRAMS.set(model, p);
  }
  return p;
}

const RAW_STEP_PROGRAMS = new WeakMap<DerivedModel, DyadicProgram>();

/** The plain GD step (before the projection) as one program over (params, hypers). */
function rawStepProgram(model: DerivedModel): DyadicProgram {
  let p = RAW_STEP_PROGRAMS.get(model);
  if (!p) RAW_STEP_PROGRAMS.set(model, (p = compileDyadic(rawStepTrees(model), [...model.params, ...model.hypers])));
  return p;
}

/**
 * How a step's box is computed from the previous one. 'naive': G's trees in interval arithmetic
 * (every occurrence of a parameter ranges independently, so beta1 - eta lambda1 alpha^2 beta1 adds
 * the widths of both terms: about 1.7 bits lost per step on run R1). 'centered' (default): also the
 * mean-value form G(c) + J(hull(X, c)) (X - c) with c the box's midpoint, which contains G(x) for
 * every x in X (mean value theorem per component, the segment from c to x lies in the hull), and
 * the intersection of the two; it loses only what |J| amplifies. A projected step P(R(x)) uses
 * G(c) + (S J_R(X)) (X - c), with S the projection's slopes over an enclosure of R(X)
 * (projection-slope.ts): without it the naive form lost 1.9 bits per step on the half-space fixture
 * (beta1's enclosure held 0 from step 963 even at 2048 bits). A model without derivative trees, a projection without
 * slopes, or a step where J is not defined on the box uses the naive form.
 */
export type StepForm = 'naive' | 'centered';

function stepper(model: DerivedModel, form: StepForm): (box: Box, h: Box, A: DyadicArith) => DyadicInterval[] {
  const G = stepProgram(model);
  const J = form === 'centered' ? jacobianProgram(model) : null;
  const projected = model.spec.projection !== undefined;
  const slope = projected && J ? projectionSlope(model) : null;
  const R = slope ? rawStepProgram(model) : null;
  const useJ = J && (!projected || slope);
  const n = model.params.length;
  const inputs: DyadicInterval[] = new Array(n + model.hypers.length);
  const load = (x: Box, h: Box) => {
    for (let i = 0; i < n; i++) inputs[i] = x[i]!;
    for (let i = 0; i < h.length; i++) inputs[n + i] = h[i]!;
    return inputs;
  };
  return (box, h, A) => {
    const naive = G.run(load(box, h), A);
    if (!useJ || box.every((b) => b.isPoint())) return naive;
    const c = box.map((b) => DyadicInterval.point(b.mid(A.bits)));
    const d = box.map((b, j) => A.sub(b, c[j]!));
    let Gc: DyadicInterval[];
    let M: DyadicInterval[];
    try {
      Gc = G.run(load(c, h), A);
      const hull = box.map((b, i) => A.hull(b, c[i]!));
      const Jx = J!.run(load(hull, h), A);
      M = slope ? projectedJacobian(Jx, hull, c, d, h, A) : Jx;
    } catch (e) {
      if (e instanceof CertainlyUndefined || e instanceof MaybeUndefined) return naive;
      throw e;
    }
    return naive.map((y, i) => {
      let m = Gc[i]!;
      for (let j = 0; j < n; j++) m = A.add(m, A.mul(M[i * n + j]!, d[j]!));
      return A.intersect(y, m);
    });
  };

  /** S J_R: the slopes of P over Y (an enclosure of R over hull(X, c), so R(c) is in it too) times the plain step's Jacobian. */
  function projectedJacobian(Jx: DyadicInterval[], hull: Box, c: Box, d: Box, h: Box, A: DyadicArith): DyadicInterval[] {
    const Rx = [...R!.run(load(hull, h), A)];
    const Rc = [...R!.run(load(c, h), A)];
    // Y as tight as the plain step's own mean-value form makes it (it decides where P switches).
    const Y = Rx.map((y, i) => {
      let m = Rc[i]!;
      for (let j = 0; j < n; j++) m = A.add(m, A.mul(Jx[i * n + j]!, d[j]!));
      return A.intersect(y, m);
    });
    const S = slope!(Rc, Y, A);
    const out: DyadicInterval[] = new Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = A.mul(S[i * n]!, Jx[j]!);
        for (let k = 1; k < n; k++) s = A.add(s, A.mul(S[i * n + k]!, Jx[k * n + j]!));
        out[i * n + j] = s;
      }
    return out;
  }
}

const STEPPERS = new WeakMap<DerivedModel, Map<StepForm, ReturnType<typeof stepper>>>();

/**
 * One step of the enclosure: a box containing G(x) for every x in `box` (hyperparameters in `hyper`,
 * model.hypers order). The orbit applies it step after step; tests apply it to boxes of their own.
 */
export function encloseStep(model: DerivedModel, box: Box, hyper: Box, A: DyadicArith, form: StepForm = 'centered'): DyadicInterval[] {
  let byForm = STEPPERS.get(model);
  if (!byForm) STEPPERS.set(model, (byForm = new Map()));
  let f = byForm.get(form);
  if (!f) byForm.set(form, (f = stepper(model, form)));
  return f(box, hyper, A);
}

function exactInputs(model: DerivedModel, hyper: Record<string, number>, init: readonly number[]): { h: DyadicInterval[]; th: DyadicInterval[] } {
  if (init.length !== model.params.length) throw new RangeError(`init has ${init.length} values for ${model.params.length} parameters (${model.params.join(', ')})`);
  const h = model.hypers.map((k) => {
    const x = hyper[k];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`hyperparameter ${k} must be a finite number, got ${x}`);
    return DyadicInterval.fromDouble(x);
  });
  return { h, th: init.map((x) => DyadicInterval.fromDouble(x)) };
}

/** The passes' precisions: the caller's list, else doublings between its ends, else the ladder's row. */
function passBits(options: CertifiedOrbitOptions<OrbitVisitor>): readonly number[] {
  if (options.bits) {
    if (options.bits.length === 0 || options.bits.some((b, i) => !Number.isInteger(b) || b < 1 || (i > 0 && b <= options.bits![i - 1]!))) {
      throw new RangeError(`bits must be rising positive integers, got [${options.bits.join(', ')}]`);
    }
    return options.bits;
  }
  return scheduleOf(orbitStep('certifiedOrbit').bits, options.startBits, options.maxBits);
}

/** Enclose the true GD orbit from the exact start `init` (doubles, taken exactly) for `steps` steps. */
export function certifiedOrbit<V extends OrbitVisitor = OrbitVisitor>(
  model: DerivedModel,
  hyper: Record<string, number>,
  init: readonly number[],
  steps: number,
  options: CertifiedOrbitOptions<V> = {},
): CertifiedOrbit<V> {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`steps must be a non-negative integer, got ${steps}`);
  const schedule = passBits(options);
  const relBits = options.relWidthBits ?? orbitStep('certifiedOrbit').relWidthBits;
  const step = stepper(model, options.form ?? 'centered');
  const { h, th } = exactInputs(model, hyper, init);
  const passes: PassRecord[] = [];
  for (let pass = 0; ; pass++) {
    const bits = schedule[pass]!;
    const last = pass === schedule.length - 1;
    const A = new DyadicArith(bits);
    const visitor = options.visitor?.(bits);
    let box: DyadicInterval[] = th;
    let widest = { log2RelWidth: -Infinity, step: 0, param: model.params[0]! };
    let signLost: CertifiedOrbit['signLost'] = null;
    let end: PassEnd = 'completed';
    let detail: string | undefined;
    let wide = false;
    let t = 0;
    const k = model.params.length;
    for (;;) {
      if (visitor && visitor.visit(t, box, A) === 'refine') {
        if (!last) {
          end = 'refine';
          break;
        }
        wide = true;
      }
      if (t >= steps) break;
      let next: DyadicInterval[];
      try {
        next = step(box, h, A);
      } catch (e) {
        if (e instanceof CertainlyUndefined) end = 'undefined';
        else if (e instanceof MaybeUndefined) end = 'maybe-undefined';
        else if (e instanceof RangeError && /exponent/.test(e.message)) end = 'exponent-range';
        else throw e;
        detail = `step ${t + 1}: ${(e as Error).message}`;
        break;
      }
      t++;
      box = next;
      let tooWide = false;
      for (let i = 0; i < k; i++) {
        const b = box[i]!;
        if (b.relWidthExceeds(relBits)) tooWide = true;
        const w = b.relWidthLog2();
        if (w > widest.log2RelWidth) widest = { log2RelWidth: w, step: t, param: model.params[i]! };
        if (signLost === null && b.containsZero() && !b.isPoint()) signLost = { step: t, param: model.params[i]! };
      }
      if (tooWide) {
        if (!last) {
          end = 'too-wide';
          detail = `step ${t}: relative width above 2^-${relBits}`;
          break;
        }
        wide = true;
      }
    }
    passes.push({ bits, reached: t, end, ...(detail ? { detail } : {}) });
    const retry = end === 'too-wide' || end === 'refine' || end === 'maybe-undefined' || end === 'exponent-range';
    if (!retry || last) {
      const status = end === 'completed' ? (wide ? 'wide' : 'certified') : end;
      return { status, bits, steps: t, box, hyper: h, theta0: th, widest, signLost, passes, visitor };
    }
  }
}

// ---- sharpness -------------------------------------------------------------------------------------

const HESSIAN_PROGRAMS = new WeakMap<DerivedModel, DyadicProgram>();

/** The Hessian enclosure over a box (row-major n x n, both triangles from the same upper-triangle trees). */
export function hessianEnclosure(model: DerivedModel, box: Box, hyper: Box, A: DyadicArith): DyadicInterval[] {
  const n = model.params.length;
  let p = HESSIAN_PROGRAMS.get(model);
  if (!p) {
    const trees: MathNode[] = [];
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) trees.push(model.hessian[i]![j]!);
    HESSIAN_PROGRAMS.set(model, (p = compileDyadic(trees, [...model.params, ...model.hypers])));
  }
  const up = p.run([...box, ...hyper], A);
  const H: DyadicInterval[] = new Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) H[i * n + j] = H[j * n + i] = up[k++]!;
  return H;
}

// A step's statement, premises, event and hypotheses are separate CertifiedStatements that read the same
// boxes: S of a box is enclosed once (about 0.4 ms) and shared, keyed by the box and its hyperparameters.
const SHARPNESS = new WeakMap<Box, { hyper: Box; S: DyadicInterval }>();

/** An enclosure of S (the largest Hessian eigenvalue) at every point of the box. */
export function sharpnessEnclosure(model: DerivedModel, box: Box, hyper: Box, A: DyadicArith): DyadicInterval {
  const known = SHARPNESS.get(box);
  if (known && known.hyper === hyper) return known.S;
  const S = topEigenvalueDyadic(hessianEnclosure(model, box, hyper, A), model.params.length, A);
  SHARPNESS.set(box, { hyper, S });
  return S;
}

// ---- statements ------------------------------------------------------------------------------------

/** A comparison of two trees, as a CompiledComparison carries it (lhsExact, rel, rhsExact). */
export interface CertifiedComparison {
  lhs: MathNode;
  rel: Relation;
  rhs: MathNode;
}

/** What a statement is decided on: the enclosures at step t (and t+1 and 0 where it reads them). */
export interface StepEnclosure {
  t: number;
  theta: Box;
  /** The box at t + 1: needed by `_next` symbols. */
  next?: Box;
  /** The box at step 0 (the exact start): needed by `_0` symbols. */
  theta0?: Box;
  hyper: Box;
  /** T_event, where the statement reads it. */
  tEvent?: number;
  A: DyadicArith;
}

export type StatementDecision = Decision | 'undefined';

const SUFFIXES = ['', '_0', '_next'] as const;
const BOX_OF = { '': 'theta', _0: 'theta0', _next: 'next' } as const;

/** Derived state symbols (L, the named quantities, g_p, gradNorm, H_p_q) at a suffix, over the suffixed parameters. */
function derivedSymbols(model: DerivedModel, suffix: string): Map<string, MathNode> {
  const rename = new Map<string, MathNode>(model.params.map((p) => [p, new SymbolNode(p + suffix) as MathNode]));
  // An implicit quantity is a primitive at every suffix, as in lemma/compile.ts: phi_next reads c_next, the root at the next box.
  for (const k of model.implicit.keys()) rename.set(k, new SymbolNode(k + suffix));
  const at = (n: MathNode) => (suffix === '' ? n.cloneDeep() : substitute(n, rename));
  const defs = new Map<string, MathNode>();
  defs.set(`L${suffix}`, at(model.loss));
  for (const [k, v] of model.quantities) if (!model.implicit.has(k)) defs.set(k + suffix, at(v));
  const gs = model.params.map((p, i) => {
    const g = at(model.gradient[i]!);
    defs.set(`g_${p}${suffix}`, g);
    return new OperatorNode('^', 'pow', [g, new ConstantNode(2)]) as MathNode;
  });
  defs.set(`gradNorm${suffix}`, new FunctionNode('sqrt', [gs.reduce((a, b) => new OperatorNode('+', 'add', [a, b]) as MathNode)]));
  model.params.forEach((p, i) => model.params.forEach((q, j) => defs.set(`H_${p}_${q}${suffix}`, at(model.hessian[i]![j]!))));
  return defs;
}

/**
 * Comparisons compiled for the certified enclosures. Symbols: the hyperparameters, the parameters
 * and every derived state symbol (L, named quantities, g_<p>, gradNorm, H_<p>_<q>) with suffix '',
 * '_0' or '_next', S / S_0 / S_next (enclosed by sharpnessEnclosure, computed only if used), the
 * implicit quantities at the same suffixes (enclosed by numeric/dyadic-root.ts over the box at that
 * suffix; where that enclosure cannot prove the root unique the term is MaybeUndefined, so the
 * comparison is 'undecided', never a verdict), t and T_event. gTop has no certified enclosure:
 * NotCertifiable.
 */
export class CertifiedStatement {
  private readonly program: DyadicProgram;
  private readonly symbols: string[];
  private readonly rels: Relation[];
  /** Each comparison compiled alone, built the first time a term fails (a partial term often fails at many steps). */
  private singles: CertifiedStatement[] | undefined;

  constructor(
    private readonly model: DerivedModel,
    readonly comparisons: readonly CertifiedComparison[],
  ) {
    const defs = new Map<string, MathNode>();
    for (const s of SUFFIXES) for (const [k, v] of derivedSymbols(model, s)) defs.set(k, v);
    const trees = comparisons.flatMap((c) => [substitute(c.lhs, defs), substitute(c.rhs, defs)]);
    const used = new Set(trees.flatMap((t) => [...freeSymbols(t)]));
    const known = new Set<string>([...model.hypers, ...SUFFIXES.flatMap((s) => [...model.params.map((p) => p + s), `S${s}`, ...[...model.implicit.keys()].map((k) => k + s)]), 't', 'T_event']);
    for (const u of used) if (!known.has(u)) throw new NotCertifiable(`symbol "${u}"`);
    this.symbols = [...used].sort();
    // Compile the root programs now, so a quantity without a certified evaluator fails at construction like any other term.
    for (const u of this.symbols) {
      const q = implicitOf(model, u);
      if (q) implicitPrograms(model, q.quantity);
    }
    // Logs (a window reading log10 |beta1|) are enclosed here: these comparisons are never re-checked by src/certificate.
    this.program = compileDyadic(trees, this.symbols, { logs: true });
    this.rels = comparisons.map((c) => c.rel);
  }

  /** The symbols the statement reads (decides which boxes a caller must supply). */
  get uses(): readonly string[] {
    return this.symbols;
  }

  private inputs(at: StepEnclosure): DyadicInterval[] {
    const m = this.model;
    return this.symbols.map((s) => {
      if (s === 't') return DyadicInterval.fromDouble(at.t);
      if (s === 'T_event') {
        // Before the event T_event has no value: a term that reads it is undefined, as in the float and exact evaluators.
        if (at.tEvent === undefined) throw new CertainlyUndefined('T_event before the event');
        return DyadicInterval.fromDouble(at.tEvent);
      }
      const hi = m.hypers.indexOf(s);
      if (hi >= 0) return at.hyper[hi]!;
      const suffix = s.endsWith('_next') ? '_next' : s.endsWith('_0') ? '_0' : '';
      const base = s.slice(0, s.length - suffix.length);
      const box = at[BOX_OF[suffix]];
      if (!box) throw new RangeError(`the statement reads ${s}: give the box ${BOX_OF[suffix]}`);
      if (base === 'S') return sharpnessEnclosure(m, box, at.hyper, at.A);
      const q = m.implicit.get(base);
      if (q) return implicitEnclosure(m, q, box, at.hyper, at.A);
      return box[m.params.indexOf(base)]!;
    });
  }

  /** Each comparison on its own: its definedness restricts that comparison only. */
  decideEach(at: StepEnclosure): StatementDecision[] {
    let vals: DyadicInterval[] | undefined;
    let failure: StatementDecision | undefined;
    try {
      vals = this.program.run(this.inputs(at), at.A);
    } catch (e) {
      if (!(e instanceof CertainlyUndefined || e instanceof MaybeUndefined)) throw e;
      failure = e instanceof CertainlyUndefined ? 'undefined' : 'undecided';
    }
    if (vals) return this.rels.map((r, i) => compareIntervals(vals![2 * i]!, r, vals![2 * i + 1]!));
    // One program serves all comparisons: when a term fails, evaluate each comparison alone to see which.
    if (this.rels.length === 1) return [failure!];
    this.singles ??= this.comparisons.map((c) => new CertifiedStatement(this.model, [c]));
    return this.singles.map((c) => c.decideEach(at)[0]!);
  }

  /** The enclosures of both sides of every comparison, in order (lhs0, rhs0, lhs1, ...), or why there are none. */
  enclose(at: StepEnclosure): DyadicInterval[] | 'undefined' | 'undecided' {
    try {
      return this.program.run(this.inputs(at), at.A);
    } catch (e) {
      if (e instanceof CertainlyUndefined) return 'undefined';
      if (e instanceof MaybeUndefined) return 'undecided';
      throw e;
    }
  }

  /** The conjunction: false if a defined comparison is violated, else undecided if one could not be decided, else true if any held, else undefined. */
  decide(at: StepEnclosure): StatementDecision {
    const d = this.decideEach(at);
    if (d.includes(false)) return false;
    if (d.includes('undecided')) return 'undecided';
    if (d.includes(true)) return true;
    return 'undefined';
  }
}

// ---- implicit quantities -----------------------------------------------------------------------------

interface ImplicitPrograms {
  /** [p, dp/dz] over (z, params, hypers). */
  pd: DyadicProgram;
  /** [lo, hi] over (params, hypers). */
  ends: DyadicProgram;
}

const IMPLICIT_PROGRAMS = new WeakMap<DerivedModel, Map<string, ImplicitPrograms>>();

function implicitPrograms(model: DerivedModel, q: ImplicitQuantity): ImplicitPrograms {
  let byName = IMPLICIT_PROGRAMS.get(model);
  if (!byName) IMPLICIT_PROGRAMS.set(model, (byName = new Map()));
  let p = byName.get(q.name);
  if (!p) {
    p = { pd: compileDyadic([q.poly, q.dpoly], [q.name, ...model.params, ...model.hypers]), ends: compileDyadic([q.lo, q.hi], [...model.params, ...model.hypers]) };
    byName.set(q.name, p);
  }
  return p;
}

function implicitOf(model: DerivedModel, symbol: string): { quantity: ImplicitQuantity; suffix: string } | undefined {
  for (const s of SUFFIXES) {
    if (s !== '' && !symbol.endsWith(s)) continue;
    const q = model.implicit.get(symbol.slice(0, symbol.length - s.length));
    if (q) return { quantity: q, suffix: s };
  }
  return undefined;
}

/**
 * The implicit quantity q over the box: an enclosure of the unique root for every point of the box,
 * or MaybeUndefined when uniqueness or the enclosure cannot be proved at this precision (undecided, so
 * the caller may refine: the quantity may well be defined, and a wrong value is never given).
 */
function implicitEnclosure(model: DerivedModel, q: ImplicitQuantity, box: Box, hyper: Box, A: DyadicArith): DyadicInterval {
  const { pd, ends } = implicitPrograms(model, q);
  // A bracket end undefined at every point makes the quantity undefined there (CertainlyUndefined passes through).
  const [lo, hi] = ends.run([...box, ...hyper], A);
  const inputs: DyadicInterval[] = [box[0]!, ...box, ...hyper];
  const evalPD = (z: DyadicInterval) => {
    inputs[0] = z;
    try {
      const [p, dp] = pd.run(inputs, A);
      return { p: p!, dp: dp! };
    } catch (e) {
      // The enclosure only needs "cannot say" here: the search then ends undecided.
      if (e instanceof CertainlyUndefined || e instanceof MaybeUndefined || (e instanceof RangeError && /exponent/.test(e.message))) return undefined;
      throw e;
    }
  };
  const r = encloseUniqueRootDyadic(evalPD, lo!, hi!, A.bits);
  if (!r) throw new MaybeUndefined(`${q.name}: no certified enclosure of a unique root of its polynomial in its bracket at ${A.bits} bits`);
  return r;
}

// ---- enclosures at chosen steps ---------------------------------------------------------------------

export type QuantityEnclosure = DyadicInterval | 'undefined' | 'undecided';

export interface StepRecord {
  t: number;
  box: DyadicInterval[];
  /** The requested quantity trees (over parameters and hyperparameters) and, if asked, S. */
  quantities: Record<string, QuantityEnclosure>;
}

/**
 * The certified orbit through max(at), keeping the boxes only at the steps in `at` (and the named
 * quantity trees there; sharpness: true adds S). Nothing else is stored.
 */
export function encloseAt(
  model: DerivedModel,
  hyper: Record<string, number>,
  init: readonly number[],
  at: readonly number[],
  options: Omit<CertifiedOrbitOptions, 'visitor'> & { quantities?: Record<string, MathNode>; sharpness?: boolean } = {},
): { orbit: CertifiedOrbit; records: Map<number, StepRecord> } {
  const want = new Set(at);
  const names = Object.keys(options.quantities ?? {});
  const q = names.length ? compileDyadic(names.map((k) => options.quantities![k]!), [...model.params, ...model.hypers]) : undefined;
  const hyperBox = model.hypers.map((k) => DyadicInterval.fromDouble(hyper[k]!));
  const visitor = () => {
    const records = new Map<number, StepRecord>();
    return {
      records,
      visit(t: number, box: Box, A: DyadicArith) {
        if (!want.has(t)) return;
        const quantities: Record<string, QuantityEnclosure> = {};
        if (q) {
          try {
            q.run([...box, ...hyperBox], A).forEach((v, i) => (quantities[names[i]!] = v));
          } catch (e) {
            if (!(e instanceof CertainlyUndefined || e instanceof MaybeUndefined)) throw e;
            // One failing tree must not hide the others: evaluate them one by one.
            names.forEach((k) => {
              try {
                quantities[k] = compileDyadic([options.quantities![k]!], [...model.params, ...model.hypers]).run([...box, ...hyperBox], A)[0]!;
              } catch (e2) {
                if (e2 instanceof CertainlyUndefined) quantities[k] = 'undefined';
                else if (e2 instanceof MaybeUndefined) quantities[k] = 'undecided';
                else throw e2;
              }
            });
          }
        }
        if (options.sharpness) quantities.S = sharpnessEnclosure(model, box, hyperBox, A);
        records.set(t, { t, box: [...box], quantities });
      },
    };
  };
  const steps = at.length ? Math.max(...at) : 0;
  const orbit = certifiedOrbit(model, hyper, init, steps, { ...options, visitor });
  return { orbit, records: orbit.visitor!.records };
}

/**
 * Decide a statement at step t of the certified orbit from an exact start (the whole orbit through
 * t + 1 is enclosed again; for many steps, drive a CertifiedStatement from an OrbitVisitor). An
 * undecided answer at one precision asks for the next, up to the last of the schedule.
 */
export function decideOnOrbit(
  model: DerivedModel,
  hyper: Record<string, number>,
  init: readonly number[],
  t: number,
  statement: CertifiedStatement,
  options: Omit<CertifiedOrbitOptions, 'visitor'> & { tEvent?: number } = {},
): { decision: StatementDecision; orbit: CertifiedOrbit } {
  const needsNext = statement.uses.some((s) => s.endsWith('_next'));
  const visitor = () => {
    let theta0: Box | undefined;
    let cur: Box | undefined;
    const v = {
      decision: 'undecided' as StatementDecision,
      visit(s: number, box: Box, A: DyadicArith): void | 'refine' {
        if (s === 0) theta0 = box;
        if (s === t) cur = box;
        if (s !== (needsNext ? t + 1 : t)) return;
        const d = statement.decide({ t, theta: cur!, next: needsNext ? box : undefined, theta0, hyper: orbitHyper, tEvent: options.tEvent, A });
        v.decision = d;
        if (d === 'undecided') return 'refine';
      },
    };
    return v;
  };
  const orbitHyper = model.hypers.map((k) => DyadicInterval.fromDouble(hyper[k]!));
  const orbit = certifiedOrbit(model, hyper, init, needsNext ? t + 1 : t, { ...options, visitor });
  const reached = orbit.steps >= (needsNext ? t + 1 : t);
  return { decision: reached ? orbit.visitor!.decision : 'undecided', orbit };
}

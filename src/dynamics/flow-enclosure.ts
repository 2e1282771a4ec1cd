/**
 * A rigorous enclosure of the gradient-flow limit lim_{t -> oo} theta(t), theta' = -grad L(theta),
 * from an exact start, in outward-rounded double intervals. Three stages, each a proof:
 *
 * 1. Validated integration (an interval Taylor method in the style of Moore, VNODE-LP and CAPD): the
 *    true solution is kept in a Euclidean ball around a float center. Per step h: an a priori box E
 *    with X + [0, h] F(E) inside E (Picard) holds every solution from the ball X over the step;
 *    the center's Taylor polynomial of order p plus the Lagrange remainder h^(p+1) x_[p+1](E) encloses
 *    the solution from the center; and two solutions in E separate at most by exp(h nu) with nu >= the
 *    largest eigenvalue of -H over E (the logarithmic norm of the flow's Jacobian; H + nu I certified
 *    positive definite), so the radius becomes exp(h nu) r + (the Taylor enclosure's radius).
 * 2. The Lyapunov tail: with L = 1/2 sum w_k r_k^2 (flow-structure.ts) and every member of
 *    W^1/2 J J^T W^1/2 >= mu over a region R, |grad L|^2 >= 2 mu L there, so d sqrt(L)/dt <=
 *    -sqrt(mu/2) |grad L| and the path from a point with L <= l has length <= rho = sqrt(2 l / mu).
 *    If R holds the ball's box widened by more than rho, the flow never leaves it: it converges, to a
 *    point within rho, where L = 0.
 * 3. The limit solves r(theta) = 0 and Q(theta) = Q(theta_0) for the conserved quadratic forms Q: the
 *    Krawczyk operator over the tail's box keeps every solution in it, and contracts it. Of the
 *    conserved forms the best-conditioned n - m are taken: the box cannot get narrower than about
 *    cond(J) times the rounding of the equations.
 * Runs end by counts (steps, attempts), never by a clock: the step budget, or earlier when no attempt
 * makes progress for as many steps as it took to reach the last progress (class Progress).
 */
import type { DerivedModel } from '../symbolic/derive.js';
import { OperatorNode, type MathNode } from '../symbolic/mathjs.js';
import { OutwardOps, up, down, EPS } from '../numeric/outward.js';
import { OUTWARD, type DoubleInterval } from '../numeric/outward.js';
import { encloseTopEigenvalue, positiveDefinite } from '../numeric/eigen-enclosure.js';
import { symmetricEigen, topEigenpair } from '../numeric/symmetric-eigen.js';
import { Rational } from '../numeric/rational.js';
import { BoxEvaluator, compilePrograms, GradientEvaluator, NotPolynomial, ratInterval, TaylorEvaluator, type IntervalProgram } from './flow-program.js';
import { flowStructure, type ConservedForm } from './flow-structure.js';

export interface FlowEnclosureOptions {
  /** Taylor order (default 12). */
  order?: number;
  /** Validated steps at most (default 200000). */
  maxSteps?: number;
  /** Steps between two attempts of the tail (default 8). */
  attemptEvery?: number;
  /** The limit box is accepted when its widest side is at most this relative to max(1, |theta|) (default 2^-40). */
  width?: number;
  /** The step size aims at a Taylor remainder of this relative size (default 1e-17); larger: longer steps, wider balls. */
  localTol?: number;
  /** encloseFlowLimit gives up when no progress was made for (steps before the last progress + this) steps (default 1024). */
  patience?: number;
  /** encloseFlowAt: the start is every point within this Euclidean radius of theta0 (default 0). */
  radius0?: number;
}

export interface FlowLimitBox {
  ok: true;
  /** The limit's enclosure, one interval per parameter. */
  box: DoubleInterval[];
  /** Validated steps, and the time reached (a float, for the report only). */
  steps: number;
  t: number;
  /** The ball radius at the tail's start, the tail's path bound rho, and mu. */
  radius: number;
  rho: number;
  mu: number;
  /** How the box was narrowed: 'krawczyk' (unique solution of r = 0, Q = Q_0 in the box), 'contracted' or 'tail'. */
  by: 'krawczyk' | 'contracted' | 'tail';
  width: number;
}

export interface FlowLimitFailure {
  ok: false;
  why: string;
  steps: number;
  t: number;
  /** The last center, for reports. */
  center: number[];
}

export type FlowLimitResult = FlowLimitBox | FlowLimitFailure;

const R = new OutwardOps();

function neg(node: MathNode): MathNode {
  return new OperatorNode('-', 'unaryMinus', [node]);
}

interface Setup {
  n: number;
  field: TaylorEvaluator;
  fieldBox: BoxEvaluator;
  hess: BoxEvaluator;
  loss: BoxEvaluator;
  res: GradientEvaluator;
  weights: [number, number][];
  conserved: ConservedForm[];
  /** Why the tail cannot be argued (the loss is no certified weighted sum of squares), or undefined. */
  noTail?: string;
}

function setup(model: DerivedModel, hyper: Record<string, number>, order: number): Setup | string {
  const fixed = new Map(model.hypers.map((h) => [h, hyper[h]!] as [string, number]));
  const st = flowStructure(model);
  try {
    const F = compilePrograms(model.gradient.map(neg), model.params, fixed);
    let noTail: string | undefined;
    let weights: [number, number][] = [];
    let residuals: MathNode[] = [];
    if ('why' in st.sumOfSquares) noTail = st.sumOfSquares.why;
    else {
      const wEval = new BoxEvaluator(compilePrograms(st.sumOfSquares.weights, [], fixed));
      wEval.run([], []);
      weights = st.sumOfSquares.weights.map((_, k) => wEval.out(k));
      residuals = st.sumOfSquares.residuals;
      if (weights.some(([lo]) => !(lo > 0))) noTail = 'a weight of the loss as a sum of squares is not certainly positive at these hyperparameters';
    }
    return {
      n: model.params.length,
      field: new TaylorEvaluator(F, order + 1),
      fieldBox: new BoxEvaluator(F),
      hess: new BoxEvaluator(compilePrograms(model.hessian.flat(), model.params, fixed)),
      loss: new BoxEvaluator(compilePrograms([model.loss], model.params, fixed)),
      res: new GradientEvaluator(compilePrograms(residuals, model.params, fixed)),
      weights,
      conserved: st.conserved,
      noTail,
    };
  } catch (e) {
    if (e instanceof NotPolynomial) return e.message;
    throw e;
  }
}

/** Encloses the gradient-flow limit from the exact start theta0 (doubles) at the hyperparameters (doubles, exact). */
export function encloseFlowLimit(model: DerivedModel, hyper: Record<string, number>, theta0: readonly number[], opts: FlowEnclosureOptions = {}): FlowLimitResult {
  const order = opts.order ?? 12;
  const maxSteps = opts.maxSteps ?? 200000;
  const attemptEvery = opts.attemptEvery ?? 8;
  const widthTol = opts.width ?? 2 ** -40;
  const s = setup(model, hyper, order);
  const center = Float64Array.from(theta0);
  const fail = (why: string, steps: number, t: number): FlowLimitFailure => ({ ok: false, why, steps, t, center: Array.from(center) });
  if (typeof s === 'string') return fail(s, 0, 0);
  if (s.noTail) return fail(s.noTail, 0, 0);
  const q0 = s.conserved.map((q) => evalQ(q, theta0, theta0));
  const ball = { center, r: 0, t: 0, h: 1e-3 };
  const patience = opts.patience ?? 1024;
  const progress = new Progress();
  for (let step = 0; step <= maxSteps; step++) {
    if (step % attemptEvery === 0) {
      const tail = tailAndContract(s, center, ball.r, q0, widthTol);
      if ('ok' in tail) return { ...tail, steps: step, t: ball.t };
      s.fieldBox.run(center, center);
      let g2 = 0;
      for (let i = 0; i < s.n; i++) {
        const [a, b] = s.fieldBox.out(i);
        g2 += ((a + b) / 2) ** 2;
      }
      progress.offer(step, tail.lHi, Math.sqrt(g2), tail.width);
      if (step > 2 * progress.last + patience) {
        const w = Number.isFinite(progress.width) ? `; the certified limit box stayed ${progress.width.toExponential(2)} wide, over the tolerance` : '';
        return fail(`no progress in the ${step - progress.last} validated steps since step ${progress.last} (the loss bound over the ball did not halve, |grad L| did not double${w})`, step, ball.t);
      }
    }
    if (step === maxSteps) break;
    const why = validatedStep(s, order, ball, Infinity, opts.localTol ?? 1e-17);
    if (why) return fail(why, step, ball.t);
  }
  return fail(`the limit was not enclosed within ${maxSteps} validated steps`, maxSteps, ball.t);
}

/**
 * Whether the run still gets anywhere, for giving up early (a count, never a clock): progress is the
 * loss bound over the ball halving (the flow descends), |grad L| at the center doubling (it leaves a
 * saddle's plateau), or the tail's certified box halving in width. A ball stuck on a minimizer manifold
 * (nu >= 0 there, so its radius only grows) or a box at Krawczyk's rounding floor makes none of them:
 * integrating on cannot help, and the run stops once the steps since the last progress exceed the steps
 * before it plus the patience (at most about twice the work that ever helped).
 */
class Progress {
  last = 0;
  private lHi = Infinity;
  private grad = 0;
  width = Infinity;
  offer(step: number, lHi: number, grad: number, width: number): void {
    let better = false;
    if (Number.isFinite(lHi) && lHi <= this.lHi / 2) {
      better = true;
      this.lHi = lHi;
    }
    if (grad >= 2 * this.grad && grad > 0) {
      better = true;
      this.grad = grad;
    }
    if (Number.isFinite(width) && width <= this.width / 2) {
      better = true;
      this.width = width;
    }
    if (better) this.last = step;
  }
}

/** A ball that holds the true solution at time t: |theta(t) - center| <= r (Euclidean). */
export interface FlowBall {
  center: Float64Array;
  r: number;
  t: number;
  /** The next step size to try. */
  h: number;
}

/**
 * The true solution at exactly time tEnd (a double) from the exact start, as a ball; undefined with
 * the reason when a step could not be validated or the budget ran out.
 */
export function encloseFlowAt(model: DerivedModel, hyper: Record<string, number>, theta0: readonly number[], tEnd: number, opts: FlowEnclosureOptions = {}): FlowBall | string {
  const order = opts.order ?? 12;
  const s = setup(model, hyper, order);
  if (typeof s === 'string') return s;
  const ball = { center: Float64Array.from(theta0), r: opts.radius0 ?? 0, t: 0, h: 1e-3 };
  for (let step = 0; step < (opts.maxSteps ?? 200000) && ball.t < tEnd; step++) {
    const why = validatedStep(s, order, ball, tEnd, opts.localTol ?? 1e-17);
    if (why) return why;
  }
  return ball.t === tEnd ? ball : 'the step budget ran out';
}

/** One validated step of the ball, in place (its last step cut to land on tEnd); the reason when none validated. */
function validatedStep(s: Setup, order: number, ball: FlowBall, tEnd: number, localTol: number): string | undefined {
  const n = s.n;
  const center = ball.center;
  const r = ball.r;
  const xLo = new Float64Array(n), xHi = new Float64Array(n);
  const eLo = new Float64Array(n), eHi = new Float64Array(n);
  let h = ball.h;
  for (let tries = 0; tries < 40; tries++) {
    // Step size: the remainder term about localTol relative at the center (its coefficients in floats).
    s.field.run(center, center);
    let cmax = 0;
    for (let i = 0; i < n; i++) cmax = Math.max(cmax, Math.abs(s.field.cLo[(order + 1) * n + i]!), Math.abs(s.field.cHi[(order + 1) * n + i]!));
    const scale = Math.max(1, ...Array.from(center, Math.abs));
    const hTay = cmax > 0 ? Math.pow((localTol * scale) / cmax, 1 / (order + 1)) : Infinity;
    h = Math.min(h * 2, hTay, 1e3);
    let last = false;
    if (ball.t + h >= tEnd) {
      h = tEnd - ball.t;
      last = true;
    }
    if (!(h > 0) || !Number.isFinite(h)) return 'the step size collapsed';
    for (let i = 0; i < n; i++) {
      xLo[i] = down(center[i]! - r);
      xHi[i] = up(center[i]! + r);
    }
    if (!apriori(s, xLo, xHi, h, eLo, eHi)) {
      h /= 4;
      continue;
    }
    // The center's Taylor polynomial (point start, Horner) plus the remainder h^(p+1) x_[p+1](E), h^(p+1) in [0, hp].
    const tLo = new Float64Array(n), tHi = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let lo = s.field.cLo[order * n + i]!, hi = s.field.cHi[order * n + i]!;
      for (let j = order - 1; j >= 0; j--) {
        R.mul(lo, hi, h, h);
        R.add(R.lo, R.hi, s.field.cLo[j * n + i]!, s.field.cHi[j * n + i]!);
        lo = R.lo;
        hi = R.hi;
      }
      tLo[i] = lo;
      tHi[i] = hi;
    }
    s.field.run(eLo, eHi);
    let hp = h;
    for (let j = 1; j <= order; j++) hp = up(hp * h);
    for (let i = 0; i < n; i++) {
      R.mul(s.field.cLo[(order + 1) * n + i]!, s.field.cHi[(order + 1) * n + i]!, 0, hp);
      R.add(tLo[i]!, tHi[i]!, R.lo, R.hi);
      tLo[i] = R.lo;
      tHi[i] = R.hi;
    }
    const nu = logNorm(s, eLo, eHi);
    if (nu === undefined) {
      h /= 4;
      continue;
    }
    // The new center and radius: exp(h nu) r + the Taylor box's radius around it.
    let d2 = 0;
    for (let i = 0; i < n; i++) {
      const c = (tLo[i]! + tHi[i]!) / 2;
      center[i] = c;
      const w = Math.max(up(tHi[i]! - c), up(c - tLo[i]!));
      d2 = up(d2 + up(w * w));
    }
    const growth = up(up(Math.exp(up(h * nu))) * (1 + 8 * EPS));
    ball.r = up(up(growth * r) + up(Math.sqrt(d2)));
    if (!Number.isFinite(ball.r) || !center.every(Number.isFinite)) return 'the enclosure left the finite range';
    ball.t = last ? tEnd : ball.t + h;
    ball.h = h;
    return undefined;
  }
  return 'no validated step (a priori enclosure or logarithmic norm) at any step size tried';
}

/** Picard: E with X + [0, h] F(E) inside E, from X + [0, h] F(X) widened; false if none in a few tries. */
function apriori(s: Setup, xLo: Float64Array, xHi: Float64Array, h: number, eLo: Float64Array, eHi: Float64Array): boolean {
  const n = s.n;
  const step = (lo: ArrayLike<number>, hi: ArrayLike<number>, outLo: Float64Array, outHi: Float64Array) => {
    s.fieldBox.run(lo, hi);
    for (let i = 0; i < n; i++) {
      const [fl, fh] = s.fieldBox.out(i);
      R.mul(fl, fh, 0, h);
      const a = R.lo, b = R.hi;
      R.mul(fl, fh, h, h);
      R.add(xLo[i]!, xHi[i]!, Math.min(a, R.lo, 0), Math.max(b, R.hi, 0));
      outLo[i] = R.lo;
      outHi[i] = R.hi;
    }
  };
  const nLo = new Float64Array(n), nHi = new Float64Array(n);
  step(xLo, xHi, eLo, eHi);
  for (let k = 0; k < 6; k++) {
    for (let i = 0; i < n; i++) {
      const w = eHi[i]! - eLo[i]!;
      const pad = 0.1 * w + 1e-15 * Math.max(1, Math.abs(eLo[i]!), Math.abs(eHi[i]!));
      eLo[i] = down(eLo[i]! - pad);
      eHi[i] = up(eHi[i]! + pad);
    }
    step(eLo, eHi, nLo, nHi);
    let inside = true;
    for (let i = 0; i < n && inside; i++) inside = nLo[i]! >= eLo[i]! && nHi[i]! <= eHi[i]!;
    if (inside) return true;
    for (let i = 0; i < n; i++) {
      eLo[i] = Math.min(eLo[i]!, nLo[i]!);
      eHi[i] = Math.max(eHi[i]!, nHi[i]!);
    }
  }
  return false;
}

/** nu with H + nu I positive definite for every member of H over the box: an upper bound of lambda_max(-H). */
function logNorm(s: Setup, lo: ArrayLike<number>, hi: ArrayLike<number>): number | undefined {
  const n = s.n;
  s.hess.run(lo, hi);
  const H: DoubleInterval[] = Array.from({ length: n * n }, (_, k) => {
    const [a, b] = s.hess.out(k);
    return { lo: a, hi: b };
  });
  const mid = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (H[i * n + j]!.lo + H[i * n + j]!.hi) / 2));
  const { values } = symmetricEigen(mid);
  const lmin = Math.min(...values);
  let scale = 0;
  for (const e of H) scale = Math.max(scale, Math.abs(e.lo), Math.abs(e.hi));
  if (!Number.isFinite(scale)) return undefined;
  for (const f of [1e-12, 1e-9, 1e-6, 1e-4, 1e-2, 1e-1, 1]) {
    const nu = -lmin + f * Math.max(scale, 1e-300);
    const M = H.map((e, k) => (k % (n + 1) === 0 ? OUTWARD.add(e, { lo: nu, hi: nu }) : e));
    if (positiveDefinite(OUTWARD, M, n)) return nu;
  }
  return undefined;
}

/** Q(theta) over the box [lo, hi]. */
function evalQ(q: ConservedForm, lo: ArrayLike<number>, hi: ArrayLike<number>): [number, number] {
  let sl = 0, sh = 0;
  for (const { i, j, c } of q.coef) {
    const [cl, ch] = ratInterval(c);
    R.mul(lo[i]!, hi[i]!, lo[j]!, hi[j]!);
    if (i === j) {
      // theta_i^2 is never negative.
      R.sqr(lo[i]!, hi[i]!);
    }
    R.mul(cl, ch, R.lo, R.hi);
    R.add(sl, sh, R.lo, R.hi);
    sl = R.lo;
    sh = R.hi;
  }
  return [sl, sh];
}

/** d Q / d theta_k over the box. */
function gradQ(q: ConservedForm, lo: ArrayLike<number>, hi: ArrayLike<number>, n: number): [number, number][] {
  const g: [number, number][] = Array.from({ length: n }, () => [0, 0]);
  for (const { i, j, c } of q.coef) {
    const [cl, ch] = ratInterval(c);
    const addTo = (k: number, vlo: number, vhi: number, twice: boolean) => {
      R.mul(cl, ch, vlo, vhi);
      let a = R.lo, b = R.hi;
      if (twice) {
        a = down(2 * a);
        b = up(2 * b);
      }
      R.add(g[k]![0], g[k]![1], a, b);
      g[k] = [R.lo, R.hi];
    };
    if (i === j) addTo(i, lo[i]!, hi[i]!, true);
    else {
      addTo(i, lo[j]!, hi[j]!, false);
      addTo(j, lo[i]!, hi[i]!, false);
    }
  }
  return g;
}

/**
 * The tail from the ball (center, radius): the Lojasiewicz path bound, then Krawczyk on r = 0,
 * Q = Q_0. Otherwise (the box not yet narrow enough, or a certificate failed: integrate on) the loss
 * bound over the ball and the width of the box certified (Infinity if none), for the progress test.
 */
function tailAndContract(s: Setup, center: Float64Array, radius: number, q0: [number, number][], widthTol: number): Omit<FlowLimitBox, 'steps' | 't'> | { lHi: number; width: number } {
  const n = s.n;
  const xLo = Array.from(center, (c) => down(c - radius));
  const xHi = Array.from(center, (c) => up(c + radius));
  s.loss.run(xLo, xHi);
  const [, lHi] = s.loss.out(0);
  const none = { lHi: lHi >= 0 ? lHi : Infinity, width: Infinity };
  if (!(lHi >= 0) || !Number.isFinite(lHi)) return none;
  // mu: a float guess at the center, halved, then certified over the region.
  const m = s.weights.length;
  const gram = (lo: ArrayLike<number>, hi: ArrayLike<number>): DoubleInterval[] => {
    s.res.run(lo, hi);
    const J = s.res;
    const out: DoubleInterval[] = [];
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) {
        const ka = J.P.outputs[a]!, kb = J.P.outputs[b]!;
        let dl = 0, dh = 0;
        for (let i = 0; i < n; i++) {
          R.mul(J.dLo[ka * n + i]!, J.dHi[ka * n + i]!, J.dLo[kb * n + i]!, J.dHi[kb * n + i]!);
          R.add(dl, dh, R.lo, R.hi);
          dl = R.lo;
          dh = R.hi;
        }
        const [wal, wah] = s.weights[a]!, [wbl, wbh] = s.weights[b]!;
        R.mul(wal, wah, wbl, wbh);
        const sq = OUTWARD.sqrt({ lo: R.lo, hi: R.hi });
        R.mul(sq.lo, sq.hi, dl, dh);
        out.push({ lo: R.lo, hi: R.hi });
      }
    return out;
  };
  const g0 = gram(center, center);
  const gm = Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => (g0[a * m + b]!.lo + g0[a * m + b]!.hi) / 2));
  const muGuess = m === 1 ? gm[0]![0]! : Math.min(...symmetricEigen(gm).values);
  if (!(muGuess > 0)) return none;
  for (const mu of [muGuess / 2, muGuess / 8]) {
    const rho = up(Math.sqrt(up(up(2 * lHi) / mu)));
    // Strictly more than rho around the ball's box: the flow cannot reach the region's boundary.
    const pad = up(up(rho * (1 + 1e-6)) + 1e-300);
    const rLo = xLo.map((x) => down(x - pad));
    const rHi = xHi.map((x) => up(x + pad));
    const G = gram(rLo, rHi);
    const M = G.map((e, k) => (k % (m + 1) === 0 ? OUTWARD.sub(e, { lo: mu, hi: mu }) : e));
    if (!positiveDefinite(OUTWARD, M, m)) continue;
    // The limit lies in the ball's box widened by rho (each coordinate moves at most the path length).
    const bLo = xLo.map((x) => down(x - rho));
    const bHi = xHi.map((x) => up(x + rho));
    const k = krawczyk(s, bLo, bHi, q0);
    const box = k?.box ?? bLo.map((lo, i) => ({ lo, hi: bHi[i]! }));
    const scale = Math.max(1, ...box.map((b) => Math.max(Math.abs(b.lo), Math.abs(b.hi))));
    const width = Math.max(...box.map((b) => b.hi - b.lo));
    if (!(width <= widthTol * scale)) return { lHi, width };
    return { ok: true, box, radius, rho, mu, by: k ? (k.unique ? 'krawczyk' : 'contracted') : 'tail', width };
  }
  return none;
}

/**
 * Krawczyk's operator for G(theta) = (r_1..r_m, Q_j - Q_j(theta_0)) over the box: every zero of G in
 * the box lies in K(X) and X is replaced by K(X) meet X, repeatedly. `unique` when some K(X) lay in
 * X's interior (then the zero is unique there). Undefined when no square nonsingular choice of Q
 * exists (too few conserved forms) or the box emptied (then the box was not sound input).
 */
function krawczyk(s: Setup, lo0: number[], hi0: number[], q0: [number, number][]): { box: DoubleInterval[]; unique: boolean } | undefined {
  const n = s.n;
  const m = s.weights.length;
  const mid = lo0.map((l, i) => (l + hi0[i]!) / 2);
  // Rows at the midpoint: the residuals' gradients, then conserved forms that raise the rank (Gram-Schmidt).
  s.res.run(mid, mid);
  const rowsF: number[][] = [];
  for (let a = 0; a < m; a++) {
    const k = s.res.P.outputs[a]!;
    rowsF.push(Array.from({ length: n }, (_, i) => (s.res.dLo[k * n + i]! + s.res.dHi[k * n + i]!) / 2));
  }
  // Krawczyk's floor is about cond(J) times the rounding of G(c): of the conserved forms (often more than
  // n - m, e.g. nine at catapult n = 3 for five places), take each time the one whose gradient has the
  // largest part (relative to its length) outside the rows so far (pivoted Gram-Schmidt). In catalogue
  // order a nearly dependent form passes a fixed threshold and the floor rises (cond 7600 against 11 at
  // a catapult-n3 limit: width 1.4e-11, never under the tolerance however narrow the ball).
  const basis: number[][] = [];
  const residual = (v: number[]): { w: number[]; rel: number } => {
    let w = [...v];
    for (const b of basis) {
      const d = w.reduce((acc, x, i) => acc + x * b[i]!, 0);
      w = w.map((x, i) => x - d * b[i]!);
    }
    const nv = Math.hypot(...v), nw = Math.hypot(...w);
    return { w: w.map((x) => x / nw), rel: nv > 0 ? nw / nv : 0 };
  };
  for (const row of rowsF) {
    const { w, rel } = residual(row);
    if (!(rel > 1e-6)) return undefined;
    basis.push(w);
  }
  const grads = s.conserved.map((q) => gradQ(q, mid, mid, n).map(([a, b]) => (a + b) / 2));
  const chosen: number[] = [];
  while (basis.length < n) {
    let best: { j: number; w: number[]; rel: number } | undefined;
    for (let j = 0; j < grads.length; j++) {
      if (chosen.includes(j)) continue;
      const r = residual(grads[j]!);
      if (r.rel > 1e-6 && (!best || r.rel > best.rel)) best = { j, ...r };
    }
    if (!best) return undefined;
    chosen.push(best.j);
    basis.push(best.w);
  }
  let lo = [...lo0], hi = [...hi0];
  let unique = false;
  let prevWidth = Infinity;
  for (let it = 0; it < 40; it++) {
    const c = lo.map((l, i) => (l + hi[i]!) / 2);
    // G(c) and J(X).
    const Gc: [number, number][] = [];
    const J: [number, number][][] = [];
    s.res.run(c, c);
    for (let a = 0; a < m; a++) {
      const k = s.res.P.outputs[a]!;
      Gc.push([s.res.lo[k]!, s.res.hi[k]!]);
    }
    for (const j of chosen) {
      const [ql, qh] = evalQ(s.conserved[j]!, c, c);
      R.sub(ql, qh, q0[j]![0], q0[j]![1]);
      Gc.push([R.lo, R.hi]);
    }
    s.res.run(lo, hi);
    for (let a = 0; a < m; a++) {
      const k = s.res.P.outputs[a]!;
      J.push(Array.from({ length: n }, (_, i) => [s.res.dLo[k * n + i]!, s.res.dHi[k * n + i]!] as [number, number]));
    }
    for (const j of chosen) J.push(gradQ(s.conserved[j]!, lo, hi, n));
    const Jm = J.map((row) => row.map(([a, b]) => (a + b) / 2));
    const Y = invert(Jm);
    if (!Y) return undefined;
    const Klo: number[] = [], Khi: number[] = [];
    for (let i = 0; i < n; i++) {
      // c_i - (Y G(c))_i + sum_k (delta_ik - (Y J)_ik) (X_k - c_k)
      let sl = c[i]!, sh = c[i]!;
      for (let a = 0; a < n; a++) {
        R.mul(Y[i]![a]!, Y[i]![a]!, Gc[a]![0], Gc[a]![1]);
        R.sub(sl, sh, R.lo, R.hi);
        sl = R.lo;
        sh = R.hi;
      }
      for (let k = 0; k < n; k++) {
        let yl = i === k ? 1 : 0, yh = yl;
        for (let a = 0; a < n; a++) {
          R.mul(Y[i]![a]!, Y[i]![a]!, J[a]![k]![0], J[a]![k]![1]);
          R.sub(yl, yh, R.lo, R.hi);
          yl = R.lo;
          yh = R.hi;
        }
        R.sub(lo[k]!, hi[k]!, c[k]!, c[k]!);
        R.mul(yl, yh, R.lo, R.hi);
        R.add(sl, sh, R.lo, R.hi);
        sl = R.lo;
        sh = R.hi;
      }
      Klo.push(sl);
      Khi.push(sh);
    }
    if (Klo.every((l, i) => l > lo[i]! && Khi[i]! < hi[i]!)) unique = true;
    const nlo = lo.map((l, i) => Math.max(l, Klo[i]!));
    const nhi = hi.map((h, i) => Math.min(h, Khi[i]!));
    if (nlo.some((l, i) => !(l <= nhi[i]!))) return undefined;
    lo = nlo;
    hi = nhi;
    const width = Math.max(...lo.map((l, i) => hi[i]! - l));
    if (!(width < prevWidth * 0.9)) break;
    prevWidth = width;
  }
  return { box: lo.map((l, i) => ({ lo: l, hi: hi[i]! })), unique };
}

/** A float inverse (Gauss-Jordan, partial pivoting); any matrix serves Krawczyk's preconditioner. */
function invert(A: number[][]): number[][] | undefined {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    if (!(Math.abs(M[p]![c]!) > 0)) return undefined;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const d = M[c]![c]!;
    M[c] = M[c]!.map((x) => x / d);
    for (let r = 0; r < n; r++) if (r !== c) {
      const f = M[r]![c]!;
      if (f !== 0) M[r] = M[r]!.map((x, j) => x - f * M[c]![j]!);
    }
  }
  return M.map((row) => row.slice(n));
}

/**
 * The sharpness (largest Hessian eigenvalue) of every point of the box: a Rayleigh lower end from the
 * midpoint's top eigenvector, the upper end the first certified shift (eigen-enclosure.ts).
 */
export function sharpnessOverBox(model: DerivedModel, hyper: Record<string, number>, box: readonly DoubleInterval[]): DoubleInterval | undefined {
  const n = model.params.length;
  const fixed = new Map(model.hypers.map((h) => [h, hyper[h]!] as [string, number]));
  const P: IntervalProgram = compilePrograms(model.hessian.flat(), model.params, fixed);
  const E = new BoxEvaluator(P);
  E.run(box.map((b) => b.lo), box.map((b) => b.hi));
  const H: DoubleInterval[] = Array.from({ length: n * n }, (_, k) => {
    const [a, b] = E.out(k);
    return { lo: a, hi: b };
  });
  const mid = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (H[i * n + j]!.lo + H[i * n + j]!.hi) / 2));
  const top = topEigenpair(mid);
  let scale = 0;
  for (const e of H) scale = Math.max(scale, Math.abs(e.lo), Math.abs(e.hi));
  const b = encloseTopEigenvalue(OUTWARD, H, n, {
    vectors: [top.vector.map((x) => OUTWARD.fromDouble(x))],
    candidates: function* (lower: number) {
      let width = 0;
      for (const e of H) width = Math.max(width, e.hi - e.lo);
      for (const f of [2 ** -50, 2 ** -40, 2 ** -30, 2 ** -20, 2 ** -10]) yield Math.max(lower, top.value) + f * scale + n * width;
    },
  });
  if (!b || b.hi === undefined) return undefined;
  return { lo: b.lo, hi: b.hi };
}

/** The exact rational enclosure of a double interval. */
export function toRationalEnds(x: DoubleInterval): [Rational, Rational] {
  return [Rational.fromDouble(x.lo), Rational.fromDouble(x.hi)];
}

import type { MathNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { shiftedMinor } from '../lemma/compile.js';
import { substitute } from '../symbolic/expr.js';
import { constantToRational } from '../symbolic/rational-function.js';
import { fold, type Backend, type Definedness } from '../symbolic/algebra.js';
import { principalMinorIndexSets } from '../numeric/sylvester.js';
import type { Rational } from '../numeric/rational.js';
import type { Cmp } from '../symbolic/reduce.js';

/**
 * One Z3 query of the reductions (check/reductions.ts): a claim over the lemma's variables and
 * fresh variables, asserted as "bounds and facts and premises and the goal's definedness and not
 * the goal" and answered unsat (the claim holds), sat or unknown, always under the deterministic
 * resource limit (rlimit), never a clock. Translation as in check/prove.ts: sqrt(x) is a variable s
 * with x >= 0 -> (s >= 0 and s^2 = x); S and S_next are the largest eigenvalue by Sylvester's
 * criterion; abs, max and min are if-then-else terms.
 *
 * Every check (these and check/prove.ts's) goes through boundedCheck: besides the rlimit, a memory limit
 * that makes a query which would outgrow Z3's fixed 2 GB WebAssembly memory (an abort that kills the
 * process) answer unknown, "Z3 ran out of memory (limit N MB)", instead. Z3 stops on memory by throwing
 * from whichever allocation passed the limit, and its code is not safe against that everywhere (seen:
 * after a few dozen such stops at a 1 MB limit, "memory access out of bounds" inside malloc on a later
 * query, in one run of two): a module that stopped on memory answers no further query, and z3Api gives
 * the next proof a new one. A crash of Z3's WebAssembly during a check (crashContainment) is an unknown
 * too, and its module is not used again either.
 */

export interface Bound {
  name: string;
  lo?: Rational;
  hi?: Rational;
}

export interface QueryClaim {
  /** The first comment line of the SMT-LIB2 text. */
  comment: string;
  /** Free variables besides the bounds' (fresh variables of abstractions). */
  fresh: string[];
  bounds: Bound[];
  /** Asserted as written (case conditions, signs and definitions of fresh variables). */
  facts: Cmp[];
  /** Asserted as "defined and relation". */
  premises: { cmp: Cmp; defined: Definedness[] }[];
  /** Asserted as "defined and not relation". */
  goal: { cmp: Cmp; defined: Definedness[] };
}

export interface QueryAnswer {
  answer: 'unsat' | 'sat' | 'unknown';
  smt2: string;
  reason: string;
}

/**
 * The one translation of expression trees into Z3 terms (the identity prover's queries and the
 * reductions' alike): sqrt(x) is a variable s with x >= 0 -> (s >= 0 and s^2 = x); S and S_next are
 * the largest eigenvalue of H (at theta, or one exact GD step on) by Sylvester's criterion: sI - H has
 * every principal minor >= 0 and determinant 0; abs, max and min are if-then-else terms; division is
 * Z3's total division (the definedness conditions are scoped to their comparison by the caller).
 * `definitions` collects the auxiliary variables' constraints in the order the trees meet them, so
 * the same trees give the same query text.
 */
export function z3Translation(Z: any, model: DerivedModel, assume: ReadonlyMap<string, MathNode>, consts: ReadonlyMap<string, any>): { backend: Backend<any>; definitions: any[]; condition: (d: Definedness) => any } {
  const definitions: any[] = [];
  const sqrtAux = new Map<string, any>();
  let aux = 0;
  const sVars = new Map<string, any>();
  const backend: Backend<any> = {
    name: 'the Z3 translation',
    constant: (v) => Z.Real.val(constantToRational(v).toString()),
    symbol: (name) => {
      const c = consts.get(name) ?? sharpnessVar(name);
      if (!c) throw new Error(`symbol ${name} has no meaning for every theta`);
      return c;
    },
    neg: (a) => a.neg(),
    add: (a, b) => a.add(b),
    sub: (a, b) => a.sub(b),
    mul: (a, b) => a.mul(b),
    div: (a, b) => a.div(b),
    powi: (a, k) => {
      if (k === 0) return Z.Real.val(1);
      let r = a;
      for (let i = 1; i < Math.abs(k); i++) r = r.mul(a);
      return k < 0 ? Z.Real.val(1).div(r) : r;
    },
    abs: (a) => Z.If(a.ge(0), a, a.neg()),
    max: (a, b) => Z.If(a.ge(b), a, b),
    min: (a, b) => Z.If(a.le(b), a, b),
    sqrt: (a) => {
      const key = a.toString();
      let s = sqrtAux.get(key);
      if (!s) {
        s = Z.Real.const(`sqrt_${aux++}`);
        definitions.push(Z.Implies(a.ge(0), Z.And(s.ge(0), s.mul(s).eq(a))));
        sqrtAux.set(key, s);
      }
      return s;
    },
  };
  function sharpnessVar(name: string): any {
    if (name !== 'S' && name !== 'S_next') return undefined;
    let s = sVars.get(name);
    if (s) return s;
    s = Z.Real.const(name);
    sVars.set(name, s);
    const n = model.params.length;
    const toNext = new Map(model.params.map((p, i) => [p, model.step[i]!.cloneDeep()]));
    // The minors as expression trees (lemma/compile.ts), through the same backend as everything else.
    const det = (idx: number[]): any => {
      const m = shiftedMinor(model, idx, name);
      return fold(substitute(name === 'S_next' ? substitute(m, toNext) : m, assume), backend);
    };
    for (const idx of principalMinorIndexSets(n)) definitions.push(det(idx).ge(0));
    definitions.push(det(Array.from({ length: n }, (_, i) => i)).eq(0));
    return s;
  }
  const condition = (d: Definedness) => {
    const x = fold(d.expr, backend);
    return d.is === '>= 0' ? x.ge(0) : d.is === '> 0' ? x.gt(0) : x.neq(0);
  };
  return { backend, definitions, condition };
}

/** lhs rel rhs as a Z3 boolean. */
export function relationOf(Z: any, backend: Backend<any>, lhs: MathNode, rel: '<' | '<=' | '>' | '>=' | '==', rhs: MathNode): any {
  const l = fold(lhs, backend);
  const r = fold(rhs, backend);
  return { '<': l.lt(r), '<=': l.le(r), '>': l.gt(r), '>=': l.ge(r), '==': l.eq(r) }[rel];
}

/**
 * The absolute cap on Z3's memory limit. z3-solver's WebAssembly memory is fixed at 2 GB, and the
 * allocator's own overhead comes on top of what Z3 counts: with the limit at 1536 MB a query that
 * outgrows it peaked at 1.76 GB resident (the whole process) and answered unknown; without a limit
 * the same query aborted the process at 2 GB.
 */
const Z3_MEMORY_CEILING_MB = 1536;
/** z3-solver's WebAssembly memory, fixed (INITIAL_MEMORY = maximum = 2 GiB in its build). */
const WASM_MEMORY_MB = 2048;

export interface Checked {
  answer: 'sat' | 'unsat' | 'unknown';
  /** Why unknown (the answer itself otherwise). */
  reason: string;
}

/** Z3 modules that stopped on memory or crashed, with that reason: not trusted with another query. */
const untrusted = new WeakMap<object, string>();
let current: Promise<any> | undefined;

/**
 * What a module's Z3 may hold (its own count, MB) when a proof starts; above it the proof gets a new module.
 * z3-solver's JavaScript API frees no context (upstream Z3 issue 7427; measured here: no finalizer runs even after a
 * full collection), so a module holds every finished proof's terms, about 8 MB for a small identity (465 MB in one
 * thread over the main job at budget 3, 2026-12-08), and what it holds depends on which proofs the thread ran before.
 * A query's memory limit is capped so that the whole stays under the WebAssembly memory (Z3_MEMORY_CEILING_MB): past
 * 512 MB held, that cap, hence possibly an answer, depended on the thread's history (seen once in five main jobs: an
 * obligation Z3 proves in 5,701 units of its resource limit answered unknown on its first try, and the reductions
 * proved it instead, a different certificate in the report). Below this the cap never binds.
 */
const Z3_RETIRE_MB = 256;

/**
 * The process's Z3 module (z3-solver's WebAssembly), loaded on first use: a worker thread that never
 * proves anything never loads it. One that stopped on memory or crashed, or holds more than Z3_RETIRE_MB, is
 * replaced by a new one, so what a proof can use does not depend on what ran before it. The old module's threads
 * are ended, but its memory stays reserved: emscripten's main-thread mailbox keeps an Atomics.waitAsync pending on
 * it, and that promise holds the module (measured: RSS is not returned after the module is dropped). `retireMb`: the
 * share (tests only).
 */
export async function z3Api(retireMb = Z3_RETIRE_MB): Promise<any> {
  if (current) {
    const api = await current;
    if (!untrusted.has(api) && Number(api.Z3.get_estimated_alloc_size()) / 2 ** 20 > retireMb) untrusted.set(api, 'retired: it held more than its share');
    if (!untrusted.has(api)) return api;
    current = undefined;
    const { killThreads } = await import('z3-solver');
    await killThreads(api.em).catch(() => undefined);
  }
  current ??= import('z3-solver').then((m) => m.init());
  return current;
}

/**
 * The next proof gets a new module. A stop on the memory limit can end in a crash instead of an unknown
 * (Z3 rethrowing while it unwinds: std::terminate) depending on the heap the module's earlier queries
 * left (seen: the same query stopped cleanly on a new module and crashed on one an earlier test file had
 * used), so a test of the stop starts from a new module.
 */
export async function retireZ3Module(): Promise<void> {
  if (!current) return;
  const api = await current;
  if (!untrusted.has(api)) untrusted.set(api, 'retired');
}

/** A Z3 module's thread died during a call (crashContainment): what it said. */
class Z3Crashed extends Error {}

interface CrashWatch {
  /** Whether crashes are contained (false if z3-solver's internals are not the ones this was written for). */
  active: boolean;
  /** The running call's handler, if one runs. */
  onCrash?: (e: unknown) => void;
}
const crashWatches = new WeakMap<object, CrashWatch>();

/**
 * A check runs on one of emscripten's pthreads (a worker thread). When Z3 aborts there (its 2 GB
 * WebAssembly memory exhausted, or std::terminate: seen when a stop on the memory limit threw again
 * while unwinding), emscripten rethrows the worker's error on the main thread, an uncaught exception
 * that ends the process. Contained here, in z3-solver 5.2's internals (each checked to exist):
 * - Node calls emscripten's handler as `worker.onerror(e)`, looked up at each error: replaced on every
 *   worker of the module (those loaded now, and later ones through PThread.loadWasmModuleToWorker), it
 *   tells the running call instead of throwing;
 * - every long call goes through `em.async_call`, looked up at each call: wrapped, its promise rejects
 *   on a crash. Otherwise it would never settle, and z3-solver's one mutex for every module's checks
 *   (module-global in its high-level API) would stay held: every later check in the process would hang
 *   (seen);
 * - the dead module's functions are disarmed: its heap and locks are as the dying thread left them,
 *   so a call from the main thread could hang on a lock that thread held. Releases (dec_ref, del_*),
 *   which the garbage collector's finalizers still make, do nothing; anything else throws.
 * Exported for the test that it is active.
 */
export function crashContainment(api: any): CrashWatch {
  const known = crashWatches.get(api);
  if (known) return known;
  const em = api.em;
  const P = em?.PThread;
  const watch: CrashWatch = {
    active: !!P && typeof P.loadWasmModuleToWorker === 'function' && Array.isArray(P.unusedWorkers) && Array.isArray(P.runningWorkers) && typeof em.async_call === 'function' && typeof api.Z3 === 'object',
  };
  crashWatches.set(api, watch);
  if (!watch.active) return watch;
  const guard = (worker: any) => {
    const original = worker.onerror;
    worker.onerror = (e: unknown) => (watch.onCrash ? watch.onCrash(e) : original?.call(worker, e));
  };
  const load = P.loadWasmModuleToWorker;
  // emscripten sets worker.onerror synchronously inside this call (in the promise's executor).
  P.loadWasmModuleToWorker = (worker: any) => {
    const loaded = load(worker);
    guard(worker);
    return loaded;
  };
  [...P.unusedWorkers, ...P.runningWorkers].forEach(guard);
  const asyncCall = em.async_call;
  em.async_call = (...args: unknown[]) =>
    new Promise((resolve, reject) => {
      watch.onCrash = (e) => {
        watch.onCrash = undefined;
        disarm(api);
        const message = String((e as Error)?.message ?? e ?? 'no message').split('\n')[0]!.slice(0, 200);
        // Untrusted whichever call crashed (boundedCheck names the reason more precisely for its own checks): a
        // disarmed module must never be handed to the next proof.
        if (!untrusted.has(api)) untrusted.set(api, `Z3 crashed (${message})`);
        reject(new Z3Crashed(message));
      };
      const settle = () => {
        watch.onCrash = undefined;
      };
      let call: Promise<unknown>;
      try {
        call = asyncCall.apply(em, args); // synchronously, as before: it starts the thread
      } catch (e) {
        settle();
        reject(e);
        return;
      }
      call.then(
        (v) => (settle(), resolve(v)),
        (e) => (settle(), reject(e)),
      );
    });
  return watch;
}

/**
 * After a crash, calls into the module from the main thread: releases (Z3's dec_ref and del_*, the
 * allocator's free: z3-solver frees a call's arguments when the call settles) do nothing, anything
 * else throws. Seen: the free after a crash threw emscripten's 'unwind' in place of the crash.
 */
function disarm(api: any): void {
  const release = /dec_ref|^_?del_|^_?Z3_del_|^_free$/;
  for (const target of [api.Z3, api.em]) {
    for (const [k, f] of Object.entries(target)) {
      if (typeof f !== 'function' || (target === api.em && !k.startsWith('_') && k !== 'ccall' && k !== 'cwrap')) continue;
      target[k] = release.test(k)
        ? () => undefined
        : () => {
            throw new Error(`Z3 crashed earlier; its module is not used (${k})`);
          };
    }
  }
}

/** Z3's words for stopping on its memory limit: an unknown's reason, or a thrown error's message. */
const OUT_OF_MEMORY = /out of memory|memory exceeded/i;

/**
 * s.check() under both deterministic limits: the rlimit (already set on `s`, named in the reason) and
 * a memory limit of `memoryMb` MB over what Z3 holds when the check starts. Z3 counts its allocations
 * and stops the query when the count passes the limit: the same query stops at the same point on a
 * quiet and on a loaded machine. The limit is relative because Z3's count is the whole process's,
 * and what other contexts and not-yet-collected wrappers hold depends on the garbage collector's
 * timing; it is set before every check (Z3's memory limit is a global parameter), so a small limit
 * for one query does not stay for the next. Without `memoryMb` the limit in force is kept (and named).
 * A crash of Z3 during the check (crashContainment) is an unknown too, with what Z3 said.
 * After a stop on memory or a crash the module answers nothing more (`untrusted`): the proof's later
 * queries are unknown, "not run", and z3Api loads a new module for the next proof.
 */
export async function boundedCheck(api: any, s: any, rlimit: number, memoryMb?: number): Promise<Checked> {
  const earlier = untrusted.get(api);
  if (earlier) return { answer: 'unknown', reason: `not run (after "${earlier}" earlier in this proof: Z3 is not trusted after that)` };
  let limitMb: number;
  if (memoryMb === undefined) limitMb = Number(api.getParam('memory_max_size') ?? 0);
  else {
    // Z3's limit is in whole MB: the budget is memoryMb plus less than 1 MB of rounding.
    const inUseMb = Math.ceil(Number(api.Z3.get_estimated_alloc_size()) / 2 ** 20);
    const absolute = Math.max(inUseMb + 1, Math.min(inUseMb + memoryMb, Z3_MEMORY_CEILING_MB));
    api.setParam('memory_max_size', String(absolute));
    limitMb = absolute - inUseMb;
  }
  const outOfMemory = `Z3 ran out of memory (limit ${limitMb} MB)`;
  const untrust = (reason: string): Checked => {
    untrusted.set(api, reason);
    return { answer: 'unknown', reason };
  };
  crashContainment(api);
  let r: string;
  try {
    r = await s.check();
  } catch (e) {
    if (e instanceof Z3Crashed) return untrust(/Cannot enlarge memory/.test(e.message) ? `Z3 ran out of memory (its WebAssembly memory of ${WASM_MEMORY_MB} MB)` : `Z3 crashed (${e.message})`);
    // Where Z3 reports the stop as an API error rather than an unknown.
    if (e instanceof Error && OUT_OF_MEMORY.test(e.message)) return untrust(outOfMemory);
    throw e;
  } finally {
    // Between checks, only the cap: a query's limit left in force would make building the next query's
    // terms fail ("out of memory" thrown by any API call) once Z3 holds more than it did before this one.
    if (memoryMb !== undefined && !untrusted.has(api)) api.setParam('memory_max_size', String(Z3_MEMORY_CEILING_MB));
  }
  if (r === 'sat' || r === 'unsat') return { answer: r, reason: r };
  const why = String(s.reasonUnknown?.() ?? 'no reason');
  if (OUT_OF_MEMORY.test(why)) return untrust(outOfMemory);
  // Z3 says "canceled" or "max. resource limit exceeded" for the same event, depending on where it stopped.
  return { answer: 'unknown', reason: /cancel|resource/.test(why) ? `resource limit of ${rlimit} units reached` : why };
}

export class QueryRunner {
  private readonly Z: any | null;

  constructor(
    private readonly api: any,
    private readonly model: DerivedModel,
    private readonly assume: ReadonlyMap<string, MathNode>,
    private readonly vars: readonly string[],
    private readonly rlimit: number,
    /** Z3's memory limit per query in MB (boundedCheck); check/prove.ts passes Z3_MEMORY_MB. */
    private readonly memoryMb?: number,
  ) {
    // One context for the reductions of one lemma: the queries run in a fixed order, so the answers
    // and the printed queries do not depend on what the process proved before.
    // After a stop or a crash earlier in this proof the module is disarmed: making a context would throw.
    this.Z = untrusted.has(api) ? null : api.Context('reductions');
  }

  async check(q: QueryClaim): Promise<QueryAnswer> {
    const earlier = untrusted.get(this.api);
    if (earlier !== undefined || this.Z === null) return { answer: 'unknown', smt2: '', reason: `not run (after "${earlier ?? 'a stop'}" earlier in this proof: Z3 is not trusted after that)` };
    const Z = this.Z;
    const model = this.model;
    const consts = new Map<string, any>([...this.vars, ...q.fresh].map((v) => [v, Z.Real.const(v)]));
    const { backend, definitions, condition } = z3Translation(Z, model, this.assume, consts);
    const rel = (c: Cmp) => relationOf(Z, backend, c.lhs, c.rel, c.rhs);
    const defined = (ds: Definedness[]) => Z.And(Z.Bool.val(true), ...ds.map(condition));
    const bounds: any[] = [];
    for (const b of q.bounds) {
      const x = consts.get(b.name);
      if (b.lo !== undefined && b.hi !== undefined && b.lo.eq(b.hi)) bounds.push(x.eq(Z.Real.val(b.lo.toString())));
      else {
        if (b.lo !== undefined) bounds.push(x.ge(Z.Real.val(b.lo.toString())));
        if (b.hi !== undefined) bounds.push(x.le(Z.Real.val(b.hi.toString())));
      }
    }
    let asserted: any[];
    try {
      const facts = q.facts.map(rel);
      const premises = q.premises.map((p) => Z.And(defined(p.defined), rel(p.cmp)));
      const goal = Z.And(defined(q.goal.defined), Z.Not(rel(q.goal.cmp)));
      asserted = [...bounds, ...facts, ...premises, goal];
    } catch (e) {
      return { answer: 'unknown', smt2: '', reason: (e as Error).message };
    }
    const s = (Z as any).AndThen('simplify', 'propagate-values', 'qfnra-nlsat').solver();
    s.set('rlimit', this.rlimit);
    s.add(...definitions, ...asserted);
    // Printed before the check: afterwards the solver also prints its model converter (model-add ...).
    const smt2 = `; ${q.comment}\n(set-info :status unknown)\n${s.toString()}(check-sat)\n`;
    const { answer, reason } = await boundedCheck(this.api, s, this.rlimit, this.memoryMb);
    return { answer, smt2, reason };
  }
}

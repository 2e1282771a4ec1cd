import { beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { init } from 'z3-solver';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { loadLemmas } from '../../src/lemma/load.js';
import { proveLemma, type ProofResult } from '../../src/check/prove.js';
import { withParamRanges } from '../../src/check/region-prove.js';
import { boundedCheck, crashContainment, QueryRunner, retireZ3Module, z3Api, type QueryClaim } from '../../src/check/z3-query.js';
import { parse } from '../../src/symbolic/mathjs.js';

/**
 * Issue 24: a Z3 query that outgrows its memory is an honest unknown (UNDECIDED), never the end of the
 * process. Z3's own memory limit (check/prove.ts, Z3_MEMORY_MB) stops a query by counting allocations,
 * so the answer is the same on a quiet and on a loaded machine; a crash of Z3's WebAssembly (its fixed
 * 2 GB memory exhausted) is contained and is an unknown too. After either, that module answers nothing
 * more and the next proof gets a new one.
 */
const model = deriveModel(minimalistModel);

async function lemma(file: string, id: string) {
  const loaded = await loadLemmas([`lemmas/${file}`], model);
  const l = loaded.find((x) => x.ok && x.lemma.id === id);
  if (!l || !l.ok) throw new Error(`${id} not in ${file}`);
  return withParamRanges(model, l.lemma);
}

/** A query whose translation into polynomials alone needs far more memory than a few MB: P - Q < 0, P and Q products of 14 linear forms in 8 variables. */
function productQuery(api: any): any {
  const Z = api.Context('memory-test');
  const xs = Array.from({ length: 8 }, (_, i) => Z.Real.const(`x${i}`));
  const linear = (j: number) => xs.reduce((t: any, x: any, i: number) => t.add(x.mul(((i * 7 + j * 3) % 5) + 1)), Z.Real.val(j + 1));
  const product = (from: number) => Array.from({ length: 13 }, (_, k) => linear(from + k + 1)).reduce((p: any, f: any) => p.mul(f), linear(from));
  const s = Z.AndThen('simplify', 'propagate-values', 'qfnra-nlsat').solver();
  s.set('rlimit', 100_000_000);
  s.add(product(0).sub(product(100)).lt(0));
  return s;
}

function busy(n: number, ms: number): Worker[] {
  const src = `const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1);`;
  return Array.from({ length: n }, () => new Worker(src, { eval: true }));
}

const memoryStop = /Z3 ran out of memory \(limit 4 MB\)/;

describe('Z3 out of memory is UNDECIDED, not the end of the process', () => {
  // Test files share a worker's modules (vitest isolate: false): start from a module no other file has used.
  beforeAll(retireZ3Module);

  it('a proof whose queries outgrow the limit is unknown with the limit named, the same every time, and the next proof still proves', async () => {
    // Decided by the region prover in the catalogue; here its Z3 path, whose first query needs more than 4 MB.
    const heavy = await lemma('c5-progressive-sharpening-region.ts', 'c5-region-sharpness-rises-in-phase-one');
    const first = await proveLemma(model, heavy, { z3MemoryMb: 4 });
    expect(first.status).toBe('unknown');
    expect(first.detail).toMatch(new RegExp(`^Z3 answered unknown \\(${memoryStop.source}\\)`));
    // Z3 is not trusted after a stop: the proof's later queries are not run.
    expect(first.detail).toMatch(/not run \(after "Z3 ran out of memory \(limit 4 MB\)" earlier in this proof/);
    const again = await proveLemma(model, heavy, { z3MemoryMb: 4 });
    expect(again).toEqual(first);
    const light = await proveLemma(model, await lemma('c3-beta1-multiplicative-update.ts', 'c3-beta1-grows-if-unstable'));
    expect(light.status, light.detail).toBe('proved');
    expect((light as Extract<ProofResult, { status: 'proved' }>).method).toBe('proved-z3');
  });

  it('the stop does not depend on machine load: the same detail with two busy threads beside it', async () => {
    const heavy = await lemma('c5-progressive-sharpening-region.ts', 'c5-region-sharpness-rises-in-phase-one');
    const quiet = await proveLemma(model, heavy, { z3MemoryMb: 4 });
    const loops = busy(2, 60_000);
    try {
      const loaded = await proveLemma(model, heavy, { z3MemoryMb: 4 });
      expect(loaded).toEqual(quiet);
    } finally {
      await Promise.all(loops.map((w) => w.terminate()));
    }
    expect(quiet.detail).toMatch(memoryStop);
  });

  it('a crash of the WebAssembly during a check (its 2 GB memory exhausted) is an unknown, and the process goes on', async () => {
    // A module of its own, not the process's; no Z3 memory limit, and all but 64 MB of its heap taken
    // (allocated, never touched: it costs no RAM), so the query reaches the WebAssembly ceiling in a second.
    const api: any = await init();
    expect(crashContainment(api).active).toBe(true);
    const s = productQuery(api);
    const probe = api.em._malloc(64 * 2 ** 20);
    api.em._free(probe);
    expect(api.em._malloc(2 ** 31 - probe - 64 * 2 ** 20)).not.toBe(0);
    const r = await boundedCheck(api, s, 100_000_000);
    expect(r).toEqual({ answer: 'unknown', reason: 'Z3 ran out of memory (its WebAssembly memory of 2048 MB)' });
    expect((await boundedCheck(api, s, 100_000_000)).reason).toMatch(/^not run \(after "Z3 ran out of memory \(its WebAssembly memory/);
    // A later stage of the same proof (the reductions make a context of their own) is "not run" too, not an
    // exception from the disarmed module (seen in CI: "Z3 crashed earlier; its module is not used (mk_config)").
    const claim = { comment: 'after the crash', fresh: [], bounds: [], facts: [], premises: [], goal: { cmp: { lhs: parse('1'), rel: '<', rhs: parse('0') }, defined: [] } };
    const after = await new QueryRunner(api, model, new Map(), [], 1000).check(claim as unknown as QueryClaim);
    expect(after.answer).toBe('unknown');
    expect(after.reason).toMatch(/^not run \(after "Z3 ran out of memory \(its WebAssembly memory/);
    // The process's module still answers (z3-solver's one mutex for all modules' checks was released).
    const light = await proveLemma(model, await lemma('c3-beta1-multiplicative-update.ts', 'c3-beta1-grows-if-unstable'));
    expect(light.status, light.detail).toBe('proved');
  });

  it('the limit is per query: on the process module a small query answers under 4 MB, the product query stops there', async () => {
    const api = await z3Api();
    const Z = api.Context('memory-small');
    const y = Z.Real.const('y');
    const s = new Z.Solver();
    s.add(y.mul(y).eq(2));
    expect(await boundedCheck(api, s, 10_000, 4)).toEqual({ answer: 'sat', reason: 'sat' });
    expect(await boundedCheck(api, productQuery(api), 100_000_000, 4)).toEqual({ answer: 'unknown', reason: 'Z3 ran out of memory (limit 4 MB)' });
  });

  it('a module that holds more than its share is replaced before the next proof, with the same result', async () => {
    // z3-solver frees no context: a module holds every proof it ran, so what a query may use would depend on them.
    const light = await lemma('c3-beta1-multiplicative-update.ts', 'c3-beta1-grows-if-unstable');
    const before = await z3Api();
    const first = await proveLemma(model, light);
    expect(first.status, first.detail).toBe('proved');
    expect(Number(before.Z3.get_estimated_alloc_size())).toBeGreaterThan(0);
    // The proof left its terms in the module; with a share of 0 MB it is retired, and the next proof gets a new one.
    const after = await z3Api(0);
    expect(after).not.toBe(before);
    expect(await z3Api()).toBe(after);
    expect(await proveLemma(model, light)).toEqual(first);
  });
});

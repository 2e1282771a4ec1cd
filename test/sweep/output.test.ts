import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Row } from '../../src/sweep/cell.js';
import { CLASSES } from '../../src/sweep/classify.js';
import { cellCount, shardCell, shardSize, type Shard, type SweepSpec } from '../../src/sweep/grid.js';
import { FORMAT_VERSION, makeMeta, mergeShards, openShard, SweepWriter } from '../../src/sweep/output.js';

const spec: SweepSpec = {
  model: { name: 'm', hash: 'h', params: ['alpha', 'beta1', 'beta2'], hypers: ['eta', 'lambda1', 'lambda2'] },
  x: { name: 'eta', min: 1, max: 2, count: 4, scale: 'linear' },
  y: { name: 'lambda2', min: 1e-3, max: 1e-1, count: 3, scale: 'log' },
  hyper: { lambda1: 1 },
  init: [1, 0.01, 0],
  steps: 10,
  arith: 'extended',
  tol: 1e-8,
  catapult: 10,
};

/** Synthetic rows with awkward values: not finite, null, negative zero-free decimals. */
function row(k: number): Row {
  return {
    cell: k,
    ix: k % 4,
    iy: Math.floor(k / 4),
    x: 1 + k / 3,
    y: 10 ** (-3 + k / 5),
    class: CLASSES[k % CLASSES.length]!,
    converged: k % 3 !== 0,
    maxEtaSMinus2: k === 3 ? -Infinity : 0.1 * k - 0.5,
    argmaxEtaS: k,
    finalEtaS: k === 5 ? NaN : 1.9 + k / 1000,
    finalLoss: k === 2 ? 0 : 1e-17 * k,
    log10FinalLoss: k === 2 ? -Infinity : -17 + Math.log10(k || 1),
    log10MaxLossRatio: k / 7,
    lossIncreases: 2 * k,
    steps: 10,
    divergedAt: k % 5 === 4 ? 3 : null,
    underflow: k === 7,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'eos-sweep-out-'));

function writeShard(path: string, shard: Shard, rows?: number[]): void {
  const ks = rows ?? Array.from({ length: shardSize(cellCount(spec), shard) }, (_, p) => shardCell(shard, p));
  const w = new SweepWriter(path, makeMeta(spec, shard, ks.length));
  for (const k of ks) w.write(row(k));
  w.commit();
}

describe('sweep files', () => {
  it.each(['csv', 'json'])('%s: rows read back as written (non-finite numbers as null); no .tmp left', async (ext) => {
    const p = join(dir, `all.${ext}`);
    writeShard(p, { k: 1, n: 1 });
    expect(existsSync(`${p}.tmp`)).toBe(false);
    if (ext === 'json') expect(JSON.parse(readFileSync(p, 'utf8')).rows).toHaveLength(12);
    const r = await openShard(p);
    expect(r.meta.cells).toBe(12);
    for (let k = 0; k < 12; k++) {
      const got = (await r.next())!;
      const want = row(k);
      for (const key of Object.keys(want) as (keyof Row)[]) {
        const v = want[key];
        if (typeof v === 'number' && !Number.isFinite(v)) expect(got[key]).toBeNaN();
        else expect(got[key]).toBe(v);
      }
    }
    expect(await r.next()).toBeUndefined();
    r.close();
  });

  it('the CSV header names the class and then whether the cell converged; a file of format version 1 is refused by name', async () => {
    const p = join(dir, 'head.csv');
    writeShard(p, { k: 1, n: 1 });
    const lines = readFileSync(p, 'utf8').split('\n');
    expect(FORMAT_VERSION).toBe(2);
    expect(lines[0]).toContain('"version":2');
    expect(lines[1]).toBe(
      'cell,ix,iy,eta,lambda2,class,converged,max_etaS_minus_2,argmax_etaS,final_etaS,final_loss,log10_final_loss,log10_max_loss_ratio,loss_increases,steps,diverged_at,underflow',
    );
    expect(lines[2]).toMatch(/^0,0,0,1,0\.001,stable,false,/);
    expect(lines[3]).toMatch(/^1,1,0,[\d.]+,[\d.]+,eos,true,/);
    // What version 1 wrote: no converged column, not-converged decided before catapult and eos.
    const v1 = join(dir, 'v1.csv');
    writeFileSync(v1, [lines[0]!.replace('"version":2', '"version":1'), lines[1]!.replace(',converged', ''), ...lines.slice(2).map((l) => l.replace(/,(true|false)(?=,-?[\d.]*,)/, ''))].join('\n'));
    await expect(openShard(v1)).rejects.toThrow(/format version 1, this eos-check reads version 2 .*run the sweep again/);
    await expect(mergeShards([v1], join(dir, 'from-v1.csv'))).rejects.toThrow(/format version 1/);
    expect(existsSync(join(dir, 'from-v1.csv'))).toBe(false);
  });

  it('merging shards (any mix of formats) is byte-identical to the unsharded file', async () => {
    writeShard(join(dir, 'whole.csv'), { k: 1, n: 1 });
    writeShard(join(dir, 's1.json'), { k: 1, n: 3 });
    writeShard(join(dir, 's2.csv'), { k: 2, n: 3 });
    writeShard(join(dir, 's3.json'), { k: 3, n: 3 });
    await mergeShards([join(dir, 's3.json'), join(dir, 's1.json'), join(dir, 's2.csv')], join(dir, 'merged.csv'));
    expect(readFileSync(join(dir, 'merged.csv'), 'utf8')).toBe(readFileSync(join(dir, 'whole.csv'), 'utf8'));
    writeShard(join(dir, 'whole.json'), { k: 1, n: 1 });
    await mergeShards([join(dir, 's1.json'), join(dir, 's2.csv'), join(dir, 's3.json')], join(dir, 'merged.json'));
    expect(readFileSync(join(dir, 'merged.json'), 'utf8')).toBe(readFileSync(join(dir, 'whole.json'), 'utf8'));
  });

  it('merge refuses a missing shard, a repeated shard, another grid, a short or a truncated file, and writes nothing', async () => {
    writeShard(join(dir, 't1.csv'), { k: 1, n: 2 });
    writeShard(join(dir, 't2.csv'), { k: 2, n: 2 });
    const out = join(dir, 'bad.csv');
    await expect(mergeShards([join(dir, 't1.csv')], out)).rejects.toThrow(/shard 2 of 2 missing/);
    await expect(mergeShards([join(dir, 't1.csv'), join(dir, 't1.csv')], out)).rejects.toThrow(/shard 1\/2 given twice/);
    await expect(mergeShards([join(dir, 't1.csv'), join(dir, 's2.csv')], out)).rejects.toThrow(/shard of 3|different grids/);
    const other = new SweepWriter(join(dir, 'o2.csv'), makeMeta({ ...spec, steps: 11 }, { k: 2, n: 2 }, 6));
    for (const k of [1, 3, 5, 7, 9, 11]) other.write(row(k));
    other.commit();
    await expect(mergeShards([join(dir, 't1.csv'), join(dir, 'o2.csv')], out)).rejects.toThrow(/different grids/);
    writeShard(join(dir, 'short2.csv'), { k: 2, n: 2 }, [1, 3, 5]);
    await expect(mergeShards([join(dir, 't1.csv'), join(dir, 'short2.csv')], out)).rejects.toThrow(/ends before cell 7/);
    writeShard(join(dir, 'dup2.csv'), { k: 2, n: 2 }, [1, 3, 3, 5, 7, 9]);
    await expect(mergeShards([join(dir, 't1.csv'), join(dir, 'dup2.csv')], out)).rejects.toThrow(/expected cell 5, found cell 3/);
    writeShard(join(dir, 'u2.json'), { k: 2, n: 2 });
    writeFileSync(join(dir, 'trunc2.json'), readFileSync(join(dir, 'u2.json'), 'utf8').replace(/\]\}\n$/, ''));
    await expect(mergeShards([join(dir, 't1.csv'), join(dir, 'trunc2.json')], out)).rejects.toThrow(/truncated/);
    writeFileSync(join(dir, 'junk.csv'), 'a,b\n1,2\n');
    await expect(mergeShards([join(dir, 'junk.csv')], out)).rejects.toThrow(/not an eos-check sweep file/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.tmp`)).toBe(false);
  });

  it('discard removes the partial file', () => {
    const p = join(dir, 'partial.csv');
    const w = new SweepWriter(p, makeMeta(spec, { k: 1, n: 1 }, 12));
    w.write(row(0));
    expect(existsSync(`${p}.tmp`)).toBe(true);
    w.discard();
    expect(existsSync(`${p}.tmp`)).toBe(false);
    expect(existsSync(p)).toBe(false);
  });
});

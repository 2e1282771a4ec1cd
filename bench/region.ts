// The region prover on its lemma files (issue 23 targets): per lemma the verdict, boxes, the undecided share of the
// region's volume and the worst box, the proof's time and the independent certificate check's time (re-checking must
// take no longer than proving). Run: npx tsx bench/region.ts [file.ts:pack ...] (default: every region lemma file);
// REGION_ID=id runs one lemma, REGION_BOXES=n sets the budget, REGION_NO_CHECK=1 skips the certificate check.
import { deriveModel } from '../src/symbolic/derive.js';
import { loadPack } from '../src/model/pack.js';
import { loadLemmas } from '../src/lemma/load.js';
import { proveRegion, regionBounded } from '../src/check/region-prove.js';
import { checkCertificate } from '../src/certificate/check.js';
import { isMain } from './main.js';

const DEFAULT = [
  'bench/lemmas/six-variable-region.ts:minimalist',
  'lemmas/c5-progressive-sharpening-region.ts:minimalist',
  'lemmas/catapult-n2/k3-lazy-regime-region.ts:catapult-n2',
  'lemmas/catapult-n2/k4-catapult-regime-region.ts:catapult-n2',
  'lemmas/catapult-n2/k5-divergence-regime-region.ts:catapult-n2',
  'lemmas/catapult-n3/k3-lazy-regime-region.ts:catapult-n3',
  'lemmas/catapult-n3/k4-catapult-regime-region.ts:catapult-n3',
  'lemmas/catapult-n3/k5-divergence-regime-region.ts:catapult-n3',
  'lemmas/region-undecided/minimalist/phase-one-and-gfs-region.ts:minimalist',
  'lemmas/region-undecided/catapult-n2/catapult-one-step-region.ts:catapult-n2',
  'lemmas/region-undecided/catapult-n3/catapult-one-step-region.ts:catapult-n3',
];
/** CPU time of this process (user + system): on a loaded machine closer to the work done than the wall clock. */
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const only = process.env.REGION_ID;
const maxBoxes = process.env.REGION_BOXES ? Number(process.env.REGION_BOXES) : undefined;

/** One line per region lemma of the given `file:pack` arguments: verdict, boxes, time to prove, time to re-check. */
export async function regionFigures(args: readonly string[] = DEFAULT): Promise<{ name: string; value: string }[]> {
  const out: { name: string; value: string }[] = [];
  for (const arg of args) {
    const [file, pack] = arg.split(':') as [string, string];
    const model = deriveModel(loadPack(pack).spec);
    for (const l of await loadLemmas([file], model)) {
      if (!l.ok) {
        out.push({ name: file, value: l.error.message });
        continue;
      }
      if ((only && l.lemma.id !== only) || !regionBounded(model, l.lemma)) continue;
      const t0 = performance.now();
      const u0 = process.cpuUsage();
      const r = proveRegion(model, l.lemma, maxBoxes ? { maxBoxes } : {});
      const prove = performance.now() - t0;
      const proveCpu = cpuMs(process.cpuUsage(u0));
      let value = r.status;
      if ('boxes' in r) value += `, ${r.boxes} boxes`;
      if (r.status === 'undecided') value += `, undecided ${(100 * r.undecidedFraction).toPrecision(3)}% of the volume (${r.undecidedBoxes} boxes); worst ${JSON.stringify(r.worst?.box)} "${r.worst?.comparison}" margin ${JSON.stringify(r.worst?.margin)}`;
      value += `; prove ${prove.toFixed(0)} ms wall, ${proveCpu.toFixed(0)} ms cpu (${'boxes' in r ? ((r.boxes / prove) * 1000).toFixed(0) : '-'} boxes/s wall)`;
      if ((r.status === 'proved' || r.status === 'vacuous') && !process.env.REGION_NO_CHECK) {
        const t1 = performance.now();
        const u1 = process.cpuUsage();
        const c = checkCertificate(JSON.parse(JSON.stringify(r.certificate)));
        value += `; check ${(performance.now() - t1).toFixed(0)} ms wall, ${cpuMs(process.cpuUsage(u1)).toFixed(0)} ms cpu: ${c.ok ? 'ok' : JSON.stringify(c.failures[0])}, ${c.leaves} leaves`;
      }
      out.push({ name: `region prover: ${l.lemma.id}`, value });
    }
  }
  return out;
}

if (isMain(import.meta)) {
  for (const f of await regionFigures(process.argv.length > 2 ? process.argv.slice(2) : DEFAULT)) console.log(`${f.name}: ${f.value}`);
}

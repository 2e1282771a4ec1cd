/**
 * npx tsx scripts/true-orbit.ts [report.json ...]: per report (default: every reports/verification*.json that
 * npm test wrote), how many FALSIFIED counterexamples were certified on the true orbit, and why the others
 * were not; and the tightness figures re-evaluated on the true orbit. Reads the reports only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const files = process.argv.length > 2 ? process.argv.slice(2) : readdirSync('reports').filter((f) => /^verification(-[\w-]+)?\.json$/.test(f)).map((f) => join('reports', f));
for (const f of files) {
  const r = JSON.parse(readFileSync(f, 'utf8'));
  const sampled = r.outcomes.filter((o: any) => o.kind === 'FALSIFIED' && o.counterexample?.step !== null);
  const certified = sampled.filter((o: any) => o.counterexample.trueOrbit?.certified);
  const artefacts = r.outcomes.filter((o: any) => o.diagnosis?.reason === 'rounding-artefact');
  console.log(`${f}: ${certified.length} of ${sampled.length} sampled counterexamples certified on the true orbit; ${artefacts.length} rounding artefacts (UNDECIDED)`);
  for (const o of sampled) if (!o.counterexample.trueOrbit?.certified) console.log(`  ${o.id}: ${o.counterexample.trueOrbit?.text ?? '(no true-orbit record)'}`);
  for (const o of r.outcomes) if (o.tightness?.trueOrbit) console.log(`  tightness ${o.id}: computed ${o.tightness.maxRatio ?? o.tightness.observedMaxNeeded}; ${o.tightness.trueOrbit.text}`);
}

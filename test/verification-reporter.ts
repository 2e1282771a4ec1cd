import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { Outcome } from '../src/check/outcome.js';
import { formatTable } from '../src/report/table.js';
import { reportJson, totals, type Report } from '../src/report/report.js';
import { loadPack } from '../src/model/pack.js';
import { modelHash } from '../src/symbolic/derive.js';
import { DEFAULT_SEED } from '../src/check/catalogue.js';
import { VERSION } from '../src/cli/version.js';
import { writeAtomic } from '../src/cli/verify.js';

/** Prints the per-lemma verification table after vitest's own output and writes reports/verification.json. */
export default class VerificationReporter implements Reporter {
  private outcomes = new Map<string, Outcome[]>();

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta();
    if (!meta.outcome) return;
    const pack = meta.pack ?? 'minimalist';
    if (!this.outcomes.has(pack)) this.outcomes.set(pack, []);
    this.outcomes.get(pack)!.push(meta.outcome);
  }

  /** One table and one JSON report per model pack: reports/verification.json for the default pack, verification-<pack>.json for the others. */
  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    for (const name of [...this.outcomes.keys()].sort((a, b) => (a === 'minimalist' ? -1 : b === 'minimalist' ? 1 : a.localeCompare(b)))) this.write(name, this.outcomes.get(name)!);
  }

  private write(name: string, list: Outcome[]): void {
    const pack = loadPack(name);
    const spec = pack.spec;
    const outcomes = [...list].sort((a, b) => a.file.localeCompare(b.file) || a.id.localeCompare(b.id));
    const report: Report = {
      tool: { name: 'eos-check', version: VERSION },
      model: { name: spec.name, hash: modelHash(spec), loss: spec.loss, source: spec.source, ...(name === 'minimalist' ? {} : { pack: name }) },
      seed: Number(process.env.EOS_SEED ?? DEFAULT_SEED),
      budget: 1,
      arithmetic: 'trajectories in extended-exponent float64 (unbounded exponent); claims decided by outward-rounded interval enclosures, and exactly wherever they do not separate (rational arithmetic, certified eigenvalue enclosures, Sylvester\'s criterion for S)',
      outcomes,
      totals: totals(outcomes),
    };
    const file = name === 'minimalist' ? 'reports/verification.json' : `reports/verification-${name}.json`;
    writeAtomic(file, reportJson(report));
    // The definitions are in the JSON report; after vitest's output only the table and its notes.
    process.stdout.write(`\n${name === 'minimalist' ? '' : `model pack ${name}\n`}` + formatTable(report, { definitions: false }) + `\n(each lemma as checked, with its file's sha256: ${file})\n`);
  }
}

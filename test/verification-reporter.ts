import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { Outcome } from '../src/check/outcome.js';
import { formatTable } from '../src/report/table.js';
import { reportJson } from '../src/report/report.js';
import { loadPack } from '../src/model/pack.js';
import { deriveModel } from '../src/symbolic/derive.js';
import { DEFAULT_SEED } from '../src/check/catalogue.js';
import { makeReport, writeAtomic } from '../src/cli/verify.js';

/** Prints the per-lemma verification table after vitest's own output and writes reports/verification.json. */
export default class VerificationReporter implements Reporter {
  private outcomes = new Map<string, { outcome: Outcome; order: [number, number] }[]>();

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta();
    if (!meta.outcome) return;
    const pack = meta.pack ?? 'minimalist';
    if (!this.outcomes.has(pack)) this.outcomes.set(pack, []);
    this.outcomes.get(pack)!.push({ outcome: meta.outcome, order: meta.order ?? [0, 0] });
  }

  /** One table and one JSON report per model pack: reports/verification.json for the default pack, verification-<pack>.json for the others. */
  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    for (const name of [...this.outcomes.keys()].sort((a, b) => (a === 'minimalist' ? -1 : b === 'minimalist' ? 1 : a.localeCompare(b)))) this.write(name, this.outcomes.get(name)!);
  }

  private write(name: string, list: { outcome: Outcome; order: [number, number] }[]): void {
    const pack = loadPack(name);
    // Catalogue order (file, then the lemma's place in it), as `eos-check report` lists them.
    const outcomes = [...list].sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]).map((x) => x.outcome);
    // The construction `eos-check report` uses, so the two reports have the same fields.
    const report = makeReport(outcomes, pack, deriveModel(pack.spec), Number(process.env.EOS_SEED ?? DEFAULT_SEED), 1, 'extended', false);
    const file = name === 'minimalist' ? 'reports/verification.json' : `reports/verification-${name}.json`;
    writeAtomic(file, reportJson(report));
    // The definitions are in the JSON report; after vitest's output only the table and its notes.
    process.stdout.write(`\n${name === 'minimalist' ? '' : `model pack ${name}\n`}` + formatTable(report, { definitions: false }) + `\n(each lemma as checked, with its file's sha256: ${file})\n`);
  }
}

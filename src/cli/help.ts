import { SWEEP_HELP } from './sweep.js';
import { TRAJECTORY_USAGE } from './trajectory.js';
import { REPORT_USAGE, VERIFY_USAGE } from './verify.js';
import { MODELS_USAGE } from './models.js';

/**
 * `eos-check <command> --help` and `eos-check help <command>`: what the command does and every option
 * with its default. Printed to stdout, exit 0.
 */
const MODEL = `  --model NAME|path   the model pack (eos-check models lists them), a pack folder, its pack.json, or a bare model.json
                      (default: minimalist)`;

const RUN_OPTIONS = `  --seed S            the report seed; each lemma's seed is derived from it and its id (default 20250304)
  --runs N            random draws per lemma (default: the lemma's own runs, times --budget)
  --budget B          multiplies every lemma's runs (default: 1 for verify, 3 for report)
  --arith A           extended (default: float64 mantissa, unbounded exponent) or float64
  --exact-all         decide every comparison in exact arithmetic, skipping the float filter
  --jobs J            worker threads (default: 1 for verify, one per core for report)
  --json              print the report as JSON instead of the table
  --out FILE          write the JSON report (default: none for verify, reports/verification-full.json for report)
  --html FILE         also write the self-contained HTML page; --run adds a GD run to it (repeatable)
  --shard k/n         run every n-th unit (block of draws) starting at k, to --out; merge with eos-check report merge`;

export const HELP: Record<string, string> = {
  trajectory: `${TRAJECTORY_USAGE}

One gradient-descent trajectory of a model and its summary (max and final eta S, loss increases, the pack's
instability step, flow-invariant rises decided exactly, GFS sharpness, EoS intervals, underflow, divergence).

${MODEL}
  --eta E, --HYPER V  the hyperparameters, one option per hyperparameter of the model (required unless the pack
                      gives a default); --hyper NAME=V works for any of them
  --init p1,p2,...    the start, one number per parameter (required unless the pack gives a default)
  --steps N           GD steps (default 1000)
  --arith A           extended (default) or float64
  --every K           also print every K-th step as a JSON line
  --json              print the summary as JSON`,
  verify: `${VERIFY_USAGE}

Checks lemma files (default: the model pack's catalogue) and prints the per-lemma table: PROVED, VERIFIED,
FALSIFIED (with a replayable counterexample), VACUOUS, UNDECIDED or ERROR.

${MODEL}; all: every pack in turn, each to its own table
  --id ID             only the lemma with this id
  --path P            replay one fast-check path (as printed with a counterexample)
  --replay FILE ID    reproduce the counterexample FILE (a JSON report) recorded for lemma ID
${RUN_OPTIONS}`,
  report: `${REPORT_USAGE}

The main job: the catalogue at 3x the test budget on one worker thread per core, written to
reports/verification-full.json (reports/verification-full-<pack>.json for the other packs).

${MODEL}; all: every pack in turn (what npm run report does)
  --from FILE         with --html: rebuild the page from a JSON report without verifying
${RUN_OPTIONS}`,
  sweep: SWEEP_HELP,
  models: `${MODELS_USAGE}

Lists the registered model packs (models/<name>/): parameters, hyperparameters, loss, quantities, dynamics, claims,
lemma files and reference runs.

  --json              the same as JSON`,
};

export function helpFor(command: string): string | undefined {
  return HELP[command];
}

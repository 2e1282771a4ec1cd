// Every command's usage and help text, in a module that imports nothing heavy: `eos-check --help` and
// `<command> --help` must answer without loading the symbolic core (mathjs, nerdamer, Z3).
import { DIVERGED_LOG10 } from '../dynamics/divergence.js';
import { MAX_CELLS_PER_SHARD, MAX_STEPS } from '../sweep/grid.js';
import { DEFAULT_CATAPULT, DEFAULT_TOL, MAX_SVG_CELLS } from '../sweep/limits.js';

export const TRAJECTORY_USAGE = `eos-check trajectory [--model NAME|path] [--eta E] [--HYPER V ...] [--init p1,p2,...] [--steps N] [--arith extended|float64] [--json] [--every K] [--certified] [--hyper name=value ...]
  (one --HYPER per hyperparameter of the model, or --hyper NAME=V; eos-check models lists each model's; what is not
  given comes from the pack's defaults, so eos-check trajectory --model NAME alone runs the pack's default run)`;

const HTML_USAGE = `[--html page.html [--run eta=E,HYPER=V,...,init=p1:p2:...[,steps=N][,name=NAME][,arith=float64] ...]]`;
export const VERIFY_USAGE = `eos-check verify [lemma-file ...] [--model NAME|path|all] [--id ID] [--seed S] [--runs N] [--budget B] [--arith extended|float64] [--exact-all] [--path P] [--jobs J] [--json] [--wide] [--allow-code] [--out report.json] ${HTML_USAGE}
  eos-check verify --replay report.json LEMMA-ID   (reproduce the counterexample recorded in a report)`;
export const REPORT_USAGE = `eos-check report [--model NAME|path|all] [--seed S] [--budget B] [--jobs J] [--wide] [--allow-code] [--out reports/verification-full.json] ${HTML_USAGE}   (the whole catalogue; default budget 3)
  eos-check report|verify ... --shard k/n --out shard-k.json   (run shard k of n: every n-th block of draws, in catalogue order)
  eos-check report merge shard-1.json ... shard-n.json [--out report.json] [--json] [--wide] [--allow-code]   (the report of the unsharded run, byte for byte)
  eos-check report --html page.html --from report.json [--run ...]   (rebuild the HTML page from a JSON report, without verifying)`;

export const SWEEP_USAGE = `eos-check sweep [--model NAME|path] --x NAME=MIN:MAX:N[:log] --y NAME=MIN:MAX:N[:log] [--eta E] [--HYPER V ...] [--hyper NAME=V ...] --init p1,p2,... [--steps N] [--arith extended|float64] [--tol R] [--catapult K] [--workers N] [--shard k/n] [--out sweep.csv|sweep.json] [--svg phase.svg]
  eos-check sweep merge SHARD.json|SHARD.csv ... --out all.csv|all.json [--svg phase.svg]   (see eos-check sweep --help)`;

export const SWEEP_HELP = `${SWEEP_USAGE.replace('  eos-check sweep merge', 'eos-check sweep merge')}

A phase diagram: one gradient-descent trajectory of the model (--model, default the minimalist pack) per
cell of a grid over two of its hyperparameters and start values. Every other value is fixed: give the
hyperparameters not swept as --eta/--HYPER (one option per hyperparameter of the model; eos-check models
lists them), and the start as --init, with _ in the place of a swept start value (for the minimalist
model with three parameters, e.g. --y NAME=1e-6:1e-1:30:log --init 1,_,0 sweeps the second). What is not
given comes from the pack's defaults (pack.json "defaults": hyperparameters, start, steps); a bare
model.json has none.

Axes: NAME=MIN:MAX:N is N points from MIN to MAX, both included, evenly spaced (linear) or evenly in
log10 (suffix :log, MIN > 0). Cell k has ix = k mod Nx, iy = floor(k / Nx).

Classes, decided from the trajectory theta_0..theta_T (T = --steps, default: the pack's defaults.steps,
minimalist 6000), the first that applies:
  divergence     a parameter beyond 10^${DIVERGED_LOG10} in absolute value, or L or the sharpness S not finite
  catapult       L_t > K * L_0 at some t (K = --catapult, default ${DEFAULT_CATAPULT})
  eos            L_t <= K * L_0 throughout, and eta * S_t >= 2 at some t
  not-converged  L_t <= K * L_0 and eta * S_t < 2 throughout, and L_T > R * L_0 (R = --tol, default ${DEFAULT_TOL})
  stable         converged (L_T <= R * L_0), L_t <= K * L_0 and eta * S_t < 2 throughout
Whether the run converged is a column of its own (converged), so an eos or catapult cell still on its way
down at the last step keeps its class (the figure hatches it).
K = 10, not 1: the self-stabilizing EoS cycles of run R1 (PAPER.md) lift the loss to 8.9 L_0, the one
catapult of run R2 to 40 L_0. Each row keeps log10 max_t L_t/L_0, so another K can be applied afterwards.

Per cell: the class, whether it converged, max_t eta*S_t - 2 and its step, final eta*S, final L (and log10), log10 max L_t/L_0,
the number of loss increases, steps run, the step of divergence, float64 underflow.
Arithmetic: extended exponent by default (plain float64 is not faithful on the minimalist model: PAPER.md run R3).

--workers N   worker threads (default: available parallelism); cells are handed out in small batches.
--shard k/n   run only the cells k-1, k-1+n, k-1+2n, ... (so shards have similar cost); merge the shard
              files with "eos-check sweep merge", which checks they share one grid and cover it exactly once.
--out F       .csv or .json, written as cells finish to F.tmp and renamed when complete (Ctrl-C removes it).
--svg F       the phase diagram, 900 px wide: classes and max eta*S side by side (the band 2..2.5 spread
              over half the colour scale; at most ${MAX_SVG_CELLS} cells).
Limits: at most ${MAX_STEPS} steps per cell and ${MAX_CELLS_PER_SHARD} cells per shard.`;

export const MODELS_USAGE = `eos-check models [--json]   (the registered model packs: what --model takes)`;

export const CHECK_CERTIFICATE_USAGE = `eos-check check-certificate report.json [--id ID]   (re-check the region-proof and reachability certificates of a JSON report)`;


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
  --wide              the table with every column (claim, provenance, expect, premise, worst slack, defect, seed);
                      by default it has six and fits 100 columns (shortened cells end in or contain …)
  --allow-code        load lemma files that are code (.ts .mts .js .mjs) from outside the package's own lemmas/
                      folder: loading one runs it with your rights. JSON and YAML lemma files are data and need
                      no flag. Without it such files are refused (exit 2) before anything is loaded
  --out FILE          write the JSON report (default: none for verify, reports/verification-full.json for report)
  --html FILE         also write the self-contained HTML page; --run adds a GD run to it (repeatable)
  --shard k/n         run every n-th unit (block of draws) starting at k, to --out; merge with eos-check report merge`;

export const HELP: Record<string, string> = {
  trajectory: `${TRAJECTORY_USAGE}

One gradient-descent trajectory of a model and its summary (max and final eta S, loss increases, the pack's
instability step, flow-invariant rises decided exactly, GFS sharpness, EoS intervals, underflow, divergence).

${MODEL}
  --eta E, --HYPER V  the hyperparameters, one option per hyperparameter of the model (default: the pack's
                      "defaults"; required where it has none); --hyper NAME=V works for any of them
  --init p1,p2,...    the start, one number per parameter (default: the pack's; required where it has none).
                      A negative value may follow its option: --init -1,0.5,0.3,-0.5 is --init=-1,0.5,0.3,-0.5
  --steps N           GD steps (default: the pack's, else 1000)
  --arith A           extended (default) or float64
  --every K           also print every K-th step as a JSON line
  --certified         also enclose the TRUE orbit from the exact start (dyadic intervals, outward rounding; at most
                      4096 bits) and certify the summary over every step: max eta S (an interval) and its step (or
                      the steps it cannot be told from), the first step of the pack's instability, and the final
                      parameters, L, S and eta S. An undecided decision doubles the precision (up to 2048 bits)
  --json              print the summary as JSON`,
  verify: `${VERIFY_USAGE}

Checks lemma files (default: the model pack's catalogue) and prints each lemma as checked (file, sha256,
definition), then the per-lemma table: PROVED, VERIFIED, FALSIFIED (with a replayable counterexample),
VACUOUS or UNDECIDED (with where, why and a suggestion), or ERROR. On a terminal (and without CI) stderr
shows the overall progress: lemmas done, blocks of draws, iterates, elapsed time and an ETA.

${MODEL}; all: every pack in turn, each to its own table
  --id ID             only the lemma with this id
  --path P            replay one fast-check path (as printed with a counterexample)
  --replay FILE ID    reproduce the counterexample FILE (a JSON report) recorded for lemma ID, from any directory:
                      the lemma file is found at the absolute path the report recorded (else in the pack's
                      catalogue) and refused if its sha256 differs from the report's
${RUN_OPTIONS}`,
  report: `${REPORT_USAGE}

The catalogue at 3x the test budget (by default) on one worker thread per core, written to
reports/verification-full.json (reports/verification-full-<pack>.json for the other packs). The main job,
npm run report, runs every pack at 30x: eos-check report --model all --budget 30.

${MODEL}; all: every pack in turn (what npm run report does)
  --from FILE         with --html: rebuild the page from a JSON report without verifying
${RUN_OPTIONS}`,
  sweep: SWEEP_HELP,
  models: `${MODELS_USAGE}

Lists the registered model packs (models/<name>/): parameters, hyperparameters, loss, quantities, dynamics, claims,
lemma files and reference runs.

  --json              the same as JSON`,
  'check-certificate': `${CHECK_CERTIFICATE_USAGE}

Re-checks every region-proof certificate of a JSON report (the regionCertificate field of a PROVED row, written
by verify/report --out) with exact rational interval arithmetic, through code that shares nothing with the
prover's evaluation except the expression parser (src/certificate/). For each certificate: the split tree's
leaves cover the region (every split point strictly inside its box; the leaf count is the certificate's boxes);
at each leaf, every sharpness bound holds on the box (the Rayleigh quotient of v is >= lo; hi I - H is positive
definite by Sylvester's criterion on the interval matrix), and then either the named premise is false (or
undefined) on the whole box, or every statement holds on the whole box (or is undefined on all of it), by
natural interval evaluation or, where the leaf says centered, also the mean-value form of rhs - lhs.
Then every reachability certificate (the reachCertificate field of a row decided on boxes of starts, PROVED
or with a proved share), labelled "ID / reach", with the checker's own orbit enclosures (a zonotope per box,
the mean-value form with a Jacobian it differentiates itself; the hyperparameters are coordinates the step
keeps): the leaves' paths and boxes tile the hypothesis box exactly (every split at a midpoint; the volumes add
up to 1) and give the fractions the row states; the step expressions are param - eta dL/dparam of the loss
(by expansion, where it is a polynomial); every 'outside' leaf fails a where relation at every point; every
'proved' leaf's orbits satisfy the statement at every asserted step through T; an 'entered' leaf's until its
step, where they lie in the invariant set (relying on the set's consecution and use obligations, which must be
proved in the row: their region certificates are checked in the same run); a 'left' leaf's until every orbit
fails an along hypothesis. A leaf it cannot decide whole it halves, at most 64 boxes per leaf. Open and
refuted leaves claim nothing and are not re-checked.
Prints one line per certificate: id, leaves checked, ok or FAILED with the first failure (a region leaf's path
from the root, e.g. lo.hi.lo, or a reach leaf's path of 0/1 digits, what failed, the step and the box). Loads
neither Z3 nor the prover.

  --id ID             only the row with this id (it must have a regionCertificate or a reachCertificate)
Exit status: 0 when every checked certificate holds (at least one checked), 1 when one fails, 2 on bad input
(missing or unreadable file, not a report, unknown id, no certificate to check).`,
};

export function helpFor(command: string): string | undefined {
  return HELP[command];
}

import { UsageError } from './args.js';
import { trajectoryCommand, TRAJECTORY_USAGE } from './trajectory.js';
import { reportCommand, REPORT_USAGE, verifyCommand, VERIFY_USAGE } from './verify.js';
import { sweepCommand, SWEEP_USAGE } from './sweep.js';
import { modelsCommand, MODELS_USAGE } from './models.js';
import { ExprError } from '../symbolic/expr.js';
import { InputError } from '../dynamics/gd.js';
import { DerivationError } from '../symbolic/derive.js';

const USAGE = `usage:
  ${TRAJECTORY_USAGE}
  ${VERIFY_USAGE}
  ${REPORT_USAGE}
  ${SWEEP_USAGE}
  ${MODELS_USAGE}`;

type Command = (argv: string[], out: (s: string) => void, err: (s: string) => void) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  trajectory: trajectoryCommand,
  verify: verifyCommand,
  report: reportCommand,
  sweep: sweepCommand,
  models: modelsCommand,
};

/** Runs a command; bad input is one line on stderr and exit code 2, never a stack trace. */
export async function main(argv: string[], out: (s: string) => void = (s) => console.log(s), err: (s: string) => void = (s) => console.error(s)): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    err(`eos-check: no command given\n${USAGE}`);
    return 2;
  }
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    out(USAGE);
    return 0;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    err(`eos-check: unknown command "${cmd}"\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest, out, err);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ExprError || e instanceof InputError || e instanceof DerivationError) {
      err(`eos-check ${cmd}: ${e.message}`);
      return 2;
    }
    err(`eos-check ${cmd}: internal error: ${(e as Error).message}`);
    return 1;
  }
}

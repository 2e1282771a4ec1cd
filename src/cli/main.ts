import { UsageError } from './args.js';
import { trajectoryCommand, TRAJECTORY_USAGE } from './trajectory.js';
import { reportCommand, REPORT_USAGE, verifyCommand, VERIFY_USAGE } from './verify.js';
import { sweepCommand, SWEEP_USAGE } from './sweep.js';
import { modelsCommand, MODELS_USAGE } from './models.js';
import { helpFor } from './help.js';
import { VERSION } from './version.js';
import { didYouMean, ExprError } from '../symbolic/expr.js';
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
  if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
    out(VERSION);
    return 0;
  }
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      out(`${USAGE}\n\neos-check help <command> (or <command> --help) explains a command and each of its options.`);
      return 0;
    }
    const text = helpFor(topic);
    if (text === undefined) {
      err(`eos-check help: unknown command "${topic}"${didYouMean(topic, Object.keys(COMMANDS))}; commands: ${Object.keys(COMMANDS).join(', ')}`);
      return 2;
    }
    out(text);
    return 0;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    err(`eos-check: unknown command "${cmd}"${didYouMean(cmd, Object.keys(COMMANDS))}\n${USAGE}`);
    return 2;
  }
  // <command> --help anywhere before a "--": the command's help, never an "unknown option".
  const dashdash = rest.indexOf('--');
  if ((dashdash < 0 ? rest : rest.slice(0, dashdash)).some((a) => a === '--help' || a === '-h')) {
    out(helpFor(cmd)!);
    return 0;
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

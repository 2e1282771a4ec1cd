import { didYouMean } from '../model/did-you-mean.js';
import { CHECK_CERTIFICATE_USAGE, helpFor, MODELS_USAGE, REPORT_USAGE, SWEEP_USAGE, TRAJECTORY_USAGE, VERIFY_USAGE } from './help.js';
import { VERSION } from './version.js';

const USAGE = `usage:
  ${TRAJECTORY_USAGE}
  ${VERIFY_USAGE}
  ${REPORT_USAGE}
  ${SWEEP_USAGE}
  ${MODELS_USAGE}
  ${CHECK_CERTIFICATE_USAGE}`;

type Command = (argv: string[], out: (s: string) => void, err: (s: string) => void) => Promise<number>;

// Each command's module is loaded only when it runs: --help and --version load none of them (and so no
// mathjs, nerdamer or Z3).
const COMMANDS: Record<string, () => Promise<Command>> = {
  trajectory: async () => (await import('./trajectory.js')).trajectoryCommand,
  verify: async () => (await import('./verify.js')).verifyCommand,
  report: async () => (await import('./verify.js')).reportCommand,
  sweep: async () => (await import('./sweep.js')).sweepCommand,
  models: async () => (await import('./models.js')).modelsCommand,
  'check-certificate': async () => (await import('./check-certificate.js')).checkCertificateCommand,
};

/** Bad input (by the error's name, so that this module need not load the modules that throw them). */
const USER_ERRORS = new Set(['UsageError', 'ExprError', 'InputError', 'DerivationError']);

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
  const load = COMMANDS[cmd];
  if (!load) {
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
    return await (await load())(rest, out, err);
  } catch (e) {
    if (e instanceof Error && USER_ERRORS.has(e.name)) {
      err(`eos-check ${cmd}: ${e.message}`);
      return 2;
    }
    err(`eos-check ${cmd}: internal error: ${(e as Error).message}`);
    return 1;
  }
}

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../model/did-you-mean.js';

/** A bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A value that begins like a negative number: -1, -0.5, -.5, -1e-3, and a comma list that starts with one (-1,0.5). */
const NEGATIVE_VALUE = /^-(\d|\.\d)/;

/**
 * Node's parseArgs refuses `--init -1,0.5` ("argument is ambiguous": the value starts with a dash). A
 * string-typed option (long `--name` without `=`, or its short `-n`) followed by an argument that begins
 * like a negative number takes it as its value, as `--name=-1,0.5` would. Nothing else changes: a
 * boolean option is never given a value, an argument that begins with a dash and a letter (a real
 * option) is left alone, and nothing after a `--` terminator is touched.
 */
export function joinNegativeValues(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const stringShort = new Map<string, string>();
  for (const [name, o] of Object.entries(options)) if (o.type === 'string' && o.short) stringShort.set(o.short, name);
  const takesString = (a: string): string | undefined => {
    if (a.startsWith('--')) {
      const name = a.slice(2);
      return name.length > 0 && !name.includes('=') && options[name]?.type === 'string' ? name : undefined;
    }
    return a.length === 2 && a[0] === '-' ? stringShort.get(a[1]!) : undefined;
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const name = takesString(a);
    const next = argv[i + 1];
    if (name !== undefined && next !== undefined && NEGATIVE_VALUE.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>, allowPositionals = false): { values: Record<string, any>; positionals: string[] } {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals });
  } catch (e) {
    const err = e as Error & { code?: string };
    const unknown = /^Unknown option '(-{1,2}[^']+)'/.exec(err.message);
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
      const name = unknown[1]!.replace(/^-+/, '').replace(/=.*$/, '');
      throw new UsageError(`unknown option --${name}${didYouMean(name, Object.keys(options)).replace('"', '"--')}; see --help for the options`);
    }
    if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`${err.message.split('\n')[0]!.replace(/\. To specify.*$/, '')}; this command takes no positional arguments (see --help)`);
    throw new UsageError(err.message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, ''));
  }
}

/** A decimal number given on the command line (rejects '', '1.2.3', 'abc', NaN, Infinity). */
export function numberArg(name: string, text: string | undefined, required = true): number | undefined {
  if (text === undefined) {
    if (required) throw new UsageError(`--${name} is required`);
    return undefined;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) throw new UsageError(`--${name} expects a number, got "${text}"`);
  const v = Number(text);
  if (!Number.isFinite(v)) throw new UsageError(`--${name} must be finite, got "${text}"`);
  return v;
}

export function intArg(name: string, text: string | undefined, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return dflt;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--${name} expects a whole number, got "${text}"`);
  const v = Number(text);
  if (v < min || v > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${v}`);
  return v;
}

export function listArg(name: string, text: string | undefined, length: number): number[] {
  if (text === undefined) throw new UsageError(`--${name} is required`);
  const parts = text.split(',');
  if (parts.length !== length) throw new UsageError(`--${name} expects ${length} comma-separated numbers, got ${parts.length}`);
  return parts.map((p, i) => numberArg(`${name}[${i}]`, p)!);
}

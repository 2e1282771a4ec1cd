import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../model/did-you-mean.js';

/** A bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>, allowPositionals = false): { values: Record<string, any>; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
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

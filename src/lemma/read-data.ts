import { parseDocument, visit, type YAMLError } from 'yaml';
import { oneLine } from './errors.js';

/**
 * Lemma files that are data (one lemma object, or a list of them), read and never executed. Any case:
 * a file the CLI lets through as data (src/cli/verify.ts, --allow-code) must never be imported.
 */
export const DATA_LEMMA_FILE = /\.(json|ya?ml)$/i;

/** A data file that does not parse: every syntax error found, each with its line and column. */
export class DataSyntaxError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('\n'));
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

function describe(e: YAMLError, text: string, language: string): string {
  const [line, col] = [e.linePos?.[0].line, e.linePos?.[0].col];
  const at = line !== undefined ? `line ${line}, column ${col}` : lineColumn(text, e.pos[0]);
  if (e.code === 'DUPLICATE_KEY') {
    // The error points at the key's first character only.
    const key = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:,{}[\]]+)/.exec(text.slice(e.pos[0]))?.[1] ?? '';
    return `duplicate key ${key} at ${at} (each key once)`;
  }
  if (e.code === 'MULTIPLE_DOCS') return `several YAML documents (---), the second at ${at}: put the lemmas in one list instead`;
  // The library's message ends with its own position and a code excerpt; the position is said once, first.
  const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace('tag:yaml.org,2002:', '!!');
  if (e.code === 'TAG_RESOLVE_FAILED') return `not valid ${language} at ${at}: ${message} (lemma files are plain data: no custom tags)`;
  return `not valid ${language} at ${at}: ${message}`;
}

function lineOf(e: YAMLError, text: string): number {
  return e.linePos?.[0].line ?? text.slice(0, e.pos[0]).split('\n').length;
}

/** "line 3", "lines 3-14", "lines 4-5, 7". */
function linesText(lines: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    runs.push(j === i ? `${lines[i]}` : `${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
  return `${lines.length === 1 ? 'line' : 'lines'} ${runs.join(', ')}`;
}

/**
 * The problems of a YAML text that does not parse. A line indented with a tab derails the parser: it
 * reports every token after it (a dozen errors or more), none of which says "tab". When an error falls
 * on such a line, the tabs are one problem naming the lines, and the errors from the first of them on
 * are dropped (their cascade); an error before it is independent and kept. A tab where YAML allows one
 * (inside a block scalar, before a comment) makes no error, so is never reported.
 */
function yamlProblems(errors: readonly YAMLError[], text: string): string[] {
  const tabbed = new Set<number>();
  text.split('\n').forEach((l, i) => {
    if (/^[ \t]*\t[ \t]*[^\s#]/.test(l)) tabbed.add(i + 1);
  });
  const tabErrors = errors.filter((e) => e.code === 'TAB_AS_INDENT' || tabbed.has(lineOf(e, text)));
  if (tabErrors.length === 0) return errors.map((e) => describe(e, text, 'YAML'));
  const first = Math.min(...tabErrors.map((e) => lineOf(e, text)));
  const lines = [...new Set([...[...tabbed].filter((l) => l >= first), ...tabErrors.map((e) => lineOf(e, text))])].sort((a, b) => a - b);
  return [
    ...errors.filter((e) => lineOf(e, text) < first).map((e) => describe(e, text, 'YAML')),
    `tabs are not allowed in YAML indentation (${linesText(lines)}): indent with spaces`,
  ];
}

/**
 * YAML in the core schema (YAML 1.2: no timestamps, no custom types), duplicate keys refused. A tag
 * the schema does not know is a warning to the library and an error here: it would silently become
 * a string.
 */
function readYaml(text: string): unknown {
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true, merge: false, prettyErrors: true });
  const errors = [...doc.errors, ...doc.warnings];
  if (errors.length > 0) throw new DataSyntaxError(yamlProblems(errors, text));
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // An alias without its anchor, or too many aliases (exponential growth), only shows here.
    let at = '';
    visit(doc, {
      Alias(_, node) {
        if (at === '' && node.resolve(doc) === undefined && node.range) at = ` at ${lineColumn(text, node.range[0])}`;
      },
    });
    throw new DataSyntaxError([`not valid YAML${at}: ${oneLine((e as Error).message)}`]);
  }
}

/**
 * Where a JSON text stops being JSON: the first character that cannot continue it (its length when it
 * ends early). JSON.parse says where for most errors, but not for an unexpected token (a bare NaN,
 * Infinity, undefined, a trailing comma) nor an early end; this finds it, as JSON.parse would.
 * undefined if it finds no error (it only runs after JSON.parse found one).
 */
function jsonErrorOffset(text: string): number | undefined {
  const STOP = {};
  let i = 0;
  const stop = (): never => {
    throw STOP;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const digits = () => {
    if (!/[0-9]/.test(text[i] ?? '')) stop();
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const string = () => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') stop();
      if (c === '"') return void i++;
      if (c === '\\') {
        i++;
        if (text[i] === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) stop();
          }
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) stop();
      }
      i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        ws();
        if (close === '}') {
          if (text[i] !== '"') stop();
          string();
          ws();
          if (text[i] !== ':') stop();
          i++;
        }
        value();
        ws();
        if (text[i] === close) return void i++;
        if (text[i] !== ',') stop();
        i++;
      }
    }
    if (c === '"') return string();
    if (c === '-' || /[0-9]/.test(c ?? '')) {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else digits();
      if (text[i] === '.') (i++, digits());
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        digits();
      }
      return;
    }
    const literal = ['true', 'false', 'null'].find((w) => w[0] === c);
    if (!literal) stop();
    for (const ch of literal!) {
      if (text[i] !== ch) stop();
      i++;
    }
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (e) {
    if (e === STOP) return i;
    return undefined; // nested too deep for this scan
  }
}

/** A JSON syntax error as one line, with its line and column (JSON.parse's message, its own position dropped). */
function jsonSyntaxError(text: string, message: string): string {
  const pos = /at position (\d+)/.exec(message);
  const offset = pos ? Number(pos[1]) : jsonErrorOffset(text);
  // V8 quotes the text around an unexpected token (line breaks and all): the position says where.
  const what = oneLine(message.replace(/ in JSON at position \d+[\s\S]*$/, '').replace(/, (?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, ''));
  const nonNumber = offset !== undefined && /^-?(?:NaN|Infinity)/.test(text.slice(text[offset - 1] === '-' ? offset - 1 : offset));
  const hint = nonNumber ? ' (JSON has no NaN or Infinity: write a finite number)' : '';
  return offset === undefined ? `not valid JSON: ${what}${hint}` : `not valid JSON at ${lineColumn(text, offset)}: ${what}${hint}`;
}

/** JSON.parse takes the last of two equal keys silently; they are refused, as in YAML. */
function readJson(text: string): unknown {
  if (text.trim() === '') throw new DataSyntaxError(['not valid JSON at line 1, column 1: the file is empty (write one lemma object, or a list of them)']);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DataSyntaxError([jsonSyntaxError(text, (e as Error).message)]);
  }
  // Valid JSON is YAML 1.2, so the YAML parser finds the duplicate keys (and only they are taken from it).
  const dups = parseDocument(text, { uniqueKeys: true }).errors.filter((e) => e.code === 'DUPLICATE_KEY');
  if (dups.length > 0) throw new DataSyntaxError(dups.map((e) => describe(e, text, 'JSON')));
  return value;
}

export function readDataLemmas(path: string, text: string): unknown {
  return /\.json$/i.test(path) ? readJson(text) : readYaml(text);
}

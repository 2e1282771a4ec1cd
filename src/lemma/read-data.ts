import { parseDocument, visit, type YAMLError } from 'yaml';

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

/**
 * YAML in the core schema (YAML 1.2: no timestamps, no custom types), duplicate keys refused. A tag
 * the schema does not know is a warning to the library and an error here: it would silently become
 * a string.
 */
function readYaml(text: string): unknown {
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true, merge: false, prettyErrors: true });
  const errors = [...doc.errors, ...doc.warnings];
  if (errors.length > 0) throw new DataSyntaxError(errors.map((e) => describe(e, text, 'YAML')));
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
    throw new DataSyntaxError([`not valid YAML${at}: ${(e as Error).message}`]);
  }
}

/** JSON.parse takes the last of two equal keys silently; they are refused, as in YAML. */
function readJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /at position (\d+)/.exec(msg);
    throw new DataSyntaxError([pos ? `not valid JSON at ${lineColumn(text, Number(pos[1]))}: ${msg.replace(/ in JSON at position \d+.*$/, '')}` : `not valid JSON: ${msg}`]);
  }
  // Valid JSON is YAML 1.2, so the YAML parser finds the duplicate keys (and only they are taken from it).
  const dups = parseDocument(text, { uniqueKeys: true }).errors.filter((e) => e.code === 'DUPLICATE_KEY');
  if (dups.length > 0) throw new DataSyntaxError(dups.map((e) => describe(e, text, 'JSON')));
  return value;
}

export function readDataLemmas(path: string, text: string): unknown {
  return /\.json$/i.test(path) ? readJson(text) : readYaml(text);
}

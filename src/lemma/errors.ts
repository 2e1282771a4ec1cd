/** One problem of a lemma: which lemma of the file, which field, what is wrong. */
export interface LemmaProblem {
  lemmaId: string | undefined;
  field: string;
  detail: string;
}

const BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * A message on one line: each line break, with the indentation around it, becomes one space. The text
 * report lists one problem per line (and a line per problem in LemmaError's message), so no problem may
 * span lines: messages of a parser, a compiler or a lemma file's own `throw` often do.
 */
export function oneLine(text: string): string {
  return text.replace(/[ \t]*(?:\r\n|[\r\n\u2028\u2029])\s*/g, ' ').trim();
}

/** A name written by the lemma's author (a key, an expression) on one line: its line breaks shown as \n. */
export function escapeBreaks(text: string): string {
  return text.replace(BREAK, (b) => ({ '\r\n': '\\r\\n', '\r': '\\r', '\n': '\\n', '\u2028': '\\u2028', '\u2029': '\\u2029' })[b]!);
}

function line(file: string, p: LemmaProblem): string {
  return `${file}${p.lemmaId ? ` [${p.lemmaId}]` : ''}: ${p.field}: ${p.detail}`;
}

/** Every problem on one line: the field is a key as written (its breaks escaped), the detail prose. */
function single(p: LemmaProblem): LemmaProblem {
  return { lemmaId: p.lemmaId === undefined ? undefined : escapeBreaks(p.lemmaId), field: escapeBreaks(p.field), detail: oneLine(p.detail) };
}

/**
 * A lemma that cannot run: names the file, the lemma and the field. It carries every independent
 * problem found (a writer fixes them in one round, not one per run); `field` and `detail` are the
 * first one's, and the message lists them all, one per line, each naming file, lemma and field.
 * Each problem is one line (line breaks in a field or a detail are escaped or joined here, the last
 * guard: the readers and the expression parser already write them on one line).
 */
export class LemmaError extends Error {
  readonly problems: readonly LemmaProblem[];
  readonly lemmaId: string | undefined;
  readonly field: string;
  readonly detail: string;

  constructor(
    readonly file: string,
    lemmaId: string | undefined,
    field: string,
    detail: string,
    problems?: readonly LemmaProblem[],
  ) {
    const list = (problems && problems.length > 0 ? problems : [{ lemmaId, field, detail }]).map(single);
    const first = single({ lemmaId, field, detail });
    super(list.map((p) => line(escapeBreaks(file), p)).join('\n'));
    this.problems = list;
    this.lemmaId = first.lemmaId;
    this.field = first.field;
    this.detail = first.detail;
    this.name = 'LemmaError';
  }

  static of(file: string, problems: readonly LemmaProblem[]): LemmaError {
    const first = problems[0];
    if (!first) throw new Error('LemmaError.of needs at least one problem');
    return new LemmaError(file, first.lemmaId, first.field, first.detail, problems);
  }
}

/** One problem of a lemma: which lemma of the file, which field, what is wrong. */
export interface LemmaProblem {
  lemmaId: string | undefined;
  field: string;
  detail: string;
}

function line(file: string, p: LemmaProblem): string {
  return `${file}${p.lemmaId ? ` [${p.lemmaId}]` : ''}: ${p.field}: ${p.detail}`;
}

/**
 * A lemma that cannot run: names the file, the lemma and the field. It carries every independent
 * problem found (a writer fixes them in one round, not one per run); `field` and `detail` are the
 * first one's, and the message lists them all, one per line, each naming file, lemma and field.
 */
export class LemmaError extends Error {
  readonly problems: readonly LemmaProblem[];

  constructor(
    readonly file: string,
    readonly lemmaId: string | undefined,
    readonly field: string,
    readonly detail: string,
    problems?: readonly LemmaProblem[],
  ) {
    const list = problems && problems.length > 0 ? problems : [{ lemmaId, field, detail }];
    super(list.map((p) => line(file, p)).join('\n'));
    this.problems = list;
    this.name = 'LemmaError';
  }

  static of(file: string, problems: readonly LemmaProblem[]): LemmaError {
    const first = problems[0];
    if (!first) throw new Error('LemmaError.of needs at least one problem');
    return new LemmaError(file, first.lemmaId, first.field, first.detail, problems);
  }
}

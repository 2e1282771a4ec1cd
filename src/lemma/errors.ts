/** A problem with a lemma file: names the file, the lemma and the field. */
export class LemmaError extends Error {
  constructor(
    readonly file: string,
    readonly lemmaId: string | undefined,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}${lemmaId ? ` [${lemmaId}]` : ''}: ${field}: ${detail}`);
    this.name = 'LemmaError';
  }
}

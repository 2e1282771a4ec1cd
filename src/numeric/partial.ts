/**
 * Partial operations (sqrt of a negative, division by zero, log of a non-positive number) have one
 * semantics in every evaluator: the term is undefined there. An evaluator that can tell for certain
 * throws CertainlyUndefined; one whose enclosure only might leave the domain throws MaybeUndefined,
 * and the caller decides with a sharper evaluator (exact arithmetic) or reports undecided.
 */
export class CertainlyUndefined extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'CertainlyUndefined';
  }
}

export class MaybeUndefined extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'MaybeUndefined';
  }
}

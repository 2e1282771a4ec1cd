import type { DerivedModel } from '../symbolic/derive.js';

export class InputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InputError';
  }
}

/** Validate hyperparameters and start: every value finite, eta > 0, lengths right. */
export function checkInputs(model: DerivedModel, hyper: Record<string, number>, init: readonly number[]): Float64Array {
  for (const h of model.hypers) {
    const v = hyper[h];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`must be a finite number, got ${v}`, h);
  }
  for (const k of Object.keys(hyper)) if (!model.hypers.includes(k)) throw new InputError(`unknown hyperparameter (model has ${model.hypers.join(', ')})`, k);
  if (!(hyper.eta! > 0)) throw new InputError(`must be > 0, got ${hyper.eta}`, 'eta');
  if (init.length !== model.params.length)
    throw new InputError(`needs ${model.params.length} values (${model.params.join(', ')}), got ${init.length}`, 'init');
  init.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new InputError(`must be finite, got ${v}`, `init.${model.params[i]}`);
  });
  return Float64Array.from(model.hypers.map((h) => hyper[h]!));
}

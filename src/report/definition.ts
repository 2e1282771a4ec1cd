import type { DefinitionValue, LemmaDefinition } from '../check/outcome.js';

/**
 * A lemma definition (as a report row carries it) as labelled entries, in the order a reader checks
 * a claim: what it is, its hypotheses, its quantifier, constants and statement, then the rest. The
 * text table and the HTML page both print these, so they show the same fields the same way. Fields
 * this module does not know (a newer lemma format) are listed at the end as JSON, never dropped.
 */
export interface DefinitionEntry {
  label: string;
  text: string;
  /** A one-word fact (claim, provenance, expect, steps, runs): the text report puts these on one line. */
  short?: boolean;
  /** Part of the hypotheses or constants: the HTML page shows these without unfolding the definition. */
  premise?: boolean;
}

/** A value as the lemma author wrote it; the explicit non-JSON numbers of outcome.ts back as written. */
export function valueText(v: DefinitionValue | undefined): string {
  if (v === undefined || v === null) return String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(valueText).join(', ')}]`;
  if (typeof v.$number === 'string' && Object.keys(v).length === 1) return v.$number;
  if (typeof v.$bigint === 'string' && Object.keys(v).length === 1) return `${v.$bigint}n`;
  if (typeof v.$unsupported === 'string' && Object.keys(v).length === 1) return `(${v.$unsupported})`;
  return `{ ${Object.entries(v)
    .map(([k, x]) => `${k}: ${valueText(x)}`)
    .join(', ')} }`;
}

function drawText(v: DefinitionValue): string {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'min' in v && 'max' in v) {
    const { min, max, scale, ...rest } = v;
    const extra = Object.keys(rest).length > 0 ? ` ${valueText(rest)}` : '';
    return `in [${valueText(min)}, ${valueText(max)}]${scale !== undefined && scale !== 'uniform' ? ` (${valueText(scale)})` : ''}${extra}`;
  }
  return `= ${valueText(v)}`;
}

function draws(v: DefinitionValue | undefined): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return valueText(v);
  return Object.entries(v)
    .map(([k, d]) => `${k} ${drawText(d)}`)
    .join(', ');
}

function list(v: DefinitionValue | undefined): string {
  return Array.isArray(v) ? v.map(valueText).join('; ') : valueText(v);
}

function fields(v: DefinitionValue | undefined, sep: string): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return valueText(v);
  return Object.entries(v)
    .map(([k, x]) => `${k}${sep}${Array.isArray(x) ? list(x) : valueText(x)}`)
    .join('; ');
}

const FIRST = ['id', 'title', 'claim', 'provenance', 'expect', 'hypotheses', 'quantifier', 'constants', 'assume', 'statement', 'tightness', 'steps', 'runs', 'description'];

export function definitionEntries(d: LemmaDefinition): DefinitionEntry[] {
  const out: DefinitionEntry[] = [];
  const has = (k: string) => d[k] !== undefined;
  if (has('title')) out.push({ label: 'title', text: valueText(d.title) });
  for (const k of ['claim', 'provenance', 'expect'] as const) if (has(k)) out.push({ label: k, text: valueText(d[k]), short: true });
  const h = d.hypotheses;
  const q0 = d.quantifier;
  const identity = q0 !== null && typeof q0 === 'object' && !Array.isArray(q0) && q0.kind === 'identity';
  if (h !== null && typeof h === 'object' && !Array.isArray(h)) {
    const { hyper, init, params, where, along, ...more } = h;
    if (hyper !== undefined) out.push({ label: 'hyper', text: draws(hyper), premise: true });
    // An identity has no start (an init written in its file is not read): say what it ranges over,
    // every theta or the region its params bound.
    const region = params !== undefined && params !== null ? draws(params) : '';
    if (identity) out.push({ label: 'theta', text: `${region || 'every theta'}${init !== undefined ? ' (the hypotheses.init in the file is not read by an identity)' : ''}`, premise: true });
    else if (params !== undefined) out.push({ label: 'hypotheses.params', text: valueText(params), premise: true });
    else if (init !== undefined) out.push({ label: 'init', text: draws(init), premise: true });
    if (where !== undefined) out.push({ label: 'where', text: list(where), premise: true });
    if (along !== undefined) out.push({ label: 'along', text: list(along), premise: true });
    for (const [k, v] of Object.entries(more)) out.push({ label: `hypotheses.${k}`, text: valueText(v), premise: true });
  } else if (has('hypotheses')) out.push({ label: 'hypotheses', text: valueText(h), premise: true });
  const q = d.quantifier;
  if (q !== null && typeof q === 'object' && !Array.isArray(q)) {
    const { kind, ...rest } = q;
    out.push({ label: 'quantifier', text: `${valueText(kind)}${Object.keys(rest).length > 0 ? `; ${fields(rest, ': ')}` : ''}` });
  } else if (has('quantifier')) out.push({ label: 'quantifier', text: valueText(q) });
  if (has('constants')) out.push({ label: 'constants', text: fields(d.constants, ' = '), premise: true });
  if (has('assume')) out.push({ label: 'assume', text: fields(d.assume, ' = '), premise: true });
  if (has('statement')) out.push({ label: 'statement', text: list(d.statement) });
  if (has('tightness')) out.push({ label: 'tightness', text: fields(d.tightness, ': ') });
  for (const k of ['steps', 'runs'] as const) if (has(k)) out.push({ label: k, text: valueText(d[k]), short: true });
  for (const [k, v] of Object.entries(d)) if (!FIRST.includes(k)) out.push({ label: k, text: JSON.stringify(v) });
  if (has('description')) out.push({ label: 'description', text: valueText(d.description) });
  return out;
}

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClaimInfo, ModelSpec } from './spec.js';

/**
 * Model packs. A pack is one folder `models/<name>/` holding everything that is particular to one
 * model, as data: the model spec (model.json), and in pack.json its claim catalogue, where its lemma
 * files are, which of its quantities play the generic roles the reports know (an instability
 * indicator, a gradient-flow invariant, the sharpness of the gradient-flow solution), what to plot,
 * its reference runs and its command-line defaults. The generic layers (dynamics, check, report,
 * sweep, cli) receive a pack and never name a model's symbols.
 *
 * `--model` takes a registered pack's name, a pack folder or pack.json, or a bare model.json (a pack
 * with no catalogue, no roles and default plots).
 */

/** A pack quantity's role in the generic summaries: which quantity, compared with what. */
export interface PackRoles {
  /** A quantity whose value above `above` means the dynamics are locally unstable (its first such step is reported). */
  instability?: { quantity: string; above: number; label: string };
  /** A quantity gradient flow conserves: the trajectory summary counts the GD steps that raise it (decided exactly near 0). */
  invariant?: { quantity: string; label: string };
  /**
   * The sharpness of the gradient-flow solution from the iterate: eta times it is reported at the start and end, and the
   * edge-of-stability phase ends when eta times it stays below 2.
   */
  gfsSharpness?: { quantity: string; label: string };
}

/** A plotted series: a parameter, quantity, L or S; as is, times eta, or as log10 of its magnitude. */
export interface SeriesDef {
  of: string;
  label?: string;
  scale?: 'linear' | 'log10abs' | 'eta';
}

export interface PanelDef {
  id: string;
  title: string;
  y: string;
  /** Series keys (see seriesKey). */
  keys: string[];
  threshold?: number;
  /** A series (key) that gets its own right axis when it spans far more decades than the first. */
  rightAxis?: string;
  /** Line colours by series key. */
  colors?: Record<string, string>;
}

export interface PackRun {
  name: string;
  hyper: Record<string, number>;
  init: number[];
  steps: number;
}

export interface ModelPack {
  /** The name `--model` takes: the folder's name for a registered pack. */
  name: string;
  title: string;
  /** The pack's folder (absolute), or the model file's folder for a bare model. */
  dir: string;
  /** Where the pack came from, as given: a name, a folder, pack.json or model.json. */
  origin: string;
  spec: ModelSpec;
  claims: ClaimInfo[];
  /** The folder of the pack's lemma files (absolute), if it has a catalogue. */
  lemmaDir: string | undefined;
  roles: PackRoles;
  /** Series to plot besides log10 L and eta S (always plotted); default: every parameter and quantity as is. */
  series: SeriesDef[] | undefined;
  panels: PanelDef[];
  referenceRuns: PackRun[];
  /** Default hyperparameters and start for trajectory and sweep, and the sweep's default steps. */
  defaults: { hyper?: Record<string, number>; init?: number[]; steps?: number };
  /** What the pack's README-level description says about the model (shown by `eos-check models`). */
  description: string;
}

export class PackError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'PackError';
  }
}

/** The registered packs' folder: models/ at the package root. */
export const MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models');

/** The package root, against which pack paths are shown. */
const ROOT = resolve(MODELS_DIR, '..');

export const DEFAULT_PACK = 'minimalist';

/** The registered packs' names, sorted (a folder of models/ with a pack.json). */
export function packNames(): string[] {
  if (!existsSync(MODELS_DIR)) return [];
  return readdirSync(MODELS_DIR)
    .filter((d) => existsSync(join(MODELS_DIR, d, 'pack.json')))
    .sort();
}

const cache = new Map<string, ModelPack>();

/** Every registered pack, loaded. */
export function listPacks(): ModelPack[] {
  return packNames().map((n) => loadPack(n));
}

/** A pack by name, folder, pack.json or model.json; undefined means the default pack. */
export function loadPack(ref: string | undefined = DEFAULT_PACK): ModelPack {
  const hit = cache.get(ref);
  if (hit) return hit;
  let pack: ModelPack;
  if (/^[a-z0-9][a-z0-9-]*$/.test(ref) && existsSync(join(MODELS_DIR, ref, 'pack.json'))) pack = readPack(join(MODELS_DIR, ref, 'pack.json'), ref, ref);
  else if (existsSync(ref) && statSync(ref).isDirectory()) {
    if (!existsSync(join(ref, 'pack.json'))) throw new PackError(ref, 'a model folder needs a pack.json');
    pack = readPack(join(ref, 'pack.json'), ref, undefined);
  } else if (existsSync(ref) && /(^|[\\/])pack\.json$/.test(ref)) pack = readPack(ref, ref, undefined);
  else if (existsSync(ref)) pack = barePack(ref);
  else {
    const names = packNames();
    throw new PackError(ref, `no such model pack or file (registered packs: ${names.join(', ') || 'none'}; or give a path to a pack folder, pack.json or model.json)`);
  }
  cache.set(ref, pack);
  return pack;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PackError(path, (e as Error).message.split('\n')[0]!);
  }
}

/** A model.json read as a ModelSpec, with its shape checked (the derivation checks the rest). */
export function readModelFile(path: string): ModelSpec {
  const s = readJson(path) as ModelSpec;
  if (typeof s !== 'object' || s === null || typeof s.loss !== 'string' || !Array.isArray(s.params) || !Array.isArray(s.hypers))
    throw new PackError(path, 'expected a model {"name", "params": [...], "hypers": [...], "loss": "...", "quantities": {...}}');
  return { ...s, name: s.name ?? path };
}

function barePack(path: string): ModelPack {
  const spec = readModelFile(path);
  return {
    name: spec.name,
    title: spec.name,
    dir: resolve(dirname(path)),
    origin: path,
    spec,
    claims: spec.claims ?? [],
    lemmaDir: undefined,
    roles: {},
    series: undefined,
    panels: [],
    referenceRuns: [],
    defaults: {},
    description: spec.source ?? '',
  };
}

const PACK_KEYS = ['title', 'description', 'model', 'lemmas', 'claims', 'roles', 'series', 'panels', 'referenceRuns', 'defaults'];

/** pack.json: every problem of the file reported at once, by field. */
function readPack(path: string, origin: string, name: string | undefined): ModelPack {
  const dir = resolve(dirname(path));
  const raw = readJson(path) as Record<string, any>;
  const errors: string[] = [];
  const bad = (field: string, why: string) => errors.push(`${field}: ${why}`);
  if (typeof raw !== 'object' || raw === null) throw new PackError(path, 'expected a JSON object');
  for (const k of Object.keys(raw)) if (!PACK_KEYS.includes(k)) bad(k, `unknown key (known: ${PACK_KEYS.join(', ')})`);
  if (typeof raw.title !== 'string') bad('title', 'must be a string');
  if (typeof raw.model !== 'string') bad('model', 'must name the model file, e.g. "model.json"');
  let spec: ModelSpec | undefined;
  if (typeof raw.model === 'string') {
    try {
      spec = readModelFile(join(dir, raw.model));
    } catch (e) {
      bad('model', (e as Error).message);
    }
  }
  const claims: ClaimInfo[] = [];
  if (raw.claims !== undefined) {
    if (!Array.isArray(raw.claims)) bad('claims', 'must be a list of {id, title}');
    else
      raw.claims.forEach((c: any, i: number) => {
        if (typeof c?.id !== 'string' || !/^[A-Za-z][A-Za-z0-9.-]{0,23}$/.test(c.id)) bad(`claims[${i}].id`, `must be a short id (a letter, then letters, digits, '.', '-'), got ${JSON.stringify(c?.id)}`);
        else if (claims.some((x) => x.id === c.id)) bad(`claims[${i}].id`, `${c.id} is declared twice`);
        if (typeof c?.title !== 'string') bad(`claims[${i}].title`, 'must be a string');
        claims.push({ id: String(c?.id), title: String(c?.title) });
      });
  }
  let lemmaDir: string | undefined;
  if (raw.lemmas !== undefined) {
    if (typeof raw.lemmas !== 'string') bad('lemmas', 'must be a folder path relative to the pack');
    else {
      lemmaDir = resolve(dir, raw.lemmas);
      if (!existsSync(lemmaDir) || !statSync(lemmaDir).isDirectory()) bad('lemmas', `${relative(ROOT, lemmaDir)} is not a folder`);
    }
  }
  const symbols = spec ? new Set([...spec.params, ...Object.keys(spec.quantities ?? {}), 'L', 'S']) : undefined;
  const quantity = (field: string, q: unknown) => {
    if (typeof q !== 'string') bad(field, 'must name a quantity');
    else if (spec && !(q in (spec.quantities ?? {}))) bad(field, `"${q}" is not a quantity of the model (it has ${Object.keys(spec.quantities ?? {}).join(', ') || 'none'})`);
  };
  const roles: PackRoles = raw.roles ?? {};
  if (typeof roles !== 'object' || roles === null) bad('roles', 'must be an object');
  else {
    for (const k of Object.keys(roles)) if (!['instability', 'invariant', 'gfsSharpness'].includes(k)) bad(`roles.${k}`, 'unknown role (known: instability, invariant, gfsSharpness)');
    for (const [k, r] of Object.entries(roles) as [string, any][]) {
      quantity(`roles.${k}.quantity`, r?.quantity);
      if (typeof r?.label !== 'string') bad(`roles.${k}.label`, 'must be a string');
    }
    if (roles.instability && typeof roles.instability.above !== 'number') bad('roles.instability.above', 'must be a number');
  }
  const series: SeriesDef[] | undefined = raw.series;
  if (series !== undefined) {
    if (!Array.isArray(series)) bad('series', 'must be a list of {of, label?, scale?}');
    else
      series.forEach((s, i) => {
        if (typeof s?.of !== 'string' || (symbols && !symbols.has(s.of))) bad(`series[${i}].of`, `must be a parameter, quantity, L or S, got ${JSON.stringify(s?.of)}`);
        if (s?.scale !== undefined && !['linear', 'log10abs', 'eta'].includes(s.scale)) bad(`series[${i}].scale`, 'must be linear, log10abs or eta');
      });
  }
  const panels: PanelDef[] = raw.panels ?? [];
  if (!Array.isArray(panels)) bad('panels', 'must be a list of {id, title, y, keys}');
  else panels.forEach((p, i) => {
    if (typeof p?.id !== 'string' || typeof p?.title !== 'string' || typeof p?.y !== 'string' || !Array.isArray(p?.keys)) bad(`panels[${i}]`, 'must be {id, title, y, keys: [...]}');
  });
  const runs: PackRun[] = raw.referenceRuns ?? [];
  if (!Array.isArray(runs)) bad('referenceRuns', 'must be a list of {name, hyper, init, steps}');
  else if (spec)
    runs.forEach((r, i) => {
      if (typeof r?.name !== 'string') bad(`referenceRuns[${i}].name`, 'must be a string');
      for (const h of spec!.hypers) if (typeof r?.hyper?.[h] !== 'number') bad(`referenceRuns[${i}].hyper.${h}`, 'must be a number');
      if (!Array.isArray(r?.init) || r.init.length !== spec!.params.length || !r.init.every((x: unknown) => typeof x === 'number'))
        bad(`referenceRuns[${i}].init`, `must be ${spec!.params.length} numbers (${spec!.params.join(', ')})`);
      if (!Number.isInteger(r?.steps) || r.steps < 1) bad(`referenceRuns[${i}].steps`, 'must be a positive integer');
    });
  const defaults = raw.defaults ?? {};
  if (typeof defaults !== 'object' || defaults === null) bad('defaults', 'must be an object');
  else if (spec) {
    for (const [h, v] of Object.entries(defaults.hyper ?? {})) if (!spec.hypers.includes(h) || typeof v !== 'number') bad(`defaults.hyper.${h}`, 'must be a hyperparameter of the model with a number');
    if (defaults.init !== undefined && (!Array.isArray(defaults.init) || defaults.init.length !== spec.params.length)) bad('defaults.init', `must be ${spec.params.length} numbers`);
  }
  if (errors.length > 0 || !spec) throw new PackError(path, errors.join('; '));
  return {
    name: name ?? spec.name,
    title: raw.title,
    dir,
    origin,
    spec: { ...spec, claims: claims.length > 0 ? claims : spec.claims },
    claims,
    lemmaDir,
    roles,
    series,
    panels,
    referenceRuns: runs,
    defaults,
    description: typeof raw.description === 'string' ? raw.description : (spec.source ?? ''),
  };
}

/** What --model takes to name the pack again (its name, or the path it came from); undefined for the default pack. */
export function packRef(pack: ModelPack): string | undefined {
  return pack.origin === DEFAULT_PACK ? undefined : pack.origin;
}

/** The --model option of a replay command: empty for the default pack. */
export function packArg(pack: ModelPack): string {
  const ref = packRef(pack);
  return ref === undefined ? '' : ` --model ${ref}`;
}

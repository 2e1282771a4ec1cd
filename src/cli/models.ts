import { relative } from 'node:path';
import { listPacks, MODELS_DIR, type ModelPack } from '../model/pack.js';
import { lemmaFiles } from '../lemma/load.js';
import { dynamicsText, modelHash } from '../symbolic/derive.js';
import { parse } from './args.js';


function describePack(p: ModelPack) {
  const q = p.spec.quantities ?? {};
  return {
    name: p.name,
    title: p.title,
    folder: relative(process.cwd(), p.dir) || '.',
    model: p.spec.name,
    hash: modelHash(p.spec),
    params: p.spec.params,
    hypers: p.spec.hypers,
    loss: p.spec.loss,
    quantities: q,
    dynamics: dynamicsText(p.spec),
    claims: p.claims,
    lemmaFiles: p.lemmaDir ? lemmaFiles(p.lemmaDir).length : 0,
    roles: p.roles,
    referenceRuns: p.referenceRuns.map((r) => r.name),
    description: p.description,
  };
}

export async function modelsCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' } });
  const packs = listPacks().map(describePack);
  if (values.json) {
    out(JSON.stringify({ folder: relative(process.cwd(), MODELS_DIR) || '.', packs }, null, 2));
    return 0;
  }
  const lines = [`${packs.length} model packs in ${relative(process.cwd(), MODELS_DIR) || MODELS_DIR} (use one with --model NAME):`, ''];
  for (const p of packs) {
    lines.push(`${p.name}  ${p.title}`);
    lines.push(`  params ${p.params.join(', ')}; hypers ${p.hypers.join(', ')}; ${p.dynamics}`);
    lines.push(`  loss ${p.loss}`);
    const q = Object.keys(p.quantities);
    if (q.length > 0) lines.push(`  quantities ${q.join(', ')}`);
    lines.push(`  claims ${p.claims.map((c) => c.id).join(', ') || '-'}; ${p.lemmaFiles} lemma files; reference runs ${p.referenceRuns.join(', ') || '-'}`);
    lines.push('');
  }
  out(lines.join('\n').trimEnd());
  return 0;
}

import { ConstantNode, FunctionNode, OperatorNode, ParenthesisNode, SymbolNode, type MathNode } from './mathjs.js';
import type { CrossCheckEntry, DerivedModel } from './derive.js';
import type { ImplicitQuantity } from './implicit.js';
import type { ModelSpec } from '../model/spec.js';
import { modelFromDerivation, type Derivation } from './model-kernels.js';
import { modelHash } from './model-hash.js';

/**
 * A derived model as plain data (what structuredClone and a worker thread's workerData carry), and back.
 * Worker threads start from it instead of deriving the model again: importing runs no derivative, no
 * nerdamer cross-check and no LaTeX, only the kernel compilation (model-kernels.ts), which generates
 * the same sources from the same trees.
 *
 * The trees are one table of nodes, children by index, shared subtrees once: the derivation shares
 * nodes between trees (the GD map holds the gradient's trees, quantities are inlined by reference), and
 * the import rebuilds exactly that graph, so code that memoizes by node (dyadic-eval, flow-program)
 * sees the same structure in every thread.
 */
export const DERIVATION_FORMAT = 'eos-check-derivation/1';

/** A mathjs node without its children (indices instead); `comment` as the parser left it, when it did. */
type PlainNode = (
  | { t: 'C'; value: unknown }
  | { t: 'S'; name: string }
  | { t: 'O'; op: string; fn: string; args: number[]; implicit: boolean; isPercentage: boolean }
  | { t: 'F'; fn: number; args: number[]; optional: boolean }
  | { t: 'P'; content: number }
) & { comment?: string };

type PlainImplicit = Omit<ImplicitQuantity, 'poly' | 'dpoly' | 'lo' | 'hi'> & { poly: number; dpoly: number; lo: number; hi: number };

export interface DerivationData {
  format: typeof DERIVATION_FORMAT;
  spec: ModelSpec;
  hash: string;
  nodes: PlainNode[];
  loss: number;
  gradient: number[];
  hessian: number[][];
  step: number[];
  quantities: [string, number][];
  implicit: PlainImplicit[];
  crossCheck: CrossCheckEntry[];
  latex: DerivedModel['latex'];
}

/** The derivation of `model` as plain data (its kernels are left out: they are compiled from the trees). */
export function exportDerivation(model: DerivedModel): DerivationData {
  const nodes: PlainNode[] = [];
  const index = new Map<MathNode, number>();
  const ref = (n: MathNode): number => {
    const hit = index.get(n);
    if (hit !== undefined) return hit;
    const a = n as any;
    let plain: PlainNode;
    // Children first, so that every index points to an earlier entry.
    if (n.type === 'ConstantNode') plain = { t: 'C', value: a.value };
    else if (n.type === 'SymbolNode') plain = { t: 'S', name: a.name };
    else if (n.type === 'OperatorNode') plain = { t: 'O', op: a.op, fn: a.fn, args: a.args.map(ref), implicit: a.implicit === true, isPercentage: a.isPercentage === true };
    else if (n.type === 'FunctionNode') plain = { t: 'F', fn: ref(a.fn), args: a.args.map(ref), optional: a.optional === true };
    else if (n.type === 'ParenthesisNode') plain = { t: 'P', content: ref(a.content) };
    else throw new Error(`exportDerivation: a ${n.type} in the trees of model ${JSON.stringify(model.spec.name)} has no plain form`);
    if (Object.hasOwn(n, 'comment')) plain.comment = a.comment;
    index.set(n, nodes.push(plain) - 1);
    return nodes.length - 1;
  };
  return {
    format: DERIVATION_FORMAT,
    spec: model.spec,
    hash: model.hash,
    loss: ref(model.loss),
    gradient: model.gradient.map(ref),
    hessian: model.hessian.map((r) => r.map(ref)),
    step: model.step.map(ref),
    quantities: [...model.quantities].map(([k, v]) => [k, ref(v)]),
    implicit: [...model.implicit.values()].map((q) => ({ ...q, poly: ref(q.poly), dpoly: ref(q.dpoly), lo: ref(q.lo), hi: ref(q.hi) })),
    crossCheck: model.crossCheck,
    latex: model.latex,
    nodes,
  };
}

/**
 * The model of an exported derivation, with its kernels compiled here. Refuses data of another format
 * and data whose model text does not have the recorded hash (the hash is what reports record).
 */
export function importDerivation(data: DerivationData): DerivedModel {
  if (data?.format !== DERIVATION_FORMAT) throw new Error(`importDerivation: not a derivation of format ${DERIVATION_FORMAT} (got ${JSON.stringify(data?.format)})`);
  const hash = modelHash(data.spec);
  if (hash !== data.hash) throw new Error(`importDerivation: model ${JSON.stringify(data.spec.name)} hashes to ${hash}, the data says ${data.hash}`);
  const built: MathNode[] = [];
  const at = (i: number): MathNode => {
    const n = built[i];
    if (n === undefined) throw new Error(`importDerivation: node ${i} is referenced before it is defined`);
    return n;
  };
  for (const p of data.nodes) {
    let n: MathNode;
    if (p.t === 'C') n = new ConstantNode(p.value as number);
    else if (p.t === 'S') n = new SymbolNode(p.name);
    // mathjs's typings omit isPercentage, its constructor's fifth argument.
    else if (p.t === 'O') n = new (OperatorNode as any)(p.op, p.fn, p.args.map(at), p.implicit, p.isPercentage) as MathNode;
    else if (p.t === 'F') n = new (FunctionNode as any)(at(p.fn), p.args.map(at), p.optional) as MathNode;
    else if (p.t === 'P') n = new ParenthesisNode(at(p.content));
    else throw new Error(`importDerivation: unknown node ${JSON.stringify(p)}`);
    if (p.comment !== undefined) (n as any).comment = p.comment;
    built.push(n);
  }
  const d: Derivation = {
    spec: data.spec,
    hash,
    params: [...data.spec.params],
    hypers: [...data.spec.hypers],
    loss: at(data.loss),
    gradient: data.gradient.map(at),
    hessian: data.hessian.map((r) => r.map(at)),
    step: data.step.map(at),
    quantities: new Map(data.quantities.map(([k, i]) => [k, at(i)])),
    implicit: new Map(data.implicit.map((q) => [q.name, { ...q, poly: at(q.poly), dpoly: at(q.dpoly), lo: at(q.lo), hi: at(q.hi) }])),
    crossCheck: data.crossCheck,
    latex: data.latex,
  };
  return modelFromDerivation(d);
}

import type { ModelSpec } from './spec.js';
import { loadPack } from './pack.js';

/**
 * The default pack's model (models/minimalist/): kept as a named export for code and tests that
 * work with the paper's model directly. Everything about it lives in its pack.
 */
export const minimalistModel: ModelSpec = loadPack('minimalist').spec;

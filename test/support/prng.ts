/** Tests never use Math.random, so every run replays: they draw from the project's seeded generator. */
export { mulberry32 } from '../../src/numeric/prng.js';

import { catalogueTests } from './catalogue.js';

// The lemma catalogue, part 1 of 4: smaller parts let vitest's two workers finish together.
await catalogueTests(0, 4);

import { catalogueTests } from './catalogue.js';

// The lemma catalogue, part 2 of 4: smaller parts let vitest's two workers finish together.
await catalogueTests(1, 4);

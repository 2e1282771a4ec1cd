import { catalogueTests } from './catalogue.js';

// The lemma catalogue, half 1 of 2 (the halves run on separate cores).
await catalogueTests(0, 2);

import { catalogueTests } from './catalogue.js';

// The lemma catalogue, half 2 of 2 (the halves run on separate cores).
await catalogueTests(1, 2);

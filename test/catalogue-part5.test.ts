import { catalogueTests, OTHER_PACKS } from './catalogue.js';

// The other model packs' catalogues, the other half of their lemma files (see part 4).
for (const pack of OTHER_PACKS) await catalogueTests(1, 2, pack);

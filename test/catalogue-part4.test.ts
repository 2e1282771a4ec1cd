import { catalogueTests, OTHER_PACKS } from './catalogue.js';

// The other model packs' catalogues, half of their lemma files (the other half is part 5).
for (const pack of OTHER_PACKS) await catalogueTests(0, 2, pack);

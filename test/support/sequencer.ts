import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Starts the catalogue parts first. They are the long files; vitest's default order on a fresh
 * clone (no timing cache) is larger files first, which would start the small catalogue files last
 * and leave one core idle while the other finishes them.
 */
export class CatalogueFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isCatalogue = (f: TestSpecification) => /catalogue-part\d+\.test\.ts$/.test(f.moduleId);
    return [...sorted.filter(isCatalogue), ...sorted.filter((f) => !isCatalogue(f))];
  }
}

/** Whether dist/ is at least as new as every file in src/ (root: the package folder). */
export function distIsFresh(root: string): boolean;

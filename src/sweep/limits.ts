// Defaults and limits of a sweep, apart from the code that uses them so that `sweep --help` loads nothing else.
export const DEFAULT_TOL = 1e-8;
export const DEFAULT_CATAPULT = 10;
/** The SVG writes one rect per run of equal cells; past this many cells the file is too big to open. */
export const MAX_SVG_CELLS = 512 * 512;

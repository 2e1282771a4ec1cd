import { readFileSync } from 'node:fs';

/** The package version, recorded in every report. */
export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

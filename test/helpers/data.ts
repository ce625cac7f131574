/**
 * The real agent data the tests read: `shared/data/` beside the repository (a clean clone is
 * placed next to `shared/`, as in CI). Nothing is copied into the repository.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo.js';

/** `../shared/data` from the repository root. */
export const SHARED_DATA = join(REPO_ROOT, '..', 'shared', 'data');

/** True when the shared data folder is there; tests that need it are skipped (and say so) when not. */
export const HAS_SHARED_DATA = existsSync(join(SHARED_DATA, 'README.md'));

/** Why data tests were skipped, for their titles. */
export const NO_DATA_REASON = `skipped: no shared data at ${SHARED_DATA} (clone the repository beside shared/)`;

if (!HAS_SHARED_DATA) process.stderr.write(`[tests] ${NO_DATA_REASON}\n`);

/** A file of the shared data. */
export function dataFile(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

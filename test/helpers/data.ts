/**
 * The real agent data the tests read, vendored in `test/fixtures/real-data/` (see its README:
 * the Reflexion run logs trimmed to the fields we read, and the aider leaderboard), so tests
 * never depend on a folder outside the repository.
 */
import { join } from 'node:path';
import { REPO_ROOT } from './repo.js';

/** The real-data folder. */
export const REAL_DATA = join(REPO_ROOT, 'test', 'fixtures', 'real-data');

/** A file of the real data. */
export function dataFile(...parts: string[]): string {
  return join(REAL_DATA, ...parts);
}

/**
 * The real agent data the tests read, vendored in `test/fixtures/real-data/` (see its README:
 * the Reflexion run logs trimmed to the fields we read, and the aider leaderboard), so tests
 * never depend on a folder outside the repository.
 */
import { join } from 'node:path';
import { REPO_ROOT, runCli, tempRepo } from './repo.js';

/** The real-data folder. */
export const REAL_DATA = join(REPO_ROOT, 'test', 'fixtures', 'real-data');

/** A file of the real data. */
export function dataFile(...parts: string[]): string {
  return join(REAL_DATA, ...parts);
}

/**
 * A temporary repository with the Reflexion logs imported: both benchmarks, each as two agents on
 * the same tasks (the run without memory and the run recalling its reflections).
 */
export async function reflexionRepo(): Promise<string> {
  const dir = tempRepo();
  const init = await runCli(dir, ['init']);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  for (const ds of ['humaneval', 'mbpp']) {
    const files = ['simple', 'reflexion'].map((run) => dataFile('reflexion-programming', `${ds}-py.${run}-gpt-4.jsonl`));
    const imp = await runCli(dir, ['import', 'executions', ...files, '--json']);
    if (imp.code !== 0) throw new Error(`import of ${ds} failed: ${imp.stdout.slice(0, 2000)}`);
  }
  return dir;
}

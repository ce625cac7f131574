/** Test helpers for the learning engine: write generated records into a temp Git repo. */
import type { AnyRecord } from '../../scripts/core/records/kinds.js';
import { recordPath } from '../../scripts/core/records/kinds.js';
import { renderRecord } from '../../scripts/core/records/write.js';
import { tempRepo, writeFiles, git } from '../helpers/repo.js';

/** Files (repo-relative) for records under `learning-loop/`. */
export function recordFiles(records: readonly AnyRecord[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const r of records) files[`learning-loop/${recordPath(r)}`] = renderRecord(r, `Body of ${r.id}.`);
  return files;
}

/** A temp Git repo holding the records (committed). */
export function repoWith(records: readonly AnyRecord[]): string {
  return tempRepo({ '.gitignore': '.learning-loop/\n', ...recordFiles(records) }, { commit: true });
}

/** Adds records and commits them. */
export function addRecords(dir: string, records: readonly AnyRecord[], message = 'more records'): void {
  writeFiles(dir, recordFiles(records));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

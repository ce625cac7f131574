/**
 * The learning engine over a workspace: loads the records table from the derived index and the
 * Git history of pattern files, and runs the pure analysis (core/learn/analyze.ts).
 */
import type { Workspace } from '../core/workspace.js';
import type { RecordsTable } from '../core/records/table.js';
import { analyzeTable, type Analysis } from '../core/learn/analyze.js';
import { patternCommitCounts } from '../io/git.js';
import { openIndex } from '../index/api.js';

/** Loads the table (unless given) and analyses it, Git history included. */
export async function analyzeWorkspace(ws: Workspace, table?: RecordsTable): Promise<Analysis & { table: RecordsTable }> {
  const t = table ?? (await openIndex(ws).table());
  return { ...analyzeTable(t, ws.config, await patternCommitCounts(ws)), table: t };
}

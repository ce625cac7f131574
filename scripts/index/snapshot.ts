/**
 * `<outDir>/learn.json` for the site: patterns (extracted + on disk), anti-pattern flags and the
 * dashboard report. Deterministic (stable order, no wall-clock values). Shape: docs/learning.md.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Workspace } from '../core/workspace.js';
import { writeFileAtomic } from '../io/fs.js';
import type { RecordsTable } from '../core/records/table.js';
import { analyzeTable } from '../core/learn/analyze.js';
import { buildLearnSnapshot } from '../core/learn/snapshot.js';
import { patternCommitCounts } from '../io/git.js';
import type { LearnSnapshot } from '../core/learn/types.js';
import { loadTable } from './table.js';
import { writeLearned } from './learned.js';

/** Writes `<ws.outDir>/learn.json` (loads the table when not given) and returns the snapshot. */
export async function writeLearnSnapshot(ws: Workspace, table?: RecordsTable): Promise<LearnSnapshot> {
  const t = table ?? loadTable(ws);
  const analysis = analyzeTable(t, ws.config, await patternCommitCounts(ws));
  const snap = buildLearnSnapshot(t, analysis);
  mkdirSync(ws.outDir, { recursive: true });
  writeFileAtomic(join(ws.outDir, 'learn.json'), `${JSON.stringify(snap, null, 2)}\n`);
  // The same analysis, searchable: derived patterns, themes and effects in the recall index.
  writeLearned(ws, t, analysis);
  return snap;
}

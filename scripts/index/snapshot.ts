/**
 * `<outDir>/learn.json` for the site: patterns (extracted + on disk), anti-pattern flags and the
 * dashboard report. Deterministic (stable order, no wall-clock values). Shape: docs/learning.md.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Workspace } from '../io/workspace.js';
import { writeFileAtomic } from '../io/fs.js';
import { rowsOf, type RecordsTable } from './table.js';
import type { PatternRecord } from '../core/records/kinds.js';
import { analyzeTable, patternCommitCounts, type Analysis } from '../core/learn/analyze.js';
import { sortPatterns } from '../core/learn/patterns.js';
import type { LearnSnapshot, SnapshotPattern } from '../core/learn/types.js';
import { loadTable } from './table.js';
import { writeLearned } from './learned.js';

/** Builds the snapshot from a table and its analysis. Pure. */
export function buildLearnSnapshot(table: RecordsTable, analysis: Analysis): LearnSnapshot {
  const onDisk = new Map(rowsOf(table, 'pattern').map((r) => [r.id, r]));
  const patterns: SnapshotPattern[] = analysis.patterns.map((p) => {
    const row = onDisk.get(p.id);
    const sp: SnapshotPattern = { ...p, status: row ? row.data.status : 'new' };
    if (row) sp.file = row.file;
    return sp;
  });
  // Pattern records with a definition that extraction no longer finds still show, with their stored numbers.
  const seen = new Set(patterns.map((p) => p.id));
  for (const row of onDisk.values()) {
    const d: PatternRecord = row.data;
    if (seen.has(d.id) || !['success', 'failure', 'performance', 'dependency', 'theme'].includes(d.pattern_type)) continue;
    const sp: SnapshotPattern = {
      id: d.id,
      pattern_type: d.pattern_type as SnapshotPattern['pattern_type'],
      category: d.category,
      statement: d.statement,
      definition: (d.definition ?? {}) as SnapshotPattern['definition'],
      support: d.support ?? 0,
      confidence: d.confidence ?? 0,
      lift: d.lift ?? 0,
      evidence: d.evidence ?? [],
      last_seen: d.created_at,
      status: d.status,
      file: row.file,
    };
    if (d.domain) sp.domain = d.domain;
    patterns.push(sp);
  }
  const last = analysis.executions[analysis.executions.length - 1];
  return {
    version: 1,
    executions: analysis.executions.length,
    latest_execution: last ? last.started_at : null,
    patterns: sortPatterns(patterns),
    flags: analysis.flags,
    dashboard: analysis.report,
  };
}

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

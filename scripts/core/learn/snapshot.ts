/**
 * The learning snapshot (`learn.json`): patterns (extracted + on disk), anti-pattern flags and the
 * dashboard report, built from a table and its analysis. Deterministic: stable order, no wall-clock values.
 */
import { rowsOf, type RecordsTable } from '../records/table.js';
import type { PatternRecord } from '../records/kinds.js';
import type { Analysis } from './analyze.js';
import { sortPatterns } from './patterns.js';
import type { LearnSnapshot, SnapshotPattern } from './types.js';

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

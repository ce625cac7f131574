/**
 * The learning engine over one records table: patterns, anti-pattern flags and the dashboard
 * report. Pure: the Git history of pattern files (for pattern stability) is passed in.
 */
import { executionsInOrder, rowsOf, type RecordRow, type RecordsTable } from '../records/table.js';
import type { ExecutionRecord } from '../records/kinds.js';
import type { ResolvedConfig } from '../config.js';
import { allPatterns, extractPatternSet, type ExtractOptions, type PatternSet } from './patterns.js';
import { detectAntiPatterns } from './anti-patterns.js';
import { themesOf } from './same-evidence.js';
import { dashboardReport, type DashboardInputs } from './dashboard.js';
import type { AntiPatternFlag, DashboardReport, ExtractedPattern } from './types.js';

/** Everything the learning engine derives from one table. */
export interface Analysis {
  executions: ExecutionRecord[];
  set: PatternSet;
  patterns: ExtractedPattern[];
  flags: AntiPatternFlag[];
  report: DashboardReport;
}

/** Ids of patterns people rejected (never proposed again). */
export function rejectedIds(table: RecordsTable | readonly RecordRow[]): Set<string> {
  return new Set(
    rowsOf(table, 'pattern')
      .filter((r) => r.data.status === 'rejected')
      .map((r) => r.id),
  );
}

/**
 * What extraction reads besides the executions: the rejected pattern ids and the reflections
 * (themes are mined from them). Everything that extracts from records uses it, so `patterns`,
 * the dashboard, the synthesis and a root-cause stub find the same patterns.
 */
export function extractOptionsOf(table: RecordsTable | readonly RecordRow[]): ExtractOptions {
  return { rejected: rejectedIds(table), reflections: rowsOf(table, 'reflection').map((r) => ({ data: r.data, body: r.body })) };
}

/** Pure analysis of a table (pattern commit counts passed in). */
export function analyzeTable(table: RecordsTable, config: ResolvedConfig, patternCommits?: ReadonlyMap<string, number>, executions?: ExecutionRecord[]): Analysis {
  const history = executions ?? executionsInOrder(table);
  const set = extractPatternSet(history, config, extractOptionsOf(table));
  const patterns = allPatterns(set);
  const flags = detectAntiPatterns(history, config, themesOf(patterns));
  const inputs: DashboardInputs = {
    patterns,
    flags,
    syntheses: rowsOf(table, 'synthesis').map((r) => r.data),
    acceptedPatternFiles: rowsOf(table, 'pattern')
      .filter((r) => r.data.status === 'accepted')
      .map((r) => r.file),
  };
  if (patternCommits) inputs.patternCommits = patternCommits;
  return { executions: history, set, patterns, flags, report: dashboardReport(history, config, inputs) };
}

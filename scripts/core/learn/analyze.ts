/**
 * Edge of the learning engine: reads the records table (and Git history of accepted pattern
 * files for pattern stability) and runs the pure stages. Commands and the snapshot call this.
 */
import { simpleGit } from 'simple-git';
import type { Workspace } from '../../io/workspace.js';
import { executionsInOrder, loadTable, rowsOf, type RecordsTable } from '../../index/table.js';
import type { ExecutionRecord } from '../records/kinds.js';
import type { ResolvedConfig } from '../../io/config.js';
import { allPatterns, extractPatternSet, type PatternSet } from './patterns.js';
import { detectAntiPatterns } from './anti-patterns.js';
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
export function rejectedIds(table: RecordsTable): Set<string> {
  return new Set(rowsOf(table, 'pattern').filter((r) => r.data.status === 'rejected').map((r) => r.id));
}

/**
 * Commits touching each file under the pattern folders (one `git log` call). Undefined when the
 * workspace is not a Git repository or Git fails (stability is then reported as unavailable).
 */
export async function patternCommitCounts(ws: Workspace): Promise<Map<string, number> | undefined> {
  if (!ws.inGit) return undefined;
  try {
    const dirs = ['architectural-decisions', 'component-patterns', 'integration-gotchas'].map((d) => `${ws.kbPrefix}memory/long-term/${d}`);
    const out = await simpleGit(ws.repoRoot).raw(['log', '--format=', '--name-only', '--no-renames', '--', ...dirs]);
    const counts = new Map<string, number>();
    for (const line of out.split('\n')) {
      const f = line.trim();
      if (f) counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    return counts;
  } catch {
    return undefined;
  }
}

/** Pure analysis of a table (pattern commit counts passed in). */
export function analyzeTable(table: RecordsTable, config: ResolvedConfig, patternCommits?: ReadonlyMap<string, number>, executions?: ExecutionRecord[]): Analysis {
  const history = executions ?? executionsInOrder(table);
  const set = extractPatternSet(history, config, { rejected: rejectedIds(table), reflections: rowsOf(table, 'reflection').map((r) => ({ data: r.data, body: r.body })) });
  const patterns = allPatterns(set);
  const flags = detectAntiPatterns(history, config, set.theme_patterns);
  const inputs: DashboardInputs = {
    patterns,
    flags,
    syntheses: rowsOf(table, 'synthesis').map((r) => r.data),
    acceptedPatternFiles: rowsOf(table, 'pattern').filter((r) => r.data.status === 'accepted').map((r) => r.file),
  };
  if (patternCommits) inputs.patternCommits = patternCommits;
  return { executions: history, set, patterns, flags, report: dashboardReport(history, config, inputs) };
}

/** Loads the table (unless given) and analyses it, Git history included. */
export async function analyzeWorkspace(ws: Workspace, table?: RecordsTable): Promise<Analysis & { table: RecordsTable }> {
  const t = table ?? loadTable(ws);
  return { ...analyzeTable(t, ws.config, await patternCommitCounts(ws)), table: t };
}

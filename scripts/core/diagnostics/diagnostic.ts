/**
 * Diagnostics as data (vfile-message style). Pure code returns these and never throws for bad
 * input; only the CLI turns them into exit codes and text.
 */
import { CATALOG, type RuleId, type Severity } from './catalog.js';

export type { Severity } from './catalog.js';

/** One problem found in a file, flag, config or query. */
export interface Diagnostic {
  severity: Severity;
  /** Stable rule id from the error catalog, e.g. `schema/range`. */
  rule: RuleId;
  /** Repo-relative path (POSIX separators), or a pseudo-path such as `<stdin>` or `<flags>`. */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** What happened and why. */
  message: string;
  /** What to do next, with an example when it helps. */
  hint?: string;
}

/** Position of a diagnostic. */
export interface Position {
  line?: number;
  column?: number;
}

/**
 * Creates a diagnostic for a catalogued rule. The severity and hint default to the catalog's,
 * so a rule reads the same wherever it is raised.
 */
export function diag(rule: RuleId, file: string, message: string, extra: Position & { hint?: string; severity?: Severity } = {}): Diagnostic {
  const entry = CATALOG[rule];
  const d: Diagnostic = { severity: extra.severity ?? entry.severity, rule, file, message };
  if (extra.line !== undefined) d.line = extra.line;
  if (extra.column !== undefined) d.column = extra.column;
  const hint = extra.hint ?? entry.hint;
  if (hint) d.hint = hint;
  return d;
}

/** Stable order: file, line, column, rule, message. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || cmp(a.rule, b.rule) || cmp(a.message, b.message));
}

/** True when any diagnostic is an error (or a warning, with `strict`). */
export function hasFailures(list: readonly Diagnostic[], strict = false): boolean {
  return list.some((d) => d.severity === 'error' || (strict && d.severity === 'warning'));
}

/** Counts by severity, for summaries. */
export function countBySeverity(list: readonly Diagnostic[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of list) out[d.severity] += 1;
  return out;
}

/** Most diagnostics listed for one file; the rest are counted in one `file/more-problems`. */
export const MAX_FILE_DIAGNOSTICS = 50;

const SEVERITY_RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };
const MORE = /^(\d+) more problem/;

/** How many diagnostics a `file/more-problems` diagnostic stands for (1 for any other). */
function weight(d: Diagnostic): number {
  if (d.rule !== 'file/more-problems') return 1;
  const m = MORE.exec(d.message);
  return m ? Number(m[1]) : 1;
}

/**
 * Keeps the first `limit` diagnostics of every file (in sorted order) and replaces the rest with
 * one `file/more-problems` diagnostic that counts them, at the position of the first one left
 * out and as severe as the worst of them. Idempotent, and capping parts then the whole gives the
 * same as capping the whole (counts of earlier caps are carried), so every path that merges
 * diagnostics (validate, build, incremental, workers) reports the same list. Returns sorted.
 */
export function capDiagnostics(list: readonly Diagnostic[], limit = MAX_FILE_DIAGNOSTICS): Diagnostic[] {
  const sorted = sortDiagnostics(list);
  const out: Diagnostic[] = [];
  let i = 0;
  while (i < sorted.length) {
    const file = sorted[i]!.file;
    let j = i + 1;
    while (j < sorted.length && sorted[j]!.file === file) j++;
    if (j - i <= limit) for (let k = i; k < j; k++) out.push(sorted[k]!);
    else out.push(...capOne(sorted.slice(i, j), limit));
    i = j;
  }
  return out;
}

function capOne(list: readonly Diagnostic[], limit: number): Diagnostic[] {
  const regular = list.filter((d) => d.rule !== 'file/more-problems');
  const mores = list.filter((d) => d.rule === 'file/more-problems');
  if (regular.length <= limit && mores.length <= 1) return [...list]; // already capped
  const kept = regular.slice(0, limit);
  const dropped = [...regular.slice(limit), ...mores];
  const count = dropped.reduce((n, d) => n + weight(d), 0);
  const first = sortDiagnostics(dropped)[0]!;
  const severity = dropped.reduce<Severity>((s, d) => (SEVERITY_RANK[d.severity] > SEVERITY_RANK[s] ? d.severity : s), 'info');
  const more = diag('file/more-problems', first.file, `${count} more problem${count === 1 ? '' : 's'} in this file ${count === 1 ? 'is' : 'are'} not shown (the first ${limit} are).`, {
    line: first.line,
    column: first.column,
    severity,
  });
  return sortDiagnostics([...kept, more]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

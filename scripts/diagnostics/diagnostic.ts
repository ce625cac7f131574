/**
 * Diagnostics as data (vfile-message style). Pure code returns these and never throws for bad
 * input; only the CLI turns them into exit codes and text.
 */
import { CATALOG, type RuleId } from './catalog.js';

/** How bad a problem is. Errors fail `validate`; warnings fail it only with `--strict`. */
export type Severity = 'error' | 'warning' | 'info';

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
export function diag(
  rule: RuleId,
  file: string,
  message: string,
  extra: Position & { hint?: string; severity?: Severity } = {},
): Diagnostic {
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
  return [...list].sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      cmp(a.rule, b.rule) ||
      cmp(a.message, b.message),
  );
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

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

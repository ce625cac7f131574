/**
 * The morning view (`learning-loop status`, like `changeset status`): what waits for a person —
 * open reflections with no root cause written, proposals waiting for review, learnings that may
 * be stale, exported instruction files that are out of date, and invalid records. Pure: rows and
 * the findings of the I/O side in, the report out.
 */
import type { RecordRow } from '../records/table.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { LIFECYCLE_KINDS, type ReflectionRecord } from '../records/kinds.js';
import { summarize, type RecordSummary } from '../records/listing.js';
import { plural } from '../diagnostics/words.js';

/** What `status` reports; `clean` when nothing waits. */
export interface StatusReport {
  clean: boolean;
  /** Reflections not marked done that have no root cause written yet. */
  open_reflections: Array<RecordSummary & { reflection_type: string; executions: string[] }>;
  /** Patterns, templates, rules and assumptions with `status: proposed`. */
  proposals: RecordSummary[];
  /** `stale/learning` findings (accepted learnings whose files changed a lot or disappeared). */
  stale: Array<{ file: string; message: string }>;
  /** Exported instruction files that differ from what `export` would write. */
  exports: Array<{ path: string; message: string }>;
  /** Records that are invalid (each is left out of everything else until fixed). */
  invalid: Array<{ file: string; rule: string; message: string }>;
}

/** Builds the report from the table rows, its diagnostics and the I/O findings. */
export function statusReport(rows: readonly RecordRow[], diagnostics: readonly Diagnostic[], found: { stale: readonly Diagnostic[]; exports: readonly Diagnostic[] }): StatusReport {
  const open_reflections = rows
    .filter((r): r is RecordRow<ReflectionRecord> => r.kind === 'reflection')
    .filter((r) => r.data.status !== 'done' && !r.data.root_cause?.trim())
    .map((r) => ({ ...summarize(r), reflection_type: r.data.reflection_type, executions: r.data.executions }));
  const proposals = rows.filter((r) => (LIFECYCLE_KINDS as readonly string[]).includes(r.kind) && (r.data as { status?: string }).status === 'proposed').map(summarize);
  const byDate = <T extends { date: string; id: string }>(a: T, b: T): number => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? -1 : 1);
  const report: StatusReport = {
    clean: false,
    open_reflections: open_reflections.sort(byDate),
    proposals: proposals.sort(byDate),
    stale: found.stale.map((d) => ({ file: d.file, message: d.message })),
    exports: found.exports.map((d) => ({ path: d.file, message: d.message })),
    invalid: diagnostics.filter((d) => d.severity === 'error').map((d) => ({ file: d.file, rule: d.rule, message: d.message })),
  };
  report.clean = !report.open_reflections.length && !report.proposals.length && !report.stale.length && !report.exports.length && !report.invalid.length;
  return report;
}

/** The report as text: one section per kind of work, each line naming the file to open. */
export function renderStatus(r: StatusReport): string {
  if (r.clean) return 'Nothing waits: no open reflections, no proposals, no stale learnings, exports up to date, every record valid.\n';
  const out: string[] = [];
  const section = (title: string, lines: string[]): void => {
    if (lines.length) out.push(title, ...lines.map((l) => `  ${l}`), '');
  };
  section(
    `${plural(r.open_reflections.length, 'open reflection')} without a root cause (write it, or set status: done):`,
    r.open_reflections.map((x) => `${x.id}  ${x.reflection_type}  ${x.title}  ${x.file}`),
  );
  section(
    `${plural(r.proposals.length, 'proposal')} waiting for review (learning-loop accept|reject <id>):`,
    r.proposals.map((x) => `${x.id}  ${x.kind}  ${x.title}`),
  );
  section(
    `${plural(r.stale.length, 'learning')} that may be stale:`,
    r.stale.map((x) => `${x.file}: ${x.message}`),
  );
  section(
    `${plural(r.exports.length, 'exported file')} out of date (learning-loop export --to all):`,
    r.exports.map((x) => `${x.path}: ${x.message}`),
  );
  section(
    `${plural(r.invalid.length, 'problem')} in records (learning-loop validate):`,
    r.invalid.map((x) => `${x.file}: ${x.message} (${x.rule})`),
  );
  return `${out.join('\n')}`;
}

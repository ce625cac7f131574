/**
 * Helpers the GitHub workflows call through `learning-loop ci …`: the job summary of the
 * executions a push or pull request added, the synthesis period a scheduled run is due for,
 * and the pull-request body cap. The decisions are pure functions; Git is read in
 * `addedFiles` only.
 */
import type { Workspace } from '../core/workspace.js';
import type { RecordRow, RecordsTable } from '../core/records/table.js';
import type { ExecutionRecord, ReflectionRecord } from '../core/records/kinds.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import { gitSyncText } from '../io/git.js';

/** GitHub refuses pull-request bodies longer than this many characters. */
export const GITHUB_BODY_LIMIT = 65_536;
/** Our cap: well below GitHub's limit, leaving room for the truncation note. */
export const DEFAULT_BODY_CAP = 60_000;

/** The Git empty tree: the base when a branch has no history to compare with. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** Which files a change added, and what it was compared with. */
export interface AddedFiles {
  /** The base actually used (a commit, or the empty tree). */
  base: string;
  /** Why the requested base was replaced, when it was. */
  note?: string;
  /** Repo-relative POSIX paths added between base and HEAD. */
  files: string[];
}

function gitOut(cwd: string, args: string[]): string | undefined {
  try {
    return gitSyncText(cwd, args).trim();
  } catch {
    return undefined;
  }
}

/**
 * Files added between `base` and HEAD under the knowledge base. A missing, all-zero (new
 * branch) or unknown base falls back to HEAD's parent, or to the empty tree for a first commit.
 */
export function addedFiles(ws: Workspace, base: string | undefined): AddedFiles {
  const cwd = ws.repoRoot;
  let used = base?.trim() ?? '';
  let note: string | undefined;
  const isCommit = (ref: string): boolean => ref !== '' && !/^0+$/.test(ref) && gitOut(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) !== undefined;
  if (!isCommit(used)) {
    const parent = isCommit('HEAD^') ? 'HEAD^' : EMPTY_TREE;
    note = used ? `Base \`${used}\` is not a commit here; compared with ${parent === 'HEAD^' ? 'the previous commit' : 'an empty repository'}.` : undefined;
    used = parent;
  }
  const kb = ws.kbPrefix && !ws.kbPrefix.startsWith('/') ? ws.kbPrefix : '.';
  const out = gitOut(cwd, ['diff', '--name-only', '--no-renames', '--diff-filter=A', '-z', used, 'HEAD', '--', kb]) ?? '';
  const files = out.split('\0').filter(Boolean).sort();
  return note ? { base: used, note, files } : { base: used, files };
}

/** One anti-pattern flag for the summary (whatever the learning engine reports). */
export interface SummaryFlag {
  title: string;
  detail?: string;
}

/** What the job summary shows. */
export interface CiSummary {
  base: string;
  note?: string;
  executions: ExecutionRecord[];
  reflections: ReflectionRecord[];
  /** Executions whose trigger asks for a reflection or template. */
  triggered: ExecutionRecord[];
  flags: SummaryFlag[];
  errors: number;
  warnings: number;
}

/** Picks the summary's content from the table and the added files. Pure. */
export function summarize(table: RecordsTable, added: AddedFiles, flags: SummaryFlag[] = []): CiSummary {
  const set = new Set(added.files);
  const isNew = (r: RecordRow): boolean => set.has(r.file);
  const executions = table.rows.filter((r) => r.kind === 'execution' && isNew(r)).map((r) => r.data as ExecutionRecord);
  const reflections = table.rows.filter((r) => r.kind === 'reflection' && isNew(r)).map((r) => r.data as ReflectionRecord);
  const triggered = executions.filter((e) => Boolean(e.trigger));
  const count = (list: Diagnostic[], s: Diagnostic['severity']): number => list.filter((d) => d.severity === s).length;
  const s: CiSummary = { base: added.base, executions, reflections, triggered, flags, errors: count(table.diagnostics, 'error'), warnings: count(table.diagnostics, 'warning') };
  if (added.note) s.note = added.note;
  return s;
}

/** Escapes untrusted record text for Markdown (table cells, list items): no HTML, no breaks. */
function cell(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

/** Renders the job summary as GitHub-flavoured Markdown. Deterministic. */
export function renderSummary(s: CiSummary): string {
  const lines: string[] = ['## learning-loop', ''];
  lines.push(`Records: ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}.`);
  if (s.note) lines.push('', `_${s.note}_`);
  lines.push('', `### New executions (${s.executions.length})`, '');
  if (!s.executions.length) lines.push('No execution records were added.');
  else {
    lines.push('| id | task | component | outcome | accuracy | efficiency | reusability | surprise | overall | trigger |', '|---|---|---|---|---:|---:|---:|---:|---:|---|');
    for (const e of s.executions) {
      const sc = e.scores;
      lines.push(
        `| \`${cell(e.id)}\` | ${cell(e.task_id)} | ${cell(e.component)} | ${cell(e.outcome)} | ${cell(sc.accuracy)} | ${cell(sc.efficiency)} | ${cell(sc.reusability)} | ${cell(sc.surprise)} | **${cell(e.overall)}** | ${cell(e.trigger)} |`,
      );
    }
  }
  lines.push('', `### Triggered (${s.triggered.length})`, '');
  if (!s.triggered.length) lines.push('No execution triggered a reflection, template extraction or architecture update.');
  for (const e of s.triggered) lines.push(`- \`${cell(e.id)}\`: **${cell(e.trigger)}** (overall ${cell(e.overall)})`);
  if (s.reflections.length) {
    lines.push('', `### New reflections (${s.reflections.length})`, '');
    for (const r of s.reflections) lines.push(`- \`${cell(r.id)}\``);
  }
  lines.push('', `### Anti-pattern flags (${s.flags.length})`, '');
  if (!s.flags.length) lines.push('None.');
  for (const f of s.flags) lines.push(`- **${cell(f.title)}**${f.detail ? `: ${cell(f.detail)}` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** A synthesis period, or `none` when a scheduled run is not due. */
export type SynthesisPeriod = 'week' | 'month' | 'none';

/** Inputs of the period decision (the workflow passes them through `env:`). */
export interface PeriodInput {
  /** `schedule`, `workflow_dispatch`, … */
  event: string;
  /** The cron expression that fired (scheduled runs). */
  schedule?: string;
  /** The period asked for by hand (`week` or `month`). */
  period?: string;
  /** Now (UTC); injected for tests. */
  date: Date;
  /** Whether the monthly synthesis is due on a date (the learning engine's `shouldRunMonthly`). */
  isMonthlyDay: (date: Date) => boolean;
}

/**
 * Decides which synthesis a run makes. By hand: the requested period (default week).
 * Scheduled: a cron on Sunday (day-of-week 0 or 7) is weekly; any other cron is the monthly
 * candidate and runs only when `isMonthlyDay` says so (the last Friday by default, from
 * config/triggers.yaml). Other events: none.
 */
export function synthesisPeriod(input: PeriodInput): SynthesisPeriod {
  if (input.event === 'workflow_dispatch') return input.period === 'month' ? 'month' : 'week';
  if (input.event !== 'schedule') return 'none';
  const dow = (input.schedule ?? '').trim().split(/\s+/)[4] ?? '';
  if (dow === '0' || dow === '7' || /^sun$/i.test(dow)) return 'week';
  return input.isMonthlyDay(input.date) ? 'month' : 'none';
}

/**
 * Caps a pull-request body below GitHub's limit, cutting at a line break and saying where the
 * full report is. Never splits a surrogate pair.
 */
export function capPrBody(text: string, max = DEFAULT_BODY_CAP): string {
  const limit = Math.min(max, GITHUB_BODY_LIMIT - 1);
  if (text.length <= limit) return text;
  const note = '\n\n---\n_The report is longer than a pull-request body allows; it was cut here. The full report is in the files of this pull request._\n';
  let cut = limit - note.length;
  const nl = text.lastIndexOf('\n', cut);
  if (nl > cut / 2) cut = nl;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return text.slice(0, cut) + note;
}

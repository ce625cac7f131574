/**
 * Planning an execution-history import. Pure: rows in, the files to write (rendered and checked)
 * and diagnostics out. Rows are scored in history order (started_at, then source order) against
 * the knowledge base plus every row planned before them, through an index of comparable
 * executions (same agent and model), so a 10k-row history is planned without re-scanning the
 * history for every row. A score the source does not measure is left out, never defaulted.
 */
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ResolvedConfig } from '../config.js';
import type { RecordRow } from '../records/table.js';
import { derivedId } from '../records/ids.js';
import { recordPath, type ExecutionRecord, type ReflectionRecord } from '../records/kinds.js';
import { buildExecution, findForbiddenKeys, validateInput } from '../records/execution-input.js';
import { scanSecrets } from '../records/secrets.js';
import { checkRecordText, schemaDiagnostics } from '../records/validate.js';
import { renderRecord } from '../records/write.js';
import type { HistoryRow } from './execution-formats.js';

/** A file the import writes. */
export interface PlannedFile {
  id: string;
  kind: 'execution' | 'reflection';
  /** Path relative to the knowledge-base root. */
  kbRel: string;
  text: string;
}

/** One source row's files: its reflections (Reflexion) and its execution, written together or not at all. */
export interface PlannedGroup {
  /** `file:line` of the source row. */
  source: string;
  execution: PlannedFile & { record: ExecutionRecord };
  reflections: PlannedFile[];
}

/** The plan of an import. */
export interface ExecutionImportPlan {
  /** In history order. */
  groups: PlannedGroup[];
  diagnostics: Diagnostic[];
  /** Rows whose execution is already in the knowledge base. */
  already: number;
  /** Rows refused (each has at least one error diagnostic). */
  bad: number;
}

/** What the planner needs from the workspace. */
export interface PlanContext {
  config: ResolvedConfig;
  /** Display prefix of the knowledge base (repo-relative, with a trailing slash or ''). */
  kbPrefix: string;
}

type Entry = { t: string; id: string; d: number };

const byTimeId = (a: Entry, b: Entry): number => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What places an execution among comparable ones: its task, and (per agent) who ran it with which model. */
type Placed = Pick<ExecutionRecord, 'task_type' | 'component'> & Partial<Pick<ExecutionRecord, 'agent' | 'usage'>>;

/**
 * Comparable earlier executions, indexed by task type and by task type + component, each list
 * sorted by (started_at, id). `durations` returns exactly what `comparableDurations` computes
 * over the same executions (tested), in O(log n + window) instead of a scan and a sort. With
 * `perAgent` (imports), only executions of the same agent and model are comparable — what
 * `comparableDurations` computes over those executions (tested): a leaderboard's models are
 * each compared with itself, never a slow model with a fast one.
 */
export class ComparableIndex {
  private readonly lists = new Map<string, Entry[]>();

  constructor(
    private readonly window: number,
    private readonly perAgent = false,
  ) {}

  private keys(e: Placed): string[] {
    const who = this.perAgent ? `${e.agent ?? ''}\0${e.usage?.model ?? ''}\0` : '';
    return e.component ? [`t\0${who}${e.task_type}`, `c\0${who}${e.task_type}\0${e.component}`] : [`t\0${who}${e.task_type}`];
  }

  /** Adds an execution to the history. */
  add(e: Placed & Pick<ExecutionRecord, 'id' | 'started_at' | 'duration_s'>): void {
    const entry: Entry = { t: e.started_at, id: e.id, d: e.duration_s };
    for (const k of this.keys(e)) {
      let list = this.lists.get(k);
      if (!list) this.lists.set(k, (list = []));
      // Histories are imported in time order: appending is the usual case.
      if (!list.length || byTimeId(list[list.length - 1]!, entry) <= 0) list.push(entry);
      else
        list.splice(
          lowerBound(list, (x) => byTimeId(x, entry) < 0),
          0,
          entry,
        );
    }
  }

  private earlier(key: string, e: Pick<ExecutionRecord, 'id' | 'started_at'>): number[] {
    const list = this.lists.get(key);
    if (!list) return [];
    const end = lowerBound(list, (x) => x.t < e.started_at);
    const out: number[] = [];
    for (let i = end - 1; i >= 0 && out.length < this.window; i -= 1) if (list[i]!.id !== e.id) out.push(list[i]!.d);
    return out.reverse();
  }

  /** Durations of the comparable executions that started before `e` (same component first). */
  durations(e: Placed & Pick<ExecutionRecord, 'id' | 'started_at'>): number[] {
    const [byType, byComponent] = this.keys(e);
    const same = byComponent ? this.earlier(byComponent, e) : [];
    return same.length ? same : this.earlier(byType!, e);
  }
}

/** First index where `before` is false (the list is partitioned: true first). */
function lowerBound<T>(list: readonly T[], before: (x: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/** Where a row came from, for messages. */
const where = (row: HistoryRow): string => `${row.file}:${row.line}`;

/** Secrets in a row's source text (and, when the text escapes characters, in its decoded strings). */
function rowSecrets(row: HistoryRow): Diagnostic[] {
  const reword = (d: Diagnostic): Diagnostic => ({ ...d, message: d.message.replace(/^Line \d+ contains/, 'The row contains') });
  const out: Diagnostic[] = [];
  for (const s of row.scan) {
    for (const d of scanSecrets(row.file, s.text)) {
      const { column, ...rest } = reword(d);
      const line = s.line + (d.line ?? 1) - 1;
      // Columns are exact on the row's first line when its own column is known.
      if (s.column !== undefined && column !== undefined) out.push({ ...rest, line, column: (d.line ?? 1) === 1 ? column + s.column - 1 : column });
      else out.push({ ...rest, line });
    }
  }
  if (out.length || !row.scan.some((s) => s.text.includes('\\'))) return out;
  // `\u0067hp_…` in JSON is a token all the same: look at the decoded strings too.
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(row.input);
  for (const d of scanSecrets(row.file, strings.join('\n'))) {
    const { column: _c, ...rest } = reword(d);
    out.push({ ...rest, line: row.line });
  }
  return out;
}

/** Validates one row; returns the clean input or the problems. */
function checkRow(row: HistoryRow): { data?: Record<string, unknown>; problems: Diagnostic[] } {
  const forbidden = findForbiddenKeys(row.input);
  if (forbidden.length)
    return { problems: forbidden.map((p) => diag('yaml/prototype-key', row.file, `Key \`${String(p[p.length - 1])}\` is refused.`, row.locate(p.slice(0, -1), String(p[p.length - 1])))) };
  const data: Record<string, unknown> = { ...row.input };
  if (data.kind === undefined) data.kind = 'execution';
  const validate = validateInput();
  const problems: Diagnostic[] = [];
  if (!validate(data)) problems.push(...schemaDiagnostics(row.file, validate.errors ?? [], row.locate, data));
  if (data.started_at === undefined && !problems.some((d) => d.message.includes('started_at'))) {
    problems.push(
      diag('schema/required', row.file, 'Required field `started_at` is missing: an imported history needs the time each execution started.', {
        ...row.locate([]),
        hint: 'Add started_at as an ISO time with a zone, e.g. 2026-10-01T09:00:00Z (a CSV cell may hold a date: 2026-10-01 is read as midnight UTC).',
      }),
    );
  }
  problems.push(...rowSecrets(row));
  if (problems.length) return { problems: problems.map((d) => (d.line === undefined ? { ...d, line: row.line } : d)) };
  // Imported history is dated by its source: created when it ended, never "now".
  if (data.created_at === undefined) data.created_at = isoSeconds(Date.parse(data.started_at as string) + Math.round(Number(data.duration_s) * 1000));
  return { data, problems };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Reflection `j` of `n` is written `n - j` seconds before the execution that recalls it starts. */
const reflectionTime = (startMs: number, n: number, j: number): number => startMs - (n - j) * 1000;

/** The reflection records of a Reflexion row, created just before its execution starts. */
function reflectionFiles(row: HistoryRow, exec: ExecutionRecord, ids: readonly string[]): Array<PlannedFile & { record: ReflectionRecord }> {
  const texts = row.reflections ?? [];
  const startMs = Date.parse(exec.started_at);
  return texts.map((text, j) => {
    const record: ReflectionRecord = {
      kind: 'reflection',
      id: ids[j]!,
      created_at: isoSeconds(reflectionTime(startMs, texts.length, j)),
      title: clip(`Reflection ${j + 1} of ${texts.length} on ${exec.task_id} (${exec.agent})`, 300),
      reflection_type: 'root_cause_analysis',
      reason: `Written after failed try ${j + 1} of ${exec.task_id}; recalled by the later tries.`,
      executions: [exec.id],
      status: 'done',
      root_cause: clip(text, 4000),
    };
    const body = `Imported from \`${row.file.split('/').pop()}\` line ${row.line} (Reflexion run log): reflection ${j + 1} of ${texts.length}, written after a failed try and recalled by the next tries of the same task.`;
    return { id: record.id, kind: 'reflection' as const, kbRel: recordPath(record), text: renderRecord(record, body), record };
  });
}

/** A valid row with its id and its reflections' ids, waiting to be scored (`order`: its place in the source). */
type Ready = { row: HistoryRow; data: Record<string, unknown>; id: string; reflectionIds: string[]; order: number };

/** History order: started_at, then source order. */
const byHistoryOrder = (a: Ready, b: Ready): number => {
  const x = a.data.started_at as string;
  const y = b.data.started_at as string;
  return x < y ? -1 : x > y ? 1 : a.order - b.order;
};

/**
 * Validates every row and gives it its id; bad rows, rows repeated in the source and rows already
 * imported are counted in `plan` and dropped. The rest are returned in history order.
 */
function readyRows(rows: readonly HistoryRow[], known: ReadonlySet<string>, plan: ExecutionImportPlan): Ready[] {
  const ready: Ready[] = [];
  const seen = new Map<string, HistoryRow>();
  rows.forEach((row, order) => {
    const { data, problems } = checkRow(row);
    if (!data) {
      plan.bad += 1;
      plan.diagnostics.push(...problems);
      return;
    }
    const startMs = Date.parse(data.started_at as string);
    const id = typeof data.id === 'string' ? data.id : derivedId('execution', startMs, row.key);
    const twin = seen.get(id);
    if (twin) {
      plan.diagnostics.push(diag('import/duplicate', row.file, `The same execution as ${where(twin)} (id \`${id}\`): counted once.`, { line: row.line, column: 1 }));
      return;
    }
    seen.set(id, row);
    if (known.has(id)) {
      plan.already += 1;
      return;
    }
    const n = row.reflections?.length ?? 0;
    const reflectionIds = (row.reflections ?? []).map((_, j) => derivedId('reflection', reflectionTime(startMs, n, j), `${row.key}\nreflection ${j}`));
    if (reflectionIds.length) data.recalled = [...new Set([...((data.recalled as string[] | undefined) ?? []), ...reflectionIds])];
    ready.push({ row, data, id, reflectionIds, order });
  });
  return ready.sort(byHistoryOrder);
}

/** What planning one row reads besides the row itself. */
interface RowEnv {
  ctx: PlanContext;
  /** Every execution that started before the row: the knowledge base's and the rows planned so far. */
  index: ComparableIndex;
  /** Ids in the knowledge base. */
  known: ReadonlySet<string>;
  /** Ids of every record this import may create. */
  planned: ReadonlySet<string>;
  checkOpts: { thresholds: ResolvedConfig['thresholds']; maxBytes: number };
  now: Date;
}

/** Builds and scores a row's execution against the comparable executions that started before it. */
function scoreRow({ row, data, id }: Ready, env: RowEnv): { record: ExecutionRecord; body: string } {
  const draft: Record<string, unknown> = { ...data, id };
  const comparable = env.index.durations({
    id,
    task_type: draft.task_type as string,
    component: draft.component as string | undefined,
    started_at: draft.started_at as string,
    agent: draft.agent as string,
    usage: draft.usage as ExecutionRecord['usage'],
  });
  // Efficiency needs an earlier run of the same agent and model to compare with; without one it is not measured.
  const unmeasured = comparable.length || row.unmeasured.includes('efficiency') ? row.unmeasured : [...row.unmeasured, 'efficiency' as const];
  return buildExecution(draft, [], { config: env.ctx.config }, env.now, comparable, unmeasured);
}

/** `recalled` links to records that neither exist nor are created by this import. */
function missingLinks(row: HistoryRow, record: ExecutionRecord, env: RowEnv): Diagnostic[] {
  const problems: Diagnostic[] = [];
  (record.recalled ?? []).forEach((target, i) => {
    if (!env.known.has(target) && !env.planned.has(target)) problems.push(diag('link/missing', row.file, `\`recalled\` links to \`${target}\`, which does not exist.`, row.locate(['recalled', i])));
  });
  return problems;
}

/** The row's files checked as `validate` checks them: one `import/row` error per invalid file. */
function invalidFiles(row: HistoryRow, files: ReadonlyArray<{ kbRel: string; text: string }>, env: RowEnv): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const f of files) {
    const check = checkRecordText(f.kbRel, f.text, env.checkOpts, `${env.ctx.kbPrefix}${f.kbRel}`);
    const errors = check.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) problems.push(diag('import/row', row.file, `The row would become an invalid record: ${errors.map((e) => e.message).join(' ')}`, { line: row.line, column: 1 }));
  }
  return problems;
}

/** Plans one row: its execution and reflection files, or the problems that refuse it. */
function planRow(ready: Ready, env: RowEnv): { group: PlannedGroup } | { problems: Diagnostic[] } {
  const { row, id, reflectionIds } = ready;
  const { record, body } = scoreRow(ready, env);
  const kbRel = recordPath(record);
  const text = renderRecord(record, body);
  const links = missingLinks(row, record, env);
  if (links.length) return { problems: links };
  const reflections = reflectionFiles(row, record, reflectionIds);
  const invalid = invalidFiles(row, [{ kbRel, text }, ...reflections], env);
  if (invalid.length) return { problems: invalid };
  return { group: { source: where(row), execution: { id, kind: 'execution', kbRel, text, record }, reflections: reflections.map(({ record: _r, ...f }) => f) } };
}

/**
 * Plans an import of history rows into a knowledge base holding `existing`. Rows already there
 * (same derived id) are counted and skipped; bad rows are reported with `file:line[:col]` and a
 * catalog rule; every planned file has passed the same checks `validate` runs.
 */
export function planExecutionImport(rows: readonly HistoryRow[], existing: readonly RecordRow[], ctx: PlanContext, now: Date = new Date(0)): ExecutionImportPlan {
  const plan: ExecutionImportPlan = { groups: [], diagnostics: [], already: 0, bad: 0 };
  const known = new Set(existing.map((r) => r.id));
  const index = new ComparableIndex(ctx.config.scoring.comparable_window, true);
  for (const r of existing) if (r.data.kind === 'execution') index.add(r.data);
  const ready = readyRows(rows, known, plan);
  // Scored in history order, each row against everything that started before it.
  const planned = new Set([...ready.map((r) => r.id), ...ready.flatMap((r) => r.reflectionIds)]);
  const env: RowEnv = { ctx, index, known, planned, checkOpts: { thresholds: ctx.config.thresholds, maxBytes: ctx.config.build.max_file_bytes }, now };
  for (const r of ready) {
    const result = planRow(r, env);
    if ('problems' in result) {
      plan.bad += 1;
      plan.diagnostics.push(...result.problems.map((d) => (d.line === undefined ? { ...d, line: r.row.line } : d)));
      continue;
    }
    index.add(result.group.execution.record);
    plan.groups.push(result.group);
  }
  return plan;
}

/**
 * Recording an execution: validate the input, complete the score card from evidence, refuse
 * secrets, write the record (and the reflection stub its trigger calls for) atomically and
 * without overwriting anything, then optionally commit and push.
 *
 * Everything that can be checked is checked before the first byte is written; if the second
 * file cannot be written the first is removed, so nothing is ever half-recorded.
 */
import { join } from 'node:path';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import { schemaDiagnostics, checkRecordText } from '../core/records/validate.js';
import { recordPath, type ExecutionRecord } from '../core/records/kinds.js';
import { renderRecord } from '../core/records/write.js';
import { scanSecrets } from '../core/records/secrets.js';
import { MAX_YAML_DEPTH, nestedDeeperThan, tooDeepAt } from '../core/records/yaml-subset.js';
import { buildExecution, findForbiddenKeys, inputSchema, jsonLocator, reflectionIdFor, unknownReused, validateInput } from '../core/records/execution-input.js';
import { type RecordRow } from '../core/records/table.js';
import { buildReflection } from '../core/learn/reflection.js';
import { derivedPatternsFor } from './reflect.js';
import { openIndex } from '../index/api.js';
import { exists, removeFile, writeFileExclusive } from '../io/fs.js';
import { displayPath, type Workspace } from '../core/workspace.js';
import { commitPaths, pushWithRetry, StaleLockError } from '../io/git.js';

/** Options for {@link recordExecution}. */
export interface RecordOptions {
  /** Commit the new files (one commit per record). */
  commit?: boolean;
  /** Push after committing, rebasing and retrying when the remote moved (implies commit). */
  push?: boolean;
  /** The clock (default: now); used for ids and missing timestamps. */
  now?: Date;
  /** Validate and score, but write nothing. */
  dryRun?: boolean;
  /** Write the reflection stub when a trigger fires (default true). */
  reflect?: boolean;
  /** Display name of the input in diagnostics (default `<input>`), e.g. `<stdin>` or a path. */
  source?: string;
  /** The raw JSON text the input was parsed from, so diagnostics get line:column. */
  sourceText?: string;
  /** Records already loaded (skips loading the table); callers that record many in a row pass it. */
  rows?: readonly RecordRow[];
}

/** What {@link recordExecution} did. */
export interface RecordResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  execution?: ExecutionRecord;
  /** Repo-relative path of the execution record. */
  path?: string;
  reflection?: { id: string; path: string };
  /** The commit id, with `commit`. */
  commit?: string;
  /** Whether the push succeeded, with `push`. */
  pushed?: boolean;
  /** Pushes refused because the remote moved (each followed by a rebase). */
  pushRetries: number;
}

/**
 * Records one execution. `input` is the execution as plain data (the frontmatter's field
 * names, optional `body`, optional `id` / `started_at` / `created_at` for imported history).
 * Never throws for bad input: problems come back as diagnostics and nothing is written.
 */
export async function recordExecution(ws: Workspace, input: unknown, opts: RecordOptions = {}): Promise<RecordResult> {
  const source = opts.source ?? '<input>';
  const pos = jsonLocator(opts.sourceText);
  const fail = (diagnostics: Diagnostic[]): RecordResult => ({ ok: false, diagnostics, pushRetries: 0 });
  const checked = checkInput(ws, input, opts, source, pos);
  if ('problems' in checked) return fail(checked.problems);

  const rows = opts.rows ?? (await openIndex(ws).table()).rows;
  const { record, body } = buildExecution(checked.data, rows, ws, opts.now ?? new Date());
  const byId = new Map(rows.map((r) => [r.id, r]));
  const clashes = idAndLinkProblems(record, byId, source, pos);
  if (clashes.length) return fail(clashes);
  const warnings = unknownReused(record.reused ?? [], byId, source, pos);

  const kbRel = recordPath(record);
  const text = renderRecord(record, body);
  // Defence in depth: what we write must pass the same checks `validate` runs.
  const check = checkRecordText(kbRel, text, { thresholds: ws.config.thresholds, maxBytes: ws.config.build.max_file_bytes }, displayPath(ws, kbRel));
  if (check.diagnostics.some((d) => d.severity !== 'info')) return fail(check.diagnostics); // secrets included

  const planned = opts.reflect !== false && record.trigger ? await plannedReflection(ws, record, rows, byId, source) : undefined;
  if (planned && 'problems' in planned) return fail(planned.problems);
  const reflection = planned;

  const result: RecordResult = { ok: true, diagnostics: warnings, execution: record, path: displayPath(ws, kbRel), pushRetries: 0 };
  if (reflection) result.reflection = { id: reflection.id, path: displayPath(ws, reflection.kbRel) };
  if (opts.dryRun) return result;

  const unwritten = writeRecordFiles(ws, kbRel, text, reflection);
  if (unwritten) return fail(unwritten);
  if (opts.commit || opts.push) await commitAndPush(ws, record, result, Boolean(opts.push));
  return result;
}

type Locator = ReturnType<typeof jsonLocator>;

/**
 * The input's problems before anything is built (shape, depth, refused keys, the knowledge base,
 * Git when asked to commit, the schema, secrets), or the data to build from.
 */
function checkInput(ws: Workspace, input: unknown, opts: RecordOptions, source: string, pos: Locator): { problems: Diagnostic[] } | { data: Record<string, unknown> } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    const found = Array.isArray(input) ? 'a list' : input === null ? 'null' : typeof input;
    return { problems: [diag('input/field', source, `The input must be one JSON object with the execution's fields (found ${found}).`, { line: 1, column: 1 })] };
  }
  // Refused before anything walks it recursively (the checks below, the schema, the YAML writer).
  if (nestedDeeperThan(input)) {
    const deep = opts.sourceText === undefined ? undefined : tooDeepAt(opts.sourceText);
    const before = deep === undefined ? '' : opts.sourceText!.slice(0, deep);
    const at = deep === undefined ? { line: 1, column: 1 } : { line: 1 + (before.match(/\n/g)?.length ?? 0), column: deep - (before.lastIndexOf('\n') + 1) + 1 };
    return { problems: [diag('yaml/too-deep', source, `The input is nested more than ${MAX_YAML_DEPTH} levels deep.`, at)] };
  }
  const forbidden = findForbiddenKeys(input);
  if (forbidden.length) {
    return { problems: forbidden.map((p) => diag('yaml/prototype-key', source, `Key \`${String(p[p.length - 1])}\` is refused.`, pos(p.slice(0, -1), String(p[p.length - 1])))) };
  }
  const place = placeProblems(ws, opts);
  if (place.length) return { problems: place };
  const data = { ...(input as Record<string, unknown>) };
  if (data.kind === undefined) data.kind = 'execution';
  const validate = validateInput();
  if (!validate(data)) return { problems: schemaDiagnostics(source, validate.errors ?? [], pos, data, inputSchema()) };
  // Secrets: refused before anything is built or written, positioned in the original text.
  const secrets = scanSecrets(source, opts.sourceText ?? JSON.stringify(data, null, 2));
  if (secrets.length) {
    return { problems: opts.sourceText ? secrets : secrets.map(({ line: _l, column: _c, ...d }) => ({ ...d, message: d.message.replace(/^Lines? [\d-]+ contains?/, 'The input contains') })) };
  }
  return { data };
}

/** No knowledge base, or a commit asked for outside Git: decided before anything is written (a record asked to be committed is never left uncommitted). */
function placeProblems(ws: Workspace, opts: RecordOptions): Diagnostic[] {
  if (!exists(ws.kbRoot)) return [diag('kb/missing', ws.kbPrefix || ws.kbRoot, `No knowledge base at ${ws.kbPrefix || ws.kbRoot}; nothing was written.`)];
  if ((opts.commit || opts.push) && !ws.inGit) {
    const flag = opts.push ? 'push' : 'commit';
    return [
      diag('git/not-a-repo', ws.kbPrefix || '.', `Cannot ${flag}: the folder is not inside a Git repository; nothing was written.`, {
        hint: `Run \`git init\` first, or record without --commit/--push (MCP: without commit/push) to write the file only.`,
      }),
    ];
  }
  return [];
}

/** An id already used, and `recalled` ids that do not exist. */
function idAndLinkProblems(record: ExecutionRecord, byId: ReadonlyMap<string, RecordRow>, source: string, pos: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const clash = byId.get(record.id);
  if (clash) out.push(diag('id/duplicate', source, `Id \`${record.id}\` is already used by ${clash.file}.`, pos(['id'])));
  (record.recalled ?? []).forEach((target, i) => {
    if (!byId.has(target)) out.push(diag('link/missing', source, `\`recalled\` links to \`${target}\`, which does not exist.`, pos(['recalled', i])));
  });
  return out;
}

/** The reflection stub a trigger asks for, checked like any record; undefined when none is built. */
async function plannedReflection(
  ws: Workspace,
  record: ExecutionRecord,
  rows: readonly RecordRow[],
  byId: ReadonlyMap<string, RecordRow>,
  source: string,
): Promise<{ id: string; kbRel: string; text: string } | { problems: Diagnostic[] } | undefined> {
  const rid = reflectionIdFor(record.id);
  // A large history's patterns come from the last learning snapshot (small ones are extracted).
  const derived = await derivedPatternsFor(ws, rows);
  const built = buildReflection(record, rows, ws.config, { ...(rid ? { id: rid } : {}), ...(derived ? { derived } : {}) });
  if (!built) return undefined;
  const rRel = recordPath(built.record);
  const rText = renderRecord(built.record, built.body);
  const rCheck = checkRecordText(rRel, rText, { thresholds: ws.config.thresholds }, displayPath(ws, rRel));
  if (rCheck.diagnostics.some((d) => d.severity === 'error')) return { problems: rCheck.diagnostics };
  if (byId.has(built.record.id)) return { problems: [diag('id/duplicate', source, `Reflection id \`${built.record.id}\` is already used by ${byId.get(built.record.id)!.file}.`)] };
  return { id: built.record.id, kbRel: rRel, text: rText };
}

/** Writes the execution and its reflection, never overwriting; both or neither. Problems when not written. */
function writeRecordFiles(ws: Workspace, kbRel: string, text: string, reflection: { kbRel: string; text: string } | undefined): Diagnostic[] | undefined {
  const absExec = join(ws.kbRoot, kbRel);
  try {
    if (!writeFileExclusive(absExec, text)) return [diag('input/exists', displayPath(ws, kbRel), `A record already exists at ${displayPath(ws, kbRel)}; nothing was written.`)];
  } catch (error) {
    return [diag('file/unreadable', displayPath(ws, kbRel), `Could not write the record: ${(error as Error).message}`)];
  }
  if (!reflection) return undefined;
  let problem = '';
  try {
    if (writeFileExclusive(join(ws.kbRoot, reflection.kbRel), reflection.text)) return undefined;
    problem = 'a file already exists there';
  } catch (error) {
    problem = (error as Error).message;
  }
  // Nothing half-written: take the execution back out.
  try {
    removeFile(absExec);
  } catch {
    // already gone
  }
  return [
    diag(problem.startsWith('a file') ? 'input/exists' : 'file/unreadable', displayPath(ws, reflection.kbRel), `Could not write the reflection (${problem}); the execution was not recorded either.`),
  ];
}

/** Commits the written files (and pushes, with retries); a failure is reported on `result`, the files stay. */
async function commitAndPush(ws: Workspace, record: ExecutionRecord, result: RecordResult, push: boolean): Promise<void> {
  const paths = [result.path!, ...(result.reflection ? [result.reflection.path] : [])];
  try {
    const c = await commitPaths(ws.repoRoot, paths, `learning-loop: record ${record.id} (${record.task_id}, ${record.outcome}, ${record.overall})`);
    result.commit = c.sha;
  } catch (error) {
    if (error instanceof StaleLockError) result.diagnostics.push(diag('git/stale-lock', result.path!, `The record was written but not committed: ${error.message}`));
    else result.diagnostics.push(diag('git/commit-failed', result.path!, `The record was written but the commit failed: ${(error as Error).message.trim()}`));
    result.ok = false;
    return;
  }
  if (!push) return;
  const p = await pushWithRetry(ws.repoRoot, { remote: ws.config.git.remote, branch: ws.config.git.branch, maxRetries: ws.config.git.push_retries });
  result.pushed = p.pushed;
  result.pushRetries = p.retries;
  if (p.pushed) return;
  result.ok = false;
  const retries = `${p.retries} retr${p.retries === 1 ? 'y' : 'ies'}`;
  result.diagnostics.push(
    diag(p.staleLock ? 'git/stale-lock' : 'git/push-failed', result.path!, `The record is committed (${result.commit!.slice(0, 12)}) but the push failed after ${retries}: ${(p.error ?? '').trim()}`),
  );
}

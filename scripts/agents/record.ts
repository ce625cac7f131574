/**
 * Recording an execution: validate the input, complete the score card from evidence, refuse
 * secrets, write the record (and the reflection stub its trigger calls for) atomically and
 * without overwriting anything, then optionally commit and push.
 *
 * Everything that can be checked is checked before the first byte is written; if the second
 * file cannot be written the first is removed, so nothing is ever half-recorded.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { diag, type Diagnostic, type Position } from '../core/diagnostics/diagnostic.js';
import { executionSchema } from '../core/records/schema-source.js';
import { schemaDiagnostics, checkRecordText } from '../core/records/validate.js';
import { FORBIDDEN_KEYS, locate, parseYamlDocument, type PositionedDoc } from '../core/records/parse.js';
import { newId, isSafeId, looksLikeRecordId } from '../core/records/ids.js';
import { didYouMean } from '../core/diagnostics/suggest.js';
import { recordPath, type ExecutionRecord } from '../core/records/kinds.js';
import { renderRecord } from '../core/records/write.js';
import { scanSecrets } from '../core/records/secrets.js';
import { MAX_YAML_DEPTH, nestedDeeperThan, tooDeepAt } from '../core/records/yaml-subset.js';
import { completeScores, computeOverall, decideTrigger, type Scores } from '../core/score/formulas.js';
import { completesStreak } from '../core/score/streak.js';
import { loadTable, type RecordRow } from '../index/table.js';
import { buildReflection } from '../core/learn/reflection.js';
import { LEARN_INLINE_MAX } from '../core/learn/derived.js';
import { snapshotPatterns } from '../index/learned-state.js';
import { writeFileExclusive } from '../io/fs.js';
import { displayPath, type Workspace } from '../io/workspace.js';
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
  /** Records already loaded (skips `loadTable`); callers that record many in a row pass it. */
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

/** Input fields besides the record's own: the Markdown body. */
const EXTRA_INPUT = { body: { type: 'string', maxLength: 200000 } } as const;

/** Fields `record` computes itself; the input may give scores partly or not at all. */
const INPUT_REQUIRED = ['task_id', 'task_type', 'agent', 'outcome', 'duration_s'];

let inputValidator: ValidateFunction | undefined;
let inputSchemaCache: object | undefined;

/** The input schema: the execution schema with optional id/times/kind, partial scores and `body`. */
function inputSchema(): object {
  if (inputSchemaCache) return inputSchemaCache;
  const schema = structuredClone(executionSchema) as unknown as {
    $id: string;
    required: string[];
    properties: Record<string, unknown> & { scores: { required?: string[] } };
  };
  schema.$id = `${schema.$id.replace(/execution\.schema\.json$/, '')}execution-input.schema.json`;
  schema.required = INPUT_REQUIRED;
  delete schema.properties.scores.required;
  Object.assign(schema.properties, EXTRA_INPUT);
  inputSchemaCache = schema;
  return schema;
}

/** The compiled input validator (shared by `record` and `import executions`). */
export function validateInput(): ValidateFunction {
  inputValidator ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(inputSchema());
  return inputValidator;
}

/** Paths of refused keys (`__proto__`, `constructor`, `prototype`) anywhere in a value. */
export function findForbiddenKeys(value: unknown, path: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) value.forEach((v, i) => findForbiddenKeys(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) out.push([...path, key]);
      else findForbiddenKeys((value as Record<string, unknown>)[key], [...path, key], out);
    }
  }
  return out;
}

/**
 * Positions in JSON input: JSON is YAML 1.2, so the positioned YAML parser maps a data path
 * to the line and column of its node in the original text.
 */
export function jsonLocator(text: string | undefined): (path: ReadonlyArray<string | number>, key?: string) => Position {
  let doc: PositionedDoc | undefined;
  return (path, key) => {
    if (text === undefined) return {};
    try {
      doc ??= parseYamlDocument(text, 1);
      return locate(doc, path, key);
    } catch {
      return {};
    }
  };
}

/**
 * Offset of the first JSON syntax error in `text` (a small strict scanner: JSON.parse in
 * Node 20 does not always say where it stopped). Returns -1 when the text is valid JSON.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i += 1;
  };
  const fail = (): never => {
    throw i;
  };
  const str = () => {
    if (text[i] !== '"') fail();
    i += 1;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail();
      if (text[i] === '\\') {
        i += 1;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail();
      }
      i += 1;
    }
    if (i >= text.length) fail();
    i += 1;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i += 1;
      ws();
      if (text[i] === '}') {
        i += 1;
        return;
      }
      for (;;) {
        ws();
        str();
        ws();
        if (text[i] !== ':') fail();
        i += 1;
        value();
        ws();
        if (text[i] === ',') i += 1;
        else if (text[i] === '}') {
          i += 1;
          return;
        } else fail();
      }
    }
    if (c === '[') {
      i += 1;
      ws();
      if (text[i] === ']') {
        i += 1;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i += 1;
        else if (text[i] === ']') {
          i += 1;
          return;
        } else fail();
      }
    }
    if (c === '"') return str();
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    return typeof at === 'number' ? at : 0;
  }
}

/**
 * Parses JSON input text. Syntax errors come back as an `input/json` diagnostic at the line
 * and column where the text stops being JSON.
 */
export function parseJsonInput(text: string, source: string): { input?: unknown; diagnostics: Diagnostic[] } {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!clean.trim()) return { diagnostics: [diag('input/json', source, 'The input is empty; expected one JSON object.', { line: 1, column: 1 })] };
  try {
    return { input: JSON.parse(clean), diagnostics: [] };
  } catch (error) {
    const msg = (error as Error).message;
    const offset = Math.min(Math.max(jsonErrorOffset(clean), 0), clean.length);
    const before = clean.slice(0, offset).split('\n');
    const at: Position = { line: before.length, column: before[before.length - 1]!.length + 1 };
    return { diagnostics: [diag('input/json', source, `The input is not valid JSON: ${msg.replace(/^JSON\.parse: /, '')}.`, at)] };
  }
}

/** The comparable earlier executions for the efficiency baseline (see docs/recording.md). */
export function comparableDurations(rows: readonly RecordRow[], e: Pick<ExecutionRecord, 'id' | 'task_type' | 'component' | 'started_at'>, window: number): number[] {
  const earlier = rows
    .filter((r): r is RecordRow<ExecutionRecord> => r.kind === 'execution' && r.id !== e.id)
    .map((r) => r.data)
    .filter((x) => x.task_type === e.task_type && x.started_at < e.started_at)
    .sort((a, b) => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.id < b.id ? -1 : 1));
  const sameComponent = e.component ? earlier.filter((x) => x.component === e.component) : [];
  const pool = sameComponent.length ? sameComponent : earlier;
  return pool.slice(-window).map((x) => x.duration_s);
}

/** `link/unknown-reused` warnings: reused names that look like record ids but name no record. */
function unknownReused(reused: readonly string[], byId: ReadonlyMap<string, RecordRow>, source: string, pos: (path: ReadonlyArray<string | number>) => Position): Diagnostic[] {
  const out: Diagnostic[] = [];
  reused.forEach((name, i) => {
    if (!looksLikeRecordId(name) || byId.has(name)) return;
    const prefix = name.slice(0, name.indexOf('-') + 1);
    const close = didYouMean(name, [...byId.keys()].filter((id) => id.startsWith(prefix)));
    out.push(
      diag('link/unknown-reused', source, `\`reused\` names \`${name}\`, which looks like a record id but does not exist; it does not count towards reusability.`, {
        ...pos(['reused', i]),
        ...(close ? { hint: `Did you mean \`${close}\`? Free-form names such as \`component:TimeSlotGrid\` are fine too.` } : {}),
      }),
    );
  });
  return out;
}

function executionsOf(rows: readonly RecordRow[]): ExecutionRecord[] {
  return rows.filter((r): r is RecordRow<ExecutionRecord> => r.kind === 'execution').map((r) => r.data);
}

function templatesOf(rows: readonly RecordRow[]): Array<{ task_type?: string; component?: string }> {
  return rows.filter((r) => r.kind === 'template').map((r) => r.data as { task_type?: string; component?: string });
}

function reflectionIdFor(executionId: string): string | undefined {
  const id = `rf-${executionId.replace(/^ex-/, '')}`;
  return isSafeId(id) ? id : undefined;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Builds the execution record from validated input (pure). Missing scores are computed from
 * the evidence; `overall` and `trigger` follow the config thresholds. `comparable` (durations
 * of the comparable earlier executions) skips the scan of `rows`, for callers that index them.
 */
export function buildExecution(input: Record<string, unknown>, rows: readonly RecordRow[], ws: Pick<Workspace, 'config'>, now: Date, comparable?: readonly number[]): { record: ExecutionRecord; body: string } {
  const { body, scores: given, overall: _o, trigger: _t, computed: _c, ...rest } = input as Record<string, unknown> & { body?: string; scores?: Partial<Scores> };
  const duration = Number(rest.duration_s);
  const createdMs = typeof rest.created_at === 'string' ? Date.parse(rest.created_at) : now.getTime();
  const created_at = typeof rest.created_at === 'string' ? rest.created_at : isoSeconds(createdMs);
  const started_at = typeof rest.started_at === 'string' ? rest.started_at : isoSeconds(createdMs - Math.round(duration * 1000));
  const id = typeof rest.id === 'string' ? rest.id : newId('execution', Date.parse(started_at) || createdMs);
  const draft = { ...rest, kind: 'execution', id, created_at, started_at } as unknown as ExecutionRecord;
  const post = draft.post ?? {};
  // An id that does not exist was not reused: it must not raise reusability (free-form names count).
  const known = new Set(rows.map((r) => r.id));
  const reused = draft.reused?.filter((x) => !looksLikeRecordId(x) || known.has(x));
  const { scores, computed } = completeScores(
    given ?? {},
    {
      outcome: draft.outcome,
      duration_s: duration,
      checks: draft.checks,
      errors: draft.errors,
      reused,
      produced: draft.produced,
      deviations: post.deviations,
      discoveries: post.discoveries,
      comparableDurations: comparable ?? comparableDurations(rows, draft, ws.config.scoring.comparable_window),
    },
    ws.config.scoring.default_efficiency,
  );
  const record: ExecutionRecord = {
    ...draft,
    scores,
    overall: computeOverall(scores),
    trigger: decideTrigger(scores, ws.config.thresholds).action,
  };
  // Routine work cannot pass the mean's template threshold: a streak of flawless runs can.
  if (record.trigger === null && completesStreak(executionsOf(rows), templatesOf(rows), record, ws.config.scoring.template_streak)) record.trigger = 'extract_template';
  if (computed.length) record.computed = computed;
  else delete record.computed;
  return { record, body: typeof body === 'string' ? body : '' };
}

/**
 * Records one execution. `input` is the execution as plain data (the frontmatter's field
 * names, optional `body`, optional `id` / `started_at` / `created_at` for imported history).
 * Never throws for bad input: problems come back as diagnostics and nothing is written.
 */
export async function recordExecution(ws: Workspace, input: unknown, opts: RecordOptions = {}): Promise<RecordResult> {
  const source = opts.source ?? '<input>';
  const now = opts.now ?? new Date();
  const fail = (diagnostics: Diagnostic[]): RecordResult => ({ ok: false, diagnostics, pushRetries: 0 });
  const pos = jsonLocator(opts.sourceText);

  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return fail([diag('input/field', source, `The input must be one JSON object with the execution's fields (found ${Array.isArray(input) ? 'a list' : input === null ? 'null' : typeof input}).`, { line: 1, column: 1 })]);
  }
  // Refused before anything walks it recursively (the checks below, the schema, the YAML writer).
  if (nestedDeeperThan(input)) {
    const deep = opts.sourceText === undefined ? undefined : tooDeepAt(opts.sourceText);
    const before = deep === undefined ? '' : opts.sourceText!.slice(0, deep);
    const at = deep === undefined ? { line: 1, column: 1 } : { line: 1 + (before.match(/\n/g)?.length ?? 0), column: deep - (before.lastIndexOf('\n') + 1) + 1 };
    return fail([diag('yaml/too-deep', source, `The input is nested more than ${MAX_YAML_DEPTH} levels deep.`, at)]);
  }
  const forbidden = findForbiddenKeys(input);
  if (forbidden.length) {
    return fail(forbidden.map((p) => diag('yaml/prototype-key', source, `Key \`${String(p[p.length - 1])}\` is refused.`, pos(p.slice(0, -1), String(p[p.length - 1])))));
  }
  if (!existsSync(ws.kbRoot)) {
    return fail([diag('kb/missing', ws.kbPrefix || ws.kbRoot, `No knowledge base at ${ws.kbPrefix || ws.kbRoot}; nothing was written.`)]);
  }
  // Decided before anything is written: a record that was asked to be committed is never left uncommitted.
  if ((opts.commit || opts.push) && !ws.inGit) {
    const flag = opts.push ? 'push' : 'commit';
    return fail([diag('git/not-a-repo', ws.kbPrefix || '.', `Cannot ${flag}: the folder is not inside a Git repository; nothing was written.`, { hint: `Run \`git init\` first, or record without --commit/--push (MCP: without commit/push) to write the file only.` })]);
  }
  const data = { ...(input as Record<string, unknown>) };
  if (data.kind === undefined) data.kind = 'execution';
  const validate = validateInput();
  if (!validate(data)) return fail(schemaDiagnostics(source, validate.errors ?? [], pos, data, inputSchema()));

  // Secrets: refused before anything is built or written, positioned in the original text.
  const secretText = opts.sourceText ?? JSON.stringify(data, null, 2);
  const secrets = scanSecrets(source, secretText);
  if (secrets.length) return fail(opts.sourceText ? secrets : secrets.map(({ line: _l, column: _c, ...d }) => ({ ...d, message: d.message.replace(/^Lines? [\d-]+ contains?/, 'The input contains') })));

  const rows = opts.rows ?? loadTable(ws).rows;
  const { record, body } = buildExecution(data, rows, ws, now);

  const diagnostics: Diagnostic[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const clash = byId.get(record.id);
  if (clash) diagnostics.push(diag('id/duplicate', source, `Id \`${record.id}\` is already used by ${clash.file}.`, pos(['id'])));
  (record.recalled ?? []).forEach((target, i) => {
    if (!byId.has(target)) diagnostics.push(diag('link/missing', source, `\`recalled\` links to \`${target}\`, which does not exist.`, pos(['recalled', i])));
  });
  if (diagnostics.length) return fail(diagnostics);
  const warnings = unknownReused(record.reused ?? [], byId, source, pos);

  const kbRel = recordPath(record);
  const text = renderRecord(record, body);
  // Defence in depth: what we write must pass the same checks `validate` runs.
  const check = checkRecordText(kbRel, text, { thresholds: ws.config.thresholds, maxBytes: ws.config.build.max_file_bytes }, displayPath(ws, kbRel));
  if (check.diagnostics.some((d) => d.severity !== 'info')) return fail(check.diagnostics); // secrets included

  let reflection: { id: string; kbRel: string; text: string } | undefined;
  if (opts.reflect !== false && record.trigger) {
    const rid = reflectionIdFor(record.id);
    // A large history's patterns come from the last learning snapshot (small ones are extracted).
    const executions = rows.reduce((n, r) => n + (r.kind === 'execution' ? 1 : 0), 0);
    const derived = executions > LEARN_INLINE_MAX ? snapshotPatterns(ws.outDir) : undefined;
    const built = buildReflection(record, rows, ws.config, { ...(rid ? { id: rid } : {}), ...(derived ? { derived } : {}) });
    if (built) {
      const rRel = recordPath(built.record);
      const rText = renderRecord(built.record, built.body);
      const rCheck = checkRecordText(rRel, rText, { thresholds: ws.config.thresholds }, displayPath(ws, rRel));
      if (rCheck.diagnostics.some((d) => d.severity === 'error')) return fail(rCheck.diagnostics);
      if (byId.has(built.record.id)) return fail([diag('id/duplicate', source, `Reflection id \`${built.record.id}\` is already used by ${byId.get(built.record.id)!.file}.`)]);
      reflection = { id: built.record.id, kbRel: rRel, text: rText };
    }
  }

  const result: RecordResult = { ok: true, diagnostics: warnings, execution: record, path: displayPath(ws, kbRel), pushRetries: 0 };
  if (reflection) result.reflection = { id: reflection.id, path: displayPath(ws, reflection.kbRel) };
  if (opts.dryRun) return result;

  const absExec = join(ws.kbRoot, kbRel);
  try {
    if (!writeFileExclusive(absExec, text)) return fail([diag('input/exists', displayPath(ws, kbRel), `A record already exists at ${displayPath(ws, kbRel)}; nothing was written.`)]);
  } catch (error) {
    return fail([diag('file/unreadable', displayPath(ws, kbRel), `Could not write the record: ${(error as Error).message}`)]);
  }
  if (reflection) {
    let written = false;
    let problem = '';
    try {
      written = writeFileExclusive(join(ws.kbRoot, reflection.kbRel), reflection.text);
      if (!written) problem = 'a file already exists there';
    } catch (error) {
      problem = (error as Error).message;
    }
    if (!written) {
      // Nothing half-written: take the execution back out.
      try {
        unlinkSync(absExec);
      } catch {
        // already gone
      }
      return fail([diag(problem.startsWith('a file') ? 'input/exists' : 'file/unreadable', displayPath(ws, reflection.kbRel), `Could not write the reflection (${problem}); the execution was not recorded either.`)]);
    }
  }

  if (opts.commit || opts.push) {
    const paths = [result.path!, ...(result.reflection ? [result.reflection.path] : [])];
    try {
      const c = await commitPaths(ws.repoRoot, paths, `learning-loop: record ${record.id} (${record.task_id}, ${record.outcome}, ${record.overall})`);
      result.commit = c.sha;
    } catch (error) {
      if (error instanceof StaleLockError) result.diagnostics.push(diag('git/stale-lock', result.path!, `The record was written but not committed: ${error.message}`));
      else result.diagnostics.push(diag('git/commit-failed', result.path!, `The record was written but the commit failed: ${(error as Error).message.trim()}`));
      result.ok = false;
      return result;
    }
    if (opts.push) {
      const p = await pushWithRetry(ws.repoRoot, { remote: ws.config.git.remote, branch: ws.config.git.branch, maxRetries: ws.config.git.push_retries });
      result.pushed = p.pushed;
      result.pushRetries = p.retries;
      if (!p.pushed) {
        result.ok = false;
        result.diagnostics.push(diag(p.staleLock ? 'git/stale-lock' : 'git/push-failed', result.path!, `The record is committed (${result.commit!.slice(0, 12)}) but the push failed after ${p.retries} retr${p.retries === 1 ? 'y' : 'ies'}: ${(p.error ?? '').trim()}`));
      }
    }
  }
  return result;
}

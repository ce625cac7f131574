/**
 * The input of `record` (CLI, MCP, library, imports): its schema (the execution schema with
 * optional id, times and scores, and a body), the JSON reader with positioned errors, and the
 * pure step that turns a valid input into an execution record (completing scores, overall and
 * trigger from the history's rows). Writing it is agents/record.ts.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import * as VALIDATORS from './validators.generated.js';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { diag, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import { executionInputSchema, standaloneSchema } from './schema-source.js';
import { FORBIDDEN_KEYS, locate, parseYamlDocument, type PositionedDoc } from './parse.js';
import { newId, isSafeId, looksLikeRecordId } from './ids.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { ExecutionRecord } from './kinds.js';
import { completeScores, computeOverall, decideTrigger, type OptionalScoreName, type Scores } from '../score/formulas.js';
import { completesStreak } from '../score/streak.js';
import type { RecordRow } from './table.js';
import type { Workspace } from '../workspace.js';

let standaloneInput: object | undefined;

/**
 * The input schema (core/records/schema-source.ts: `executionInputSchema`) with its shared
 * fragments written out in place, as tool clients and hints read it.
 */
export function inputSchema(): object {
  standaloneInput ??= standaloneSchema(executionInputSchema);
  return standaloneInput;
}

/** The input validator (shared by `record` and `import executions`): compiled ahead of time, no ajv at run time. */
export function validateInput(): ValidateFunction {
  return VALIDATORS.executionInput as unknown as ValidateFunction;
}

/** Paths of refused keys (`__proto__`, `constructor`, `prototype`) anywhere in a value. */
export function findForbiddenKeys(value: unknown, path: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) findForbiddenKeys(v, [...path, i], out);
  } else if (value !== null && typeof value === 'object') {
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
 * Offset of the first JSON syntax error in `text` (JSON.parse in Node 20 does not always say
 * where it stopped), from jsonc-parser in strict mode; -1 when it finds none.
 */
export function jsonErrorOffset(text: string): number {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return errors.length ? errors[0]!.offset : -1;
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
export function unknownReused(reused: readonly string[], byId: ReadonlyMap<string, RecordRow>, source: string, pos: (path: ReadonlyArray<string | number>) => Position): Diagnostic[] {
  const out: Diagnostic[] = [];
  reused.forEach((name, i) => {
    if (!looksLikeRecordId(name) || byId.has(name)) return;
    const prefix = name.slice(0, name.indexOf('-') + 1);
    const close = didYouMean(
      name,
      [...byId.keys()].filter((id) => id.startsWith(prefix)),
    );
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

export function reflectionIdFor(executionId: string): string | undefined {
  const id = `rf-${executionId.replace(/^ex-/, '')}`;
  return isSafeId(id) ? id : undefined;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Builds the execution record from validated input (pure). Missing scores are computed from
 * the evidence, except those in `unmeasured` (an import's source does not measure them), which
 * are left out; `overall` and `trigger` follow the config thresholds. `comparable` (durations
 * of the comparable earlier executions) skips the scan of `rows`, for callers that index them.
 */
export function buildExecution(
  input: Record<string, unknown>,
  rows: readonly RecordRow[],
  ws: Pick<Workspace, 'config'>,
  now: Date,
  comparable?: readonly number[],
  unmeasured: readonly OptionalScoreName[] = [],
): { record: ExecutionRecord; body: string } {
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
    unmeasured,
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

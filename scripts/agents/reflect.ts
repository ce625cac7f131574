/**
 * Edge for `reflect <execution-id>` and `LearningOrchestrator.performReflection`: builds the
 * reflection (with its proposed template / assumption update) and writes the files that do not
 * exist yet. A reflection people already filled in is never overwritten.
 */
import { join } from 'node:path';
import type { Workspace } from '../core/workspace.js';
import { writeFileExclusive } from '../io/fs.js';
import type { RecordRow } from '../core/records/table.js';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { ExecutionRecord } from '../core/records/kinds.js';
import { recordPath } from '../core/records/kinds.js';
import { renderRecord } from '../core/records/write.js';
import type { TriggerAction } from '../core/score/formulas.js';
import { buildReflection, type BuiltReflection } from '../core/learn/reflection.js';
import { LEARN_INLINE_MAX } from '../core/learn/derived.js';
import type { ExtractedPattern } from '../core/learn/types.js';
import { openIndex } from '../index/api.js';

/** What `reflectOn` did. */
export interface ReflectResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  reflection?: BuiltReflection;
  /** Repo-relative paths written. */
  written: string[];
  /** Repo-relative paths that already existed (left untouched). */
  existing: string[];
}

/** Deterministic reflection id for an execution. */
export function reflectionIdFor(executionId: string): string {
  return `rf-${executionId.replace(/^ex-/, '')}`.slice(0, 128);
}

/**
 * The derived patterns a reflection cites, as `patterns` finds them: undefined up to
 * `LEARN_INLINE_MAX` executions (the reflection extracts them from the rows, reflections
 * included), above it the last learning snapshot's (undefined when there is none).
 */
export async function derivedPatternsFor(ws: Workspace, rows: readonly RecordRow[]): Promise<ExtractedPattern[] | undefined> {
  const executions = rows.reduce((n, r) => n + (r.kind === 'execution' ? 1 : 0), 0);
  return executions > LEARN_INLINE_MAX ? await openIndex(ws).learned.patterns() : undefined;
}

/**
 * Builds and (unless `dryRun`) writes the reflection for `executionId`. `action` overrides the
 * execution's trigger (an execution without trigger gets a root-cause analysis).
 */
export async function reflectOn(ws: Workspace, rows: readonly RecordRow[], executionId: string, opts: { action?: TriggerAction; dryRun?: boolean } = {}): Promise<ReflectResult> {
  const row = rows.find((r) => r.id === executionId);
  if (!row || row.kind !== 'execution') {
    return { ok: false, diagnostics: [diag('input/not-found', executionId, `No execution with id \`${executionId}\`.`)], written: [], existing: [] };
  }
  const exec = row.data as ExecutionRecord;
  const trigger = opts.action ?? exec.trigger ?? 'mandatory_reflection';
  const derived = await derivedPatternsFor(ws, rows);
  const built = buildReflection({ ...exec, trigger }, rows, ws.config, { id: reflectionIdFor(exec.id), createdAt: exec.created_at, extras: true, ...(derived ? { derived } : {}) })!;
  const files: Array<[string, string]> = [[recordPath(built.record), renderRecord(built.record, built.body)]];
  if (built.template) files.push([recordPath(built.template.record), renderRecord(built.template.record, built.template.body)]);
  if (built.assumption) files.push([recordPath(built.assumption.record), renderRecord(built.assumption.record, built.assumption.body)]);
  const written: string[] = [];
  const existing: string[] = [];
  const ids = new Set(rows.map((r) => r.id));
  for (const [rel, text] of files) {
    const display = `${ws.kbPrefix}${rel}`;
    if (opts.dryRun) {
      written.push(display);
      continue;
    }
    const id = rel.slice(rel.lastIndexOf('/') + 1, -3);
    if (ids.has(id) || !writeFileExclusive(join(ws.kbRoot, rel), text)) existing.push(display);
    else written.push(display);
  }
  return { ok: true, diagnostics: [], reflection: built, written, existing };
}

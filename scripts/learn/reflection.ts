/**
 * Reflection builder: the record a trigger calls for, pre-filled with the evidence found in the
 * history. Pure: takes the execution, the records table rows and the config; returns the
 * reflection record and its Markdown body. `record` calls it when a trigger fires.
 */
import type { ExecutionRecord, ReflectionRecord } from '../records/kinds.js';
import type { RecordRow } from '../build/table.js';
import type { ResolvedConfig } from '../adapters/config.js';
import { newId } from '../records/ids.js';
import { fingerprint } from './fingerprint.js';

/** A built reflection: the record and its Markdown body. */
export interface BuiltReflection {
  record: ReflectionRecord;
  body: string;
}

const TYPE_FOR = {
  mandatory_reflection: 'root_cause_analysis',
  extract_template: 'template_extraction',
  update_architecture: 'assumption_review',
} as const;

/**
 * Builds the reflection stub for an execution whose trigger fired (undefined when none did).
 * `id` and `createdAt` are parameters so callers control determinism.
 */
export function buildReflection(
  execution: ExecutionRecord,
  rows: readonly RecordRow[],
  _config: ResolvedConfig,
  opts: { id?: string; createdAt?: string } = {},
): BuiltReflection | undefined {
  if (!execution.trigger) return undefined;
  const history = rows.filter((r): r is RecordRow<ExecutionRecord> => r.kind === 'execution' && r.id !== execution.id).map((r) => r.data);
  const similarFailures = history
    .filter((e) => e.outcome !== 'success' && e.task_type === execution.task_type && (!execution.component || e.component === execution.component))
    .map((e) => e.id)
    .sort()
    .slice(-10);
  const mine = new Map((execution.errors ?? []).map((m) => [fingerprint(m).id, fingerprint(m).text]));
  const recurring: Array<{ fingerprint: string; count: number; executions: string[] }> = [];
  for (const [fp, text] of mine) {
    const ids = history.filter((e) => (e.errors ?? []).some((m) => fingerprint(m).id === fp)).map((e) => e.id).sort();
    if (ids.length) recurring.push({ fingerprint: text, count: ids.length + 1, executions: ids.slice(-10) });
  }
  const record: ReflectionRecord = {
    kind: 'reflection',
    id: opts.id ?? newId('reflection'),
    created_at: opts.createdAt ?? execution.created_at,
    title: `${TYPE_FOR[execution.trigger].replace(/_/g, ' ')}: ${execution.task_id}`,
    reflection_type: TYPE_FOR[execution.trigger],
    trigger: execution.trigger,
    executions: [execution.id],
    status: 'open',
    evidence: {
      similar_failures: similarFailures,
      recurring_errors: recurring,
      assumptions: execution.pre?.assumptions ?? [],
      dependencies: execution.pre?.dependencies ?? [],
      recalled: execution.recalled ?? [],
    },
  };
  if (execution.domains) record.domains = execution.domains;
  const body = [
    `## ${record.title}`,
    '',
    `Execution \`${execution.id}\` (${execution.task_type}${execution.component ? ` / ${execution.component}` : ''}, ${execution.outcome}) scored ${execution.overall}.`,
    '',
    '## What to fill in',
    '',
    execution.trigger === 'mandatory_reflection'
      ? '- Root cause: what actually went wrong, and why the assumptions above did not hold.\n- Action: the rule or change that prevents it next time.'
      : execution.trigger === 'extract_template'
        ? '- The steps that made this work, written so another agent can reuse them.'
        : '- Which working assumption was wrong, and what the architecture should assume instead.',
    '',
  ].join('\n');
  return { record, body };
}

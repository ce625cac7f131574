/**
 * Every JSON Schema (draft 2020-12) in `schemas/`: each record kind's comes from its module
 * (scripts/core/kinds/), the config's is here.
 *
 * `npm run gen` writes `schemas/*.schema.json`, `scripts/core/records/types.generated.ts` and the
 * validators from these objects; a test fails when any is out of date, so the TypeScript types
 * can never drift from the published schemas.
 */

import { DRAFT, SCHEMA_BASE as BASE, dereference, withDefs } from '../kinds/fragments.js';
import { KIND_MODULES } from '../kinds/registry.js';
import { executionSchema } from '../kinds/execution.js';

/**
 * What `record` accepts (CLI, MCP, library, imports): the execution schema with optional id, times
 * and kind, scores given partly or not at all (the rest are computed), and a Markdown `body`.
 */
export const executionInputSchema = withDefs({
  ...executionSchema,
  $id: `${BASE}execution-input.schema.json`,
  title: 'Execution input',
  description: 'The input of `learning-loop record`: an execution before scoring (missing scores, id and times are filled in).',
  required: ['task_id', 'task_type', 'agent', 'outcome', 'duration_s'],
  properties: {
    ...executionSchema.properties,
    scores: { type: 'object', additionalProperties: false, properties: executionSchema.properties.scores.properties },
    body: { type: 'string', maxLength: 200000 },
  },
} as const);

const threshold = { type: 'number', minimum: 0, maximum: 100 } as const;

export const configSchema = {
  $schema: DRAFT,
  $id: `${BASE}config.schema.json`,
  title: 'learning-loop config (config/triggers.yaml)',
  description: "The seed's Step 3 trigger configuration plus learning-loop's own keys. Every key is optional; defaults apply.",
  type: 'object',
  additionalProperties: false,
  properties: {
    reflection_triggers: {
      type: 'object',
      additionalProperties: false,
      properties: {
        checkpoints: {
          type: 'array',
          items: {
            type: 'object',
            minProperties: 1,
            maxProperties: 1,
            propertyNames: { enum: ['pre_task', 'mid_task', 'post_task', 'sprint_review'] },
            additionalProperties: { type: 'boolean' },
          },
        },
        thresholds: {
          type: 'object',
          additionalProperties: false,
          properties: { low_performance: threshold, high_performance: threshold, high_surprise: threshold },
        },
        synthesis_schedule: {
          type: 'object',
          additionalProperties: false,
          properties: {
            weekly: { type: 'string', pattern: '^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)_([01]\\d|2[0-3]):[0-5]\\d$' },
            monthly: { type: 'string', pattern: '^(last|first)_(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$' },
          },
        },
      },
    },
    scoring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        comparable_window: { type: 'integer', minimum: 1, maximum: 10000, description: 'How many earlier comparable executions the efficiency baseline uses.' },
        default_efficiency: threshold,
        template_streak: {
          type: 'integer',
          minimum: 0,
          maximum: 1000,
          description: 'Flawless executions of one task type and component in a row that trigger extract_template (0 turns the rule off).',
        },
      },
    },
    patterns: {
      type: 'object',
      additionalProperties: false,
      properties: {
        success_score: threshold,
        failure_score: threshold,
        min_support: { type: 'integer', minimum: 1 },
        min_lift: { type: 'number', minimum: 1 },
        max_items: { type: 'integer', minimum: 1, maximum: 4 },
      },
    },
    anti_patterns: {
      type: 'object',
      additionalProperties: false,
      properties: {
        repeated_error_count: { type: 'integer', minimum: 2 },
        rising_duration_min_points: { type: 'integer', minimum: 3 },
        rising_duration_min_slope: { type: 'number', minimum: 0 },
        low_reuse_rate: { type: 'number', minimum: 0, maximum: 1 },
        repeated_surprise_count: { type: 'integer', minimum: 2 },
      },
    },
    recall: {
      type: 'object',
      additionalProperties: false,
      properties: { default_limit: { type: 'integer', minimum: 1, maximum: 100 }, default_budget: { type: 'integer', minimum: 50, maximum: 100000 } },
    },
    statistics: {
      type: 'object',
      additionalProperties: false,
      properties: {
        strata: {
          type: 'array',
          uniqueItems: true,
          items: { enum: ['task_type', 'component', 'week', 'agent', 'domain', 'sprint'] },
          description: 'What makes executions comparable when the effect of memory is estimated: executions are compared within groups equal on all of these (ISO week for `week`).',
        },
        alpha: { type: 'number', exclusiveMinimum: 0, maximum: 0.5, description: 'A test is significant below this p-value (effects, trends).' },
        fdr: { type: 'number', exclusiveMinimum: 0, maximum: 0.5, description: 'False discovery rate controlled across learnings, themes and series (Benjamini–Hochberg).' },
      },
    },
    git: {
      type: 'object',
      additionalProperties: false,
      properties: { push_retries: { type: 'integer', minimum: 0, maximum: 100 }, remote: { type: 'string' }, branch: { type: 'string' } },
    },
    build: {
      type: 'object',
      additionalProperties: false,
      properties: { out_dir: { type: 'string', pattern: '^[^/\\\\][^\\\\]*$' }, max_file_bytes: { type: 'integer', minimum: 1024 } },
    },
  },
} as const;

/** Every schema, keyed by the file name it is published under in `schemas/`: each kind's (with the shared fragments it uses as `$defs`), then the config's. */
export const SCHEMAS: Readonly<Record<string, object>> = {
  ...Object.fromEntries(KIND_MODULES.map((m) => [m.kind, withDefs(m.schema)])),
  config: configSchema,
};

/** A schema with every shared fragment written out in place (what type generators and MCP clients read). */
export function standaloneSchema(schema: object): Record<string, unknown> {
  return dereference(schema) as Record<string, unknown>;
}

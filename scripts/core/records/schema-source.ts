/**
 * The single source of every JSON Schema (draft 2020-12) in `schemas/`.
 *
 * `npm run gen` writes `schemas/*.schema.json` and `scripts/core/records/types.generated.ts`
 * from these objects; a test fails when either is out of date, so the TypeScript types can
 * never drift from the published schemas.
 */

import { CONFIG_DEFINITION } from '../config-definition.js';
import { configSchemaOf } from '../config-derive.js';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const BASE = 'https://learning-loop.local/schemas/';

/** File-name safe, collision-free id: letters, digits, `_` and `-` only (no dots, no slashes). */
const id = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$',
  description: 'Unique, file-name safe id (letters, digits, "_" and "-"; at most 128 characters).',
} as const;
const idList = { type: 'array', items: id, uniqueItems: true } as const;
const timestamp = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
  description: 'ISO 8601 date-time with a time zone, e.g. 2026-11-02T14:05:00Z.',
} as const;
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'ISO 8601 date, e.g. 2026-11-02.' } as const;
const slug = {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9_.-]{0,79}$',
  description: 'Lower-case vocabulary term (letters, digits, "_", "-", "."), e.g. booking-form.',
} as const;
const slugList = { type: 'array', items: slug, uniqueItems: true } as const;
const text = { type: 'string', maxLength: 4000 } as const;
const textList = { type: 'array', items: text, maxItems: 200 } as const;
/** A score: a number from 0 to 100; decimals are kept (a benchmark's 35.6 % stays 35.6). */
const score = { type: 'number', minimum: 0, maximum: 100 } as const;
const status = {
  type: 'string',
  enum: ['proposed', 'accepted', 'rejected', 'archived'],
  description: 'Review state: proposed -> accepted | rejected -> archived. Nothing is deleted.',
} as const;
const review = {
  type: 'object',
  additionalProperties: false,
  properties: {
    decided_at: timestamp,
    by: { type: 'string', maxLength: 200 },
    reason: text,
  },
} as const;
const provenance = {
  type: 'object',
  additionalProperties: false,
  required: ['source'],
  properties: {
    source: { type: 'string', maxLength: 500, description: 'Where the learning came from (file, format, tool).' },
    format: { type: 'string', maxLength: 100 },
    imported_at: timestamp,
    digest: { type: 'string', maxLength: 128 },
  },
} as const;

/** Fields every record has. */
const common = {
  kind: { type: 'string' },
  id,
  created_at: timestamp,
  title: { type: 'string', maxLength: 300 },
  tags: slugList,
  domains: slugList,
} as const;

/** Fields of long-lived kinds that go through review. */
const lifecycle = {
  status,
  review,
  supersedes: idList,
  provenance,
  /** Files or components this learning is about; used by the staleness check. */
  about: { type: 'array', items: { type: 'string', maxLength: 300 }, maxItems: 100 },
} as const;

const scores = {
  type: 'object',
  additionalProperties: false,
  description:
    'The score card: accuracy always; efficiency, reusability and surprise when something measured them (an import leaves out what its source does not record). overall is the mean of the scores present.',
  required: ['accuracy'],
  properties: { accuracy: score, efficiency: score, reusability: score, surprise: score },
} as const;

/** What the task consumed: the model, its tokens and what it cost (all optional). */
const usage = {
  type: 'object',
  additionalProperties: false,
  description: 'Model usage of the task: model name, input / output tokens, cost in US dollars.',
  properties: {
    model: { type: 'string', minLength: 1, maxLength: 200 },
    input_tokens: { type: 'integer', minimum: 0 },
    output_tokens: { type: 'integer', minimum: 0 },
    cost_usd: { type: 'number', minimum: 0 },
  },
} as const;

const trigger = {
  type: ['string', 'null'],
  enum: ['mandatory_reflection', 'extract_template', 'update_architecture', null],
  description: 'The reflection the score card triggered (seed thresholds from config/triggers.yaml).',
} as const;

export const executionSchema = {
  $schema: DRAFT,
  $id: `${BASE}execution.schema.json`,
  title: 'Execution',
  description: 'One task execution with its score card and pre/during/post metadata (seed Tasks 2 and 3).',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'id', 'created_at', 'task_id', 'task_type', 'agent', 'started_at', 'duration_s', 'outcome', 'scores', 'overall'],
  properties: {
    ...common,
    kind: { const: 'execution' },
    task_id: { type: 'string', minLength: 1, maxLength: 200 },
    task_type: slug,
    component: slug,
    agent: { type: 'string', minLength: 1, maxLength: 100 },
    sprint: { type: 'string', maxLength: 100 },
    started_at: timestamp,
    duration_s: { type: 'number', minimum: 0, maximum: 31536000 },
    outcome: { type: 'string', enum: ['success', 'partial', 'failure'] },
    scores,
    /** Which scores were computed from evidence rather than given by the agent. */
    computed: { type: 'array', items: { type: 'string', enum: ['accuracy', 'efficiency', 'reusability', 'surprise'] }, uniqueItems: true },
    overall: { type: 'number', minimum: 0, maximum: 100 },
    trigger,
    pre: {
      type: 'object',
      additionalProperties: false,
      properties: { assumptions: textList, dependencies: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 200 }, initial_state: text },
    },
    during: {
      type: 'object',
      additionalProperties: false,
      properties: { decision_points: textList, alternatives_considered: textList },
    },
    post: {
      type: 'object',
      additionalProperties: false,
      properties: { outcomes: textList, deviations: textList, discoveries: textList },
    },
    checks: {
      type: 'object',
      additionalProperties: false,
      description: 'Automated checks run for the task (tests, lint, build): passed / total.',
      properties: { passed: { type: 'integer', minimum: 0 }, failed: { type: 'integer', minimum: 0 } },
    },
    errors: textList,
    reused: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 200, uniqueItems: true },
    produced: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 200, uniqueItems: true },
    recalled: idList,
    commit: { type: 'string', pattern: '^[0-9a-f]{7,64}$' },
    exit_code: { type: 'integer' },
    command: { type: 'string', maxLength: 2000 },
    usage,
  },
} as const;

/**
 * What `record` accepts (CLI, MCP, library, imports): the execution schema with optional id, times
 * and kind, scores given partly or not at all (the rest are computed), and a Markdown `body`.
 */
export const executionInputSchema = {
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
} as const;

export const reflectionSchema = {
  $schema: DRAFT,
  $id: `${BASE}reflection.schema.json`,
  title: 'Reflection',
  description: 'Root-cause analysis, template extraction or assumption review, linked to executions.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'id', 'created_at', 'reflection_type', 'executions'],
  properties: {
    ...common,
    kind: { const: 'reflection' },
    reflection_type: { type: 'string', enum: ['root_cause_analysis', 'template_extraction', 'assumption_review', 'free'] },
    trigger: trigger,
    reason: text,
    executions: { ...idList, minItems: 1 },
    status: { type: 'string', enum: ['open', 'done'] },
    evidence: {
      type: 'object',
      additionalProperties: false,
      properties: {
        similar_failures: idList,
        recurring_errors: {
          type: 'array',
          items: { type: 'object', additionalProperties: false, required: ['fingerprint', 'count'], properties: { fingerprint: text, count: { type: 'integer', minimum: 1 }, executions: idList } },
        },
        assumptions: textList,
        dependencies: textList,
        recalled: idList,
        patterns: idList,
      },
    },
    root_cause: text,
    actions: textList,
    proposed: idList,
  },
} as const;

export const patternSchema = {
  $schema: DRAFT,
  $id: `${BASE}pattern.schema.json`,
  title: 'Pattern',
  description: 'A success / failure / performance / dependency pattern with its evidence.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'id', 'created_at', 'pattern_type', 'category', 'status', 'statement'],
  properties: {
    ...common,
    ...lifecycle,
    kind: { const: 'pattern' },
    pattern_type: { type: 'string', enum: ['success', 'failure', 'performance', 'dependency', 'theme', 'seed', 'gotcha'] },
    category: { type: 'string', enum: ['architectural-decision', 'component-pattern', 'integration-gotcha'] },
    domain: slug,
    statement: { type: 'string', minLength: 1, maxLength: 1000 },
    definition: {
      type: 'object',
      description: 'What defines the pattern (the conditions); the stable id is derived from it.',
      additionalProperties: { type: ['string', 'number', 'boolean', 'array'] },
    },
    evidence: idList,
    support: { type: 'integer', minimum: 0 },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    lift: { type: 'number', minimum: 0 },
  },
} as const;

export const templateSchema = {
  $schema: DRAFT,
  $id: `${BASE}template.schema.json`,
  title: 'Template',
  description: 'A reusable approach extracted from high-scoring executions.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'id', 'created_at', 'status', 'summary'],
  properties: {
    ...common,
    ...lifecycle,
    kind: { const: 'template' },
    summary: { type: 'string', minLength: 1, maxLength: 500 },
    task_type: slug,
    component: slug,
    steps: textList,
    source_executions: idList,
  },
} as const;

export const ruleSchema = {
  $schema: DRAFT,
  $id: `${BASE}rule.schema.json`,
  title: 'Rule',
  description: 'An orchestrator rule handed to agents before a task.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'id', 'created_at', 'status', 'statement'],
  properties: {
    ...common,
    ...lifecycle,
    kind: { const: 'rule' },
    statement: { type: 'string', minLength: 1, maxLength: 1000 },
    rationale: text,
    applies_to: {
      type: 'object',
      additionalProperties: false,
      properties: { task_types: slugList, components: slugList, paths: { type: 'array', items: { type: 'string', maxLength: 300 } } },
    },
    topic: slug,
    from_patterns: idList,
    priority: { type: 'integer', minimum: 0, maximum: 100 },
  },
} as const;

export const assumptionSchema = {
  $schema: DRAFT,
  $id: `${BASE}assumption.schema.json`,
  title: 'Assumption',
  description: 'Current working assumptions (memory/working-memory), reviewed when surprise is high.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'id', 'created_at', 'status'],
  properties: {
    ...common,
    ...lifecycle,
    kind: { const: 'assumption' },
    statement: { type: 'string', minLength: 1, maxLength: 1000 },
    confidence: { type: 'string', enum: ['low', 'medium', 'high'] },
    components: slugList,
    assumptions: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'statement'],
        properties: {
          key: slug,
          statement: { type: 'string', minLength: 1, maxLength: 1000 },
          confidence: { type: 'string', enum: ['low', 'medium', 'high'] },
          domains: slugList,
          components: slugList,
        },
      },
    },
  },
} as const;

export const synthesisSchema = {
  $schema: DRAFT,
  $id: `${BASE}synthesis.schema.json`,
  title: 'Synthesis',
  description: 'A weekly or monthly synthesis report.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'id', 'created_at', 'period', 'period_start', 'period_end'],
  properties: {
    ...common,
    kind: { const: 'synthesis' },
    period: { type: 'string', enum: ['week', 'month'] },
    period_label: { type: 'string', maxLength: 40 },
    period_start: date,
    period_end: date,
    executions: { type: 'integer', minimum: 0 },
    reflections: idList,
    top_patterns: idList,
    proposed: idList,
    archived: idList,
    flags: { type: 'array', items: { type: 'string', maxLength: 200 } },
    metrics: { type: 'object', additionalProperties: { type: ['number', 'string', 'null'] } },
  },
} as const;

export const metricsSchema = {
  $schema: DRAFT,
  $id: `${BASE}metrics.schema.json`,
  title: 'Metrics snapshot',
  description: 'A dashboard metrics snapshot written by synthesis (metrics/).',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'id', 'created_at', 'period_start', 'period_end', 'metrics'],
  properties: {
    ...common,
    kind: { const: 'metrics' },
    period: { type: 'string', enum: ['week', 'month'] },
    period_start: date,
    period_end: date,
    metrics: { type: 'object', additionalProperties: { type: ['number', 'string', 'null', 'object', 'array'] } },
  },
} as const;

/** The config file's schema, derived from the one config definition (config-definition.ts). */
export const configSchema = { $schema: DRAFT, $id: `${BASE}config.schema.json`, ...configSchemaOf(CONFIG_DEFINITION) };

/** Every schema, keyed by the file name it is published under in `schemas/`. */
export const SCHEMAS = {
  execution: executionSchema,
  reflection: reflectionSchema,
  pattern: patternSchema,
  template: templateSchema,
  rule: ruleSchema,
  assumption: assumptionSchema,
  synthesis: synthesisSchema,
  metrics: metricsSchema,
  config: configSchema,
} as const;

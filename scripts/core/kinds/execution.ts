/** The execution kind: one task execution with its score card (seed Tasks 2 and 3). */
import type { ExecutionRecord } from '../records/types.generated.js';
import { bodyLead, clip, defineKind, yearMonth } from './contract.js';
import { recordSchema, ref } from './fragments.js';

const textList = ref('textList');

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

/** The execution record's JSON Schema. */
export const executionSchema = recordSchema({
  kind: 'execution',
  title: 'Execution',
  description: 'One task execution with its score card and pre/during/post metadata (seed Tasks 2 and 3).',
  required: ['task_id', 'task_type', 'agent', 'started_at', 'duration_s', 'outcome', 'scores', 'overall'],
  properties: {
    task_id: { type: 'string', minLength: 1, maxLength: 200 },
    task_type: ref('slug'),
    component: ref('slug'),
    agent: { type: 'string', minLength: 1, maxLength: 100 },
    sprint: { type: 'string', maxLength: 100 },
    started_at: ref('timestamp'),
    duration_s: { type: 'number', minimum: 0, maximum: 31536000 },
    outcome: { type: 'string', enum: ['success', 'partial', 'failure'] },
    scores: {
      type: 'object',
      additionalProperties: false,
      description:
        'The score card: accuracy always; efficiency, reusability and surprise when something measured them (an import leaves out what its source does not record). overall is the mean of the scores present.',
      required: ['accuracy'],
      properties: { accuracy: ref('score'), efficiency: ref('score'), reusability: ref('score'), surprise: ref('score') },
    },
    /** Which scores were computed from evidence rather than given by the agent. */
    computed: { type: 'array', items: { type: 'string', enum: ['accuracy', 'efficiency', 'reusability', 'surprise'] }, uniqueItems: true },
    overall: { type: 'number', minimum: 0, maximum: 100 },
    trigger: ref('trigger'),
    pre: {
      type: 'object',
      additionalProperties: false,
      properties: { assumptions: textList, dependencies: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 200 }, initial_state: ref('text') },
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
    recalled: ref('idList'),
    commit: { type: 'string', pattern: '^[0-9a-f]{7,64}$' },
    exit_code: { type: 'integer' },
    command: { type: 'string', maxLength: 2000 },
    usage,
  },
});

/** The execution kind. */
export const execution = defineKind<ExecutionRecord>()({
  kind: 'execution',
  plural: 'executions',
  typeName: 'ExecutionRecord',
  schema: executionSchema,
  lifecycle: false,
  folder: {
    dirs: ['memory/short-term/executions'],
    pattern: /^memory\/short-term\/executions\/\d{4}\/\d{2}\/[^/]+\.md$/,
    hint: 'memory/short-term/executions/YYYY/MM/<id>.md',
    path: (r) => `memory/short-term/executions/${yearMonth(r.started_at ?? r.created_at)}/${r.id}.md`,
  },
  links: [{ path: ['recalled'] }],
  search(r, doc, body) {
    doc.title ||= `${r.task_type}${r.component ? ` ${r.component}` : ''}: ${r.task_id}`;
    doc.outcome = r.outcome;
    if (r.component) doc.component = r.component;
    doc.task_type = r.task_type;
    doc.agent = r.agent;
    doc.date = r.started_at;
    doc.overall = r.overall;
    const post = [...(r.post?.outcomes ?? []), ...(r.post?.deviations ?? []), ...(r.post?.discoveries ?? [])];
    doc.summary = clip(post.join(' ') || bodyLead(body, 300), 300);
    if (r.errors?.length) doc.errors = r.errors.slice(0, 5).map((e) => clip(e, 200));
  },
  // Executions have a page of their own (site-data.ts: execPageOf).
  page: { section: 'executions', label: 'Executions', title: 'Executions', intro: 'Every recorded task execution with its score card.' },
});

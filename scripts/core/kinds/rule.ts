/** The rule kind: an orchestrator rule handed to agents before a task. */
import type { RuleRecord } from '../records/types.generated.js';
import { clip, defineKind, type Data } from './contract.js';
import { recordSchema, ref } from './fragments.js';

/** The rule record's JSON Schema. */
export const ruleSchema = recordSchema({
  kind: 'rule',
  title: 'Rule',
  description: 'An orchestrator rule handed to agents before a task.',
  lifecycle: true,
  required: ['status', 'statement'],
  properties: {
    statement: { type: 'string', minLength: 1, maxLength: 1000 },
    rationale: ref('text'),
    applies_to: {
      type: 'object',
      additionalProperties: false,
      properties: { task_types: ref('slugList'), components: ref('slugList'), paths: { type: 'array', items: { type: 'string', maxLength: 300 } } },
    },
    topic: ref('slug'),
    from_patterns: ref('idList'),
    priority: { type: 'integer', minimum: 0, maximum: 100 },
  },
});

/** The rule kind. */
export const rule = defineKind<RuleRecord>()({
  kind: 'rule',
  plural: 'rules',
  typeName: 'RuleRecord',
  schema: ruleSchema,
  lifecycle: true,
  folder: {
    dirs: ['rules'],
    pattern: /^rules\/[^/]+\.md$/,
    hint: 'rules/<id>.md',
    path: (r) => `rules/${r.id}.md`,
  },
  links: [
    { path: ['from_patterns'], label: 'From patterns', evidence: true },
    { path: ['supersedes'], label: 'Supersedes' },
  ],
  search(r, doc, _body) {
    doc.title ||= clip(r.statement, 200);
    doc.summary = clip(r.statement, 400);
    doc.action = clip(r.statement, 400);
    doc.applies = [...(r.applies_to?.components ?? []), ...(r.applies_to?.task_types ?? [])];
    if (r.topic) doc.tags = [...new Set([r.topic, ...doc.tags])];
  },
  page: {
    section: 'rules',
    label: 'Rules',
    title: 'Rules',
    intro: 'Orchestrator rules handed to agents before a task.',
    evidenceTitle: 'Patterns behind this rule',
    fields(d, f) {
      f.html('Statement', d.statement);
      f.text('Rationale', d.rationale);
      f.text('Topic', d.topic);
      if (d.priority !== undefined) f.text('Priority', d.priority);
      const a = (d.applies_to ?? {}) as Data;
      f.texts('Applies to task types', a.task_types);
      f.texts('Applies to components', a.components);
      f.texts('Applies to paths', a.paths);
      return undefined;
    },
  },
});

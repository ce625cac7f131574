/** The reflection kind: root-cause analysis, template extraction or assumption review, linked to executions. */
import type { ReflectionRecord } from '../records/types.generated.js';
import { bodyLead, clip, defineKind, str, yearMonth, type Data } from './contract.js';
import { recordSchema, ref } from './fragments.js';

/** The reflection record's JSON Schema. */
export const reflectionSchema = recordSchema({
  kind: 'reflection',
  title: 'Reflection',
  description: 'Root-cause analysis, template extraction or assumption review, linked to executions.',
  required: ['reflection_type', 'executions'],
  properties: {
    reflection_type: { type: 'string', enum: ['root_cause_analysis', 'template_extraction', 'assumption_review', 'free'] },
    trigger: ref('trigger'),
    reason: ref('text'),
    executions: { ...ref('idList'), type: 'array', minItems: 1 },
    status: { type: 'string', enum: ['open', 'done'] },
    evidence: {
      type: 'object',
      additionalProperties: false,
      properties: {
        similar_failures: ref('idList'),
        recurring_errors: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['fingerprint', 'count'],
            properties: { fingerprint: ref('text'), count: { type: 'integer', minimum: 1 }, executions: ref('idList') },
          },
        },
        assumptions: ref('textList'),
        dependencies: ref('textList'),
        recalled: ref('idList'),
        patterns: ref('idList'),
      },
    },
    root_cause: ref('text'),
    actions: ref('textList'),
    proposed: ref('idList'),
  },
});

/** The reflection kind. */
export const reflection = defineKind<ReflectionRecord>()({
  kind: 'reflection',
  plural: 'reflections',
  typeName: 'ReflectionRecord',
  schema: reflectionSchema,
  lifecycle: false,
  folder: {
    dirs: ['memory/short-term/reflections'],
    pattern: /^memory\/short-term\/reflections\/\d{4}\/\d{2}\/[^/]+\.md$/,
    hint: 'memory/short-term/reflections/YYYY/MM/<id>.md',
    path: (r) => `memory/short-term/reflections/${yearMonth(r.created_at)}/${r.id}.md`,
  },
  links: [
    { path: ['executions'], to: ['execution'], evidence: true },
    { path: ['evidence', 'similar_failures'], to: ['execution'], label: 'Similar failures' },
    { path: ['evidence', 'recalled'], label: 'Recalled before the task' },
    { path: ['evidence', 'patterns'], to: ['pattern'], label: 'Related patterns' },
    { path: ['proposed'], label: 'Proposed' },
  ],
  search(r, doc, body) {
    doc.title ||= `${r.reflection_type.replace(/_/g, ' ')} (${r.executions.length} execution${r.executions.length === 1 ? '' : 's'})`;
    doc.summary = clip(r.reason || bodyLead(body, 300), 300);
    if (r.root_cause) doc.action = clip(r.root_cause, 400);
    else if (r.actions?.length) doc.action = clip(r.actions.join('; '), 400);
    doc.links = [...r.executions];
  },
  page: {
    section: 'reflections',
    label: 'Reflections',
    title: 'Reflections',
    intro: 'Root-cause analyses, template extractions and assumption reviews, linked to executions.',
    evidenceTitle: 'Executions reflected on',
    fields(d, f) {
      const badge = str(d.reflection_type).replace(/_/g, ' ');
      f.text('Type', badge);
      f.text('Trigger', d.trigger);
      f.text('Reason', d.reason);
      f.text('Root cause', d.root_cause);
      f.texts('Actions', d.actions);
      const ev = (d.evidence ?? {}) as Data;
      if (Array.isArray(ev.recurring_errors))
        f.items(
          'Recurring errors',
          (ev.recurring_errors as Data[]).map((x) => `${str(x.fingerprint)} (×${str(x.count)})`),
        );
      f.texts('Assumptions at the time', ev.assumptions);
      f.texts('Dependencies', ev.dependencies);
      return badge;
    },
  },
});

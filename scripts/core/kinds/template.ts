/** The template kind: a reusable approach extracted from high-scoring executions. */
import type { TemplateRecord } from '../records/types.generated.js';
import { clip, defineKind } from './contract.js';
import { recordSchema, ref } from './fragments.js';

/** The template record's JSON Schema. */
export const templateSchema = recordSchema({
  kind: 'template',
  title: 'Template',
  description: 'A reusable approach extracted from high-scoring executions.',
  lifecycle: true,
  required: ['status', 'summary'],
  properties: {
    summary: { type: 'string', minLength: 1, maxLength: 500 },
    task_type: ref('slug'),
    component: ref('slug'),
    steps: ref('textList'),
    source_executions: ref('idList'),
  },
});

/** The template kind. */
export const template = defineKind<TemplateRecord>()({
  kind: 'template',
  plural: 'templates',
  typeName: 'TemplateRecord',
  schema: templateSchema,
  lifecycle: true,
  folder: {
    dirs: ['templates/successful-patterns'],
    pattern: /^templates\/successful-patterns\/[^/]+\.md$/,
    hint: 'templates/successful-patterns/<id>.md',
    path: (r) => `templates/successful-patterns/${r.id}.md`,
  },
  links: [
    { path: ['source_executions'], to: ['execution'], evidence: true },
    { path: ['supersedes'], label: 'Supersedes' },
  ],
  search(r, doc, _body) {
    doc.title ||= clip(r.summary, 200);
    doc.summary = clip(r.summary, 400);
    if (r.steps?.length) doc.action = clip(r.steps.map((s, i) => `${i + 1}. ${s}`).join(' '), 400);
    if (r.component) doc.component = r.component;
    if (r.task_type) doc.task_type = r.task_type;
    doc.applies = [r.component, r.task_type].filter((x): x is string => Boolean(x));
    if (r.source_executions?.length) doc.links = r.source_executions.slice(0, 20);
  },
  page: {
    section: 'templates',
    label: 'Templates',
    title: 'Templates',
    intro: 'Reusable approaches extracted from high-scoring executions.',
    evidenceTitle: 'Source executions',
    fields(d, f) {
      f.text('Summary', d.summary);
      f.text('Task type', d.task_type);
      f.text('Component', d.component);
      f.texts('Steps', d.steps);
      return undefined;
    },
  },
});

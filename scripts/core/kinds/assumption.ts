/** The assumption kind: current working assumptions (memory/working-memory), reviewed when surprise is high. */
import type { AssumptionRecord } from '../records/types.generated.js';
import { clip, defineKind, str, type Data } from './contract.js';
import { recordSchema, ref } from './fragments.js';

const confidence = { type: 'string', enum: ['low', 'medium', 'high'] } as const;

/** The assumption record's JSON Schema. */
export const assumptionSchema = recordSchema({
  kind: 'assumption',
  title: 'Assumption',
  description: 'Current working assumptions (memory/working-memory), reviewed when surprise is high.',
  lifecycle: true,
  required: ['status'],
  properties: {
    statement: { type: 'string', minLength: 1, maxLength: 1000 },
    confidence,
    components: ref('slugList'),
    assumptions: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'statement'],
        properties: {
          key: ref('slug'),
          statement: { type: 'string', minLength: 1, maxLength: 1000 },
          confidence,
          domains: ref('slugList'),
          components: ref('slugList'),
        },
      },
    },
  },
});

/** The assumption kind. */
export const assumption = defineKind<AssumptionRecord>()({
  kind: 'assumption',
  plural: 'assumptions',
  typeName: 'AssumptionRecord',
  schema: assumptionSchema,
  lifecycle: true,
  folder: {
    dirs: ['memory/working-memory'],
    pattern: /^memory\/working-memory\/[^/]+\.md$/,
    hint: 'memory/working-memory/<id>.md',
    path: (r) => `memory/working-memory/${r.id}.md`,
  },
  links: [{ path: ['supersedes'], label: 'Supersedes' }],
  search(r, doc, _body) {
    const items = r.assumptions ?? [];
    doc.title ||= clip(r.statement ?? items[0]?.statement ?? r.id, 200);
    doc.summary = clip(r.statement ?? items.map((a) => a.statement).join(' '), 400);
    doc.applies = [...(r.components ?? []), ...items.flatMap((a) => a.components ?? [])];
  },
  page: {
    section: 'assumptions',
    label: 'Assumptions',
    title: 'Assumptions',
    intro: 'Current working assumptions, reviewed when surprise runs high.',
    fields(d, f) {
      f.html('Statement', d.statement);
      f.text('Confidence', d.confidence);
      f.texts('Components', d.components);
      if (Array.isArray(d.assumptions)) {
        f.items(
          'Assumptions',
          (d.assumptions as Data[]).map((a) => `${str(a.key)}: ${str(a.statement)}${a.confidence ? ` (confidence ${str(a.confidence)})` : ''}`),
        );
      }
      return undefined;
    },
  },
});

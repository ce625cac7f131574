/** The metrics kind: a dashboard metrics snapshot written by synthesis (metrics/). */
import type { MetricsRecord } from '../records/types.generated.js';
import { bodyLead, clip, defineKind } from './contract.js';
import { recordSchema, ref } from './fragments.js';

/** The metrics record's JSON Schema. */
export const metricsSchema = recordSchema({
  kind: 'metrics',
  title: 'Metrics snapshot',
  description: 'A dashboard metrics snapshot written by synthesis (metrics/).',
  required: ['period_start', 'period_end', 'metrics'],
  properties: {
    period: { type: 'string', enum: ['week', 'month'] },
    period_start: ref('date'),
    period_end: ref('date'),
    metrics: { type: 'object', additionalProperties: { type: ['number', 'string', 'null', 'object', 'array'] } },
  },
});

/** The metrics kind (no page of its own: snapshots feed the dashboard). */
export const metrics = defineKind<MetricsRecord>()({
  kind: 'metrics',
  plural: 'metrics snapshots',
  typeName: 'MetricsRecord',
  schema: metricsSchema,
  lifecycle: false,
  folder: {
    dirs: ['metrics'],
    pattern: /^metrics\/[^/]+\.md$/,
    hint: 'metrics/<id>.md',
    path: (r) => `metrics/${r.id}.md`,
  },
  links: [],
  search(r, doc, body) {
    doc.title ||= `Metrics ${r.period_start} to ${r.period_end}`;
    doc.summary = clip(bodyLead(body, 300), 300);
  },
});

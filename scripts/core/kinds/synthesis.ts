/** The synthesis kind: a weekly or monthly synthesis report. */
import type { SynthesisRecord } from '../records/types.generated.js';
import { bodyLead, clip, defineKind, str, type Data } from './contract.js';
import { recordSchema, ref } from './fragments.js';

/** The synthesis record's JSON Schema. */
export const synthesisSchema = recordSchema({
  kind: 'synthesis',
  title: 'Synthesis',
  description: 'A weekly or monthly synthesis report.',
  required: ['period', 'period_start', 'period_end'],
  properties: {
    period: { type: 'string', enum: ['week', 'month'] },
    period_label: { type: 'string', maxLength: 40 },
    period_start: ref('date'),
    period_end: ref('date'),
    executions: { type: 'integer', minimum: 0 },
    reflections: ref('idList'),
    top_patterns: ref('idList'),
    proposed: ref('idList'),
    archived: ref('idList'),
    flags: { type: 'array', items: { type: 'string', maxLength: 200 } },
    metrics: { type: 'object', additionalProperties: { type: ['number', 'string', 'null'] } },
  },
});

/** The synthesis kind. */
export const synthesis = defineKind<SynthesisRecord>()({
  kind: 'synthesis',
  plural: 'syntheses',
  typeName: 'SynthesisRecord',
  schema: synthesisSchema,
  lifecycle: false,
  folder: {
    dirs: ['synthesis/weekly', 'synthesis/monthly'],
    pattern: /^synthesis\/(weekly|monthly)\/[^/]+\.md$/,
    hint: 'synthesis/weekly|monthly/<id>.md',
    path: (r) => `synthesis/${r.period === 'week' ? 'weekly' : 'monthly'}/${r.id}.md`,
  },
  links: [
    { path: ['top_patterns'], label: 'Top patterns' },
    { path: ['reflections'], to: ['reflection'], label: 'Reflections' },
    { path: ['proposed'], label: 'Proposed' },
    { path: ['archived'], label: 'Archived' },
  ],
  search(r, doc, body) {
    doc.title ||= `${r.period === 'week' ? 'Weekly' : 'Monthly'} synthesis ${r.period_label ?? r.period_start}`;
    doc.summary = clip((r.flags ?? []).join(' ') || bodyLead(body, 300), 300);
  },
  page: {
    section: 'synthesis',
    label: 'Synthesis',
    title: 'Synthesis reports',
    intro: 'Weekly and monthly synthesis: top patterns, rule updates, archivals and metrics.',
    fields(d, f) {
      f.text('Period', `${str(d.period_label) || str(d.period)} (${str(d.period_start)} – ${str(d.period_end)})`);
      if (d.executions !== undefined) f.text('Executions', d.executions);
      f.texts('Flags', d.flags);
      if (d.metrics && typeof d.metrics === 'object') {
        f.items(
          'Metrics',
          Object.entries(d.metrics as Data).map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v === null ? 'n/a' : str(v)}`),
        );
      }
      return str(d.period) === 'month' ? 'monthly' : 'weekly';
    },
  },
});

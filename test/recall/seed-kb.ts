/**
 * A small knowledge base shaped like the seed's example project (booking form, Square API,
 * Reiki patterns), written with the real writer, where the right answers to the seed's three
 * questions are known.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { recordPath, type AnyRecord, type ExecutionRecord } from '../../scripts/core/records/kinds.js';
import { renderRecord } from '../../scripts/core/records/write.js';
import { computeOverall } from '../../scripts/core/score/formulas.js';

function ex(id: string, day: number, p: Partial<ExecutionRecord> & Pick<ExecutionRecord, 'component' | 'task_type' | 'outcome'>, s = 80): ExecutionRecord {
  const scores = { accuracy: s, efficiency: s, reusability: s, surprise: 30 };
  const at = `2026-11-${String(day).padStart(2, '0')}T10:00:00Z`;
  return { kind: 'execution', id, created_at: at, task_id: `task-${id}`, agent: 'claude', started_at: at, duration_s: 600, scores, overall: computeOverall(scores), ...p } as ExecutionRecord;
}

/** The records of the seed-like KB. */
export function seedRecords(): Array<{ record: AnyRecord; body?: string }> {
  return [
    {
      record: ex(
        'ex-booking-1',
        2,
        {
          component: 'booking-form',
          task_type: 'component',
          outcome: 'failure',
          title: 'Booking form first attempt',
          domains: ['reiki_patterns'],
          errors: ['TypeError: Cannot read properties of undefined (reading "slots")'],
        },
        40,
      ),
    },
    {
      record: ex(
        'ex-booking-2',
        9,
        {
          component: 'booking-form',
          task_type: 'component',
          outcome: 'failure',
          title: 'Booking form with timezone slots',
          domains: ['reiki_patterns'],
          errors: ['Timezone conversion produced an appointment at 2026-03-29T02:30Z that does not exist'],
        },
        45,
      ),
    },
    { record: ex('ex-booking-3', 12, { component: 'booking-form', task_type: 'component', outcome: 'success', title: 'Booking form in three steps', domains: ['reiki_patterns'] }, 92) },
    { record: ex('ex-bio-1', 5, { component: 'practitioner-bio', task_type: 'component', outcome: 'success', title: 'Practitioner bio card', domains: ['reiki_patterns'], tags: ['ui'] }, 88) },
    {
      record: ex(
        'ex-square-1',
        3,
        {
          component: 'payment-widget',
          task_type: 'integration',
          outcome: 'failure',
          title: 'Square payments webhook',
          domains: ['square_api'],
          errors: ['Square API 401: invalid webhook signature for event evt_123'],
        },
        35,
      ),
    },
    {
      record: ex(
        'ex-square-2',
        6,
        {
          component: 'payment-widget',
          task_type: 'integration',
          outcome: 'failure',
          title: 'Square webhook retry',
          domains: ['square_api'],
          errors: ['Square API 401: invalid webhook signature for event evt_987'],
        },
        42,
      ),
    },
    {
      record: ex(
        'ex-square-3',
        10,
        {
          component: 'payment-widget',
          task_type: 'integration',
          outcome: 'partial',
          title: 'Square appointments sync',
          domains: ['square_api'],
          errors: ['Square API 401: invalid webhook signature for event evt_555'],
        },
        58,
      ),
    },
    { record: ex('ex-hero-1', 4, { component: 'hero-banner', task_type: 'styling', outcome: 'success', title: 'Hero banner palette', domains: ['reiki_patterns'], tags: ['ui'] }, 85) },
    {
      record: {
        kind: 'reflection',
        id: 'rf-booking-2',
        created_at: '2026-11-09T12:00:00Z',
        reflection_type: 'root_cause_analysis',
        executions: ['ex-booking-2'],
        reason: 'Low performance on booking-form',
        root_cause: 'Slots were built in local time; convert appointment times to the practitioner time zone before rendering.',
        status: 'done',
      },
    },
    {
      record: {
        kind: 'rule',
        id: 'rule-booking-steps',
        created_at: '2026-11-10T00:00:00Z',
        status: 'accepted',
        statement: 'Booking flow must be maximum 3 steps',
        applies_to: { components: ['booking-form'] },
      },
    },
    {
      record: {
        kind: 'rule',
        id: 'rule-booking-tz',
        created_at: '2026-11-11T00:00:00Z',
        status: 'proposed',
        statement: 'Store appointment times in UTC and convert at the edge',
        applies_to: { components: ['booking-form'] },
      },
    },
    { record: { kind: 'rule', id: 'rule-old', created_at: '2026-11-01T00:00:00Z', status: 'rejected', statement: 'Booking form may use five steps', applies_to: { components: ['booking-form'] } } },
    {
      record: {
        kind: 'pattern',
        id: 'pat-soft-palette',
        created_at: '2026-11-01T00:00:00Z',
        status: 'accepted',
        pattern_type: 'seed',
        category: 'component-pattern',
        domain: 'reiki_patterns',
        tags: ['ui'],
        statement: 'Use soft color palette for healing context',
      },
    },
    {
      record: {
        kind: 'pattern',
        id: 'pat-bio',
        created_at: '2026-11-01T00:00:00Z',
        status: 'accepted',
        pattern_type: 'success',
        category: 'component-pattern',
        domain: 'reiki_patterns',
        tags: ['ui'],
        statement: 'Include practitioner bio prominently',
      },
    },
    {
      record: {
        kind: 'pattern',
        id: 'pat-booking-fail',
        created_at: '2026-11-10T00:00:00Z',
        status: 'proposed',
        pattern_type: 'failure',
        category: 'component-pattern',
        domain: 'reiki_patterns',
        statement: 'booking-form executions fail when time zones are ignored',
        evidence: ['ex-booking-1', 'ex-booking-2'],
        definition: { component: 'booking-form' },
      },
    },
    {
      record: {
        kind: 'pattern',
        id: 'pat-webhook',
        created_at: '2026-11-01T00:00:00Z',
        status: 'accepted',
        pattern_type: 'gotcha',
        category: 'integration-gotcha',
        domain: 'square_api',
        statement: 'Always validate webhook signatures',
      },
    },
    {
      record: {
        kind: 'pattern',
        id: 'pat-tz',
        created_at: '2026-11-01T00:00:00Z',
        status: 'accepted',
        pattern_type: 'gotcha',
        category: 'integration-gotcha',
        domain: 'square_api',
        statement: 'Handle timezone conversions for appointments',
      },
    },
    {
      record: {
        kind: 'template',
        id: 'tpl-booking',
        created_at: '2026-11-12T00:00:00Z',
        status: 'accepted',
        summary: 'Three-step booking form',
        component: 'booking-form',
        task_type: 'component',
        steps: ['Pick a service', 'Pick a slot', 'Confirm'],
        source_executions: ['ex-booking-3'],
      },
    },
  ];
}

/** Writes the seed-like KB under `<dir>/learning-loop`. */
export function writeSeedKb(dir: string): void {
  for (const { record, body } of seedRecords()) {
    const abs = join(dir, 'learning-loop', recordPath(record));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, renderRecord(record, body ?? ''));
  }
}

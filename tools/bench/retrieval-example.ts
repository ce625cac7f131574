/**
 * Hand-judged questions about the shipped example knowledge base (`learning-loop/`): each names
 * the long-lived records (rules, patterns, templates, notes) that answer it (grade 2) and those
 * about the same thing (grade 1). Several answers sit in a step list, a body paragraph or an
 * assumption entry that the first 300 characters of a record do not reach.
 */
import type { JudgedQuery, JudgedSet } from './retrieval-corpus.js';

const Q: Array<[string, Record<string, number>]> = [
  [
    'How do we verify Square webhooks?',
    {
      'rule-validate-square-webhook-signatures': 2,
      'tpl-square-webhook-signature-verification': 2,
      'pat-square-api-webhook-signature-raw-body': 2,
      'pat-square-api-always-validate-webhook-signatures': 1,
    },
  ],
  ['timingSafeEqual', { 'tpl-square-webhook-signature-verification': 2 }],
  ['Which environment variable holds the webhook signature key?', { 'tpl-square-webhook-signature-verification': 2 }],
  ['trailing slash in the notification URL', { 'tpl-square-webhook-signature-verification': 2, 'pat-square-api-webhook-signature-raw-body': 1 }],
  ['409 IDEMPOTENCY_KEY_REUSED on retry', { 'pat-square-api-idempotency-key-reuse': 2, 'rule-use-idempotency-keys-for-square-payments': 2 }],
  ['idempotency key per payment attempt', { 'rule-use-idempotency-keys-for-square-payments': 2, 'pat-square-api-idempotency-key-reuse': 2 }],
  ['INVALID_LOCATION in production', { 'pat-square-api-sandbox-location-ids': 2 }],
  ['location ids differ between sandbox and production', { 'pat-square-api-sandbox-location-ids': 2 }],
  [
    'What is the booking flow order: service, time, details?',
    { 'rule-booking-flow-max-three-steps': 2, 'tpl-booking-three-step-flow': 2, 'pat-reiki-patterns-booking-flow-must-be-maximum-3-steps': 2 },
  ],
  ['how many steps may the booking flow have', { 'rule-booking-flow-max-three-steps': 2, 'pat-reiki-patterns-booking-flow-must-be-maximum-3-steps': 2, 'tpl-booking-three-step-flow': 1 }],
  [
    'appointment times shown in the browser timezone',
    { 'pat-booking-timezone-shift': 2, 'rule-handle-timezone-conversions-for-appointments': 2, 'pat-square-api-handle-timezone-conversions-for-appointments': 1 },
  ],
  ['store appointment times in UTC', { 'rule-handle-timezone-conversions-for-appointments': 2, 'pat-square-api-handle-timezone-conversions-for-appointments': 1 }],
  ['Square Locations API timezone', { 'rule-handle-timezone-conversions-for-appointments': 2 }],
  ['practitioner photo above the fold', { 'rule-practitioner-bio-above-the-fold': 2, 'pat-reiki-patterns-include-practitioner-bio-prominently': 1, 'tpl-practitioner-bio-card': 1 }],
  ['bio card with lineage and certifications', { 'tpl-practitioner-bio-card': 2, 'pat-reiki-patterns-include-practitioner-bio-prominently': 1 }],
  ['responsive down to 320 px', { 'tpl-practitioner-bio-card': 2 }],
  ['lavender and sage hero with 4.5:1 contrast', { 'tpl-soft-palette-hero': 2, 'pat-reiki-patterns-soft-palette-hero-works': 1, 'pat-reiki-patterns-use-soft-color-palette-for-healing-context': 1 }],
  ['soft colour palette for a healing context', { 'pat-reiki-patterns-use-soft-color-palette-for-healing-context': 2, 'pat-reiki-patterns-soft-palette-hero-works': 2, 'tpl-soft-palette-hero': 1 }],
  ['cache payment methods for returning clients', { 'pat-square-api-cache-payment-methods-for-returning-clients': 2 }],
  ['inline CSS in the page head', { 'rule-inline-all-component-css': 2 }],
  ['Is the execution record in Git the single source of truth?', { 'current-assumptions': 2 }],
  ['reflection triggers follow the thresholds 60 / 90 / 70', { 'current-assumptions': 2 }],
];

/** The example knowledge base with its judged questions. */
export function exampleSet(files: Record<string, string>): JudgedSet {
  const queries: JudgedQuery[] = Q.map(([question, relevant], i) => ({ id: `example-${i + 1}`, question, relevant }));
  return { name: 'example', files, queries };
}

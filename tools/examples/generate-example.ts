/**
 * Generates the shipped example knowledge base: the Reiki Goddess Healing project of the seed,
 * six weeks of history (Oct-Nov 2026) recorded through the real writer (`recordExecution`).
 *
 * Deterministic: a seeded PRNG drives every choice and every id, and no wall-clock value is
 * used, so running it twice gives byte-identical files.
 *
 *   npx tsx tools/examples/generate-example.ts [out-dir]      (default: learning-loop)
 *
 * The history has planted stories that recall, the learning engine and the dashboards must
 * find (see `STORIES` below and docs/recording.md).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ulid } from 'ulid';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { type Workspace } from '../../scripts/core/workspace.js';
import { writeFileAtomic, writeFileExclusive } from '../../scripts/io/fs.js';
import { initKnowledgeBase } from '../../scripts/agents/init-kb.js';
import { recordExecution } from '../../scripts/agents/record.js';
import { mulberry32 } from './prng.js';
import { recordPath, type AnyRecord, type ExecutionRecord, type PatternRecord, type ReflectionRecord, type RuleRecord, type TemplateRecord } from '../../scripts/core/records/kinds.js';
import { renderRecord } from '../../scripts/core/records/write.js';
import { memoryPatternId, SEED_PATTERNS, memoryToPatterns } from '../../scripts/core/records/seed-patterns.js';
import { checkKnowledgeBase } from '../../scripts/index/check-kb.js';
import { parseFrontmatter } from '../../scripts/core/records/parse.js';
import { fingerprint } from '../../scripts/core/learn/fingerprint.js';
import type { RecordRow } from '../../scripts/core/records/table.js';

/** The stories planted in the history, for tests and docs. */
export const STORIES = {
  timezoneRule: 'rule-handle-timezone-conversions-for-appointments',
  webhookTemplate: 'tpl-square-webhook-signature-verification',
  bestAgent: 'claude-code',
  bloatTaskType: 'content',
  surpriseDomain: 'square_api',
} as const;

const rnd = mulberry32(20261005);
const idRnd = mulberry32(777);
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
const chance = (p: number): boolean => rnd() < p;
const clamp = (n: number): number => Math.max(0, Math.min(100, Math.round(n)));
const sampleN = <T>(list: readonly T[], n: number): T[] => {
  const copy = [...list];
  const out: T[] = [];
  while (out.length < n && copy.length) out.push(copy.splice(Math.floor(rnd() * copy.length), 1)[0]!);
  return out;
};

/** Monday 5 October 2026, 00:00 UTC: the first day of the history. */
const START = Date.UTC(2026, 9, 5);
const DAY = 86_400_000;
const SEEDED_AT = '2026-10-01T09:00:00Z';
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const at = (week: number, weekday: number, hour: number, minute = 0): number => START + (week * 7 + weekday) * DAY + hour * 3_600_000 + minute * 60_000;
const exId = (ms: number): string => `ex-${ulid(ms, idRnd)}`;

const AGENTS = ['claude-code', 'codex', 'cursor-agent', 'copilot', 'aider'] as const;
/** Per-agent quality offset: one agent is clearly more effective. */
const AGENT_SKILL: Record<string, number> = { 'claude-code': 16, codex: 2, 'cursor-agent': 0, copilot: -5, aider: -3 };

const DOMAINS: Record<string, string[]> = {
  'booking-form': ['booking', 'reiki_patterns'],
  'calendar-picker': ['booking', 'component_library'],
  'payment-form': ['square_api', 'component_library'],
  'square-webhook': ['square_api'],
  'square-payments': ['square_api'],
  'practitioner-bio': ['reiki_patterns', 'content'],
  'hero-section': ['reiki_patterns', 'component_library'],
  testimonials: ['content', 'component_library'],
  'contact-form': ['component_library'],
  'service-card': ['reiki_patterns', 'component_library'],
  'services-page': ['content', 'reiki_patterns'],
  faq: ['content'],
  'blog-post': ['content'],
};

const UI = ['calendar-picker', 'practitioner-bio', 'hero-section', 'testimonials', 'contact-form', 'service-card'] as const;
const LIBRARY = ['component:SoftCard', 'component:PrimaryButton', 'component:TimeSlotGrid', 'component:FormField', 'component:PaletteTokens', 'component:ModalSheet', 'component:Avatar'];

const TASK_TEXT: Record<string, string[]> = {
  'calendar-picker': ['Build the availability calendar for session booking', 'Show practitioner availability by week', 'Keyboard navigation for the date picker'],
  'practitioner-bio': ['Practitioner bio card with certifications', 'Bio section with lineage and training', 'Prominent practitioner bio on the home page'],
  'hero-section': ['Hero section with soft healing palette', 'Hero with calm imagery and booking call to action', 'Responsive hero for mobile visitors'],
  testimonials: ['Client testimonials carousel', 'Testimonials grid with session types', 'Accessible testimonial slider'],
  'contact-form': ['Contact form with consent checkbox', 'Contact form validation and spam guard', 'Contact form success state'],
  'service-card': ['Service cards for Reiki, sound healing and distance sessions', 'Service card pricing and duration badges', 'Service card hover states in the soft palette'],
  'payment-form': ['Square payment form for session deposits', 'Card-on-file checkout for returning clients', 'Gift certificate payment flow'],
  'square-payments': ['Square Payments API: create payment with idempotency key', 'Square Customers API: save card on file', 'Square refunds for cancelled sessions'],
};

const FAILURE_ERRORS: Record<string, string[]> = {
  'calendar-picker': ["TypeError: Cannot read properties of undefined (reading 'slots') in CalendarPicker.tsx:88", 'Focus trap lost after month change in CalendarPicker.tsx:131'],
  'practitioner-bio': ['Image of the practitioner exceeds LCP budget: 4.1s on 3G profile'],
  'hero-section': ['Contrast ratio 3.1:1 for hero text on lavender background is below 4.5:1'],
  testimonials: ['Carousel autoplay ignores prefers-reduced-motion in Testimonials.tsx:54'],
  'contact-form': ['Form submits twice when the consent checkbox is toggled quickly'],
  'service-card': ['Price badge overflows on 320px screens in ServiceCard.tsx:40'],
  'payment-form': ['Square card tokenization failed: "INVALID_CARD_DATA" for sandbox card 4111 1111 1111 1111', 'Payment form loses card iframe after route change in PaymentForm.tsx:63'],
  'square-payments': ['Square API 409 IDEMPOTENCY_KEY_REUSED for payment "pay_771"', 'Square API 400 INVALID_LOCATION: location "L8Q2" not found in production'],
};

/** The recurring booking error: the same fingerprint each time, with different details. */
const TZ_ERRORS = [
  'Appointment slot "2026-10-06T14:00" shifted by 7 hours: timezone offset not applied for \'America/Los_Angeles\' in BookingForm.tsx:42',
  'Appointment slot "2026-10-08T09:30" shifted by 5 hours: timezone offset not applied for \'America/New_York\' in BookingForm.tsx:57',
  'Appointment slot "2026-10-13T17:00" shifted by 8 hours: timezone offset not applied for \'Europe/London\' in BookingForm.tsx:42',
  'Appointment slot "2026-10-16T11:15" shifted by 6 hours: timezone offset not applied for \'America/Chicago\' in BookingForm.tsx:61',
  'Appointment slot "2026-10-19T10:00" shifted by 7 hours: timezone offset not applied for \'America/Denver\' in BookingForm.tsx:42',
];
const WEBHOOK_ERRORS = [
  'Square webhook signature mismatch for event "evt_5kq1": computed HMAC does not equal x-square-hmacsha256-signature header',
  'Square webhook signature mismatch for event "evt_9zz2": computed HMAC does not equal x-square-hmacsha256-signature header',
  'Square webhook signature mismatch for event "evt_0ab7": computed HMAC does not equal x-square-hmacsha256-signature header',
];
const SQUARE_DISCOVERIES = [
  'Square Locations API returns a timezone per location; appointment times must use the location timezone, not the browser one',
  'Square sandbox webhooks are signed with the notification URL exactly as registered, including the trailing slash',
  'Square Bookings API rejects start_at values without an explicit offset',
  'Square card-on-file requires a customer_id created before tokenization, not after',
  'Square refunds are asynchronous: the refund.updated webhook arrives minutes later',
  'Square idempotency keys are scoped per endpoint and kept for 24 hours',
  'Square sandbox and production use different location ids; configuration must be per environment',
];

/** One planned execution (input for `record`). */
interface Plan {
  ms: number;
  input: Record<string, unknown>;
}

const plans: Plan[] = [];
let taskCounter = 100;

function plan(ms: number, fields: Record<string, unknown>): string {
  const id = exId(ms);
  taskCounter += 1;
  plans.push({ ms, input: { id, task_id: `RGH-${taskCounter}`, ...fields } });
  return id;
}

const week = (ms: number): number => Math.floor((ms - START) / (7 * DAY));
const sprintOf = (ms: number): string => `sprint-${Math.floor(week(ms) / 2) + 1}`;

function agentFor(ms: number): string {
  const w = week(ms);
  // claude-code joins more work later; everybody appears every week.
  const weights = [w >= 2 ? 4 : 3, 2, 2, 2, 1];
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rnd() * total;
  for (let i = 0; i < weights.length; i += 1) {
    r -= weights[i]!;
    if (r < 0) return AGENTS[i]!;
  }
  return AGENTS[0];
}

function sha(): string {
  let s = '';
  for (let i = 0; i < 40; i += 1) s += '0123456789abcdef'[Math.floor(rnd() * 16)];
  return s;
}

const ACCEPTED_TZ_MS = at(2, 2, 16); // Wednesday of week 3: the timezone rule is accepted
const WEBHOOK_TEMPLATE_MS = at(1, 4, 17); // Friday of week 2: the webhook template is extracted

// --- story 1: booking-form fails on timezones until the rule is accepted ---------------------
const bookingFailures: string[] = [];
const bookingFailureTimes = [at(0, 1, 10), at(0, 3, 14), at(1, 1, 11), at(1, 4, 9), at(2, 0, 13)];
bookingFailureTimes.forEach((ms, i) => {
  bookingFailures.push(
    plan(ms, {
      task_type: i === 2 || i === 4 ? 'bugfix' : 'component',
      component: 'booking-form',
      title: i === 2 || i === 4 ? 'Fix appointment times shown in the wrong timezone' : 'Three-step booking form: service, time, details',
      outcome: i === 3 ? 'partial' : 'failure',
      duration_s: int(3600, 6000),
      errors: [TZ_ERRORS[i]!],
      scores: { accuracy: i === 3 ? 52 : int(18, 35), reusability: int(25, 40), surprise: int(35, 55) },
      pre: {
        assumptions: ['Square returns appointment times in the visitor timezone', 'Date objects can be passed straight to the slot grid'],
        dependencies: ['square-bookings-api', 'date-fns'],
        initial_state: 'Booking form renders services; time step shows raw Square slots.',
      },
      during: { decision_points: ['Convert times on the client or the server'], alternatives_considered: ['Store all times as local strings', 'Use the browser timezone everywhere'] },
      post: {
        outcomes: ['Slots render but at the wrong hour for visitors outside the studio timezone'],
        deviations: ['Spent most of the session debugging date shifts'],
        discoveries: i === 4 ? ['The studio location timezone (America/Los_Angeles) must drive slot display'] : [],
      },
      reused: i >= 2 ? ['component:TimeSlotGrid'] : [],
      produced: [],
      agent: i === 1 ? 'copilot' : i === 3 ? 'aider' : pick(['codex', 'cursor-agent', 'copilot']),
      domains: ['booking', 'reiki_patterns', 'square_api'],
    }),
  );
});
// After the rule: the booking form succeeds and keeps succeeding.
const bookingSuccessTimes = [at(2, 3, 10), at(2, 4, 15), at(3, 1, 10), at(3, 3, 14), at(4, 1, 11), at(4, 4, 10), at(5, 2, 13)];
const bookingSuccesses: string[] = bookingSuccessTimes.map((ms, i) =>
  plan(ms, {
    task_type: i === 0 ? 'bugfix' : i % 3 === 2 ? 'test' : 'component',
    component: 'booking-form',
    title:
      i === 0
        ? 'Apply location timezone to booking slots'
        : i % 3 === 2
          ? 'End-to-end tests for booking across timezones'
          : pick(['Booking confirmation step with calendar invite', 'Booking form: reschedule flow', 'Booking form: three-step flow polish']),
    outcome: 'success',
    duration_s: int(1500, 2700),
    errors: [],
    scores: { accuracy: int(88, 97), reusability: int(72, 90), surprise: int(15, 35) },
    checks: { passed: int(30, 60), failed: 0 },
    pre: {
      assumptions: ['Slots are stored in UTC and shown in the studio location timezone'],
      dependencies: ['square-bookings-api', 'date-fns-tz'],
      initial_state: 'Timezone rule accepted; slot conversion helper available.',
    },
    during: { decision_points: ['Reuse the timezone helper from the rule'], alternatives_considered: [] },
    post: { outcomes: ['Booking completes in 3 steps with correct local times'], deviations: [], discoveries: [] },
    reused: i === 0 ? [STORIES.timezoneRule, 'component:TimeSlotGrid'] : [STORIES.timezoneRule, 'component:TimeSlotGrid', 'tpl-booking-three-step-flow'],
    produced: i % 2 === 0 ? ['booking-form tests'] : ['component:BookingSummary'],
    recalled: [STORIES.timezoneRule, memoryPatternId('square_api', 'Handle timezone conversions for appointments'), ...(i === 0 ? [] : ['tpl-booking-three-step-flow'])],
    agent: i < 2 ? 'claude-code' : agentFor(bookingSuccessTimes[i]!),
    domains: ['booking', 'reiki_patterns'],
    commit: sha(),
  }),
);

// --- story 2: Square webhook signatures fail until the template is reused -----------------------
const webhookFailureTimes = [at(0, 0, 15), at(0, 2, 11), at(0, 4, 16)];
const webhookFailures = webhookFailureTimes.map((ms, i) =>
  plan(ms, {
    task_type: 'api-integration',
    component: 'square-webhook',
    title: 'Receive Square payment and booking webhooks',
    outcome: 'failure',
    duration_s: int(4200, 7200),
    errors: [WEBHOOK_ERRORS[i]!, ...(i === 1 ? ['Webhook handler parses JSON before verifying, so the raw body is lost'] : [])],
    scores: { accuracy: int(15, 30), reusability: int(20, 35), surprise: int(40, 60) },
    pre: { assumptions: ['The parsed JSON body can be used to compute the signature'], dependencies: ['square-webhooks', 'express'], initial_state: 'Webhook endpoint deployed to staging.' },
    during: { decision_points: ['Verify in middleware or in the handler'], alternatives_considered: ['Skip verification in staging'] },
    post: { outcomes: ['All webhook deliveries rejected'], deviations: ['Blocked on signature verification'], discoveries: [] },
    reused: [],
    produced: [],
    agent: ['codex', 'cursor-agent', 'aider'][i]!,
    domains: ['square_api'],
  }),
);
const webhookFix = plan(at(1, 4, 11), {
  task_type: 'api-integration',
  component: 'square-webhook',
  title: 'Verify Square webhook signatures over the raw body',
  outcome: 'success',
  duration_s: 3000,
  errors: [],
  scores: { accuracy: 96, reusability: 95, surprise: 88 },
  checks: { passed: 24, failed: 0 },
  pre: { assumptions: ['Signature = base64 HMAC-SHA256 of notification URL + raw body'], dependencies: ['square-webhooks', 'express'], initial_state: 'Three failed attempts; raw body not kept.' },
  during: { decision_points: ['Keep the raw body with express.raw before JSON parsing'], alternatives_considered: ['Re-serialise the parsed JSON (rejected: byte differences)'] },
  post: { outcomes: ['All sandbox webhook deliveries verified'], deviations: [], discoveries: [SQUARE_DISCOVERIES[1]!] },
  reused: [memoryPatternId('square_api', 'Always validate webhook signatures')],
  produced: [STORIES.webhookTemplate],
  recalled: [memoryPatternId('square_api', 'Always validate webhook signatures')],
  agent: 'claude-code',
  domains: ['square_api'],
  commit: sha(),
});
const webhookLaterTimes = [at(2, 1, 14), at(3, 2, 10), at(4, 0, 15), at(5, 3, 11)];
for (const [i, ms] of webhookLaterTimes.entries()) {
  plan(ms, {
    task_type: 'api-integration',
    component: 'square-webhook',
    title: ['Handle booking.updated webhooks', 'Handle refund.updated webhooks', 'Webhook retries and dead-letter log', 'Handle payment.updated webhooks for gift certificates'][i]!,
    outcome: 'success',
    duration_s: int(1800, 2600),
    errors: [],
    scores: { accuracy: int(88, 96), reusability: int(80, 92), surprise: i === 1 ? 78 : int(20, 40) },
    checks: { passed: int(20, 40), failed: 0 },
    pre: { assumptions: ['Signature verification template covers every event type'], dependencies: ['square-webhooks'], initial_state: 'Webhook verification template in place.' },
    during: { decision_points: ['Reuse the verification middleware'], alternatives_considered: [] },
    post: { outcomes: ['Events verified and processed'], deviations: [], discoveries: i === 1 ? [SQUARE_DISCOVERIES[4]!] : [] },
    reused: [STORIES.webhookTemplate],
    produced: [],
    recalled: [STORIES.webhookTemplate, memoryPatternId('square_api', 'Always validate webhook signatures')],
    agent: agentFor(ms),
    domains: ['square_api'],
    commit: sha(),
  });
}

// --- the first hero section scores above 90: the soft-palette template is extracted from it -----
const heroSource = plan(at(0, 4, 13), {
  task_type: 'component',
  component: 'hero-section',
  title: 'Hero section with soft healing palette',
  outcome: 'success',
  duration_s: 2100,
  errors: [],
  scores: { accuracy: 97, efficiency: 92, reusability: 94, surprise: 82 },
  checks: { passed: 18, failed: 0 },
  pre: { assumptions: ['Soft lavender and sage tokens keep 4.5:1 contrast with dark text'], dependencies: ['design-tokens'], initial_state: 'Home page has a placeholder hero.' },
  during: { decision_points: ['One call to action (book a session) instead of three'], alternatives_considered: ['Video background (rejected: calm, fast pages)'] },
  post: { outcomes: ['Hero merged; first-visit bounce down in the preview test'], deviations: [], discoveries: ['Clients read the practitioner name before the service list'] },
  reused: [memoryPatternId('reiki_patterns', 'Use soft color palette for healing context')],
  produced: ['tpl-soft-palette-hero', 'component:PaletteTokens'],
  recalled: [memoryPatternId('reiki_patterns', 'Use soft color palette for healing context'), memoryPatternId('reiki_patterns', 'Include practitioner bio prominently')],
  agent: 'claude-code',
  domains: ['reiki_patterns', 'component_library'],
  commit: sha(),
});

// --- story 3: content tasks get slower and slower (bloat) -----------------------------------------
const contentTimes = [0, 1, 2, 3, 4, 5].flatMap((w) => [at(w, 1, 9), at(w, 3, 15)]);
const contentTargets = ['practitioner-bio', 'services-page', 'faq', 'blog-post'];
for (const [i, ms] of contentTimes.entries()) {
  plan(ms, {
    task_type: 'content',
    component: contentTargets[i % contentTargets.length]!,
    title: ['Write the practitioner bio and lineage', 'Describe the Reiki session types', 'FAQ: what to expect in a first session', 'Blog: preparing for distance Reiki'][i % 4]!,
    outcome: i > 8 ? 'partial' : 'success',
    // Each content task takes ~11% longer than the previous one: the bloat the monitor must flag.
    duration_s: Math.round(1200 * 1.11 ** i + int(0, 60)),
    errors: i > 8 ? ['Content exceeds the page length budget by 40%'] : [],
    scores: { accuracy: i > 8 ? 64 : int(82, 92), reusability: int(45, 60), surprise: int(10, 25) },
    pre: { assumptions: ['Copy follows the soft, calm voice guide'], dependencies: ['brand-voice-guide'], initial_state: 'Page skeleton exists.' },
    during: { decision_points: ['How much of the prompt context to include'], alternatives_considered: [] },
    post: { outcomes: ['Copy drafted and reviewed'], deviations: i > 6 ? ['Prompt context grew with every page; review took longer'] : [], discoveries: [] },
    reused: i >= 4 ? ['brand-voice-guide'] : [],
    produced: [`copy:${contentTargets[i % contentTargets.length]!}`],
    recalled: [memoryPatternId('reiki_patterns', 'Use soft color palette for healing context')],
    agent: pick(['claude-code', 'codex', 'copilot']),
    domains: DOMAINS[contentTargets[i % contentTargets.length]!] ?? ['content'],
  });
}

// --- background work: UI components, payments, bug fixes, refactors, tests -------------------------
const templatesAvailable = (ms: number): string[] => {
  const out: string[] = [];
  if (ms > at(0, 4, 18)) out.push('tpl-soft-palette-hero');
  if (ms > at(1, 2, 18)) out.push('tpl-practitioner-bio-card');
  if (ms > at(2, 3, 12)) out.push('tpl-booking-three-step-flow');
  if (ms > WEBHOOK_TEMPLATE_MS) out.push(STORIES.webhookTemplate);
  return out;
};
const reuseChance = [0.2, 0.35, 0.55, 0.7, 0.8, 0.88];
let squareSurprises = 0;
for (let w = 0; w < 6; w += 1) {
  const count = 22 + w; // a little more work every week
  for (let k = 0; k < count; k += 1) {
    const ms = at(w, int(0, 4), int(8, 17), int(0, 59));
    const agent = agentFor(ms);
    const r = rnd();
    const task_type = r < 0.45 ? 'component' : r < 0.6 ? 'api-integration' : r < 0.77 ? 'bugfix' : r < 0.88 ? 'refactor' : 'test';
    const component =
      task_type === 'api-integration'
        ? pick(['payment-form', 'square-payments', 'square-payments'])
        : task_type === 'refactor'
          ? pick(['service-card', 'contact-form', 'hero-section', 'payment-form'])
          : pick([...UI, 'payment-form']);
    const domains = DOMAINS[component]!;
    const quality = 52 + 7 * w + AGENT_SKILL[agent]! + (rnd() - 0.5) * 18;
    const outcome = quality > 62 ? 'success' : quality > 50 ? 'partial' : 'failure';
    const reuses = chance(reuseChance[w]!);
    const reused = reuses ? [...sampleN(LIBRARY, int(1, 2)), ...sampleN(templatesAvailable(ms), 1)] : [];
    const produced = outcome === 'success' && chance(0.35) ? [`component:${component.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`] : [];
    const isSquare = domains.includes('square_api');
    const highSurprise = isSquare && squareSurprises < 7 && chance(0.5);
    const discoveries = highSurprise ? [SQUARE_DISCOVERIES[squareSurprises % SQUARE_DISCOVERIES.length]!] : chance(0.1) ? ['Existing component already covered half the work'] : [];
    if (highSurprise) squareSurprises += 1;
    const errors =
      outcome === 'failure'
        ? sampleN(FAILURE_ERRORS[component] ?? ['Build failed: type error in shared tokens'], 1)
        : outcome === 'partial' && chance(0.5)
          ? sampleN(FAILURE_ERRORS[component] ?? [], 1)
          : [];
    const accuracy = outcome === 'success' ? clamp(quality + 22) : outcome === 'partial' ? int(55, 68) : int(20, 40);
    const reusability = clamp(28 + 18 * reused.length + 10 * produced.length + int(0, 10) + (agent === 'claude-code' ? 8 : 0));
    const surprise = highSurprise ? int(74, 90) : clamp(22 + 3 * w + 15 * discoveries.length + int(0, 20));
    const recallable =
      w === 0
        ? []
        : [
            ...templatesAvailable(ms),
            ...(ms > ACCEPTED_TZ_MS && component === 'calendar-picker' ? [STORIES.timezoneRule] : []),
            ...(isSquare ? [memoryPatternId('square_api', 'Always validate webhook signatures')] : [memoryPatternId('reiki_patterns', 'Use soft color palette for healing context')]),
          ];
    const texts = TASK_TEXT[component] ?? [`${task_type} work on ${component}`];
    plan(ms, {
      task_type,
      component,
      title:
        task_type === 'bugfix'
          ? `Fix: ${pick(texts).toLowerCase()}`
          : task_type === 'refactor'
            ? `Refactor ${component} onto the shared component library`
            : task_type === 'test'
              ? `Tests for ${component}`
              : pick(texts),
      outcome,
      duration_s: Math.round((task_type === 'api-integration' ? 4200 : task_type === 'bugfix' ? 1500 : 2400) * (1.25 - 0.06 * w) * (0.7 + rnd() * 0.6) * (agent === 'claude-code' ? 0.8 : 1)),
      errors,
      scores: { accuracy, reusability, surprise },
      ...(task_type === 'test' || chance(0.4) ? { checks: { passed: int(10, 60), failed: outcome === 'success' ? 0 : int(1, 6) } } : {}),
      pre: {
        assumptions: isSquare ? ['Square sandbox behaves like production'] : ['Design tokens cover the soft healing palette'],
        dependencies: isSquare ? ['square-web-payments-sdk'] : ['design-tokens'],
        initial_state: `${component} ${w === 0 ? 'not started' : 'exists in a first version'}.`,
      },
      during: {
        decision_points: [reuses ? 'Reuse existing components before writing new ones' : 'Write the component from scratch'],
        alternatives_considered: reuses ? [] : ['Adapt an existing component'],
      },
      post: {
        outcomes: [outcome === 'success' ? 'Merged' : outcome === 'partial' ? 'Merged with follow-up tasks' : 'Reverted'],
        deviations: outcome === 'success' ? [] : ['Took longer than planned'],
        discoveries,
      },
      reused,
      produced,
      recalled: sampleN(recallable, int(0, 2)),
      agent,
      domains,
      sprint: undefined,
      ...(outcome !== 'failure' ? { commit: sha() } : {}),
    });
  }
}

/** The non-execution records: patterns, rules, templates (written before the history). */
function curatedRecords(): Array<{ record: AnyRecord; body: string }> {
  const out: Array<{ record: AnyRecord; body: string }> = [];
  const tz = memoryPatternId('square_api', 'Handle timezone conversions for appointments');
  const sig = memoryPatternId('square_api', 'Always validate webhook signatures');
  const threeSteps = memoryPatternId('reiki_patterns', 'Booking flow must be maximum 3 steps');
  const bio = memoryPatternId('reiki_patterns', 'Include practitioner bio prominently');

  const rules: Array<[RuleRecord, string]> = [
    [
      {
        kind: 'rule',
        id: STORIES.timezoneRule,
        created_at: iso(at(2, 1, 9)),
        title: 'Handle timezone conversions for appointments',
        status: 'accepted',
        statement: 'Store appointment times in UTC and display them in the studio location timezone from the Square Locations API; never use the browser timezone for slots.',
        rationale: 'Booking-form tasks failed five times with the same timezone-shift error (see the root cause analysis).',
        applies_to: { task_types: ['component', 'bugfix', 'test'], components: ['booking-form', 'calendar-picker'] },
        topic: 'timezones',
        from_patterns: [tz],
        priority: 90,
        domains: ['booking', 'square_api'],
        tags: ['timezone'],
        review: { decided_at: iso(ACCEPTED_TZ_MS), by: 'maya (lead)', reason: 'Recurring error 5x; fix verified on staging.' },
        about: ['booking-form', 'calendar-picker'],
      },
      'Appointment slots come from Square in UTC. Convert them with the **location** timezone (Square Locations API), not the visitor\'s browser.\n\n```ts\nformatInTimeZone(slot.start_at, location.timezone, "EEE d MMM, HH:mm")\n```',
    ],
    [
      {
        kind: 'rule',
        id: 'rule-validate-square-webhook-signatures',
        created_at: iso(at(1, 4, 18)),
        title: 'Verify Square webhook signatures over the raw body',
        status: 'accepted',
        statement: 'Verify every Square webhook with the HMAC-SHA256 of the notification URL plus the raw request body before parsing JSON.',
        rationale: 'Three webhook integrations failed with signature mismatches because the body was parsed first.',
        applies_to: { task_types: ['api-integration'], components: ['square-webhook'] },
        topic: 'webhooks',
        from_patterns: [sig],
        priority: 95,
        domains: ['square_api'],
        review: { decided_at: iso(at(2, 0, 10)), by: 'maya (lead)', reason: 'Template proven in production.' },
        about: ['square-webhook'],
      },
      'Use `express.raw({ type: "application/json" })` on the webhook route and compare signatures with `timingSafeEqual`.',
    ],
    [
      {
        kind: 'rule',
        id: 'rule-booking-flow-max-three-steps',
        created_at: SEEDED_AT,
        title: 'Booking flow has at most three steps',
        status: 'accepted',
        statement: 'The booking flow is service, time, details: never more than three steps.',
        from_patterns: [threeSteps],
        applies_to: { components: ['booking-form'] },
        domains: ['reiki_patterns', 'booking'],
        priority: 70,
      },
      'From the Phase 1 seed patterns.',
    ],
    [
      {
        kind: 'rule',
        id: 'rule-use-idempotency-keys-for-square-payments',
        created_at: iso(at(4, 2, 16)),
        title: 'One idempotency key per payment attempt',
        status: 'proposed',
        statement: 'Generate one idempotency key per payment attempt and persist it with the order; never reuse a key across retries of different amounts.',
        applies_to: { task_types: ['api-integration'], components: ['payment-form', 'square-payments'] },
        domains: ['square_api'],
        priority: 60,
      },
      'Proposed after IDEMPOTENCY_KEY_REUSED errors on the payments integration.',
    ],
    [
      {
        kind: 'rule',
        id: 'rule-inline-all-component-css',
        created_at: iso(at(2, 2, 10)),
        title: 'Inline all component CSS',
        status: 'rejected',
        statement: "Inline every component's CSS in the page head for faster first paint.",
        review: { decided_at: iso(at(2, 4, 12)), by: 'maya (lead)', reason: 'Breaks the shared palette tokens and caching; the measured gain was under 50 ms.' },
        domains: ['component_library'],
      },
      'Rejected: see the review reason.',
    ],
    [
      {
        kind: 'rule',
        id: 'rule-practitioner-bio-above-the-fold',
        created_at: iso(at(1, 3, 12)),
        title: 'Practitioner bio above the fold',
        status: 'accepted',
        statement: 'Show the practitioner photo, name and a two-line bio above the fold on the home and booking pages.',
        from_patterns: [bio],
        applies_to: { components: ['practitioner-bio', 'hero-section'] },
        domains: ['reiki_patterns'],
        priority: 50,
        review: { decided_at: iso(at(1, 4, 9)), by: 'maya (lead)', reason: 'Clients trust the booking page more (feedback sessions).' },
      },
      'Seed pattern confirmed by client feedback.',
    ],
  ];
  for (const [record, body] of rules) out.push({ record, body });

  const templates: Array<[TemplateRecord, string]> = [
    [
      {
        kind: 'template',
        id: STORIES.webhookTemplate,
        created_at: iso(WEBHOOK_TEMPLATE_MS),
        title: 'Square webhook signature verification',
        status: 'accepted',
        summary: 'Express middleware that keeps the raw body and verifies the x-square-hmacsha256-signature header before any parsing.',
        task_type: 'api-integration',
        component: 'square-webhook',
        domains: ['square_api'],
        source_executions: [webhookFix],
        steps: [
          'Mount express.raw() on the webhook route',
          'HMAC-SHA256 over notification URL + raw body with the signature key from $SQUARE_WEBHOOK_SIGNATURE_KEY',
          'Compare with timingSafeEqual; 401 on mismatch',
          'Only then JSON.parse the body',
        ],
      },
      '## Use\n\nCopy `webhookVerify.ts` and register the exact notification URL (trailing slash included).',
    ],
    [
      {
        kind: 'template',
        id: 'tpl-booking-three-step-flow',
        created_at: iso(at(2, 3, 12)),
        title: 'Three-step booking flow',
        status: 'accepted',
        summary: 'Service, time (location timezone), details: the booking flow with slots converted by the timezone rule.',
        task_type: 'component',
        component: 'booking-form',
        domains: ['booking', 'reiki_patterns'],
        source_executions: [bookingSuccesses[0]!],
        steps: ['Step 1: choose the service card', 'Step 2: TimeSlotGrid in the location timezone', 'Step 3: details and deposit'],
      },
      'Built from the timezone root-cause analysis; see the accepted timezone rule.',
    ],
    [
      {
        kind: 'template',
        id: 'tpl-soft-palette-hero',
        created_at: iso(at(0, 4, 18)),
        title: 'Soft-palette hero section',
        status: 'accepted',
        summary: 'Hero section with lavender/sage tokens, calm imagery, 4.5:1 contrast and one booking call to action.',
        task_type: 'component',
        component: 'hero-section',
        domains: ['reiki_patterns', 'component_library'],
        source_executions: [heroSource],
        steps: ['Use PaletteTokens soft set', 'Check contrast 4.5:1 on the overlay', 'Single primary button to the booking flow'],
      },
      'Extracted from the first high-scoring hero task.',
    ],
    [
      {
        kind: 'template',
        id: 'tpl-practitioner-bio-card',
        created_at: iso(at(1, 2, 18)),
        title: 'Practitioner bio card',
        status: 'proposed',
        summary: 'Photo, name, lineage and certifications in a SoftCard, responsive down to 320 px.',
        task_type: 'component',
        component: 'practitioner-bio',
        domains: ['reiki_patterns', 'content'],
        steps: ['SoftCard with Avatar', 'Lineage and certifications list', 'Link to the booking flow'],
      },
      'Proposed; waiting for a second successful use.',
    ],
  ];
  for (const [record, body] of templates) out.push({ record, body });

  const patterns: Array<[PatternRecord, string]> = [
    [
      {
        kind: 'pattern',
        id: 'pat-square-api-webhook-signature-raw-body',
        created_at: iso(at(1, 0, 9)),
        title: 'Webhook signature fails when the body is parsed first',
        pattern_type: 'gotcha',
        category: 'integration-gotcha',
        domain: 'square_api',
        domains: ['square_api'],
        status: 'accepted',
        statement: 'Square webhook signature verification fails when the JSON body is parsed (and re-serialised) before the HMAC is computed.',
        evidence: webhookFailures,
        support: webhookFailures.length,
        confidence: 1,
      },
      'Common Square API integration issue: verify over the raw bytes.',
    ],
    [
      {
        kind: 'pattern',
        id: 'pat-square-api-idempotency-key-reuse',
        created_at: iso(at(3, 2, 9)),
        title: 'Idempotency key reused across payment retries',
        pattern_type: 'gotcha',
        category: 'integration-gotcha',
        domain: 'square_api',
        domains: ['square_api'],
        status: 'proposed',
        statement: 'Square returns 409 IDEMPOTENCY_KEY_REUSED when a retry with a different amount reuses the key of the first attempt.',
      },
      'Common Square API integration issue.',
    ],
    [
      {
        kind: 'pattern',
        id: 'pat-square-api-sandbox-location-ids',
        created_at: iso(at(2, 2, 9)),
        title: 'Sandbox and production location ids differ',
        pattern_type: 'gotcha',
        category: 'integration-gotcha',
        domain: 'square_api',
        domains: ['square_api'],
        status: 'accepted',
        statement: 'Square sandbox and production use different location ids; a hard-coded id gives 400 INVALID_LOCATION in production.',
      },
      'Common Square API integration issue: configure location ids per environment.',
    ],
    [
      {
        kind: 'pattern',
        id: 'pat-booking-timezone-shift',
        created_at: iso(at(2, 0, 18)),
        title: 'Booking slots shift by the visitor timezone offset',
        pattern_type: 'failure',
        category: 'architectural-decision',
        domain: 'booking',
        domains: ['booking', 'square_api'],
        status: 'accepted',
        statement: 'Booking-form tasks fail when appointment slots are rendered in the browser timezone instead of the studio location timezone.',
        evidence: bookingFailures,
        support: bookingFailures.length,
        confidence: 1,
        about: ['booking-form'],
      },
      'Same error fingerprint five times in three weeks: led to the timezone rule.',
    ],
    [
      {
        kind: 'pattern',
        id: 'pat-reiki-patterns-soft-palette-hero-works',
        created_at: iso(at(3, 4, 18)),
        title: 'Soft-palette hero and service cards succeed',
        pattern_type: 'success',
        category: 'component-pattern',
        domain: 'reiki_patterns',
        domains: ['reiki_patterns', 'component_library'],
        status: 'accepted',
        statement: 'Reiki UI components built on the soft palette tokens (hero, service cards, bio card) succeed first time and are reused most.',
        evidence: [heroSource],
        about: ['hero-section', 'service-card', 'practitioner-bio'],
      },
      'Reiki-specific UI pattern that worked.',
    ],
  ];
  for (const [record, body] of patterns) out.push({ record, body });
  return out;
}

/** Writes the example knowledge base into `outDir` (emptied first). Returns counts. */
export async function generateExample(outDir: string): Promise<{ executions: number; reflections: number; files: number; problems: number }> {
  const abs = resolve(outDir);
  if (existsSync(abs)) for (const entry of readdirSync(abs)) rmSync(join(abs, entry), { recursive: true, force: true });
  const ws: Workspace = openWorkspace({ root: abs });
  initKnowledgeBase(ws, { example: false, now: new Date(SEEDED_AT), gitignore: false });
  const rows: RecordRow[] = [];
  const put = (record: AnyRecord, body: string) => {
    const rel = recordPath(record);
    writeFileExclusive(join(ws.kbRoot, rel), renderRecord(record, body));
    rows.push({ id: record.id, kind: record.kind, file: `${ws.kbPrefix}${rel}`, data: record, body });
  };
  for (const p of memoryToPatterns(SEED_PATTERNS, SEEDED_AT)) put(p, `${p.statement}\n\nSeed pattern from Phase 1 (the seed's Step 4 initial patterns).`);
  for (const { record, body } of curatedRecords()) put(record, body);

  // Sanity: the planted booking error really is one fingerprint.
  const fps = new Set(TZ_ERRORS.map((m) => fingerprint(m).id));
  if (fps.size !== 1) throw new Error(`timezone errors have ${fps.size} fingerprints; the story needs one`);

  const ordered = [...plans].sort((a, b) => a.ms - b.ms || (String(a.input.id) < String(b.input.id) ? -1 : 1));
  let reflections = 0;
  for (const p of ordered) {
    const input = { ...p.input } as Record<string, unknown>;
    for (const k of Object.keys(input)) if (input[k] === undefined || (Array.isArray(input[k]) && (input[k] as unknown[]).length === 0)) delete input[k];
    input.sprint = sprintOf(p.ms);
    input.started_at = iso(p.ms);
    input.created_at = iso(p.ms + Number(input.duration_s) * 1000);
    input.body = bodyFor(input);
    const res = await recordExecution(ws, input, { rows, now: new Date(p.ms) });
    if (!res.ok || !res.execution) throw new Error(`could not record ${String(input.id)}: ${res.diagnostics.map((d) => `${d.rule} ${d.message}`).join('; ')}`);
    rows.push({ id: res.execution.id, kind: 'execution', file: res.path!, data: res.execution, body: String(input.body) });
    if (res.reflection) {
      reflections += 1;
      // The reflection as written, as the next `record` reads it from the knowledge base (its
      // text feeds the themes the next root-cause stubs cite).
      const written = readRecord(join(ws.repoRoot, res.reflection.path));
      if (!written) throw new Error(`could not read back ${res.reflection.path}`);
      rows.push({ id: res.reflection.id, kind: 'reflection', file: res.reflection.path, data: written.record, body: written.body });
    }
  }
  completeStoryReflections(ws, rows);
  const check = checkKnowledgeBase(ws);
  return { executions: ordered.length, reflections, files: check.files, problems: check.diagnostics.filter((d) => d.severity !== 'info').length };
}

function bodyFor(input: Record<string, unknown>): string {
  const lines = [`## ${String(input.title ?? input.task_id)}`, ''];
  lines.push(`${String(input.agent)} worked on \`${String(input.component)}\` (${String(input.task_type)}); outcome: **${String(input.outcome)}**.`);
  const errors = (input.errors as string[] | undefined) ?? [];
  if (errors.length) lines.push('', '### Errors', '', ...errors.map((e) => `- ${e}`));
  const post = input.post as { discoveries?: string[] } | undefined;
  if (post?.discoveries?.length) lines.push('', '### Discoveries', '', ...post.discoveries.map((d) => `- ${d}`));
  return lines.join('\n');
}

/** Fills in the root-cause analyses a person wrote for the two big stories. */
function completeStoryReflections(ws: Workspace, rows: RecordRow[]): void {
  const fill = (executionId: string, rootCause: string, actions: string[], proposed: string[]) => {
    const row = rows.find((r) => r.kind === 'reflection' && (r.data as ReflectionRecord).executions.includes(executionId));
    if (!row) return;
    const file = join(ws.repoRoot, row.file);
    const text = readRecord(file);
    if (!text) return;
    const rec = { ...text.record, status: 'done', root_cause: rootCause, actions, proposed } as ReflectionRecord;
    writeFileAtomic(file, renderRecord(rec, `${text.body.trim()}\n\n## Root cause\n\n${rootCause}\n\n## Actions\n\n${actions.map((a) => `- ${a}`).join('\n')}`));
  };
  fill(
    bookingFailures[3]!,
    'Slots from Square are UTC; the booking form rendered them with the browser timezone, so every visitor outside the studio timezone saw shifted times. Same error fingerprint in 4 booking tasks.',
    ['Accept a rule: convert appointment times with the location timezone', 'Add timezone end-to-end tests for the booking form'],
    [STORIES.timezoneRule],
  );
  fill(
    webhookFailures[2]!,
    'The handler parsed JSON before verifying, so the HMAC was computed over re-serialised bytes and never matched.',
    ['Keep the raw body on the webhook route', 'Extract the verification as a template'],
    ['rule-validate-square-webhook-signatures'],
  );
}

function readRecord(file: string): { record: ReflectionRecord; body: string } | undefined {
  const parsed = parseFrontmatter(file, readFileSync(file, 'utf8'));
  return parsed.data ? { record: parsed.data as unknown as ReflectionRecord, body: parsed.body } : undefined;
}

// Run as a script: `npx tsx tools/examples/generate-example.ts [out-dir]`.
if (process.argv[1] && /generate-example\.(ts|js)$/.test(process.argv[1])) {
  const out = process.argv[2] ?? 'learning-loop';
  generateExample(out).then(
    (r) => {
      process.stdout.write(`${r.executions} executions, ${r.reflections} reflections, ${r.files} files in ${out}; ${r.problems} problems\n`);
      process.exitCode = r.problems ? 1 : 0;
    },
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

export type { ExecutionRecord };

/**
 * A deterministic generator of valid knowledge bases for the site's tests and benchmark: every
 * record kind, linked the way real ones are (reflections -> failed executions, patterns ->
 * evidence, rules -> patterns, templates -> source executions), written with `renderRecord`
 * at `recordPath`. Optionally adds records whose bodies are an XSS attack corpus.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderRecord } from '../../scripts/core/records/write.js';
import { recordPath, type AnyRecord, type ExecutionRecord } from '../../scripts/core/records/kinds.js';
import { computeOverall, decideTrigger, DEFAULT_THRESHOLDS } from '../../scripts/core/score/formulas.js';
import { mulberry32 } from '../examples/prng.js';

/** Options for `generateKb`. */
export interface KbOptions {
  /** Number of execution records (other kinds scale with it). */
  executions: number;
  /** Add records whose bodies are the XSS corpus (ids start with `xss-`). */
  attacks?: boolean;
  /** First day of the history (default 2026-09-07, a Monday). */
  start?: string;
}

/** The XSS corpus: each body must render without executing anything. `window.__xss` is the tripwire. */
export const XSS_CORPUS: string[] = [
  '<script>window.__xss = "script"</script>',
  '<img src="x" onerror="window.__xss = \'img-onerror\'">',
  "[click me](javascript:window.__xss='js-link')",
  '[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)',
  "![img](javascript:window.__xss='js-img')",
  '![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)',
  '<iframe src="javascript:window.__xss=\'iframe\'"></iframe>',
  '<iframe srcdoc="<script>parent.__xss=\'srcdoc\'</script>"></iframe>',
  '<svg onload="window.__xss=\'svg\'"><script>window.__xss="svg-script"</script></svg>',
  '<svg><a xlink:href="javascript:window.__xss=\'svg-a\'"><text y="20">svg link</text></a></svg>',
  '<a href="javascript:window.__xss=\'raw-a\'">raw link</a>',
  '<a href="JaVaScRiPt:window.__xss=\'mixed-case\'">mixed case</a>',
  '<a href="&#106;avascript:window.__xss=\'entity\'">entity link</a>',
  '<div onclick="window.__xss=\'onclick\'" style="position:fixed;inset:0">overlay</div>',
  '<details open ontoggle="window.__xss=\'ontoggle\'"><summary>x</summary></details>',
  '<form id="search-form" action="javascript:window.__xss=\'form\'"><input name="q" autofocus onfocus="window.__xss=\'onfocus\'"></form>',
  '<img name="getElementById" id="main"><a id="results" name="q">clobber</a>',
  '<object data="javascript:window.__xss=\'object\'"></object><embed src="javascript:window.__xss=\'embed\'">',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=\'mxss\'"></style></mglyph></table></mtext></math>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=\'meta\'">',
  '<base href="javascript:window.__xss=\'base\'//">',
  '<style>body{display:none}</style><link rel="stylesheet" href="data:text/css,body{display:none}">',
  '```html\n<script>window.__xss="in-code-is-text"</script>\n```',
];

const rng = mulberry32;

const AGENTS = ['claude', 'codex', 'gemini', 'cursor-agent', 'copilot'];
const TYPES = ['component', 'api-integration', 'bugfix', 'refactor', 'content', 'test'];
const COMPONENTS = ['booking-form', 'practitioner-bio', 'payment-checkout', 'hero-banner', 'testimonials', 'contact-form', 'calendar-widget', 'nav-menu'];
const DOMAINS = ['reiki_patterns', 'square_api', 'component_library'];
const ERRORS = [
  'Timeout after 30000ms calling https://connect.squareup.com/v2/payments',
  'TypeError: Cannot read properties of undefined (reading "slots")',
  'Webhook signature mismatch for event 4411',
  'Lint failed: 3 problems in src/components/BookingForm.tsx',
];

const pad = (n: number, w = 6): string => String(n).padStart(w, '0');
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function write(kbRoot: string, record: AnyRecord, body: string): void {
  const file = join(kbRoot, recordPath(record));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderRecord(record, body));
}

/** Writes a knowledge base under `<repo>/learning-loop/`. Returns the number of records written. */
export function generateKb(repo: string, opts: KbOptions): number {
  const kb = join(repo, 'learning-loop');
  const rand = rng(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const start = Date.parse(`${opts.start ?? '2026-09-07'}T09:00:00Z`);
  const n = opts.executions;
  // About two executions per working hour, so 10k spans months and 1k spans weeks.
  const span = Math.max(1, Math.min(180, Math.ceil(n / 12))) * 86400000;
  let count = 0;
  const execs: ExecutionRecord[] = [];
  for (let i = 0; i < n; i++) {
    const progress = i / Math.max(1, n - 1);
    const t = start + Math.floor(progress * span) + Math.floor(rand() * 3600000);
    const component = pick(COMPONENTS);
    const type = pick(TYPES);
    const risky = component === 'payment-checkout' && rand() < 0.7;
    const outcome: ExecutionRecord['outcome'] = risky ? 'failure' : rand() < 0.12 ? 'partial' : rand() < 0.08 ? 'failure' : 'success';
    const base = outcome === 'failure' ? 40 : outcome === 'partial' ? 62 : 72 + progress * 15;
    const s = (spread: number): number => Math.max(0, Math.min(100, Math.round(base + (rand() - 0.5) * spread)));
    const scores = { accuracy: s(20), efficiency: s(30), reusability: s(30), surprise: Math.round(rand() * (outcome === 'failure' ? 90 : 60)) };
    const overall = computeOverall(scores);
    const decision = decideTrigger(scores, DEFAULT_THRESHOLDS);
    const reuse = rand() < 0.25 + progress * 0.4;
    const e: ExecutionRecord = {
      kind: 'execution',
      id: `ex-${pad(i)}`,
      created_at: iso(t + 3600000),
      title: `${type} ${component} #${i}`,
      domains: [component.startsWith('pay') ? 'square_api' : pick(DOMAINS)],
      task_id: `task-${pad(i, 5)}`,
      task_type: type,
      component,
      agent: pick(AGENTS),
      sprint: `sprint-${1 + Math.floor(progress * 8)}`,
      started_at: iso(t),
      duration_s: Math.round(300 + rand() * 3000 + (type === 'api-integration' ? 1800 : 0)),
      outcome,
      scores,
      overall,
      trigger: decision.action,
      pre: { assumptions: ['Square sandbox mirrors production'], dependencies: risky ? ['square-sdk'] : ['react'], initial_state: 'main is green' },
      during: { decision_points: ['Chose controlled inputs'], alternatives_considered: ['Uncontrolled form'] },
      post: {
        outcomes: [outcome === 'success' ? `Shipped the ${component}` : `The ${component} change did not land`],
        deviations: [],
        discoveries: scores.surprise > 70 ? ['The API rounds amounts differently'] : [],
      },
      errors: outcome === 'failure' ? [pick(ERRORS)] : [],
      reused: reuse ? ['tpl-000001'] : [],
      produced: [`src/components/${component}.tsx`],
    };
    // One agent reports what its runs cost (no extra random draws: the rest of the KB is unchanged).
    if (e.agent === 'claude') e.usage = { model: 'claude-sonnet', input_tokens: 20000 + 1000 * (i % 9), output_tokens: 1500 + 100 * (i % 5), cost_usd: Math.round((0.1 + 0.05 * (i % 7)) * 100) / 100 };
    // Half the executions recalled a rule before the task (for the effect-of-memory page; no random draws).
    if (i % 2 === 0) e.recalled = [i % 4 === 0 ? 'rule-000000' : 'rule-000001'];
    execs.push(e);
    write(kb, e, i % 3 === 0 ? `## Notes\n\nWorked on the **${component}** (${type}). See \`${component}.tsx\`.\n\n- checked the booking flow\n- ran the tests` : `Worked on the ${component}.`);
    count++;
  }
  const failures = execs.filter((e) => e.outcome === 'failure');
  const successes = execs.filter((e) => e.overall > 85);
  const created = (k: number): string => iso(start + k * 3600000);
  // Reflections on the first failures (about one per 20 executions).
  const nRefl = Math.max(1, Math.floor(n / 20));
  for (let i = 0; i < Math.min(nRefl, failures.length); i++) {
    const f = failures[i]!;
    write(
      kb,
      {
        kind: 'reflection',
        id: `rf-${pad(i)}`,
        created_at: f.created_at,
        title: `Why ${f.task_id} failed`,
        reflection_type: 'root_cause_analysis',
        trigger: 'mandatory_reflection',
        reason: `Overall ${f.overall} below 60`,
        executions: [f.id],
        status: 'done',
        root_cause: 'The Square sandbox timed out under load.',
        actions: ['Retry with backoff', 'Validate webhook signatures'],
      },
      'The payment call **timed out**; retries were missing.',
    );
    count++;
  }
  // Patterns (about one per 50 executions), with evidence.
  const nPat = Math.max(4, Math.floor(n / 50));
  const statuses = ['accepted', 'proposed', 'rejected', 'archived'] as const;
  for (let i = 0; i < nPat; i++) {
    const fail = i % 2 === 0;
    const pool = fail ? failures : successes;
    const evidence = [...new Set(Array.from({ length: Math.min(5, pool.length) }, (_, k) => pool[(i * 7 + k) % pool.length]!.id))];
    write(
      kb,
      {
        kind: 'pattern',
        id: `pat-${pad(i)}`,
        created_at: created(i),
        title: fail ? `payment-checkout fails with square-sdk (${i})` : `Reusing the booking template succeeds (${i})`,
        pattern_type: fail ? 'failure' : 'success',
        category: fail ? 'integration-gotcha' : 'component-pattern',
        domain: fail ? 'square_api' : 'component_library',
        status: statuses[i % 4]!,
        statement: fail ? 'Executions on payment-checkout with square-sdk score below 60.' : 'Executions reusing tpl-000001 score above 80.',
        definition: fail ? { component: 'payment-checkout', dependency: 'square-sdk' } : { reused: 'tpl-000001' },
        evidence,
        support: evidence.length,
        confidence: 0.8,
        lift: 2.5,
      },
      'Derived from the execution history.',
    );
    count++;
  }
  const nRules = Math.max(2, Math.floor(n / 100));
  for (let i = 0; i < nRules; i++) {
    write(
      kb,
      {
        kind: 'rule',
        id: `rule-${pad(i)}`,
        created_at: created(i),
        status: statuses[i % 4]!,
        statement: i % 2 ? 'Always validate webhook signatures.' : 'Booking flow must be at most 3 steps.',
        rationale: 'Seed pattern.',
        applies_to: { components: ['booking-form'] },
        from_patterns: [`pat-${pad(i % nPat)}`],
        priority: 50,
      },
      'Follow this before touching the booking flow.',
    );
    count++;
  }
  const nTpl = Math.max(2, Math.floor(n / 100));
  for (let i = 0; i < nTpl; i++) {
    const src = successes.slice(i, i + 3).map((e) => e.id);
    write(
      kb,
      {
        kind: 'template',
        id: `tpl-${pad(i)}`,
        created_at: created(i),
        status: statuses[i % 4]!,
        summary: 'Three-step booking form with Square checkout',
        task_type: 'component',
        component: 'booking-form',
        steps: ['Collect the service', 'Pick a slot', 'Pay with Square'],
        source_executions: src.length ? src : undefined,
      },
      '## Steps\n\n1. Service\n2. Slot\n3. Pay',
    );
    count++;
  }
  write(
    kb,
    {
      kind: 'assumption',
      id: 'current-assumptions',
      created_at: created(0),
      status: 'accepted',
      statement: 'Current working assumptions for the booking and payment flow.',
      confidence: 'medium',
      assumptions: [{ key: 'square-sandbox', statement: 'The Square sandbox mirrors production.', confidence: 'medium' }],
    },
    'Reviewed when surprise runs high.',
  );
  write(kb, { kind: 'assumption', id: 'as-000001', created_at: created(1), status: 'proposed', statement: 'Practitioners update their bio monthly.', confidence: 'low' }, '');
  count += 2;
  const weeks = Math.max(1, Math.floor(span / (7 * 86400000)));
  for (let w = 0; w < Math.min(weeks, 30); w++) {
    const ps = new Date(start + w * 7 * 86400000).toISOString().slice(0, 10);
    const pe = new Date(start + (w * 7 + 6) * 86400000).toISOString().slice(0, 10);
    write(
      kb,
      {
        kind: 'synthesis',
        id: `syn-week-${ps}`,
        created_at: `${pe}T23:00:00Z`,
        title: `Weekly synthesis ${ps}`,
        period: 'week',
        period_label: ps,
        period_start: ps,
        period_end: pe,
        executions: Math.round(n / Math.max(1, weeks)),
        top_patterns: [`pat-${pad(0)}`],
        flags: ['repeated_error: timeout calling the payments API'],
        metrics: { mean_overall: 72, reuse_rate: 0.4 },
      },
      `## Summary\n\nWeek of ${ps}: scores trending up; payment-checkout still fails.`,
    );
    count++;
  }
  if (opts.attacks) {
    XSS_CORPUS.forEach((body, i) => {
      write(
        kb,
        {
          kind: 'rule',
          id: `xss-${pad(i, 2)}`,
          created_at: created(i),
          status: 'proposed',
          title: `Attack ${i} <script>window.__xss="title"</script>`,
          statement: `Attack body ${i} "><img src=x onerror=window.__xss=1>`,
        },
        body,
      );
      count++;
    });
  }
  return count;
}

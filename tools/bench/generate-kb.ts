/**
 * Realistic synthetic knowledge bases for tests and the benchmark. Deterministic for a seed:
 * executions over a web project's components, task types, domains and agents (with recurring
 * errors, failures followed by root-cause reflections, reuse), plus patterns, rules and
 * templates. Files are written with the real writer (`renderRecord` + `recordPath`), so every
 * record is valid. About 1.8 KB per execution, like real ones.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { recordPath, type AnyRecord, type ExecutionRecord } from '../../scripts/core/records/kinds.js';
import { renderRecord } from '../../scripts/core/records/write.js';
import { mulberry32 } from '../examples/prng.js';
import { computeOverall, decideTrigger, DEFAULT_THRESHOLDS } from '../../scripts/core/score/formulas.js';

/** Options for `generateKb`. */
export interface GenerateOptions {
  /** Total number of records (about 85% executions). */
  records: number;
  seed?: number;
  /** First execution time (ms); records are spread 20 minutes apart from here. */
  start?: number;
}

/** Components of the synthetic project (the example KB's vocabulary and more). */
export const COMPONENTS = [
  'booking-form',
  'payment-widget',
  'practitioner-bio',
  'service-card',
  'contact-form',
  'hero-banner',
  'testimonial-carousel',
  'calendar-picker',
  'nav-menu',
  'footer',
  'newsletter-signup',
  'gallery-grid',
];
/** Task types. */
export const TASK_TYPES = ['component', 'integration', 'api', 'styling', 'refactor', 'test', 'bugfix', 'content'];
/** Domains. */
export const DOMAINS = ['reiki_patterns', 'square_api', 'component_library', 'accessibility', 'performance', 'seo'];
/** Agents. */
export const AGENTS = ['claude', 'codex', 'cursor', 'copilot', 'gemini'];
const ERRORS = [
  'TypeError: Cannot read properties of undefined (reading "slots") at BookingForm.tsx:42:13',
  'Square API 401: invalid webhook signature for event evt_%n',
  'Timeout after %n ms waiting for /api/availability',
  'Hydration mismatch in CalendarPicker: server rendered %n slots, client %n',
  'Payment declined: card_declined for order ord-%n',
  'axe: color-contrast violation on .cta-button (ratio %n.2)',
  'Build failed: Cannot find module "@/components/ServiceCard"',
  'Timezone conversion produced an appointment at 2026-03-29T02:%nZ that does not exist',
];
const WORDS =
  'soft palette booking flow steps practitioner bio webhook signature cache payment methods returning clients timezone conversion appointment slot availability calendar accessible contrast focus keyboard navigation responsive layout hydration server client render state validation schema form field error message retry idempotency token refund receipt email confirmation reminder service price duration session healing energy calm'.split(
    ' ',
  );

/** A small deterministic PRNG (mulberry32). */
export const rng = mulberry32;

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

function sentence(r: () => number, n: number): string {
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(pick(r, WORDS));
  const s = words.join(' ');
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

function ulidLike(r: () => number, t: number): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let time = '';
  let v = t;
  for (let i = 0; i < 10; i++) {
    time = alphabet[v % 32] + time;
    v = Math.floor(v / 32);
  }
  let rand = '';
  for (let i = 0; i < 16; i++) rand += alphabet[Math.floor(r() * 32)];
  return time + rand;
}

const iso = (t: number): string => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** One synthetic execution record (with its body). */
export function syntheticExecution(r: () => number, t: number, i: number): { record: ExecutionRecord; body: string } {
  const component = pick(r, COMPONENTS);
  const taskType = pick(r, TASK_TYPES);
  const domain = component === 'payment-widget' || taskType === 'integration' ? 'square_api' : pick(r, DOMAINS);
  const failing = r() < 0.22;
  const outcome = failing ? 'failure' : r() < 0.15 ? 'partial' : 'success';
  const base = failing ? 35 : outcome === 'partial' ? 62 : 78;
  const s = () => Math.max(0, Math.min(100, Math.round(base + (r() - 0.5) * 40)));
  const scores = { accuracy: s(), efficiency: s(), reusability: s(), surprise: Math.round(r() * 100) };
  const overall = computeOverall(scores);
  const errors = failing || r() < 0.1 ? [pick(r, ERRORS).replace(/%n/g, String(Math.floor(r() * 9000) + 100))] : undefined;
  const record: ExecutionRecord = {
    kind: 'execution',
    id: `ex-${ulidLike(r, t)}`,
    created_at: iso(t + 600000),
    title: `${taskType} ${component}: ${sentence(r, 4).slice(0, -1).toLowerCase()}`,
    domains: [domain],
    tags: [pick(r, WORDS)].filter((x, k, a) => a.indexOf(x) === k),
    task_id: `task-${i}`,
    task_type: taskType,
    component,
    agent: pick(r, AGENTS),
    sprint: `sprint-${Math.floor(i / 200) + 1}`,
    started_at: iso(t),
    duration_s: Math.round(300 + r() * 3000),
    outcome,
    scores,
    overall,
    trigger: decideTrigger(scores, DEFAULT_THRESHOLDS).action,
    pre: { assumptions: [sentence(r, 8)], dependencies: [pick(r, COMPONENTS)], initial_state: sentence(r, 10) },
    during: { decision_points: [sentence(r, 10), sentence(r, 8)], alternatives_considered: [sentence(r, 8)] },
    post: { outcomes: [sentence(r, 12)], deviations: failing ? [sentence(r, 10)] : [], discoveries: [sentence(r, 10)] },
    ...(errors ? { errors } : {}),
    reused: r() < 0.4 ? [pick(r, COMPONENTS)] : [],
    // Two of three executions recalled a rule first (for the effect-of-memory figures; no random draws,
    // so the rest of the knowledge base is what it was). Both rules exist in every generated KB.
    ...(i % 3 !== 2 ? { recalled: [i % 3 === 0 ? `rule-${COMPONENTS[0]}-0` : `rule-${COMPONENTS[3 % COMPONENTS.length]}-3`] } : {}),
  };
  const body = `## Notes\n\n${sentence(r, 30)} ${sentence(r, 25)}\n\n${sentence(r, 30)} ${sentence(r, 20)}\n\n## Follow-up\n\n- ${sentence(r, 12)}\n- ${sentence(r, 12)}\n`;
  return { record, body };
}

/** Writes a synthetic knowledge base under `kbRoot`; returns the KB-relative paths written. */
export function generateKb(kbRoot: string, opts: GenerateOptions): string[] {
  const r = rng(opts.seed ?? 42);
  const start = opts.start ?? Date.UTC(2026, 0, 5, 9, 0, 0);
  const written: string[] = [];
  const write = (rec: AnyRecord, body: string) => {
    const rel = recordPath(rec);
    const abs = join(kbRoot, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, renderRecord(rec, body));
    written.push(rel);
  };
  const nLong = Math.max(6, Math.round(opts.records * 0.03));
  const nRefl = Math.round(opts.records * 0.1);
  const nExec = Math.max(1, opts.records - nLong - nRefl);
  const failures: ExecutionRecord[] = [];
  for (let i = 0; i < nExec; i++) {
    const t = start + i * 20 * 60000;
    const { record, body } = syntheticExecution(r, t, i);
    if (record.outcome === 'failure') failures.push(record);
    write(record, body);
  }
  for (let i = 0; i < nRefl && failures.length; i++) {
    const ex = failures[i % failures.length]!;
    const t = Date.parse(ex.created_at) + 3600000 + i;
    write(
      {
        kind: 'reflection',
        id: `rf-${ulidLike(r, t)}`,
        created_at: iso(t),
        reflection_type: 'root_cause_analysis',
        trigger: 'mandatory_reflection',
        reason: `Low performance on ${ex.component}: ${sentence(r, 6)}`,
        executions: [ex.id],
        status: 'done',
        root_cause: `${sentence(r, 10)} The ${ex.component} ${pick(r, ['assumed', 'skipped', 'ignored'])} ${sentence(r, 6)}`,
        actions: [sentence(r, 8)],
        domains: ex.domains ?? [],
      },
      `## Root cause\n\n${sentence(r, 30)}\n`,
    );
  }
  for (let i = 0; i < nLong; i++) {
    const t = start + i * 3600000;
    const comp = COMPONENTS[i % COMPONENTS.length]!;
    const status = Math.floor(i / 3) % 3 === 2 ? 'proposed' : 'accepted';
    if (i % 3 === 0) {
      write(
        { kind: 'rule', id: `rule-${comp}-${i}`, created_at: iso(t), status, statement: `For ${comp}: ${sentence(r, 10)}`, applies_to: { components: [comp] }, priority: 50 },
        `${sentence(r, 20)}\n`,
      );
    } else if (i % 3 === 1) {
      write(
        {
          kind: 'pattern',
          id: `pat-${comp}-${i}`,
          created_at: iso(t),
          status,
          pattern_type: i % 2 ? 'failure' : 'success',
          category: i % 2 ? 'integration-gotcha' : 'component-pattern',
          domain: pick(r, DOMAINS),
          statement: `${comp}: ${sentence(r, 12)}`,
          definition: { component: comp },
        },
        `${sentence(r, 20)}\n`,
      );
    } else {
      write(
        { kind: 'template', id: `tpl-${comp}-${i}`, created_at: iso(t), status, summary: `Template for ${comp}: ${sentence(r, 8)}`, component: comp, steps: [sentence(r, 6), sentence(r, 6)] },
        `${sentence(r, 20)}\n`,
      );
    }
  }
  return written;
}

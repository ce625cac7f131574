/**
 * Synthetic execution histories for tests and the benchmark: a balanced "control" history (no
 * attribute predicts the outcome, durations are flat, no error repeats, reuse is healthy, surprise
 * is rare) and helpers to plant known facts in it. Deterministic (no clock, no randomness).
 */
import type { ExecutionRecord } from '../../scripts/core/records/kinds.js';
import { computeOverall, decideTrigger, type Scores } from '../../scripts/core/score/formulas.js';
import { mulberry32 } from './prng.js';

/** Fields a generated execution may override. */
export type ExecutionOverrides = Partial<Omit<ExecutionRecord, 'kind' | 'scores' | 'overall' | 'trigger'>> & { scores?: Partial<Scores> };

const BASE_MS = Date.UTC(2026, 9, 5, 9, 0, 0); // Monday 2026-10-05 09:00Z

/** ISO time `hours` after the base (2026-10-05T09:00Z, a Monday). */
export function hoursAfterBase(hours: number): string {
  return new Date(BASE_MS + hours * 3600000).toISOString().replace(/\.000Z$/, 'Z');
}

/** A valid execution with consistent overall/trigger. `n` orders it in time (hours after the base). */
export function makeExecution(id: string, n: number, o: ExecutionOverrides = {}): ExecutionRecord {
  const scores: Scores = { accuracy: 80, efficiency: 80, reusability: 80, surprise: 40, ...(o.scores ?? {}) }; // overall 70: neither success nor failure
  const started = o.started_at ?? hoursAfterBase(n);
  const { scores: _s, ...rest } = o;
  const e: ExecutionRecord = {
    kind: 'execution',
    id,
    created_at: started,
    task_id: `task-${id}`,
    task_type: 'component',
    agent: 'agent-a',
    started_at: started,
    duration_s: 600,
    outcome: 'success',
    pre: { assumptions: [], dependencies: [] },
    post: { outcomes: [] },
    ...rest,
    scores,
    overall: computeOverall(scores),
    trigger: decideTrigger(scores).action,
  };
  return e;
}

/** Scores that give an overall of about `overall` (three equal scores; surprise kept low unless `overall` needs it). */
export function scoresFor(overall: number, surprise = 20): Scores {
  let rest = Math.round((overall * 4 - surprise) / 3);
  if (rest > 100) {
    // Very high overall needs a higher surprise too (every score is at most 100).
    rest = 100;
    surprise = Math.min(100, overall * 4 - 300);
  }
  return { accuracy: Math.max(0, rest), efficiency: Math.max(0, rest), reusability: Math.max(0, rest), surprise };
}

const COMPONENTS = ['header', 'footer', 'gallery', 'contact-form'];
const AGENTS = ['agent-a', 'agent-b', 'agent-c'];
const TYPES = ['component', 'page', 'refactor', 'docs', 'test', 'style', 'layout', 'copy', 'perf', 'a11y', 'seo'];
const DEPS = ['react', 'vite', 'tailwind', 'zod', 'vitest', 'astro', 'eslint'];
const DOMAINS = ['ui', 'content', 'infra', 'qa', 'ops', 'seo'];
const ERRORS = [
  'lint warning about unused import',
  'flaky snapshot mismatch',
  'typo in heading copy',
  'missing alt text',
  'broken anchor link',
  'stale lockfile',
  'wrong tab order',
  'color contrast too low',
  'image too large',
  'duplicate meta description',
  'console warning on mount',
  'missing translation key',
];

/**
 * A control history of `count` executions: attributes cycle with co-prime periods so that every
 * outcome is spread evenly over every attribute (and pair of attributes), durations are flat with
 * small periodic noise, errors never repeat, half the executions reuse a template, surprise is low.
 */
export function controlHistory(count: number, prefix = 'ex-ctl'): ExecutionRecord[] {
  const out: ExecutionRecord[] = [];
  for (let i = 0; i < count; i++) {
    // Outcomes cycle with period 5; attributes with periods 4, 3, 6, 7, 11 (all co-prime to 5, so
    // every attribute and pair of attributes sees each outcome equally often).
    const kind = i % 5;
    const overall = kind === 0 ? 50 : kind === 1 ? 88 : 74;
    const failure = kind === 0;
    const id = `${prefix}-${String(i).padStart(5, '0')}`;
    const errs = failure ? [`${ERRORS[Math.floor(i / 5) % ERRORS.length]} (${['alpha', 'beta', 'gamma', 'delta', 'epsilon'][Math.floor(i / 60) % 5]} variant)`] : [];
    out.push(
      makeExecution(id, i * 3, {
        task_type: TYPES[i % 11]!,
        component: COMPONENTS[i % 4]!,
        agent: AGENTS[i % 3]!,
        domains: [DOMAINS[i % 6]!],
        duration_s: 600 + ((i * 37) % 60) - 30,
        outcome: failure ? 'failure' : kind === 1 ? 'success' : 'partial',
        scores: scoresFor(overall),
        pre: { assumptions: ['the design system covers it'], dependencies: [DEPS[i % 7]!] },
        post: { outcomes: ['done'] },
        ...(errs.length ? { errors: errs } : {}),
        ...(i % 2 === 0 ? { reused: [`tpl-${['layout', 'card'][Math.floor(i / 2) % 2]}`] } : {}),
      }),
    );
  }
  return out;
}

/** Hour offsets used for planted executions (after the control history's span). */
export function plantedHours(start: number, i: number): number {
  return start + i * 5;
}

/** Options of a planted recall history (see `recallHistory`). */
export interface RecallHistoryOptions {
  /** Groups of comparable work (same task type and component, same week). Default 40. */
  strata?: number;
  /** Executions per group. Default 8. */
  perStratum?: number;
  /** The true effect of recalling: odds of success multiplied by this (1 = none). */
  effect: number;
  /** Hard groups recall more often than easy ones (the confounding of real histories). Default true. */
  confounded?: boolean;
  /** What is recalled. Default `rule-planted`. */
  learning?: string;
  seed?: number;
  prefix?: string;
}

/**
 * A history with a planted effect of recall under confounding: half the groups of comparable
 * work are hard (25% success) and recall 80% of the time, half are easy (85%) and recall 20% of
 * the time, so "success with recall vs without" over everything says recall harms even when it
 * helps. Recalling multiplies the odds of success by `effect`. Deterministic for a seed.
 */
export function recallHistory(o: RecallHistoryOptions): ExecutionRecord[] {
  const next = mulberry32(o.seed ?? 1);
  const strata = o.strata ?? 40;
  const per = o.perStratum ?? 8;
  const confounded = o.confounded ?? true;
  const out: ExecutionRecord[] = [];
  for (let k = 0; k < strata; k++) {
    const hard = k % 2 === 0;
    const base = hard ? 0.25 : 0.85;
    const recallRate = confounded ? (hard ? 0.8 : 0.2) : 0.5;
    for (let i = 0; i < per; i++) {
      const recalls = next() < recallRate;
      const odds = (base / (1 - base)) * (recalls ? o.effect : 1);
      const ok = next() < odds / (1 + odds);
      // Each group is one week of one component: hours within the same ISO week (Mon-Fri).
      const hours = k * 168 + i * 4;
      out.push(
        makeExecution(`${o.prefix ?? 'ex-rc'}-${String(k).padStart(3, '0')}-${i}`, hours, {
          task_type: 'fix',
          component: `${o.prefix ?? 'rc'}-comp-${k}`,
          outcome: ok ? 'success' : 'failure',
          scores: scoresFor(ok ? 85 : 45),
          ...(recalls ? { recalled: [o.learning ?? 'rule-planted'] } : {}),
        }),
      );
    }
  }
  return out;
}

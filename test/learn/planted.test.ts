/**
 * Planted facts: each test states a fact, generates a history containing it (on top of a
 * balanced control history), and checks the engine finds it with exactly the right evidence.
 * The control history alone must raise nothing.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/core/config.js';
import { allPatterns, extractPatternSet } from '../../scripts/core/learn/patterns.js';
import { detectAntiPatterns } from '../../scripts/core/learn/anti-patterns.js';
import { controlHistory, makeExecution, plantedHours, scoresFor } from '../../tools/examples/generate-history.js';
import type { ExecutionRecord } from '../../scripts/core/records/kinds.js';
import { fingerprint } from '../../scripts/core/learn/fingerprint.js';
import { mulberry32 } from '../../tools/examples/prng.js';

const config = structuredClone(DEFAULT_CONFIG);
const START = 60 * 3; // hours after base where the control history (60 executions) ends

function planted(prefix: string, n: number, at: number, o: (i: number) => Parameters<typeof makeExecution>[2]): ExecutionRecord[] {
  return Array.from({ length: n }, (_, i) => makeExecution(`${prefix}-${i}`, plantedHours(at, i), o(i)));
}

describe('control history', () => {
  it.each([20, 60, 120])('%i balanced executions raise no pattern and no flag', (n) => {
    const history = controlHistory(n);
    expect(allPatterns(extractPatternSet(history, config))).toEqual([]);
    expect(detectAntiPatterns(history, config)).toEqual([]);
  });

  it('an empty or tiny history raises nothing', () => {
    expect(allPatterns(extractPatternSet([], config))).toEqual([]);
    expect(detectAntiPatterns(controlHistory(3), config)).toEqual([]);
  });
});

describe('planted facts', () => {
  it('finds a failing component + dependency pair (and not the component or dependency alone)', () => {
    const bad = planted('ex-pair-bad', 5, START, (i) => ({
      component: 'booking-form',
      agent: ['agent-a', 'agent-b'][i % 2],
      outcome: 'failure',
      scores: scoresFor(40),
      pre: { dependencies: ['square-sdk'] },
    }));
    const okComp = planted('ex-pair-okc', 7, START + 1, () => ({ component: 'booking-form', scores: scoresFor(76), outcome: 'partial', pre: { dependencies: ['react'] } }));
    const okDep = planted('ex-pair-okd', 7, START + 2, () => ({ component: 'checkout', scores: scoresFor(76), outcome: 'partial', pre: { dependencies: ['square-sdk'] } }));
    const set = extractPatternSet([...controlHistory(60), ...bad, ...okComp, ...okDep], config);
    expect(set.failure_patterns).toHaveLength(1);
    const p = set.failure_patterns[0]!;
    expect(p.definition).toEqual({ component: 'booking-form', dependency: 'square-sdk' });
    expect(p.evidence).toEqual(bad.map((e) => e.id).sort());
    expect(p.confidence).toBe(1);
    expect(p.category).toBe('integration-gotcha');
    expect(set.dependency_patterns).toEqual([]);
  });

  it('counts one error repeated with varying details as the same error (architecture review)', () => {
    const msgs = [
      'Timeout after 3000ms calling https://connect.squareupsandbox.com/v2/payments/p-1',
      'Timeout after 4500ms calling https://connect.squareup.com/v2/payments/p-77',
      'Timeout after 12000ms calling https://connect.squareup.com/v2/locations/L9',
      'Timeout after 800ms calling https://example.test/v2/payments',
    ];
    const hits = planted('ex-err', 4, START, (i) => ({ errors: [msgs[i]!], outcome: 'partial', scores: scoresFor(70) }));
    const flags = detectAntiPatterns([...controlHistory(60), ...hits], config);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ monitor: 'repeated_error', action: 'architecture_review', value: 4, threshold: 3, subject: fingerprint(msgs[0]!).text });
    expect(flags[0]!.evidence).toEqual(hits.map((e) => e.id).sort());
    // Below the threshold: no flag.
    expect(detectAntiPatterns([...controlHistory(60), ...hits.slice(0, 2)], config)).toEqual([]);
  });

  it('names where a recurring error happens, and makes errors that always occur together one flag', () => {
    const hits = planted('ex-where', 4, START, (i) => ({
      component: i < 3 ? 'booking-form' : 'payment-form',
      agent: ['codex', 'claude'][i % 2],
      errors: [`Slot ${i} shifted by 7 hours`, `Webhook retry ${i} rejected`],
      outcome: 'failure',
      scores: scoresFor(40),
    }));
    const flags = detectAntiPatterns([...controlHistory(60), ...hits], config);
    expect(flags).toHaveLength(1);
    expect(flags[0]!.subject).toBe(`${fingerprint('Slot 1 shifted by 7 hours').text} | ${fingerprint('Webhook retry 1 rejected').text}`);
    expect(flags[0]!.message).toMatch(/occurred together in 4 executions.*in components booking-form \(3\), payment-form \(1\); task type component \(4\); agents claude \(2\), codex \(2\)/);
    expect(flags[0]!.where!.components).toEqual([
      ['booking-form', 3],
      ['payment-form', 1],
    ]);
  });

  it('finds a noisy but steady slowdown, and nothing in thirty noisy flat task types (false discovery rate)', () => {
    const next = mulberry32(9);
    const noisy = planted('ex-noisy', 20, START, (i) => ({ task_type: 'report', duration_s: Math.round(400 + 40 * i + 150 * (next() - 0.5)) }));
    const flags = detectAntiPatterns([...controlHistory(60), ...noisy], config);
    expect(flags.filter((f) => f.monitor === 'rising_duration').map((f) => f.subject)).toEqual(['report']);
    expect(flags.find((f) => f.monitor === 'rising_duration')!.message).toMatch(/Mann–Kendall p [0-9.e-]+, q [0-9.e-]+/);
    const flat: ExecutionRecord[] = [];
    for (let t = 0; t < 30; t++) flat.push(...planted(`ex-flat-${t}`, 12, START + t * 100, () => ({ task_type: `kind-${t}`, duration_s: Math.round(600 + 300 * (next() - 0.5)) })));
    const history = [...controlHistory(60), ...flat];
    expect(detectAntiPatterns(history, config).filter((f) => f.monitor === 'rising_duration')).toEqual([]);
    expect(extractPatternSet(history, config).performance_patterns).toEqual([]);
  });

  it('finds steadily slower tasks (bloat check + rising performance pattern)', () => {
    const slow = planted('ex-slow', 8, START, (i) => ({ task_type: 'report', duration_s: 300 + 60 * i }));
    const history = [...controlHistory(60), ...slow];
    const flags = detectAntiPatterns(history, config);
    expect(flags.map((f) => [f.monitor, f.subject])).toEqual([['rising_duration', 'report']]);
    expect(flags[0]!.evidence).toEqual(slow.map((e) => e.id).sort());
    const perf = extractPatternSet(history, config).performance_patterns;
    expect(perf.map((p) => p.definition)).toEqual([{ task_type: 'report', direction: 'rising' }]);
    expect(perf[0]!.evidence).toEqual(slow.map((e) => e.id).sort());
  });

  it('names every member of conditions that always occur together (one conjunctive cause, never a tie-break)', () => {
    // booking-form always uses the Square payments SDK and the form library, and nothing else uses
    // them: the history cannot say which of the three goes with the failures.
    const deps = ['square-web-payments-sdk', 'react-hook-form'];
    const bad = planted('ex-trio', 6, START, (i) => ({ component: 'booking-form', agent: ['agent-a', 'agent-b'][i % 2], outcome: 'failure', scores: scoresFor(40), pre: { dependencies: deps } }));
    const set = extractPatternSet([...controlHistory(60), ...bad], config);
    expect(set.failure_patterns).toHaveLength(1);
    const p = set.failure_patterns[0]!;
    expect(p.definition).toEqual({ component: 'booking-form', dependency: ['react-hook-form', 'square-web-payments-sdk'] });
    expect(p.statement).toContain('component=booking-form + dependency=react-hook-form + dependency=square-web-payments-sdk (always together');
    expect(p.evidence).toEqual(bad.map((e) => e.id).sort());
    // The dependency view names the others too, whichever dependency it is about.
    for (const d of set.dependency_patterns) expect(d.definition.together).toBeDefined();
  });

  it('names both the template and the component when success comes with reusing a template on a component', () => {
    const wins = planted('ex-tplc', 6, START, () => ({ component: 'hero-banner', reused: ['tpl-soft-palette-hero'], scores: scoresFor(92) }));
    const set = extractPatternSet([...controlHistory(60), ...wins], config);
    expect(set.success_patterns.map((p) => p.definition)).toEqual([{ component: 'hero-banner', reused: 'tpl-soft-palette-hero' }]);
  });

  it('finds a reuse-driven success', () => {
    const wins = planted('ex-reuse', 6, START, (i) => ({ component: ['header', 'gallery'][i % 2], reused: ['tpl-booking-flow'], scores: scoresFor(92) }));
    const set = extractPatternSet([...controlHistory(60), ...wins], config);
    expect(set.success_patterns.map((p) => p.definition)).toEqual([{ reused: 'tpl-booking-flow' }]);
    expect(set.success_patterns[0]!.evidence).toEqual(wins.map((e) => e.id).sort());
    expect(set.failure_patterns).toEqual([]);
  });

  it('finds repeated surprise in one domain (incomplete domain understanding)', () => {
    const surprised = planted('ex-surp', 3, START, () => ({ domains: ['square_api'], scores: { accuracy: 70, efficiency: 70, reusability: 70, surprise: 85 } }));
    const flags = detectAntiPatterns([...controlHistory(60), ...surprised], config);
    expect(flags.map((f) => [f.monitor, f.subject, f.action])).toEqual([['repeated_surprise', 'square_api', 'domain_review']]);
    expect(flags[0]!.evidence).toEqual(surprised.map((e) => e.id).sort());
  });

  it('flags low reuse only when reuse really is low', () => {
    const noReuse = controlHistory(40).map((e) => ({ ...e, reused: [] }));
    const flags = detectAntiPatterns(noReuse, config);
    expect(flags.map((f) => f.monitor)).toEqual(['low_reuse']);
    expect(flags[0]!.evidence).toHaveLength(40);
  });

  it('counts reused work (templates, components), not rules recalled or followed, for over-specialization', () => {
    // Every execution follows a rule or builds on a pattern record, none reuses a template or a component: over-specialized.
    const rulesOnly = controlHistory(40).map((e, i) => ({ ...e, reused: [i % 2 ? 'rule-handle-timezones' : 'pat-soft-palette'] }));
    const flags = detectAntiPatterns(rulesOnly, config);
    expect(flags.map((f) => f.monitor)).toEqual(['low_reuse']);
    expect(flags[0]!.message).toMatch(/^Only 0 of the last 40 executions reused a template or component/);
    expect(flags[0]!.evidence).toHaveLength(40);
    // Control: the same history, where every other execution also reuses a template or a component named freely.
    const work = rulesOnly.map((e, i) => ({ ...e, reused: [...e.reused, ...(i % 2 ? [] : [i % 4 ? 'tpl-booking-flow' : 'component:FormField'])] }));
    expect(detectAntiPatterns(work, config)).toEqual([]);
  });

  it('ids are stable: same history → same ids; a growing history updates the same pattern', () => {
    const wins = planted('ex-reuse', 8, START, () => ({ reused: ['tpl-booking-flow'], scores: scoresFor(92) }));
    const a = extractPatternSet([...controlHistory(60), ...wins.slice(0, 5)], config).success_patterns;
    const b = extractPatternSet([...controlHistory(60), ...wins.slice(0, 5)], config).success_patterns;
    const c = extractPatternSet([...controlHistory(60), ...wins], config).success_patterns;
    expect(a).toEqual(b);
    expect(c.map((p) => p.id)).toEqual(a.map((p) => p.id));
    expect(c[0]!.support).toBe(8);
    expect(a[0]!.support).toBe(5);
  });

  it('rejected pattern ids are never proposed again', () => {
    const wins = planted('ex-reuse', 6, START, () => ({ reused: ['tpl-booking-flow'], scores: scoresFor(92) }));
    const h = [...controlHistory(60), ...wins];
    const id = extractPatternSet(h, config).success_patterns[0]!.id;
    expect(extractPatternSet(h, config, { rejected: new Set([id]) }).success_patterns).toEqual([]);
  });
});

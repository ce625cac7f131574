/**
 * Recurring themes: a phrase planted in failures' reflections is found (with its evidence and
 * the words as written), feeds the repeated-error monitor, and a control history where failures
 * and successes say the same kind of things finds none.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/core/config.js';
import { mineThemes } from '../../scripts/core/learn/themes.js';
import { detectAntiPatterns } from '../../scripts/core/learn/anti-patterns.js';
import { makeExecution, scoresFor } from '../../tools/examples/generate-history.js';
import { mulberry32 } from '../../tools/examples/prng.js';
import type { ExecutionRecord, ReflectionRecord } from '../../scripts/core/records/kinds.js';

const config = structuredClone(DEFAULT_CONFIG);
const WORDS = ['schema', 'cache', 'render', 'button', 'layout', 'token', 'query', 'index', 'timeout', 'retry', 'header', 'footer', 'modal', 'parser', 'router', 'session', 'cookie', 'payload', 'import', 'export', 'migration', 'locale', 'font', 'image', 'bundle', 'worker', 'stream', 'socket', 'config', 'build'];
const VERBS = ['broke', 'changed', 'moved', 'failed', 'lagged', 'drifted', 'grew', 'shrank', 'vanished', 'doubled'];

/** A sentence of random words: what a reflection says when there is no common cause. */
function noise(next: () => number): string {
  const w = () => WORDS[Math.floor(next() * WORDS.length)]!;
  const v = () => VERBS[Math.floor(next() * VERBS.length)]!;
  return `The ${w()} ${v()} after the ${w()} ${v()}, so the ${w()} ${v()} too.`;
}

function history(plant: boolean, seed: number): { executions: ExecutionRecord[]; reflections: Array<{ data: ReflectionRecord; body: string }> } {
  const next = mulberry32(seed);
  const executions: ExecutionRecord[] = [];
  const reflections: Array<{ data: ReflectionRecord; body: string }> = [];
  for (let i = 0; i < 120; i++) {
    const failure = i % 3 === 0;
    const e = makeExecution(`ex-th-${String(i).padStart(3, '0')}`, i * 5, { component: `c${i % 7}`, outcome: failure ? 'failure' : 'success', scores: scoresFor(failure ? 40 : 85) });
    executions.push(e);
    let cause = noise(next);
    // The planted cause: most failures' reflections say the agent was stuck in a loop (in varied wording around it).
    if (plant && failure && i % 6 === 0) cause = `${noise(next)} I was stuck in a loop retrying the same fix for ${Math.floor(next() * 90) + 10} minutes.`;
    reflections.push({ data: { kind: 'reflection', id: `rf-th-${i}`, created_at: e.started_at, reflection_type: failure ? 'root_cause_analysis' : 'template_extraction', executions: [e.id], root_cause: cause, status: 'done' } as ReflectionRecord, body: '' });
  }
  return { executions, reflections };
}

describe('recurring themes', () => {
  it('finds a phrase planted in failures\' root causes, as written, with its evidence', () => {
    const h = history(true, 1);
    const themes = mineThemes(h.executions, config, { reflections: h.reflections });
    expect(themes.map((x) => x.definition.theme)).toEqual(['stuck in a loop retrying the same fix for minutes']);
    const t = themes[0]!;
    expect(t.pattern_type).toBe('theme');
    expect(t.support).toBe(20);
    expect(t.evidence).toEqual(h.executions.filter((_, i) => i % 6 === 0).map((e) => e.id).sort());
    expect(t.statement).toMatch(/recurs in what 20 of 40 \(50%\) failures say, against 0 of 80 \(0%\) other executions/);
    // It feeds the seed's "same error 3+ times" monitor, saying where.
    const flags = detectAntiPatterns(h.executions, config, themes);
    expect(flags.filter((f) => f.monitor === 'repeated_error').map((f) => f.subject)).toEqual(['theme: stuck in a loop retrying the same fix for minutes']);
  });

  it('finds nothing when failures and successes say the same kind of things (controls)', () => {
    for (const seed of [2, 3, 4, 5, 6]) {
      const h = history(false, seed);
      expect(mineThemes(h.executions, config, { reflections: h.reflections })).toEqual([]);
    }
  });

  it('is not fooled by words only failures have because only failures have reflections', () => {
    // Every reflection (and only failures have one) opens with the same words: that is the genre,
    // not a cause; among executions that say something, nothing stands out.
    const h = history(false, 7);
    const onlyFailures = h.reflections.filter((r) => r.data.reflection_type === 'root_cause_analysis').map((r) => ({ ...r, data: { ...r.data, root_cause: `The implementation is incorrect because ${r.data.root_cause}` } }));
    expect(mineThemes(h.executions, config, { reflections: onlyFailures })).toEqual([]);
  });

  it('does not mine the lines the tool writes into reflection stubs', () => {
    const h = history(false, 8);
    const stubs = h.reflections.map((r) => ({ data: { ...r.data, root_cause: undefined } as ReflectionRecord, body: r.data.reflection_type === 'root_cause_analysis' ? `## root cause analysis\n\n- Similar non-successful executions: none.\n- No recurring errors.\n- No known pattern matches this execution.\n\n${r.data.root_cause}` : r.data.root_cause! }));
    expect(mineThemes(h.executions, config, { reflections: stubs })).toEqual([]);
  });
});

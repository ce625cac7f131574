/**
 * Recurring themes: a phrase planted in failures' reflections is found (with its evidence and
 * the words as written), feeds the repeated-error monitor, and a control history where failures
 * and successes say the same kind of things finds none.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/core/config.js';
import { mineThemes } from '../../scripts/core/learn/themes.js';
import { detectAntiPatterns } from '../../scripts/core/learn/anti-patterns.js';
import type { ReflectionRecord } from '../../scripts/core/records/kinds.js';
import { themeHistory as history } from './kb.js';

const config = structuredClone(DEFAULT_CONFIG);

describe('recurring themes', () => {
  it("finds a phrase planted in failures' root causes, as written, with its evidence", () => {
    const h = history(true, 1);
    const themes = mineThemes(h.executions, config, { reflections: h.reflections });
    expect(themes.map((x) => x.definition.theme)).toEqual(['stuck in a loop retrying the same fix for minutes']);
    const t = themes[0]!;
    expect(t.pattern_type).toBe('theme');
    expect(t.support).toBe(20);
    expect(t.evidence).toEqual(
      h.executions
        .filter((_, i) => i % 6 === 0)
        .map((e) => e.id)
        .sort(),
    );
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
    const onlyFailures = h.reflections
      .filter((r) => r.data.reflection_type === 'root_cause_analysis')
      .map((r) => ({ ...r, data: { ...r.data, root_cause: `The implementation is incorrect because ${r.data.root_cause}` } }));
    expect(mineThemes(h.executions, config, { reflections: onlyFailures })).toEqual([]);
  });

  it('does not mine the lines the tool writes into reflection stubs', () => {
    const h = history(false, 8);
    // What a stub says about each recalled record depends on the outcome ("did not prevent this
    // outcome" only for failures): the tool's words, not the agent's.
    const recalled = (failed: boolean) =>
      `- Recalled before the task:\n  - \`rule-retry-${failed ? 'a' : 'b'}\`: ${failed ? 'did not prevent this outcome' : 'helped here'}; like for like across 4 recalls: unclear (1 helpful vs 2 harmful comparisons with comparable executions that did not recall it).`;
    const stubs = h.reflections.map((r) => {
      const failed = r.data.reflection_type === 'root_cause_analysis';
      // Other stubs the tool writes (an assumption review, `reflect --as update_architecture` on a
      // failure; a template after a streak) have their own generated lines.
      const review = failed
        ? '## What was unexpected\n\nDeviations from the plan:\n\n## Assumptions to review\n\n- **slots-are-utc** — Slots from the API are in UTC. Still true after this task?\n- Which working assumption was wrong, and what the architecture should assume instead.\nConsistent success - 3 flawless component/c1 executions in a row; extract as best practice.\n'
        : '';
      const stub = failed
        ? `## root cause analysis\n\n- Similar non-successful executions: none.\n- No recurring errors.\n- No known pattern matches this execution.\n- No pattern record matches this execution; patterns derived from the history were not available (above 2000 executions they come from the learning snapshot: run \`learning-loop build --learn\`).\n${review}`
        : '## template extraction\n\n';
      return { data: { ...r.data, root_cause: undefined } as ReflectionRecord, body: `${stub}${recalled(failed)}\n\n${r.data.root_cause}` };
    });
    expect(mineThemes(h.executions, config, { reflections: stubs })).toEqual([]);
  });
});

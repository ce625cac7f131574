/**
 * One fact, one pattern: patterns found over exactly the same executions (a failure pattern, the
 * dependency pattern of the same failures, the theme their error messages form, dependencies
 * that always come together) are one pattern naming every member, and the seed's criterion
 * "at least 3 recurring patterns" counts distinct sets of executions. Controls: distinct facts
 * stay distinct, and a balanced history still raises nothing.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/core/config.js';
import { allPatterns, extractPatternSet } from '../../scripts/core/learn/patterns.js';
import { mineThemes } from '../../scripts/core/learn/themes.js';
import { dashboardReport } from '../../scripts/core/learn/dashboard.js';
import { detectAntiPatterns } from '../../scripts/core/learn/anti-patterns.js';
import { mergeSameEvidence, themesOf } from '../../scripts/core/learn/same-evidence.js';
import { planPatternWrites } from '../../scripts/core/learn/pattern-records.js';
import { controlHistory, makeExecution, plantedHours, scoresFor } from '../../tools/examples/generate-history.js';
import type { ExecutionRecord } from '../../scripts/core/records/kinds.js';
import type { ExtractedPattern } from '../../scripts/core/learn/types.js';

const config = structuredClone(DEFAULT_CONFIG);
const START = 60 * 3;

/** The balanced control history without its error messages, every non-failure saying one bland thing. */
function quiet(n = 60): ExecutionRecord[] {
  return controlHistory(n).map(({ errors: _e, ...e }) => (e.outcome === 'failure' ? e : { ...e, post: { ...e.post, discoveries: ['checked the layout on a phone'] } }));
}

function planted(prefix: string, n: number, at: number, o: (i: number) => Parameters<typeof makeExecution>[2]): ExecutionRecord[] {
  return Array.from({ length: n }, (_, i) => makeExecution(`${prefix}-${i}`, plantedHours(at, i), o(i)));
}

/** Eight booking failures on date-fns with one error; date-fns and the booking form also go well elsewhere. */
function timezoneStory(prefix = 'ex-tz'): ExecutionRecord[] {
  const said = { post: { discoveries: ['checked the layout on a phone'] } };
  return [
    ...planted(`${prefix}-bad`, 8, START, (i) => ({
      component: 'booking-form',
      outcome: 'failure',
      scores: scoresFor(40),
      pre: { dependencies: ['date-fns'] },
      errors: [`Slot ${i} shifted by 7 hours`],
    })),
    ...planted(`${prefix}-okdep`, 3, START + 1, () => ({ component: 'checkout', outcome: 'partial', scores: scoresFor(76), pre: { dependencies: ['date-fns'] }, ...said })),
    ...planted(`${prefix}-okcomp`, 7, START + 2, () => ({ component: 'booking-form', outcome: 'partial', scores: scoresFor(76), pre: { dependencies: ['react'] }, ...said })),
  ];
}

const ids = (list: readonly ExecutionRecord[]) => list.map((e) => e.id).sort();
const criterion = (history: readonly ExecutionRecord[], patterns: readonly ExtractedPattern[]) =>
  dashboardReport(history, config, { patterns }).success_criteria.find((c) => c.id === 'recurring-patterns')!;

describe('patterns over the same executions', () => {
  it('are one pattern naming every member: an error, the dependency of the same failures, the theme of their messages', () => {
    const story = timezoneStory();
    const history = [...quiet(), ...story];
    const bad = ids(story.filter((e) => e.outcome === 'failure'));
    // Each finder on its own finds the fact (the three would be counted as three patterns).
    expect(mineThemes(history, config).map((t) => t.evidence)).toEqual([bad]);
    const set = extractPatternSet(history, config);
    const all = allPatterns(set);
    expect(all).toHaveLength(1);
    const p = set.failure_patterns[0]!;
    expect(p.evidence).toEqual(bad);
    expect(p.definition).toMatchObject({ error: expect.stringMatching(/^fp-/) });
    expect(p.same_evidence!.map((m) => m.pattern_type).sort()).toEqual(['dependency', 'theme']);
    expect(p.same_evidence!.find((m) => m.pattern_type === 'dependency')!.definition).toMatchObject({ dependency: 'date-fns', with: 'failure' });
    // The statement names every member.
    expect(p.statement).toMatch(/^Executions with error "slot <n> shifted by <n> hours" scored below 60 in 8 of 8 cases/);
    expect(p.statement).toMatch(/The same 8 executions: executions depending on date-fns scored below 60 in 8 of 11 cases/);
    expect(p.statement).toMatch(/"Slot shifted by hours" recurs in what 8 of 8 \(100%\) failures say/);
    expect(p.statement.length).toBeLessThanOrEqual(1000);
    expect(set.dependency_patterns).toEqual([]);
    expect(set.theme_patterns).toEqual([]);
    // Its record says so too.
    const [file] = planPatternWrites(all, []);
    expect(file!.content).toContain(`Found over the same executions, and merged into this pattern: ${p.same_evidence!.map((m) => `\`${m.id}\` (${m.pattern_type})`).join(', ')}.`);
    // The theme still feeds the repeated-error monitor: one flag for the one cause.
    expect(themesOf(all).map((t) => t.pattern_type)).toEqual(['theme']);
    const flags = detectAntiPatterns(history, config, themesOf(all)).filter((f) => f.monitor === 'repeated_error');
    expect(flags).toHaveLength(1);
    expect(flags[0]!.evidence).toEqual(bad);
    // One set of executions is one recurring pattern, not three.
    expect(criterion(history, all)).toMatchObject({ status: 'not_met' });
    expect(criterion(history, all).detail).toMatch(/^1 distinct set of executions \(1 pattern\)/);
  });

  it('dependencies that always come together are one pattern, not one per dependency', () => {
    const bad = planted('ex-sq', 5, START, () => ({ component: 'payment-form', outcome: 'failure', scores: scoresFor(40), pre: { dependencies: ['square-sdk', 'square-web-payments'] } }));
    const ok = planted('ex-pf', 6, START + 2, () => ({ component: 'payment-form', outcome: 'partial', scores: scoresFor(76), pre: { dependencies: ['react'] } }));
    const set = extractPatternSet([...controlHistory(60), ...bad, ...ok], config);
    const all = allPatterns(set);
    expect(all).toHaveLength(1);
    expect(all[0]!.definition).toEqual({ dependency: ['square-sdk', 'square-web-payments'] });
    expect(all[0]!.evidence).toEqual(ids(bad));
    // Both dependency patterns are members; each names only what the pattern already names.
    expect(all[0]!.same_evidence!.map((m) => m.definition.dependency).sort()).toEqual(['square-sdk', 'square-web-payments']);
    expect(all[0]!.statement).not.toMatch(/The same 5 executions/);
  });

  it('distinct facts stay distinct patterns, and three of them meet the criterion (control)', () => {
    const tz = timezoneStory();
    const pair = planted('ex-pair', 5, START + 40, (i) => ({
      component: 'gallery',
      agent: ['agent-a', 'agent-b'][i % 2],
      outcome: 'failure',
      scores: scoresFor(40),
      pre: { dependencies: ['lightbox'] },
    }));
    const pairOk = [
      ...planted('ex-pair-okc', 7, START + 41, () => ({ component: 'gallery', outcome: 'partial', scores: scoresFor(76), pre: { dependencies: ['react'] } })),
      ...planted('ex-pair-okd', 7, START + 42, () => ({ component: 'checkout', outcome: 'partial', scores: scoresFor(76), pre: { dependencies: ['lightbox'] } })),
    ];
    const wins = planted('ex-win', 6, START + 80, () => ({ reused: ['tpl-booking-flow'], scores: scoresFor(92) }));
    const history = [...quiet(), ...tz, ...pair, ...pairOk, ...wins];
    const all = allPatterns(extractPatternSet(history, config));
    const sets = new Set(all.map((p) => p.evidence.join(',')));
    expect(sets.size).toBe(all.length);
    expect([...sets].sort()).toEqual([ids(tz.filter((e) => e.outcome === 'failure')), ids(pair), ids(wins)].map((l) => l.join(',')).sort());
    expect(criterion(history, all)).toMatchObject({ status: 'met' });
    expect(criterion(history, all).detail).toMatch(/^3 distinct sets of executions \(3 patterns\)/);
  });

  it('a balanced history still raises nothing', () => {
    for (const n of [60, 120]) expect(allPatterns(extractPatternSet(quiet(n), config))).toEqual([]);
  });
});

describe('mergeSameEvidence', () => {
  const theme = (id: string, phrase: string, evidence: string[]): ExtractedPattern => ({
    id,
    pattern_type: 'theme',
    category: 'integration-gotcha',
    statement: `"${phrase}" recurs in what failures say.`,
    definition: { theme: phrase },
    support: evidence.length,
    confidence: 1,
    lift: 9,
    evidence,
    last_seen: '2026-10-01T00:00:00Z',
  });
  const ev = ['ex-a', 'ex-b', 'ex-c'];

  it('keeps the longest of nested themes over the same executions, and nested themes over different ones apart', () => {
    const long = theme('pat-theme-long', 'missing the required positional argument', ev);
    const short = theme('pat-theme-short', 'missing the required', ev);
    expect(mergeSameEvidence([short, long])).toEqual([long]);
    const wider = theme('pat-theme-wider', 'missing the required', [...ev, 'ex-d']);
    expect(mergeSameEvidence([wider, long])).toEqual([wider, long]);
  });

  it('names themes that are not inside one another, and leaves other outcomes apart', () => {
    const a = theme('pat-theme-a', 'timezone offset not applied', ev);
    const b = theme('pat-theme-b', 'forgot to convert to UTC', ev);
    const [m, ...rest] = mergeSameEvidence([a, b]);
    expect(rest).toEqual([]);
    expect(m!.id).toBe('pat-theme-a'); // the longer phrase keeps its id
    expect(m!.statement).toBe('"timezone offset not applied" recurs in what failures say. The same 3 executions: "forgot to convert to UTC" recurs in what failures say.');
    expect(m!.same_evidence).toEqual([{ id: 'pat-theme-b', pattern_type: 'theme', definition: b.definition, statement: b.statement }]);
    const success: ExtractedPattern = { ...a, id: 'pat-success-x', pattern_type: 'success', definition: { component: 'x' } };
    expect(mergeSameEvidence([a, success])).toEqual([a, success]);
  });
});

/**
 * Synthesis decisions on in-memory tables: rules whose derived evidence turned bad, obsolete
 * patterns, near-duplicate merges, determinism.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/core/config.js';
import { synthesize } from '../../scripts/core/learn/synthesis.js';
import { controlHistory, makeExecution, plantedHours, scoresFor } from '../../tools/examples/generate-history.js';
import { recordPath, type AnyRecord, type PatternRecord, type RuleRecord } from '../../scripts/core/records/kinds.js';
import type { RecordsTable } from '../../scripts/core/records/table.js';
import { planPatternWrites, patternRecordFrom } from '../../scripts/core/learn/pattern-records.js';
import { extractPatternSet } from '../../scripts/core/learn/patterns.js';

const config = structuredClone(DEFAULT_CONFIG);
const table = (records: AnyRecord[]): RecordsTable => ({ rows: records.map((r) => ({ id: r.id, kind: r.kind, file: `learning-loop/${recordPath(r)}`, data: r, body: '' })), diagnostics: [] });

describe('synthesize (pure)', () => {
  const rule: RuleRecord = { kind: 'rule', id: 'rule-skip-tests', created_at: '2026-10-01T00:00:00Z', status: 'accepted', statement: 'Skip the slow tests when in a hurry.' };
  const recallers = Array.from({ length: 4 }, (_, i) => makeExecution(`ex-recall-${i}`, plantedHours(200, i), { recalled: ['rule-skip-tests'], outcome: 'failure', scores: scoresFor(45) }));

  it('does not archive a rule on raw failures without comparable work (the like-for-like cases are in effect.test.ts)', () => {
    // Four failures after recalling the rule, but no comparable execution without it: the data
    // cannot tell the rule from the difficulty of those tasks. The old unadjusted count archived it.
    const r = synthesize(table([...controlHistory(60), ...recallers, rule]), config, 'week', '2026-10-18');
    expect(r.changes.find((c) => c.id === 'rule-skip-tests')).toBeUndefined();
    expect(r.record.archived).toEqual([]);
    const healthy = recallers.map((e) => ({ ...e, outcome: 'success' as const, scores: scoresFor(85), overall: 85 }));
    expect(synthesize(table([...controlHistory(60), ...healthy, rule]), config, 'week', '2026-10-18').record.archived).toEqual([]);
  });

  it('archives obsolete patterns and merges near-duplicates', () => {
    const old: PatternRecord = {
      kind: 'pattern',
      id: 'pat-failure-old-thing',
      created_at: '2026-01-01T00:00:00Z',
      status: 'accepted',
      pattern_type: 'failure',
      category: 'component-pattern',
      statement: 'Old thing fails.',
      definition: { component: 'gone' },
    };
    const wins = Array.from({ length: 6 }, (_, i) => makeExecution(`ex-win-${i}`, plantedHours(200, i), { reused: ['tpl-booking-flow'], scores: scoresFor(92) }));
    const dupA: PatternRecord = {
      kind: 'pattern',
      id: 'pat-success-hand-written',
      created_at: '2026-10-01T00:00:00Z',
      status: 'proposed',
      pattern_type: 'success',
      category: 'component-pattern',
      statement: 'The booking flow template works.',
      evidence: wins.map((w) => w.id),
      support: 6,
      confidence: 1,
    };
    const r = synthesize(table([...controlHistory(60), ...wins, old, dupA]), config, 'month', '2026-10-31');
    expect(r.record.archived).toEqual(['pat-failure-old-thing']);
    expect(r.changes.find((c) => c.id === 'pat-failure-old-thing')!.content).toContain('No longer supported by the history');
    // The extracted reuse pattern has the same evidence as the hand-written one: not proposed twice.
    expect(r.changes.some((c) => c.id.startsWith('pat-success-reused-tpl-booking-flow'))).toBe(false);
    expect(r.pr_body).toMatch(/pat-success-reused-tpl-booking-flow-[0-9a-f]+` → `pat-success-hand-written`/);
  });

  it('is deterministic and ignores executions after the period', () => {
    const history = [...controlHistory(60), ...recallers, rule];
    const a = synthesize(table(history), config, 'week', '2026-10-14');
    const b = synthesize(table([...history, makeExecution('ex-future', 5000, {})]), config, 'week', '2026-10-14');
    expect(b.changes).toEqual(a.changes);
    expect(a.record).toMatchObject({ id: 'syn-week-2026-w42', created_at: '2026-10-18T23:59:59Z', period_start: '2026-10-12', period_end: '2026-10-18' });
  });
});

describe('pattern writes', () => {
  it('create new as proposed, refresh proposed, never touch accepted or rejected', () => {
    const wins = Array.from({ length: 6 }, (_, i) => makeExecution(`ex-win-${i}`, plantedHours(200, i), { reused: ['tpl-booking-flow'], scores: scoresFor(92) }));
    const p = extractPatternSet([...controlHistory(60), ...wins], config).success_patterns[0]!;
    expect(planPatternWrites([p], []).map((c) => c.action)).toEqual(['create']);
    const older = { ...patternRecordFrom({ ...p, support: 5, evidence: p.evidence.slice(1) }), created_at: '2026-10-01T00:00:00Z' };
    const update = planPatternWrites([p], table([older]).rows);
    expect(update.map((c) => c.action)).toEqual(['update']);
    expect(update[0]!.content).toContain('created_at: 2026-10-01T00:00:00Z');
    for (const status of ['accepted', 'rejected', 'archived'] as const) expect(planPatternWrites([p], table([{ ...older, status }]).rows)).toEqual([]);
  });
});

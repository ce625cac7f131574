/** Aggregates over decimal scores: sums kept in hundredths, so means are exact and merge order cannot change them. */
import { describe, expect, it } from 'vitest';
import { aggregatePartial, computeAggregates, mergeAggregates } from '../../scripts/core/aggregates.js';
import { computeOverall } from '../../scripts/core/score/formulas.js';
import type { RecordRow } from '../../scripts/core/records/table.js';
import type { ExecutionRecord } from '../../scripts/core/records/kinds.js';

function row(i: number, scores: ExecutionRecord['scores']): RecordRow {
  const data = {
    kind: 'execution',
    id: `ex-${i}`,
    created_at: '2026-10-01T10:00:00Z',
    task_id: `t-${i}`,
    task_type: 'benchmark',
    agent: 'a',
    started_at: `2026-10-0${1 + (i % 5)}T09:00:00Z`,
    duration_s: 0.1 * (i + 1),
    outcome: 'partial',
    scores,
    overall: computeOverall(scores),
  } as ExecutionRecord;
  return { id: data.id, kind: 'execution', file: `f${i}`, data, body: '' };
}

describe('aggregates with decimal scores', () => {
  it('means are exact (no binary drift) and identical whatever the grouping of the rows', () => {
    // 35.6 + 22.2 + 0.1 is 57.900000000000006 in binary; in hundredths it is 5790 exactly.
    const rows = [
      row(0, { accuracy: 35.6, efficiency: 70, reusability: 50, surprise: 33.35 }),
      row(1, { accuracy: 22.2, efficiency: 70.05, reusability: 50, surprise: 30 }),
      row(2, { accuracy: 0.1, efficiency: 69.95, reusability: 50.5, surprise: 30 }),
    ];
    const all = computeAggregates(rows).totals.executions!;
    expect(all.scores.accuracy).toBe(19.3);
    expect(all.scores.efficiency).toBe(70);
    expect(all.scores.overall).toBe(Math.round(((47.24 + 43.06 + 37.64) / 3) * 100) / 100);
    expect(all.duration_s.total).toBe(0.6);
    const split = mergeAggregates([aggregatePartial([rows[2]!]), aggregatePartial([rows[0]!, rows[1]!])]);
    const other = mergeAggregates([aggregatePartial([rows[1]!]), aggregatePartial([rows[2]!]), aggregatePartial([rows[0]!])]);
    expect(JSON.stringify(split)).toBe(JSON.stringify(computeAggregates(rows)));
    expect(JSON.stringify(other)).toBe(JSON.stringify(computeAggregates(rows)));
  });

  it("a score's mean is over the executions that measured it (null when none did)", () => {
    const rows = [row(0, { accuracy: 60, efficiency: 80, reusability: 50, surprise: 30 }), row(1, { accuracy: 40 }), row(2, { accuracy: 50, efficiency: 40 })];
    const all = computeAggregates(rows).totals.executions!;
    expect(all.scores).toEqual({ accuracy: 50, efficiency: 60, reusability: 50, surprise: 30, overall: Math.round(((55 + 40 + 45) / 3) * 100) / 100 });
    expect(computeAggregates([rows[1]!]).totals.executions!.scores).toEqual({ accuracy: 40, efficiency: null, reusability: null, surprise: null, overall: 40 });
    const merged = mergeAggregates([aggregatePartial([rows[1]!]), aggregatePartial([rows[0]!, rows[2]!])]);
    expect(JSON.stringify(merged)).toBe(JSON.stringify(computeAggregates(rows)));
  });
});

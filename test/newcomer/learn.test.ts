/** Issue 16: the assumption-review stub says what caused it; performance patterns compare one task type at a time. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/core/config.js';
import { buildReflection } from '../../scripts/core/learn/reflection.js';
import { performancePatterns } from '../../scripts/core/learn/patterns.js';
import { makeExecution, scoresFor } from '../../tools/examples/generate-history.js';
import type { RecordRow } from '../../scripts/core/records/table.js';
import type { AssumptionRecord, ExecutionRecord } from '../../scripts/core/records/kinds.js';

const config = structuredClone(DEFAULT_CONFIG);

const assumptions: AssumptionRecord = {
  kind: 'assumption',
  id: 'current-assumptions',
  created_at: '2026-10-01T00:00:00Z',
  status: 'accepted',
  assumptions: [
    { key: 'csv-utf8', statement: 'Every CSV export is read back as UTF-8, which is what happened.', components: ['csv-export'] },
    { key: 'csv-small', statement: 'Exports stay under 10 MB', components: ['csv-export'] },
  ],
};
const row = (r: AssumptionRecord | ExecutionRecord, file: string): RecordRow => ({ id: r.id, kind: r.kind, file, data: r, body: '' }) as RecordRow;

describe('assumption-review stub', () => {
  const e: ExecutionRecord = {
    ...makeExecution('ex-surprise', 10, { component: 'csv-export', outcome: 'success', scores: scoresFor(75, 90) }),
    trigger: 'update_architecture',
    post: { discoveries: ['Excel opens the file as Windows-1252 unless it starts with a BOM'], deviations: ['Added a BOM to every export'] },
  };
  delete (e as { pre?: unknown }).pre;
  const built = buildReflection(e, [row(assumptions, 'learning-loop/memory/working-memory/current-assumptions.md'), row(e, 'x.md')], config, { id: 'rf-x', createdAt: e.created_at })!;

  it('lists the discoveries and deviations that caused it', () => {
    expect(built.body).toContain('## What was unexpected');
    expect(built.body).toContain('- Excel opens the file as Windows-1252 unless it starts with a BOM');
    expect(built.body).toContain('- Added a BOM to every export');
  });

  it('does not say "none recorded" while listing working assumptions', () => {
    expect(built.record.evidence!.assumptions).toHaveLength(2);
    expect(built.body).not.toContain('Assumptions at the start: none recorded');
    expect(built.body).toContain('Assumptions at the start: none stated by the task; the 2 working assumptions below applied.');
  });

  it('punctuates the review question as a sentence', () => {
    expect(built.body).not.toMatch(/[.!?]:/);
    expect(built.body).toContain('- **csv-utf8** — Every CSV export is read back as UTF-8, which is what happened. Still true after this task?');
    expect(built.body).toContain('- **csv-small** — Exports stay under 10 MB. Still true after this task?');
  });
});

describe('performance patterns compare one task type at a time', () => {
  // One component, two kinds of work: ten-minute bug fixes early, sub-second test runs later.
  const history: ExecutionRecord[] = [
    ...Array.from({ length: 6 }, (_, i) => makeExecution(`ex-fix-${i}`, i, { task_type: 'bugfix', component: 'csv-export', duration_s: 600 + (i % 2) * 20 })),
    ...Array.from({ length: 6 }, (_, i) => makeExecution(`ex-test-${i}`, 10 + i, { task_type: 'test', component: 'csv-export', duration_s: 0.1 + (i % 2) * 0.01 })),
  ];

  it('finds no trend in a component whose durations only differ by task type', () => {
    const found = performancePatterns(history, config).filter((p) => p.definition.component === 'csv-export');
    expect(found.map((p) => p.statement)).toEqual([]);
  });

  it('still finds a real trend within one task type and names it', () => {
    const slower = Array.from({ length: 6 }, (_, i) => makeExecution(`ex-slow-${i}`, 20 + i, { task_type: 'test', component: 'pdf-export', duration_s: 10 * 1.3 ** i }));
    const found = performancePatterns([...history, ...slower], config).filter((p) => p.definition.component === 'pdf-export');
    expect(found).toHaveLength(1);
    expect(found[0]!.definition).toEqual({ component: 'pdf-export', task_type: 'test', direction: 'rising' });
    expect(found[0]!.statement).toMatch(/^Duration of component=pdf-export \(test tasks\) is rising/);
  });
});

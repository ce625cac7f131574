/** The pure parts of `import executions`: the comparable-executions index and format detection. */
import { describe, expect, it } from 'vitest';
import { ComparableIndex } from '../../scripts/core/import/execution-plan.js';
import { detectFormat, parseHistory } from '../../scripts/core/import/execution-formats.js';
import { comparableDurations } from '../../scripts/core/records/execution-input.js';
import type { RecordRow } from '../../scripts/core/records/table.js';
import type { ExecutionRecord } from '../../scripts/core/records/kinds.js';

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ComparableIndex', () => {
  it.each([1, 2, 3, 4, 5])('gives exactly what comparableDurations computes (seed %i: ties, components or none, any insertion order)', (seed) => {
    const rand = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const window = pick([1, 3, 5, 50]);
    const index = new ComparableIndex(window);
    const rows: RecordRow[] = [];
    for (let i = 0; i < 400; i += 1) {
      const e = {
        kind: 'execution',
        id: `ex-${String(Math.floor(rand() * 1e6)).padStart(6, '0')}-${i}`,
        task_type: pick(['component', 'bugfix']),
        component: pick(['a', 'b', undefined]),
        // Few distinct times: many ties, broken by id.
        started_at: `2026-10-0${1 + Math.floor(rand() * 5)}T0${Math.floor(rand() * 3)}:00:00Z`,
        duration_s: Math.round(rand() * 1000),
      } as unknown as ExecutionRecord;
      // Ask before adding (as the import does), then also after (the record itself must be left out).
      expect(index.durations(e)).toEqual(comparableDurations(rows, e, window));
      index.add(e);
      rows.push({ id: e.id, kind: 'execution', file: '', data: e, body: '' });
      expect(index.durations(e)).toEqual(comparableDurations(rows, e, window));
    }
  });
});

describe('ComparableIndex per agent and model (imports)', () => {
  it.each([1, 2, 3])('gives what comparableDurations computes over the executions of the same agent and model (seed %i)', (seed) => {
    const rand = prng(100 + seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const window = pick([1, 3, 50]);
    const index = new ComparableIndex(window, true);
    const rows: RecordRow[] = [];
    for (let i = 0; i < 300; i += 1) {
      const model = pick(['m1', 'm2', undefined]);
      const e = {
        kind: 'execution',
        id: `ex-${String(Math.floor(rand() * 1e6)).padStart(6, '0')}-${i}`,
        task_type: pick(['benchmark', 'bugfix']),
        component: pick(['a', undefined]),
        agent: pick(['x', 'y']),
        ...(model ? { usage: { model } } : {}),
        started_at: `2026-10-0${1 + Math.floor(rand() * 5)}T0${Math.floor(rand() * 3)}:00:00Z`,
        duration_s: Math.round(rand() * 1000),
      } as unknown as ExecutionRecord;
      const same = rows.filter((r) => (r.data as ExecutionRecord).agent === e.agent && (r.data as ExecutionRecord).usage?.model === e.usage?.model);
      expect(index.durations(e)).toEqual(comparableDurations(same, e, window));
      index.add(e);
      rows.push({ id: e.id, kind: 'execution', file: '', data: e, body: '' });
    }
  });
});

describe('history formats', () => {
  it('detects the format from the extension and the first row', () => {
    expect(detectFormat('a.jsonl', '{"task_id":"x","outcome":"success"}\n')).toBe('jsonl');
    expect(detectFormat('humaneval-py.reflexion-gpt-4.jsonl', '{"task_id":"HumanEval/0","is_solved":true}\n')).toBe('reflexion');
    expect(detectFormat('runs.csv', 'task_id,agent\n')).toBe('csv');
    expect(detectFormat('board.tsv', '# comment\ndirname\tmodel\tpass_rate_2\n')).toBe('aider');
    expect(detectFormat('other.tsv', 'task_id\tagent\n')).toBe('csv');
    expect(detectFormat('polyglot_leaderboard.yml', '- dirname: x\n')).toBe('aider');
    expect(detectFormat('history', '{"task_id":"x"}\n')).toBe('jsonl');
    expect(detectFormat('notes.txt', 'hello\n')).toBeUndefined();
  });

  it('CSV: an unclosed quote keeps the rows before it and says where the file stopped being CSV', () => {
    const text = 'task_id,agent,outcome,duration_s,started_at\nA,x,success,1,2026-10-01\nB,x,"success,1,2026-10-02\nC,x,success,1,2026-10-03\n';
    const parsed = parseHistory('csv', 'h.csv', text);
    expect(parsed.rows.map((r) => [r.input.task_id, r.line])).toEqual([['A', 2]]);
    expect(parsed.diagnostics).toEqual([expect.objectContaining({ rule: 'import/format', file: 'h.csv', line: 3 })]);
    expect(parsed.diagnostics[0]!.message).toContain('never closed');
  });

  it('CSV: a row spanning lines starts where it starts; cells are located by column', () => {
    const text = 'task_id,errors,agent\nA,"one\ntwo",x\nB,,"y"\n';
    const parsed = parseHistory('csv', 'h.csv', text);
    expect(parsed.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(parsed.rows[1]!.locate(['agent'])).toEqual({ line: 4, column: 4 });
    expect(parsed.rows[0]!.input.errors).toEqual(['one', 'two']);
  });
});

/**
 * The intent parser and the answer's wording, on stores built in memory: which questions ask for
 * common causes (and which only hold the words apart), the "Understood" line showing only what
 * the question names confidently, and a question for a kind the knowledge base has none of.
 */
import { describe, expect, it } from 'vitest';
import { parseIntent } from '../../scripts/core/recall/intent.js';
import { answer, renderAnswer, understoodLine } from '../../scripts/core/recall/answer.js';
import { storeOfRows } from '../../scripts/core/recall/memory.js';
import { makeExecution, scoresFor } from '../../tools/examples/generate-history.js';
import type { RecordRow } from '../../scripts/core/records/table.js';
import type { AnyRecord } from '../../scripts/core/records/kinds.js';

const vocab = {
  component: { 'booking-form': 3, 'payment-widget': 3 },
  task_type: { component: 4 },
  domain: { square_api: 3 },
  agent: { claude: 8 },
  tag: {},
};

function rowsOf(records: AnyRecord[]): RecordRow[] {
  return records.map((r) => ({ id: r.id, kind: r.kind, file: `learning-loop/${r.kind}s/${r.id}.md`, data: r, body: '' }) as RecordRow);
}

const history = rowsOf([
  makeExecution('ex-b1', 1, { component: 'booking-form', outcome: 'failure', scores: scoresFor(40), errors: ['Slot shifted by 7 hours'] }),
  makeExecution('ex-b2', 2, { component: 'booking-form', scores: scoresFor(90) }),
  makeExecution('ex-p1', 3, { component: 'payment-widget', outcome: 'failure', scores: scoresFor(40), errors: ['Webhook signature mismatch'] }),
]);

describe('common-cause questions', () => {
  it('are read from a recurrence word near a failure or cause word', () => {
    for (const q of [
      'why do we keep failing?',
      'what keeps going wrong?',
      'what are the recurring causes?',
      'why do we keep getting stuck in a loop?',
      'Common Square API integration issues',
      'which errors come back again and again?',
    ]) {
      const i = parseIntent(q, vocab);
      expect(i.causes, q).toBe(true);
      // About failures, unambiguously; the phrasing ("keep", "causes", "going") is not searched as content.
      expect(i, q).toMatchObject({ outcome: 'failure', outcome_filter: true });
      expect(
        i.terms.filter((t) => ['keep', 'caus', 'go', 'get', 'recur'].includes(t)),
        q,
      ).toEqual([]);
    }
    expect(parseIntent('why do we keep getting stuck in a loop?', vocab).terms).toEqual(['stuck', 'loop']);
  });

  it('are not read from the same words apart, or about what worked', () => {
    for (const q of [
      'What went wrong when we tried to find the longest common subsequence for the given three string sequence?',
      'What went wrong when we tried to find the sum of non-repeated elements in a given list?',
      'What went wrong when we tried to check a cube? Note: you may assume the input is always valid',
      'how do we keep the cache warm?',
      'common patterns that worked',
      'what failed last time we tried the booking component?',
    ])
      expect(parseIntent(q, vocab).causes, q).toBe(false);
  });
});

describe('the answer', () => {
  const store = storeOfRows(history);

  it('shows in "Understood" only the entities the question names confidently', () => {
    // "booking" is only part of booking-form: searched as a word, not shown as understood.
    const partial = answer(store, 'booking slot problems');
    expect(partial.understood.entities.map((e) => e.value)).toContain('booking-form');
    expect(understoodLine(partial)).not.toContain('booking-form');
    expect(understoodLine(answer(store, 'booking form problems'))).toContain('component booking-form');
    expect(understoodLine(answer(store, 'problems with the booking component'))).toContain('component booking-form');
  });

  it('says there are none of a kind the knowledge base has none of, without suggesting anything', () => {
    const a = answer(store, 'show me rules');
    expect(a.insights).toEqual([]);
    expect(a.suggestions).toEqual([]);
    expect(a.fallback?.message).toBe('There are no rules in the knowledge base.');
    const text = renderAnswer(a);
    expect(text).toContain('There are no rules in the knowledge base.');
    expect(text).not.toMatch(/Close vocabulary|Try e\.g\./);
    // With words to search, the best matches of other kinds follow, labelled.
    const b = answer(store, 'rules for the booking form');
    expect(b.fallback?.message).toBe('There are no rules in the knowledge base; the best matches of other kinds follow, each labelled with its kind.');
    expect(b.insights.map((i) => i.id)).toContain('ex-b1');
    // A kind that exists but does not match keeps the usual note.
    const withRule = storeOfRows([...history, ...rowsOf([{ kind: 'rule', id: 'rule-x', created_at: '2026-11-01T10:00:00Z', status: 'accepted', statement: 'Store times in UTC' } as AnyRecord])]);
    expect(answer(withRule, 'rules for the booking form').fallback?.message).toMatch(/^Nothing matched as rules/);
    expect(answer(withRule, 'show me rules').insights.map((i) => i.id)).toEqual(['rule-x']);
  });
});

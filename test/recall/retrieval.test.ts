/**
 * The retrieval benchmark as a floor (`npm run bench` prints the same figures): on judged
 * questions built from real text (the Reflexion run logs, long working-memory notes, the example
 * knowledge base), recall's R@5 and nDCG@5 are at least those of a plain BM25 over the same
 * records' full text, and its R@1 is within 2 points of it or above. Real Git repositories, the
 * real build and the real recall store.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/repo.js';
import { allSets, evaluate, plainBm25, recallRanker, writeSetRepo } from '../../tools/bench/retrieval.js';

const DATA = join(REPO_ROOT, 'test', 'fixtures', 'real-data');
const repos: string[] = [];
afterAll(() => {
  for (const d of repos) rmSync(d, { recursive: true, force: true });
});

describe('retrieval benchmark (floor)', () => {
  const sets = allSets(DATA, join(REPO_ROOT, 'learning-loop'));
  const dirs = new Map<Record<string, string>, string>();
  it.each(sets.map((s) => [s.name, s] as const))('%s: recall is at least plain BM25', { timeout: 300_000 }, async (_name, set) => {
    expect(set.queries.length).toBeGreaterThan(15);
    let dir = dirs.get(set.files);
    if (!dir) {
      dirs.set(set.files, (dir = writeSetRepo(set)));
      repos.push(dir);
    }
    const ours = evaluate(await recallRanker(dir), set.queries);
    const bm25 = evaluate(plainBm25(set.files), set.queries);
    expect(ours.r5).toBeGreaterThanOrEqual(bm25.r5);
    expect(ours.ndcg5).toBeGreaterThanOrEqual(bm25.ndcg5);
    expect(ours.r1).toBeGreaterThanOrEqual(bm25.r1 - 2);
    // Not a vacuous floor: recall answers most questions with their evidence.
    expect(ours.r5).toBeGreaterThan(85);
  });
});

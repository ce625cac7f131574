/**
 * Retrieval benchmark: recall against a plain BM25 over the same records' full text, on judged
 * query sets built from real text (see retrieval-corpus.ts). Reports R@1 and R@5 (share of
 * questions with an answer among the first k that holds an evidence record, grade 2) and nDCG@5
 * (graded relevance: 2 evidence, 1 about the same task). An answer holds the record it names
 * and, for recall, the reflection whose root cause it shows (an execution's `root_cause`).
 *
 *   npm run build:ts && node dist/tools/bench/retrieval.js [--data DIR] [--json]
 *
 * The plain BM25 is the reference the issue sets: lower-cased letter/digit tokens of the whole
 * file (frontmatter and body), no stemming, no stop words, k1 = 1.2, b = 0.75.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { longNotesSet, readKb, reflexionSets, type JudgedQuery, type JudgedSet } from './retrieval-corpus.js';
import { exampleSet } from './retrieval-example.js';
import { packageRoot } from './cli.js';

/** Scores of one ranker on one set. */
export interface RetrievalScores {
  queries: number;
  r1: number;
  r5: number;
  ndcg5: number;
}

/** A ranker: question → answers, best first; each answer lists the record ids it holds. */
export type Ranker = (question: string) => string[][];

const TOKEN = /[\p{L}\p{N}]+/gu;

/** A plain BM25 (k1 1.2, b 0.75) over whole files: the reference recall must reach. */
export function plainBm25(files: Record<string, string>): Ranker {
  const docs: Array<{ id: string; tf: Map<string, number>; len: number }> = [];
  const df = new Map<string, number>();
  for (const text of Object.values(files)) {
    const id = /^id: *["']?([^"'\n]+)/m.exec(text)?.[1]?.trim();
    if (!id) continue;
    const tf = new Map<string, number>();
    const tokens = text.toLowerCase().match(TOKEN) ?? [];
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    docs.push({ id, tf, len: tokens.length });
  }
  const avg = docs.reduce((s, d) => s + d.len, 0) / Math.max(1, docs.length);
  return (question) => {
    const terms = [...new Set(question.toLowerCase().match(TOKEN) ?? [])];
    const scored: Array<[string, number]> = [];
    for (const d of docs) {
      let s = 0;
      for (const t of terms) {
        const f = d.tf.get(t);
        if (!f) continue;
        const n = df.get(t)!;
        s += Math.log(1 + (docs.length - n + 0.5) / (n + 0.5)) * ((f * 2.2) / (f + 1.2 * (0.25 + (0.75 * d.len) / avg)));
      }
      if (s > 0) scored.push([d.id, s]);
    }
    return scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => [id]);
  };
}

/** R@1, R@5 and nDCG@5 of a ranker over judged questions. */
export function evaluate(rank: Ranker, queries: readonly JudgedQuery[]): RetrievalScores {
  let r1 = 0;
  let r5 = 0;
  let ndcg = 0;
  for (const q of queries) {
    const got = rank(q.question).slice(0, 5);
    // An answer's grade is the best grade of the records it holds; each record counts once.
    const seen = new Set<string>();
    const grades = got.map((ids) => {
      let g = 0;
      for (const id of ids) if (!seen.has(id)) g = Math.max(g, q.relevant[id] ?? 0);
      for (const id of ids) seen.add(id);
      return g;
    });
    if (grades[0] === 2) r1++;
    if (grades.includes(2)) r5++;
    const dcg = grades.reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
    const ideal = Object.values(q.relevant)
      .sort((a, b) => b - a)
      .slice(0, 5)
      .reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
    ndcg += ideal ? dcg / ideal : 0;
  }
  const n = Math.max(1, queries.length);
  const pct = (x: number) => Math.round((x / n) * 1000) / 10;
  return { queries: queries.length, r1: pct(r1), r5: pct(r5), ndcg5: pct(ndcg) };
}

/** Writes a set's knowledge base into a new Git repository and returns its folder. */
export function writeSetRepo(set: Pick<JudgedSet, 'files'>): string {
  const dir = mkdtempSync(join(tmpdir(), 'll-retrieval-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'bench@example.com');
  git('config', 'user.name', 'bench');
  git('config', 'commit.gpgsign', 'false');
  for (const [rel, content] of Object.entries(set.files)) {
    const abs = join(dir, 'learning-loop', rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  git('add', '-A');
  git('commit', '-q', '-m', 'retrieval set');
  return dir;
}

/** Recall as a ranker over a repository (the library path the CLI and MCP use). */
export async function recallRanker(dir: string): Promise<Ranker> {
  const { openWorkspace } = await import('../../scripts/io/workspace.js');
  const { openStore } = await import('../../scripts/index/recall.js');
  const { answer } = await import('../../scripts/core/recall/answer.js');
  const ws = openWorkspace({ cwd: dir });
  const store = await openStore(ws);
  return (q) => answer(store, q, { limit: 10, budget: 1_000_000, now: Date.UTC(2026, 11, 1) }).insights.map((i) => (i.root_cause ? [i.id, i.root_cause.id] : [i.id]));
}

/** Every judged set, from the data folder (Reflexion logs) and the example knowledge base. */
export function allSets(dataDir: string, exampleKb: string): JudgedSet[] {
  return [...reflexionSets(join(dataDir, 'reflexion-programming')), longNotesSet(join(dataDir, 'reflexion-programming')), exampleSet(readKb(exampleKb))];
}

/** Runs the benchmark: recall and plain BM25 side by side on every set. */
export async function runRetrieval(dataDir: string, exampleKb: string): Promise<Array<{ set: string; queries: number; recall: RetrievalScores; bm25: RetrievalScores }>> {
  const out: Array<{ set: string; queries: number; recall: RetrievalScores; bm25: RetrievalScores }> = [];
  const repos = new Map<Record<string, string>, string>();
  try {
    for (const set of allSets(dataDir, exampleKb)) {
      let dir = repos.get(set.files);
      if (!dir) repos.set(set.files, (dir = writeSetRepo(set)));
      const recall = evaluate(await recallRanker(dir), set.queries);
      const bm25 = evaluate(plainBm25(set.files), set.queries);
      out.push({ set: set.name, queries: set.queries.length, recall, bm25 });
    }
  } finally {
    for (const dir of repos.values()) rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function cli(): Promise<void> {
  const root = packageRoot();
  const i = process.argv.indexOf('--data');
  const dataDir = i >= 0 ? process.argv[i + 1]! : join(root, 'test', 'fixtures', 'real-data');
  const rows = await runRetrieval(dataDir, join(root, 'learning-loop'));
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  const out = [line(['set', 'questions', 'recall R@1', 'BM25 R@1', 'recall R@5', 'BM25 R@5', 'recall nDCG@5', 'BM25 nDCG@5']), line(Array(8).fill('---'))];
  for (const r of rows) out.push(line([r.set, r.queries, r.recall.r1, r.bm25.r1, r.recall.r5, r.bm25.r5, r.recall.ndcg5, r.bm25.ndcg5]));
  process.stdout.write(`Retrieval (percent; recall vs a plain BM25 over the same records' full text)\n${out.join('\n')}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await cli();

/**
 * Judged query sets for the retrieval benchmark, built from real text that no one on this project
 * wrote (the Reflexion paper's run logs, vendored under test/fixtures/real-data) and from the
 * shipped example knowledge base. Each set is a knowledge base (files by KB-relative path) and
 * questions with graded relevance (2: the record that answers, 1: a record about the same task).
 *
 * - `reflexion-bugs`: "what went wrong when we tried to <task>?" → that task's reflections (2)
 *   and its executions (1). The question is the task's own description, so the executions match
 *   it word for word; the reflections, which say what went wrong, mostly use other words.
 * - `reflexion-details`: four rare words of one reflection (what a user remembers of a note) →
 *   the task's reflections that hold at least three of them (2: a task's reflections often
 *   repeat each other), the task's other records (1).
 * - `long-notes`: working-memory notes of twelve paragraphs each (one task per paragraph); a
 *   question about a task in paragraph 4 or later → the note (2). Nothing is clipped.
 * - `example`: hand-judged questions about the example knowledge base.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { recordPath, type AnyRecord, type ExecutionRecord, type ReflectionRecord } from '../../scripts/core/records/kinds.js';
import { renderRecord } from '../../scripts/core/records/write.js';
import { computeOverall } from '../../scripts/core/score/formulas.js';
import { taskDescription } from '../../scripts/core/import/execution-formats.js';

/** One judged question. */
export interface JudgedQuery {
  id: string;
  question: string;
  /** Record id → grade (2 answers the question, 1 is about the same thing). */
  relevant: Record<string, number>;
}

/** A knowledge base and its judged questions. */
export interface JudgedSet {
  name: string;
  /** KB-relative path → file content. */
  files: Record<string, string>;
  queries: JudgedQuery[];
}

interface Task {
  ds: 'humaneval' | 'mbpp';
  key: string;
  slug: string;
  entry: string;
  description: string;
  prompt: string;
  runs: Array<{ run: string; solved: boolean; solution: string; reflections: string[] }>;
}

const WORD = /[\p{L}\p{N}]+/gu;

function readRuns(dir: string): Task[] {
  const tasks = new Map<string, Task>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    const [dsName, runName] = file.replace(/\.jsonl$/, '').split('.') as [string, string];
    const ds = dsName.startsWith('humaneval') ? 'humaneval' : 'mbpp';
    const run = runName.replace(/-gpt-4$/, '');
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { task_id?: string; name?: string; prompt: string; entry_point: string; solution?: string; is_solved: boolean; reflections?: string[] };
      const key = row.task_id ?? row.name!;
      let t = tasks.get(key);
      if (!t) {
        const slug = `${ds}-${key.replace(/^HumanEval\//, '').replace(/^mbpp_/, '')}`
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/-+$/, '');
        tasks.set(key, (t = { ds, key, slug, entry: row.entry_point, description: taskDescription(row.prompt), prompt: row.prompt, runs: [] }));
      }
      t.runs.push({ run, solved: row.is_solved, solution: row.solution ?? '', reflections: row.reflections ?? [] });
    }
  }
  return [...tasks.values()].sort((a, b) => (a.slug < b.slug ? -1 : 1));
}

function at(day: number, minute: number): string {
  return new Date(Date.UTC(2026, 0, 5 + day, 9, minute)).toISOString().replace('.000Z', 'Z');
}

function execution(t: Task, i: number, r: Task['runs'][number], id: string): ExecutionRecord {
  const s = r.solved ? 90 : 20;
  const scores = { accuracy: s, efficiency: 70, reusability: 50, surprise: 30 };
  return {
    kind: 'execution',
    id,
    created_at: at(Math.floor(i / 200), i % 200),
    title: `${t.entry} (${t.key})`,
    task_id: t.key,
    task_type: t.ds,
    component: t.slug,
    agent: r.run,
    started_at: at(Math.floor(i / 200), i % 200),
    duration_s: 60,
    outcome: r.solved ? 'success' : 'failure',
    scores,
    overall: computeOverall(scores),
  } as ExecutionRecord;
}

function add(files: Record<string, string>, record: AnyRecord, body = ''): void {
  files[recordPath(record)] = renderRecord(record, body);
}

/** Content words of a text (lower case, 4+ letters, no digits-only). */
function contentWords(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).filter((w) => w.length >= 4 && !/^\d+$/.test(w) && !COMMON.has(w));
}
const COMMON = new Set([
  'implementation',
  'incorrect',
  'because',
  'function',
  'should',
  'which',
  'their',
  'there',
  'these',
  'those',
  'given',
  'returns',
  'return',
  'write',
  'that',
  'this',
  'with',
  'when',
  'from',
  'does',
  'have',
  'into',
  'only',
  'than',
  'then',
  'also',
  'instead',
  'input',
  'output',
  'case',
  'cases',
  'test',
  'tests',
  'result',
  'results',
  'leads',
  'fails',
  'failed',
  'wrong',
  'correct',
  'correctly',
  'expected',
  'list',
  'number',
  'string',
]);

/** The Reflexion runs as a knowledge base with two judged sets over it. */
export function reflexionSets(dir: string): JudgedSet[] {
  const tasks = readRuns(dir);
  const files: Record<string, string> = {};
  const bugs: JudgedQuery[] = [];
  const details: JudgedQuery[] = [];
  const reflectionText = new Map<string, string>();
  const df = new Map<string, number>();
  tasks.forEach((t, i) => {
    const relevant: Record<string, number> = {};
    const reflections: string[] = [];
    for (const r of t.runs) {
      const exId = `ex-${t.slug}-${r.run}`;
      const ex = execution(t, i, r, exId);
      relevant[exId] = 1;
      r.reflections.forEach((text, k) => {
        const id = `rf-${t.slug}-${k + 1}`;
        const rf: ReflectionRecord = {
          kind: 'reflection',
          id,
          created_at: ex.started_at,
          title: `Reflection ${k + 1} on ${t.entry}`,
          reflection_type: 'root_cause_analysis',
          executions: [exId],
          root_cause: text,
          status: 'done',
        } as ReflectionRecord;
        add(files, rf, text);
        reflections.push(id);
        reflectionText.set(id, text);
        relevant[id] = 2;
      });
      if (r.reflections.length) ex.recalled = r.reflections.map((_, k) => `rf-${t.slug}-${k + 1}`);
      add(files, ex, `## Task\n\n${t.description}\n\n## Solution\n\n\`\`\`python\n${t.prompt}${r.solution.trimEnd()}\n\`\`\`\n`);
    }
    if (!reflections.length || !t.description) return;
    const what = t.description.replace(/^write (a )?(python )?function (to |that |which )?/i, '').replace(/[.?!]+$/, '');
    bugs.push({ id: `bug-${t.slug}`, question: `What went wrong when we tried to ${what}?`, relevant: { ...relevant } });
  });
  for (const text of reflectionText.values()) for (const w of new Set(contentWords(text))) df.set(w, (df.get(w) ?? 0) + 1);
  for (const t of tasks) {
    const first = `rf-${t.slug}-1`;
    const text = reflectionText.get(first);
    if (!text) continue;
    // Four different words (not "removes removing"): the first of each five-letter stem.
    const byStem = new Map<string, string>();
    for (const w of [...new Set(contentWords(text))].filter((x) => (df.get(x) ?? 0) <= 20).sort((a, b) => df.get(a)! - df.get(b)! || (a < b ? -1 : 1)))
      if (!byStem.has(w.slice(0, 5))) byStem.set(w.slice(0, 5), w);
    const words = [...byStem.values()].slice(0, 4);
    if (words.length < 3) continue;
    const relevant: Record<string, number> = {};
    for (const id of reflectionText.keys()) if (id.startsWith(`rf-${t.slug}-`)) relevant[id] = 1;
    for (const r of t.runs) relevant[`ex-${t.slug}-${r.run}`] = 1;
    for (const [id, other] of reflectionText) {
      if (!id.startsWith(`rf-${t.slug}-`)) continue;
      const have = new Set(contentWords(other));
      if (words.filter((w) => have.has(w)).length >= 3) relevant[id] = 2;
    }
    details.push({ id: `detail-${t.slug}`, question: words.join(' '), relevant });
  }
  return [
    { name: 'reflexion-bugs', files, queries: bugs },
    { name: 'reflexion-details', files, queries: details },
  ];
}

/**
 * Long working-memory notes: the MBPP tasks that have reflections, twelve to a note, each
 * paragraph a task's description and what went wrong. Questions ask about tasks in paragraph 4
 * or later, in the task's own words, so only a full-text index finds the note.
 */
export function longNotesSet(dir: string): JudgedSet {
  const tasks = readRuns(dir).filter((t) => t.ds === 'mbpp' && t.runs.some((r) => r.reflections.length) && t.description);
  const files: Record<string, string> = {};
  const queries: JudgedQuery[] = [];
  const per = 12;
  for (let n = 0; n * per < tasks.length; n++) {
    const group = tasks.slice(n * per, (n + 1) * per);
    const id = `as-notes-${String(n + 1).padStart(2, '0')}`;
    const paragraphs = group.map((t) => `${t.description} ${t.runs.flatMap((r) => r.reflections)[0]}`);
    const record = { kind: 'assumption', id, created_at: at(n, 0), title: `Sprint notes ${n + 1}`, status: 'accepted', statement: `Working notes of sprint ${n + 1}.` } as AnyRecord;
    add(files, record, `# Sprint notes ${n + 1}\n\n${paragraphs.join('\n\n')}\n`);
    group.forEach((t, k) => {
      if (k < 3) return;
      const what = t.description.replace(/^write (a )?(python )?function (to |that |which )?/i, '').replace(/[.?!]+$/, '');
      queries.push({ id: `note-${t.slug}`, question: `Where did we write down how to ${what}?`, relevant: { [id]: 2 } });
    });
  }
  return { name: 'long-notes', files, queries };
}

/** Every file of a knowledge-base folder (KB-relative path → content). */
export function readKb(kbDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else out[relative(kbDir, abs).split('\\').join('/')] = readFileSync(abs, 'utf8');
    }
  };
  walk(kbDir);
  return out;
}

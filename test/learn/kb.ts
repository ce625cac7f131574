/** Test helpers for the learning engine: generated histories, and records written into a temp Git repo. */
import type { AnyRecord, ExecutionRecord, ReflectionRecord } from '../../scripts/core/records/kinds.js';
import { recordPath } from '../../scripts/core/records/kinds.js';
import { renderRecord } from '../../scripts/core/records/write.js';
import { tempRepo, writeFiles, git } from '../helpers/repo.js';
import { makeExecution, scoresFor } from '../../tools/examples/generate-history.js';
import { mulberry32 } from '../../tools/examples/prng.js';

/** Files (repo-relative) for records under `learning-loop/`. */
export function recordFiles(records: readonly AnyRecord[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const r of records) files[`learning-loop/${recordPath(r)}`] = renderRecord(r, `Body of ${r.id}.`);
  return files;
}

/** A temp Git repo holding the records (committed). */
export function repoWith(records: readonly AnyRecord[]): string {
  return tempRepo({ '.gitignore': '.learning-loop/\n', ...recordFiles(records) }, { commit: true });
}

/** Adds records and commits them. */
export function addRecords(dir: string, records: readonly AnyRecord[], message = 'more records'): void {
  writeFiles(dir, recordFiles(records));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

const WORDS = [
  'schema',
  'cache',
  'render',
  'button',
  'layout',
  'token',
  'query',
  'index',
  'timeout',
  'retry',
  'header',
  'footer',
  'modal',
  'parser',
  'router',
  'session',
  'cookie',
  'payload',
  'import',
  'export',
  'migration',
  'locale',
  'font',
  'image',
  'bundle',
  'worker',
  'stream',
  'socket',
  'config',
  'build',
];
const VERBS = ['broke', 'changed', 'moved', 'failed', 'lagged', 'drifted', 'grew', 'shrank', 'vanished', 'doubled'];

/** A sentence of random words: what a reflection says when there is no common cause. */
export function noise(next: () => number): string {
  const w = () => WORDS[Math.floor(next() * WORDS.length)]!;
  const v = () => VERBS[Math.floor(next() * VERBS.length)]!;
  return `The ${w()} ${v()} after the ${w()} ${v()}, so the ${w()} ${v()} too.`;
}

/**
 * 120 executions, every third a failure, each with a reflection whose root cause is a sentence
 * of random words; with `plant`, half the failures' root causes also say "I was stuck in a loop
 * retrying the same fix for N minutes" (a recurring theme to find).
 */
export function themeHistory(plant: boolean, seed: number, n = 120): { executions: ExecutionRecord[]; reflections: Array<{ data: ReflectionRecord; body: string }> } {
  const next = mulberry32(seed);
  const executions: ExecutionRecord[] = [];
  const reflections: Array<{ data: ReflectionRecord; body: string }> = [];
  for (let i = 0; i < n; i++) {
    const failure = i % 3 === 0;
    const e = makeExecution(`ex-th-${String(i).padStart(3, '0')}`, i * 5, { component: `c${i % 7}`, outcome: failure ? 'failure' : 'success', scores: scoresFor(failure ? 40 : 85) });
    executions.push(e);
    let cause = noise(next);
    // The planted cause: most failures' reflections say the agent was stuck in a loop (in varied wording around it).
    if (plant && failure && i % 6 === 0) cause = `${noise(next)} I was stuck in a loop retrying the same fix for ${Math.floor(next() * 90) + 10} minutes.`;
    reflections.push({
      data: {
        kind: 'reflection',
        id: `rf-th-${i}`,
        created_at: e.started_at,
        reflection_type: failure ? 'root_cause_analysis' : 'template_extraction',
        executions: [e.id],
        root_cause: cause,
        status: 'done',
      } as ReflectionRecord,
      body: '',
    });
  }
  return { executions, reflections };
}

/**
 * Similar executions (the seed's `get_similar_executions`): past executions of the same
 * component and task type, then the same component or type, with shared domains as a
 * tiebreaker and newer first; plus the accepted rules and templates that apply.
 */
import type { RecallStore, StoredDoc } from './store.js';

/** The task to compare with (the seed's `current_task`). */
export interface SimilarTask {
  id?: string;
  type: string;
  component?: string;
  domains?: string[];
}

/** One comparable execution. */
export interface SimilarExecution {
  id: string;
  path: string;
  title: string;
  task_type?: string;
  component?: string;
  outcome?: string;
  overall?: number;
  date: string;
  /** 0..1: how close it is (1 = same component, type and domains). */
  similarity: number;
  errors?: string[];
  /** Reflections about it (root causes). */
  reflections?: string[];
}

/** Guidance that applies to the task. */
export interface SimilarGuidance {
  id: string;
  kind: string;
  status?: string;
  /** Repo-relative path; null for derived knowledge (it has no file). */
  path: string | null;
  text: string;
  /** Found by the learning engine, not a committed record: not an id `recalled` may link to. */
  derived?: boolean;
}

/** The result of `similar`. */
export interface SimilarResult {
  task: SimilarTask;
  /** Executions with the same component and task type. */
  exact: number;
  /** Outcomes over those exact matches. */
  outcomes: { success: number; partial: number; failure: number };
  executions: SimilarExecution[];
  guidance: SimilarGuidance[];
}

/** Finds past executions comparable to `task`, best first, at most `limit`. */
export function similarExecutions(store: RecallStore, task: SimilarTask, limit = 8): SimilarResult {
  const execs = store.facetDocs('kind', 'execution');
  const byComponent = task.component ? store.facetDocs('component', task.component) : new Set<number>();
  const byType = store.facetDocs('task_type', task.type);
  const domains = [...new Set(task.domains ?? [])];
  const byDomain = domains.map((d) => store.facetDocs('domain', d));
  const score = new Map<number, number>();
  const add = (set: Set<number>, w: number) => {
    for (const d of set) if (execs.has(d)) score.set(d, (score.get(d) ?? 0) + w);
  };
  add(byComponent, 3);
  add(byType, 2);
  for (const s of byDomain) add(s, 1 / Math.max(1, domains.length));
  const maxScore = (task.component ? 3 : 0) + 2 + (domains.length ? 1 : 0);
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1] || (store.meta.day[b[0]] ?? 0) - (store.meta.day[a[0]] ?? 0) || store.compare(b[0], a[0]));
  const outcomes = { success: 0, partial: 0, failure: 0 };
  let exact = 0;
  for (const [d] of ranked) {
    if ((task.component ? byComponent.has(d) : true) && byType.has(d)) {
      exact += 1;
      for (const o of ['success', 'partial', 'failure'] as const) if (store.facetDocs('outcome', o).has(d)) outcomes[o] += 1;
    }
  }
  const executions: SimilarExecution[] = [];
  for (const [d, s] of ranked.slice(0, Math.max(1, limit))) {
    const doc = store.doc(d);
    if (!doc || (task.id && doc.id === task.id)) continue;
    executions.push(toSimilar(doc, Math.round((s / maxScore) * 100) / 100));
  }
  const guidance: SimilarGuidance[] = [];
  const applies = new Set<number>([...(task.component ? store.facetDocs('applies', task.component) : []), ...store.facetDocs('applies', task.type)]);
  const rejected = new Set([...store.facetDocs('status', 'rejected'), ...store.facetDocs('status', 'archived')]);
  for (const d of [...applies].sort((a, b) => a - b)) {
    if (rejected.has(d)) continue;
    const doc = store.doc(d);
    if (!doc || (doc.kind !== 'rule' && doc.kind !== 'template' && doc.kind !== 'pattern')) continue;
    guidance.push({
      id: doc.id,
      kind: doc.kind,
      ...(doc.status ? { status: doc.status } : {}),
      path: doc.derived ? null : doc.file,
      text: doc.action ?? doc.summary,
      ...(doc.derived ? { derived: true } : {}),
    });
  }
  const kindRank: Record<string, number> = { rule: 0, pattern: 1, template: 2 };
  guidance.sort((a, b) => (a.status === 'accepted' ? 0 : 1) - (b.status === 'accepted' ? 0 : 1) || kindRank[a.kind]! - kindRank[b.kind]! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { task, exact, outcomes, executions, guidance: guidance.slice(0, Math.max(1, limit)) };
}

function toSimilar(doc: StoredDoc, similarity: number): SimilarExecution {
  const s: SimilarExecution = { id: doc.id, path: doc.file, title: doc.title, date: doc.date, similarity };
  if (doc.task_type) s.task_type = doc.task_type;
  if (doc.component) s.component = doc.component;
  if (doc.outcome) s.outcome = doc.outcome;
  if (doc.overall !== undefined) s.overall = doc.overall;
  if (doc.errors?.length) s.errors = doc.errors;
  if (doc.links?.length) s.reflections = doc.links;
  return s;
}

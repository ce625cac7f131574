/**
 * Recall entry points: answer from the recall store while Git checks that the build is current
 * (a scan of blob ids); when something changed, build incrementally and answer again.
 */
import type { Workspace } from '../core/workspace.js';
import { isBuildCurrent, isBuildCurrentAsync } from './freshness.js';
import { answer, type AnswerOptions, type RecallAnswer } from '../core/recall/answer.js';
import type { RecallStore } from '../core/recall/store.js';
import { openStoreDir } from './store-fs.js';
import { similarExecutions, type SimilarResult, type SimilarTask } from '../core/recall/similar.js';

/** Options for opening the store. */
export interface OpenOptions {
  /** Skip the freshness check (use the last build as is). */
  noRefresh?: boolean;
}

/**
 * Brings the build folder up to date, and the derived knowledge with it when the history is
 * small enough for that to be quick (learned-refresh.ts). The pipelines are loaded only here, so
 * a fresh one-shot recall that finds nothing changed stays light.
 */
async function rebuild(ws: Workspace, full = false): Promise<void> {
  await (await import('./build.js')).runBuild(ws, full ? { full } : {});
  await (await import('./learned-refresh.js')).refreshLearned(ws);
}

/** Opens the recall store, building or updating the build folder first when it is stale. */
export async function openStore(ws: Workspace, opts: OpenOptions = {}): Promise<RecallStore> {
  if (!opts.noRefresh) {
    // The build pipeline is loaded only when something changed (a fresh one-shot stays light).
    if (!isBuildCurrent(ws) || !openStoreDir(ws.outDir)) await rebuild(ws);
  }
  let store = openStoreDir(ws.outDir);
  if (!store) {
    await rebuild(ws, true);
    store = openStoreDir(ws.outDir);
  }
  if (!store) throw new Error(`The recall store in ${ws.outDir} could not be built.`);
  return store;
}

/**
 * Runs `use` on the store while Git checks whether the build is current (the check runs in
 * other processes); when it is not, the build is brought up to date and `use` runs again.
 */
async function withStore<T>(ws: Workspace, opts: OpenOptions, use: (store: RecallStore) => T): Promise<T> {
  if (opts.noRefresh) return use(await openStore(ws, opts));
  // A check that fails counts as "changed": the build then reports what is wrong.
  const current = isBuildCurrentAsync(ws).catch(() => false);
  const early = openStoreDir(ws.outDir);
  const result = early ? use(early) : undefined;
  if ((await current) && early) return result!;
  await rebuild(ws);
  return use(await openStore(ws, { noRefresh: true }));
}

/** Answers a question about the knowledge base of `ws`. */
export async function recall(ws: Workspace, question: string, opts: AnswerOptions & OpenOptions = {}): Promise<RecallAnswer> {
  return withStore(ws, opts, (store) => answer(store, question, { limit: opts.limit ?? ws.config.recall.default_limit, budget: opts.budget ?? ws.config.recall.default_budget, now: opts.now }));
}

/** Past executions comparable to a task. */
export async function similar(ws: Workspace, task: SimilarTask, opts: OpenOptions & { limit?: number } = {}): Promise<SimilarResult> {
  return withStore(ws, opts, (store) => similarExecutions(store, task, opts.limit ?? ws.config.recall.default_limit));
}

export { answer, renderAnswer, estimateTokens, type RecallAnswer, type Insight, type CommonError, type AnswerOptions } from '../core/recall/answer.js';
export { parseIntent, matchEntities, type Intent, type EntityMatch } from '../core/recall/intent.js';
export { RecallStore } from '../core/recall/store.js';
export { similarExecutions, type SimilarTask, type SimilarResult, type SimilarExecution } from '../core/recall/similar.js';

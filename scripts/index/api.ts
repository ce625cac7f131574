/**
 * The derived index: everything learning-loop computes from the knowledge base and keeps in the
 * build folder (the records table and its cache, the recall store, aggregates, the derived
 * knowledge), behind one interface. Segments, worker pools, caches, digests and the freshness
 * check are this folder's private business; nothing outside it imports them.
 *
 * `openIndex(ws)` costs nothing: each method loads the code it needs when it is first called,
 * so a one-shot `recall` never loads the build pipeline unless something changed.
 */
import type { Workspace } from '../core/workspace.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { RecordsTable } from '../core/records/table.js';
import type { Aggregates } from '../core/aggregates.js';
import type { AnswerOptions, RecallAnswer } from '../core/recall/answer.js';
import type { RecallStore, StoreFile } from '../core/recall/store.js';
import type { SimilarResult, SimilarTask } from '../core/recall/similar.js';
import type { ExtractedPattern, LearnSnapshot } from '../core/learn/types.js';
import type { KbCheck } from './check-kb.js';
import type { BuildManifest } from './outputs.js';
import type { BuildOptions, BuildResult } from './build.js';
import type { RefreshOptions } from './incremental.js';
import type { OpenOptions } from './recall.js';
import type { Watcher, WatchEvent, WatchOptions } from './watch.js';

export type { KbCheck, BuildManifest, BuildOptions, BuildResult, RefreshOptions, OpenOptions, Watcher, WatchEvent, WatchOptions };

/** The recall store's files for a copy (the site's in-browser search): one merged meta and its segment files. */
export interface SearchStoreFiles {
  /** The merged store description (records and derived knowledge), as `meta.json`. */
  store: StoreFile;
  /** Absolute paths of the segment files, each copied under its base name. */
  files: string[];
}

/** The derived knowledge kept with the build: patterns, themes and the effect of memory. */
export interface LearnedKnowledge {
  /** Whether it was derived from the current build. */
  isCurrent(): Promise<boolean>;
  /**
   * Brings it up to date when the history is small enough for that to be quick (or `force`);
   * resolves whether it wrote.
   */
  refresh(opts?: { force?: boolean }): Promise<boolean>;
  /** The patterns of the last learning snapshot (undefined before the first). */
  patterns(): Promise<ExtractedPattern[] | undefined>;
  /** The last learning snapshot (`learn.json`; undefined before the first). */
  snapshot(): Promise<LearnSnapshot | undefined>;
  /** Analyses the table (loaded unless given) and writes the snapshot and the derived store. */
  write(table?: RecordsTable): Promise<LearnSnapshot>;
}

/** One knowledge base's derived index. */
export interface DerivedIndex {
  /** The workspace it indexes. */
  readonly workspace: Workspace;
  /** The records table: valid rows and the diagnostics of the rest (the cache is refreshed on the way). */
  table(opts?: RefreshOptions): Promise<RecordsTable>;
  /** Every file checked on its own and across records, all problems at once (`validate`). */
  check(only?: ReadonlySet<string>): Promise<KbCheck>;
  /** Brings the build folder up to date (incremental unless `full`). */
  build(opts?: BuildOptions): Promise<BuildResult>;
  /** Answers a question, refreshing the build first when the knowledge base changed (unless `noRefresh`). */
  recall(question: string, opts?: AnswerOptions & OpenOptions): Promise<RecallAnswer>;
  /** Past executions and guidance comparable to a task. */
  similar(task: SimilarTask, opts?: OpenOptions & { limit?: number }): Promise<SimilarResult>;
  /** The recall store itself (for callers that ask many questions). */
  store(opts?: OpenOptions): Promise<RecallStore>;
  /** The last build's manifest (undefined before the first build). */
  manifest(): Promise<BuildManifest | undefined>;
  /** The last build's aggregates (undefined before the first build). */
  aggregates(): Promise<Aggregates | undefined>;
  /** The diagnostics of the last build (the records it left out, and why). */
  lastBuildDiagnostics(): Promise<Diagnostic[]>;
  /** The recall store's files, for a copy; undefined before the first build. */
  searchFiles(): Promise<SearchStoreFiles | undefined>;
  /** Rebuilds after every burst of changes until the watcher is closed. */
  watch(opts: WatchOptions): Promise<Watcher>;
  /** The derived knowledge. */
  readonly learned: LearnedKnowledge;
}

/** Opens the derived index of a workspace (nothing is read until a method is called). */
export function openIndex(ws: Workspace): DerivedIndex {
  const learned: LearnedKnowledge = {
    isCurrent: async () => (await import('./learned-state.js')).isLearnedCurrent(ws),
    refresh: async (opts = {}) => (await import('./learned-refresh.js')).refreshLearned(ws, opts),
    patterns: async () => (await import('./learned-state.js')).snapshotPatterns(ws.outDir),
    snapshot: async () => (await import('./outputs.js')).readLearnSnapshot(ws.outDir),
    write: async (table) => (await import('./snapshot.js')).writeLearnSnapshot(ws, table),
  };
  return {
    workspace: ws,
    table: async (opts = {}) => (await import('./table.js')).loadTable(ws, opts),
    check: async (only) => (await import('./check-kb.js')).checkKnowledgeBase(ws, only),
    build: async (opts = {}) => (await import('./build.js')).runBuild(ws, opts),
    recall: async (question, opts = {}) => (await import('./recall.js')).recall(ws, question, opts),
    similar: async (task, opts = {}) => (await import('./recall.js')).similar(ws, task, opts),
    store: async (opts = {}) => (await import('./recall.js')).openStore(ws, opts),
    manifest: async () => (await import('./outputs.js')).readManifest(ws.outDir),
    aggregates: async () => (await import('./outputs.js')).readAggregates(ws.outDir),
    lastBuildDiagnostics: async () => (await import('./outputs.js')).readBuildDiagnostics(ws.outDir),
    searchFiles: async () => (await import('./store-fs.js')).searchStoreFiles(ws.outDir),
    watch: async (opts) => (await import('./watch.js')).startWatch(ws, opts),
    learned,
  };
}

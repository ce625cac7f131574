/**
 * `LearningQueryInterface`: the seed's Task 4 class. `query()` answers a plain-language
 * question; `getSimilarExecutions()` finds comparable past executions. Git-backed: it reads the
 * knowledge base through the incremental build (only changed records are parsed).
 */
import { openWorkspace } from '../io/workspace.js';
import { type Workspace } from '../core/workspace.js';
import { answer, type AnswerOptions, type RecallAnswer } from '../core/recall/answer.js';
import { openIndex } from '../index/api.js';
import { similarExecutions, type SimilarResult, type SimilarTask } from '../core/recall/similar.js';
import type { RecallStore } from '../core/recall/store.js';

/** Constructor options: the knowledge-base root (the seed's `memory_path`) or a workspace. */
export interface QueryInterfaceOptions {
  /** Knowledge-base folder (default: `<repo>/learning-loop`). */
  root?: string;
  /** Working directory to resolve the repository from (default: process.cwd()). */
  cwd?: string;
  /** Answer from the last build without checking for changes. */
  noRefresh?: boolean;
}

/** Smart retrieval of past learnings (seed Task 4). */
export class LearningQueryInterface {
  /** The workspace queried. */
  readonly workspace: Workspace;
  private readonly noRefresh: boolean;
  private store?: RecallStore;

  /** Opens the knowledge base at `options.root` (or the given workspace). */
  constructor(options: QueryInterfaceOptions | Workspace = {}) {
    if ('kbRoot' in options) {
      this.workspace = options;
      this.noRefresh = false;
    } else {
      this.workspace = openWorkspace({ ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.root ? { root: options.root } : {}) });
      this.noRefresh = options.noRefresh ?? false;
    }
  }

  /** The recall store, brought up to date on the first call (and after `refresh()`). */
  private async open(): Promise<RecallStore> {
    this.store ??= await openIndex(this.workspace).store({ noRefresh: this.noRefresh });
    return this.store;
  }

  /** Forgets the loaded store so the next query sees new records. */
  refresh(): void {
    this.store = undefined;
  }

  /**
   * Natural-language query, e.g. "What failed last time we tried booking component?",
   * "Show me all Reiki-specific UI patterns that worked", "Common Square API integration issues".
   */
  async query(queryString: string, opts: AnswerOptions = {}): Promise<RecallAnswer> {
    const store = await this.open();
    const cfg = this.workspace.config.recall;
    return answer(store, typeof queryString === 'string' ? queryString : '', {
      limit: opts.limit ?? cfg.default_limit,
      budget: opts.budget ?? cfg.default_budget,
      ...(opts.now !== undefined ? { now: opts.now } : {}),
    });
  }

  /** Past executions similar to a task (`{ id?, type, component?, domains? }`). */
  async getSimilarExecutions(task: SimilarTask, limit?: number): Promise<SimilarResult> {
    const store = await this.open();
    return similarExecutions(store, task, limit ?? this.workspace.config.recall.default_limit);
  }
}

/**
 * `LearningOrchestrator` (seed Task 5) and `PatternExtractor` (seed Task 3), Git-native:
 * `executeWithLearning(task, fn)` runs the seed's 8 steps for real — recall before, pre/during/
 * post metadata, timing, run, score, record (execution file, optional commit/push), reflect when
 * triggered, suggest improvements. Works over `./learning-loop` by default and touches the disk
 * only when a method that writes is called.
 */
import { join } from 'node:path';
import { openWorkspace } from '../io/workspace.js';
import { type Workspace } from '../core/workspace.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../core/config.js';
import { writeFileExclusive } from '../io/fs.js';
import { openIndex } from '../index/api.js';
import { executionsInOrder, type RecordRow } from '../core/records/table.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { ExecutionRecord } from '../core/records/kinds.js';
import { recordPath } from '../core/records/kinds.js';
import { renderRecord } from '../core/records/write.js';
import { memoryToPatterns, SEED_PATTERNS, type SeedMemory } from '../core/records/seed-patterns.js';
import { recordExecution, type RecordResult } from './record.js';
import { redactSecrets } from '../core/records/secrets.js';

import { LearningQueryInterface } from './query-interface.js';
import type { SimilarResult } from '../core/recall/similar.js';
import { completeScores, computeOverall, decideTrigger, type Scores, type TriggerAction } from '../core/score/formulas.js';
import { streakReason } from '../core/score/streak.js';
import { allPatterns, extractPatternSet, findCommonalities, type PatternSet } from '../core/learn/patterns.js';
import { extractOptionsOf } from '../core/learn/analyze.js';
import { detectAntiPatterns } from '../core/learn/anti-patterns.js';
import { computeMetrics } from '../core/learn/dashboard.js';
import { matchingPatterns, rootCauseFor } from '../core/learn/reflection.js';
import { derivedPatternsFor, reflectOn, reflectionIdFor, type ReflectResult } from './reflect.js';
import { synthesize, type Period, type SynthesisResult } from '../core/learn/synthesis.js';
import { applyChanges } from './apply.js';
import { patternCommitCounts } from '../io/git.js';
import { fingerprint } from '../core/learn/fingerprint.js';
import { findStaleLearnings } from './staleness.js';
import type { ExtractedPattern } from '../core/learn/types.js';

/** The text with every secret redacted (the rest kept). */
const redacted = (text: string): string => redactSecrets(text).text;

/** A task, as the seed passes it (`{id, type, component}`) plus optional context. */
export interface LearningTask {
  id: string;
  type: string;
  component?: string;
  domains?: string[];
  agent?: string;
  sprint?: string;
  assumptions?: string[];
  dependencies?: string[];
  initial_state?: string;
}

/** What a task function may report (all optional; a thrown error is a failure). */
export interface TaskResult {
  outcome?: 'success' | 'partial' | 'failure';
  scores?: Partial<Scores>;
  errors?: string[];
  outcomes?: string[];
  deviations?: string[];
  discoveries?: string[];
  decision_points?: string[];
  alternatives_considered?: string[];
  reused?: string[];
  produced?: string[];
  checks?: { passed?: number; failed?: number };
  exit_code?: number;
  command?: string;
  commit?: string;
}

/** Metadata captured at a phase (the seed's `capture_execution_metadata`). */
export interface PhaseMetadata {
  task_id: string;
  phase: 'pre' | 'during' | 'post';
  timestamp: string;
  data: Record<string, unknown>;
}

/** Context handed to the task function: what recall returned, and a recorder for decisions. */
export interface TaskContext {
  task: LearningTask;
  similar?: SimilarResult;
  /** Ids recall returned (stored on the execution as `recalled`). */
  recalled: string[];
  /** Record a decision point or an alternative while working (the "during" phase). */
  decide: (decision: string, alternatives?: string[]) => void;
}

/** The seed's return value plus what was written. */
export interface LearningOutcome {
  result: TaskResult | undefined;
  score: number;
  learnings: string[];
  improvements: string[];
  execution?: ExecutionRecord;
  path?: string;
  reflection?: { action: TriggerAction; reason: string; written: string[] };
  recalled: string[];
  diagnostics: Diagnostic[];
  /** The error the task function threw, if it did. */
  error?: string;
}

/** Seed Task 3: metadata capture and pattern extraction over execution history. */
export class PatternExtractor {
  /** The pattern lists (the seed's four, plus recurring themes) from the last `extractPatterns` call. */
  patterns: PatternSet = { success_patterns: [], failure_patterns: [], performance_patterns: [], dependency_patterns: [], theme_patterns: [] };
  /** Where the memory lives (the seed's `memory_path`; informational). */
  readonly memoryPath: string;
  private readonly config: ResolvedConfig;
  private readonly clock: () => Date;

  /** `memoryPath` as in the seed; `config` supplies thresholds (defaults otherwise). */
  constructor(memoryPath = 'learning-loop/memory', config: ResolvedConfig = DEFAULT_CONFIG, clock: () => Date = () => new Date()) {
    this.memoryPath = memoryPath;
    this.config = config;
    this.clock = clock;
  }

  /** Metadata for a phase: pre {initial_state, assumptions, dependencies}, during {decision_points, alternatives_considered, time_elapsed}, post {outcomes, deviations, discoveries}. */
  captureExecutionMetadata(taskId: string, phase: 'pre' | 'during' | 'post', data: Record<string, unknown> = {}): PhaseMetadata {
    const base: Record<string, unknown> =
      phase === 'pre'
        ? { initial_state: '', assumptions: [], dependencies: [] }
        : phase === 'during'
          ? { decision_points: [], alternatives_considered: [], time_elapsed: 0 }
          : { outcomes: [], deviations: [], discoveries: [] };
    return { task_id: taskId, phase, timestamp: this.clock().toISOString(), data: { ...base, ...data } };
  }

  /**
   * Success (> success_score) and failure (< failure_score) commonalities, plus performance and
   * dependency patterns and recurring themes; given records-table rows, their reflections are
   * mined and rejected patterns left out, as `patterns` does.
   */
  extractPatterns(history: ReadonlyArray<ExecutionRecord | RecordRow>): PatternSet {
    const rows = history.filter((h): h is RecordRow => 'file' in h && 'data' in h);
    this.patterns = extractPatternSet(toExecutions(history), this.config, extractOptionsOf(rows));
    return this.patterns;
  }

  /** Commonalities of a group of executions against the whole history given (the seed's `find_commonalities`). */
  findCommonalities(tasks: readonly ExecutionRecord[], history: readonly ExecutionRecord[], type: 'success' | 'failure' = 'success'): ExtractedPattern[] {
    const ids = new Set(tasks.map((t) => t.id));
    return findCommonalities(history, (e) => ids.has(e.id), type, this.config);
  }
}

function toExecutions(history: ReadonlyArray<ExecutionRecord | RecordRow>): ExecutionRecord[] {
  return history.map((h) => ('file' in h && 'data' in h ? (h as RecordRow).data : h) as ExecutionRecord).filter((e) => e.kind === 'execution');
}

/** Options for the orchestrator. */
export interface OrchestratorOptions {
  /** Knowledge-base folder (default `./learning-loop`, or $LEARNING_LOOP_ROOT). */
  root?: string;
  cwd?: string;
  /** Default agent name for executions (default $LEARNING_LOOP_AGENT or `orchestrator`). */
  agent?: string;
  /** Commit each recorded execution (default false). */
  commit?: boolean;
  /** Push after committing (default false). */
  push?: boolean;
  /** The clock (tests pass a fixed one). */
  now?: () => Date;
  /** Print the seed's `[LEARNING]` / `[EXECUTING]` / `[REFLECTION]` lines here (default: silent). */
  log?: (line: string) => void;
}

/** Seed Task 5: the orchestrator with self-reflection. */
export class LearningOrchestrator {
  /** The seed's memory sections; `saveMemory()` writes them as pattern records. */
  memory: SeedMemory = { reiki_patterns: [], square_api: [], component_library: [], agent_performance: {} };
  /** Metadata capture and pattern extraction. */
  readonly patternExtractor: PatternExtractor;
  /** Recall (lazy: opened on first use). */
  private qi?: LearningQueryInterface;
  /** The sprint new executions belong to. */
  currentSprint: string | null = null;
  /** Resolved locations and config. */
  readonly workspace: Workspace;
  private readonly opts: OrchestratorOptions;
  private readonly clock: () => Date;
  private readonly log: (line: string) => void;

  /** Opens `./learning-loop` (or `options.root`) without writing anything. */
  constructor(options: OrchestratorOptions = {}) {
    this.opts = options;
    this.workspace = openWorkspace({ ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.root ? { root: options.root } : {}) });
    this.clock = options.now ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
    this.patternExtractor = new PatternExtractor(join(this.workspace.kbRoot, 'memory'), this.workspace.config, this.clock);
  }

  /** The seed's `query_interface` (a `LearningQueryInterface` over the same knowledge base). */
  get queryInterface(): LearningQueryInterface {
    this.qi ??= new LearningQueryInterface(this.workspace);
    return this.qi;
  }

  /** Writes the memory sections as pattern records (idempotent: existing ids are left alone). Returns the paths written. */
  saveMemory(): string[] {
    const createdAt = `${this.clock().toISOString().slice(0, 19)}Z`;
    const written: string[] = [];
    for (const p of memoryToPatterns(this.memory, createdAt)) {
      const rel = recordPath(p);
      if (writeFileExclusive(join(this.workspace.kbRoot, rel), renderRecord(p, `${p.statement}\n\nSeeded from the orchestrator's memory (${p.domain}).`)))
        written.push(`${this.workspace.kbPrefix}${rel}`);
    }
    return written;
  }

  /** The seed's Step 4 initial patterns merged into `memory` (call `saveMemory()` to persist). */
  seedMemory(): void {
    for (const k of ['reiki_patterns', 'square_api'] as const) this.memory[k] = [...new Set([...this.memory[k], ...SEED_PATTERNS[k]])];
  }

  /**
   * The seed's 8-step loop: recall similar executions, capture pre metadata, run `fn` with
   * timing, score, capture post metadata, record the execution, reflect when triggered, and
   * suggest improvements. `fn` gets what recall returned; whatever it throws is a failure.
   * Without `fn` (the seed's validation command) the task is recorded as a successful no-op.
   */
  async executeWithLearning(task: LearningTask, fn: (ctx: TaskContext) => Promise<TaskResult | void> | TaskResult | void = () => ({})): Promise<LearningOutcome> {
    // 1. Pre-execution learning check.
    const { similar, recalled } = await this.recallFor(task);
    // 2. Pre-execution state.
    const pre = this.patternExtractor.captureExecutionMetadata(task.id, 'pre', { initial_state: task.initial_state ?? '', assumptions: task.assumptions ?? [], dependencies: task.dependencies ?? [] });
    // 3. Execute with monitoring.
    const run = await this.runTask(task, fn, similar, recalled);
    const { r, outcome, errors } = redactedResult(run.result, run.error);
    // 4-5. Score (record completes missing scores from evidence) and post metadata.
    const post = this.patternExtractor.captureExecutionMetadata(task.id, 'post', { outcomes: r.outcomes ?? [], deviations: r.deviations ?? [], discoveries: r.discoveries ?? [] });
    const input = this.executionInput(task, run, r, { outcome, errors, recalled, pre: pre.data, post: post.data });
    const rec = await this.recordKeepingIt(input, errors);
    const execution = rec.execution;
    const { score, trigger } = execution ? { score: execution.overall, trigger: execution.trigger ?? null } : this.scoreUnrecorded(r, outcome, run.duration, errors);
    // 6. Extract learnings (and refresh the memory's agent performance).
    const rows = execution ? (await openIndex(this.workspace).table()).rows : [];
    const learnings = execution ? this.extractLearnings(execution, rows, similar) : [];
    // 7. Reflection when triggered.
    const reflection = trigger && execution ? await this.reflectOn(trigger, task, execution, rows, rec) : undefined;
    // 8. Improvement suggestions.
    const improvements = execution ? this.suggestNextImprovements(execution, rows, similar) : [];
    const out: LearningOutcome = { result: run.result, score, learnings, improvements, recalled, diagnostics: [...rec.diagnostics] };
    if (execution) out.execution = execution;
    if (rec.path) out.path = rec.path;
    if (reflection) out.reflection = reflection;
    if (run.error) out.error = run.error;
    return out;
  }

  /** Step 1: similar executions and guidance; `recalled` names committed records only (derived patterns are shown, not linked). */
  private async recallFor(task: LearningTask): Promise<{ similar: SimilarResult | undefined; recalled: string[] }> {
    this.log(`[LEARNING] Checking past executions for: ${task.id}`);
    let similar: SimilarResult | undefined;
    try {
      similar = await this.queryInterface.getSimilarExecutions(
        { id: task.id, type: task.type, ...(task.component ? { component: task.component } : {}), ...(task.domains ? { domains: task.domains } : {}) },
        5,
      );
    } catch {
      similar = undefined; // no knowledge base yet: nothing to recall
    }
    const recalled = [...new Set([...(similar?.guidance ?? []).filter((g) => !g.derived).map((g) => g.id), ...(similar?.executions ?? []).slice(0, 3).map((e) => e.id)])];
    return { similar, recalled };
  }

  /** Step 3: runs the task with timing, collecting the decisions it reports; whatever it throws is a failure. */
  private async runTask(task: LearningTask, fn: (ctx: TaskContext) => Promise<TaskResult | void> | TaskResult | void, similar: SimilarResult | undefined, recalled: string[]): Promise<TaskRun> {
    this.log(`[EXECUTING] Task: ${task.id}`);
    const decisions: string[] = [];
    const alternatives: string[] = [];
    const started = this.clock();
    const t0 = performance.now();
    let result: TaskResult | undefined;
    let error: string | undefined;
    try {
      result = (await fn({ task, ...(similar ? { similar } : {}), recalled, decide: (d, alts) => (decisions.push(d), alternatives.push(...(alts ?? []))) })) ?? {};
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      result = undefined;
    }
    const duration = Math.max(0, Math.round((performance.now() - t0) / 10) / 100);
    return { result, error, started, duration, decisions, alternatives };
  }

  /** The execution `record` is given: the task, its run and what it reported. */
  private executionInput(
    task: LearningTask,
    run: TaskRun,
    r: TaskResult,
    x: { outcome: string; errors: string[]; recalled: string[]; pre: Record<string, unknown>; post: Record<string, unknown> },
  ): Record<string, unknown> {
    const input: Record<string, unknown> = {
      task_id: redacted(task.id),
      task_type: task.type,
      agent: task.agent ?? this.opts.agent ?? process.env.LEARNING_LOOP_AGENT ?? 'orchestrator',
      started_at: `${run.started.toISOString().slice(0, 19)}Z`,
      duration_s: run.duration,
      outcome: x.outcome,
      pre: { assumptions: x.pre.assumptions, dependencies: x.pre.dependencies, ...(task.initial_state ? { initial_state: task.initial_state } : {}) },
      during: { decision_points: [...run.decisions, ...(r.decision_points ?? [])], alternatives_considered: [...run.alternatives, ...(r.alternatives_considered ?? [])] },
      post: x.post,
    };
    if (task.component) input.component = task.component;
    if (task.domains?.length) input.domains = task.domains;
    const sprint = task.sprint ?? this.currentSprint;
    if (sprint) input.sprint = sprint;
    if (x.errors.length) input.errors = x.errors;
    if (r.scores) input.scores = r.scores;
    for (const k of ['reused', 'produced', 'checks', 'exit_code', 'command', 'commit'] as const) if (r[k] !== undefined) input[k] = r[k];
    if (x.recalled.length) input.recalled = x.recalled;
    return input;
  }

  /** Records the execution; never loses it to error output that looked like a secret (recorded again without it). */
  private async recordKeepingIt(input: Record<string, unknown>, errors: readonly string[]): Promise<RecordResult> {
    const opts = { commit: Boolean(this.opts.commit || this.opts.push), push: Boolean(this.opts.push) };
    const rec = await recordExecution(this.workspace, input, { ...opts, now: this.clock() });
    if (rec.ok || !rec.diagnostics.some((d) => d.rule === 'secret/detected') || !errors.length) return rec;
    input.errors = ['(error output withheld: it looked like it contained a secret)'];
    return recordExecution(this.workspace, input, { ...opts, now: this.clock() });
  }

  /** Score and trigger of a run that could not be recorded (computed the way `record` would). */
  private scoreUnrecorded(r: TaskResult, outcome: ExecutionRecord['outcome'], duration: number, errors: string[]): { score: number; trigger: TriggerAction | null } {
    const evidence = {
      outcome,
      duration_s: duration,
      ...(r.checks ? { checks: r.checks } : {}),
      errors,
      reused: r.reused ?? [],
      produced: r.produced ?? [],
      deviations: r.deviations ?? [],
      discoveries: r.discoveries ?? [],
    };
    const s = completeScores(r.scores ?? {}, evidence, this.workspace.config.scoring.default_efficiency).scores;
    return { score: computeOverall(s), trigger: decideTrigger(s, this.workspace.config.thresholds).action };
  }

  /** Step 7: the reflection the trigger asks for, with the seed's reason. */
  private async reflectOn(trigger: TriggerAction, task: LearningTask, execution: ExecutionRecord, rows: readonly RecordRow[], rec: RecordResult): Promise<LearningOutcome['reflection']> {
    const seed = decideTrigger(execution.scores, this.workspace.config.thresholds);
    const reason = seed.action === trigger ? seed.reason! : trigger === 'extract_template' ? streakReason(this.workspace.config.scoring.template_streak, execution) : trigger;
    const rr = await this.performReflection(trigger, reason, task, execution, rows);
    return { action: trigger, reason, written: [...(rec.reflection ? [rec.reflection.path] : []), ...rr.written] };
  }

  private extractLearnings(execution: ExecutionRecord, rows: readonly RecordRow[], similar?: SimilarResult): string[] {
    const out: string[] = [];
    for (const p of matchingPatterns(execution, rows)) out.push(`Matches ${p.data.pattern_type} pattern ${p.id}: ${p.data.statement}`);
    const history = executionsInOrder(rows);
    for (const m of execution.errors ?? []) {
      const fp = fingerprint(m).id;
      const n = history.filter((e) => (e.errors ?? []).some((x) => fingerprint(x).id === fp)).length;
      if (n > 1) out.push(`Error "${fingerprint(m).text}" has now occurred in ${n} executions.`);
    }
    if (similar && similar.exact > 0) out.push(`Comparable past executions: ${similar.outcomes.success} succeeded, ${similar.outcomes.partial} partial, ${similar.outcomes.failure} failed.`);
    const agents = computeMetrics(history).agent_effectiveness;
    this.memory.agent_performance = Object.fromEntries(agents.map((a) => [a.agent, { executions: a.executions, mean_overall: a.mean_overall, success_rate: a.success_rate }]));
    return out;
  }

  private suggestNextImprovements(execution: ExecutionRecord, rows: readonly RecordRow[], similar?: SimilarResult): string[] {
    const history = executionsInOrder(rows);
    const out: string[] = [];
    for (const f of detectAntiPatterns(history, this.workspace.config)) {
      if (f.evidence.includes(execution.id) || f.subject === execution.task_type || (execution.domains ?? []).includes(f.subject) || f.subject === 'all')
        out.push(`${f.action.replace(/_/g, ' ')}: ${f.message}`);
    }
    for (const g of similar?.guidance ?? []) if (g.kind === 'rule' && execution.outcome !== 'success') out.push(`Re-read ${g.id} before retrying: ${g.text}`);
    if (execution.trigger === 'mandatory_reflection') out.push(`Fill in the root cause in ${reflectionIdFor(execution.id)} and propose the rule that prevents it.`);
    if (execution.trigger === 'extract_template') out.push('Review the proposed template so the next comparable task can reuse it.');
    if (execution.trigger === 'update_architecture') out.push('Review memory/working-memory/current-assumptions.md against what this task discovered.');
    if (!execution.reused?.length) out.push('Nothing was reused: check `learning-loop similar` for templates before the next task of this type.');
    return [...new Set(out)];
  }

  /** The seed's `perform_reflection`: writes the reflection (and template / assumption proposals). */
  async performReflection(
    action: TriggerAction,
    reason: string,
    task: LearningTask | { id: string },
    result: ExecutionRecord | TaskResult | string,
    rows?: readonly RecordRow[],
  ): Promise<ReflectResult> {
    this.log(`[REFLECTION] ${action}: ${reason}`);
    const all = rows ?? (await openIndex(this.workspace).table()).rows;
    const execId = typeof result === 'string' ? result : 'kind' in result && (result as ExecutionRecord).kind === 'execution' ? (result as ExecutionRecord).id : this.latestExecution(all, task.id)?.id;
    if (!execId)
      return { ok: false, diagnostics: [{ severity: 'error', rule: 'input/not-found', file: task.id, message: `No execution recorded for task \`${task.id}\`.` }], written: [], existing: [] };
    return reflectOn(this.workspace, all, execId, { action });
  }

  private latestExecution(rows: readonly RecordRow[], taskOrExecutionId: string): ExecutionRecord | undefined {
    const list = executionsInOrder(rows).filter((e) => e.task_id === taskOrExecutionId || e.id === taskOrExecutionId);
    return list[list.length - 1];
  }

  /** The seed's `root_cause_analysis(task_id)`: a root-cause reflection for the task's latest execution (built, not written). */
  async rootCauseAnalysis(taskId: string): Promise<ReturnType<typeof rootCauseFor> | undefined> {
    const rows = (await openIndex(this.workspace).table()).rows;
    const e = this.latestExecution(rows, taskId);
    if (!e) return undefined;
    const derived = await derivedPatternsFor(this.workspace, rows);
    return rootCauseFor(e, rows, this.workspace.config, { id: reflectionIdFor(e.id), createdAt: e.created_at, ...(derived ? { derived } : {}) });
  }

  /** Current patterns over the knowledge base (no writes). */
  async extractPatterns(): Promise<ExtractedPattern[]> {
    return allPatterns(this.patternExtractor.extractPatterns((await openIndex(this.workspace).table()).rows));
  }

  /**
   * The seed's `weekly_learning_synthesis`: writes the period's synthesis files (unless
   * `dryRun`) and returns the seed's summary plus the full result.
   */
  async weeklyLearningSynthesis(
    opts: { period?: Period; date?: string; dryRun?: boolean } = {},
  ): Promise<{ patterns_identified: number; rules_updated: boolean; timestamp: string; written: string[]; synthesis: SynthesisResult }> {
    this.log('[SYNTHESIS] Running weekly learning synthesis...');
    const date = opts.date ?? this.clock().toISOString().slice(0, 10);
    const table = await openIndex(this.workspace).table();
    const s = synthesize(table, this.workspace.config, opts.period ?? 'week', date, await patternCommitCounts(this.workspace), { stale: await findStaleLearnings(this.workspace, table.rows) });
    const written = opts.dryRun ? [] : applyChanges(this.workspace, s.changes);
    return { patterns_identified: s.top_patterns.length, rules_updated: s.summary.rules_proposed + s.summary.archived > 0, timestamp: s.record.created_at, written, synthesis: s };
  }
}

/** One run of a task: what it returned or threw, when it started and how long it took, the decisions it reported. */
interface TaskRun {
  result: TaskResult | undefined;
  error: string | undefined;
  started: Date;
  duration: number;
  decisions: string[];
  alternatives: string[];
}

/**
 * The run's result with its outcome and errors, and every text it reports redacted: output a task
 * reports may carry a credential; it is redacted and the rest kept, the record is never dropped.
 */
function redactedResult(result: TaskResult | undefined, error: string | undefined): { r: TaskResult; outcome: ExecutionRecord['outcome']; errors: string[] } {
  const r: TaskResult = { ...(result ?? {}) };
  const outcome = r.outcome ?? (error || (r.exit_code !== undefined && r.exit_code !== 0) ? 'failure' : 'success');
  const errors = [...(r.errors ?? []), ...(error ? [error] : [])].map((m) => redacted(m.slice(0, 4000))).slice(0, 200);
  for (const k of ['outcomes', 'deviations', 'discoveries', 'decision_points', 'alternatives_considered'] as const) if (r[k]) r[k] = r[k]!.map(redacted);
  if (r.command !== undefined) r.command = redacted(r.command);
  return { r, outcome, errors };
}

/**
 * learning-loop's public API. Everything exported here is supported; anything else is internal.
 */
export { ExecutionScoreCard, type ScoreCardMetadata } from './core/score/scorecard.js';
export {
  computeOverall,
  decideTrigger,
  completeScores,
  accuracyFrom,
  efficiencyFrom,
  reusabilityFrom,
  surpriseFrom,
  DEFAULT_THRESHOLDS,
  TRIGGER_REASONS,
  type Scores,
  type ScoreName,
  type Thresholds,
  type TriggerAction,
  type TriggerDecision,
  type ScoreEvidence,
} from './core/score/formulas.js';
export type { Diagnostic, Severity } from './core/diagnostics/diagnostic.js';
export { CATALOG, type RuleId } from './core/diagnostics/catalog.js';
export {
  KINDS,
  type Kind,
  type AnyRecord,
  type ExecutionRecord,
  type ReflectionRecord,
  type PatternRecord,
  type TemplateRecord,
  type RuleRecord,
  type AssumptionRecord,
  type SynthesisRecord,
  type MetricsRecord,
  type LearningLoopConfigFile,
} from './core/records/kinds.js';
export { SCHEMAS } from './core/records/schema-source.js';
export { parseFrontmatter } from './core/records/parse.js';
export { checkRecordText } from './core/records/validate.js';
export { checkKnowledgeBase } from './index/public.js';
export { renderRecord } from './core/records/write.js';
export { newId } from './core/records/ids.js';
export { findSecrets, redactSecrets, scanSecrets, type SecretFinding } from './core/records/secrets.js';
export { openWorkspace, type WorkspaceOptions } from './io/workspace.js';
export { type Workspace } from './core/workspace.js';
export { loadConfig } from './io/config.js';
export { DEFAULT_CONFIG, parseConfig, type ResolvedConfig } from './core/config.js';
export { loadTable } from './index/public.js';
export { openIndex, type DerivedIndex, type LearnedKnowledge } from './index/api.js';
export { type RecordRow, type RecordsTable } from './core/records/table.js';
export { fingerprint, normalizeError } from './core/learn/fingerprint.js';
export { SEED_PATTERNS, type SeedMemory } from './core/records/seed-patterns.js';
export { main as runCli } from './cli/main.js';
// --- learning engine -----------------------------------------------------------------------
export {
  LearningOrchestrator,
  PatternExtractor,
  type LearningTask,
  type TaskResult,
  type TaskContext,
  type LearningOutcome,
  type OrchestratorOptions,
  type PhaseMetadata,
} from './agents/orchestrator.js';
export { LearningDashboard, dashboardReport, computeMetrics } from './core/learn/dashboard.js';
export { extractPatternSet, allPatterns, type PatternSet } from './core/learn/patterns.js';
export { detectAntiPatterns } from './core/learn/anti-patterns.js';
export { buildReflection, type BuiltReflection } from './core/learn/reflection.js';
export { synthesize, periodFor, type Period, type PeriodInfo, type SynthesisResult } from './core/learn/synthesis.js';
export { isLastFridayOfMonth, shouldRunMonthly, shouldRunWeekly } from './core/learn/schedule.js';
export { writeLearnSnapshot } from './index/public.js';
export { buildLearnSnapshot } from './core/learn/snapshot.js';
export type { ExtractedPattern, AntiPatternFlag, DashboardReport, DashboardMetrics, SuccessCriterion, LearnSnapshot } from './core/learn/types.js';
// --- interop: export, import, capture, staleness ---------------------------------------------
export { planExport, EXPORT_TARGETS, type ExportTarget, type ExportPlan, type ExportOptions } from './core/publish/export.js';
export { runExport, type ExportResult } from './agents/publish/export-files.js';
export { runImport, IMPORT_FORMATS, type ImportFormat, type ImportResult, type ImportOptions } from './agents/import/index.js';
export { claudeHookInput, commitInput, CLAUDE_SETTINGS_SNIPPET, POST_COMMIT_SNIPPET } from './agents/capture.js';
export { type StalenessOptions } from './core/learn/staleness.js';
export { findStaleLearnings } from './agents/staleness.js';
// --- build and recall (the read side) --------------------------------------------------------
export { runBuild, readAggregates, readManifest, type BuildResult, type BuildOptions, type BuildManifest } from './index/public.js';
export { isoWeek, type Aggregates, type GroupStats, type ErrorFingerprint } from './core/aggregates.js';
export { startWatch, type Watcher, type WatchEvent, type WatchOptions } from './index/public.js';
export { LearningQueryInterface, type QueryInterfaceOptions } from './agents/query-interface.js';
export { recall, similar } from './index/public.js';
export { renderAnswer, type RecallAnswer, type Insight, type CommonError } from './core/recall/answer.js';
export { parseIntent, type Intent, type EntityMatch } from './core/recall/intent.js';
export { type SimilarTask, type SimilarResult, type SimilarExecution } from './core/recall/similar.js';
// --- automation and agent access: MCP, hooks, workflows --------------------------------------
export { createMcpServer } from './mcp/server.js';
export { installHook, uninstallHook, hookStatus, checkStaged, HOOK_KINDS, type HookKind, type HookChange, type HookStatus, type StagedCheck } from './agents/hooks.js';
export { installWorkflows, shippedWorkflows } from './agents/workflows.js';
export { SECRET_RULES, type SecretRule } from './core/records/secrets.js';
// --- the site -------------------------------------------------------------------------------
export { buildSite, previewSite, type SiteBuildOptions, type SiteBuildResult, type SitePreviewOptions } from './agents/publish/site.js';
export { renderMarkdown } from './core/publish/render-markdown.js';
// --- the write side: init, record, Git ------------------------------------------------------
export { recordExecution, type RecordOptions, type RecordResult } from './agents/record.js';
export { initKnowledgeBase, type InitOptions, type InitResult } from './agents/init-kb.js';
export { commitPaths, pushWithRetry, type CommitResult, type PushResult } from './io/git.js';

/**
 * learning-loop's public API. Everything exported here is supported; anything else is internal.
 */
export { ExecutionScoreCard, type ScoreCardMetadata } from './score/scorecard.js';
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
} from './score/formulas.js';
export type { Diagnostic, Severity } from './diagnostics/diagnostic.js';
export { CATALOG, type RuleId } from './diagnostics/catalog.js';
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
} from './records/kinds.js';
export { SCHEMAS } from './records/schema-source.js';
export { parseFrontmatter } from './records/parse.js';
export { checkRecordText } from './records/validate.js';
export { checkKnowledgeBase } from './records/check-kb.js';
export { renderRecord } from './records/write.js';
export { newId } from './records/ids.js';
export { findSecrets, redactSecrets, scanSecrets, type SecretFinding } from './records/secrets.js';
export { openWorkspace, type Workspace, type WorkspaceOptions } from './adapters/workspace.js';
export { DEFAULT_CONFIG, parseConfig, loadConfig, type ResolvedConfig } from './adapters/config.js';
export { loadTable, type RecordRow, type RecordsTable } from './build/table.js';
export { fingerprint, normalizeError } from './learn/fingerprint.js';
export { SEED_PATTERNS, type SeedMemory } from './records/seed-patterns.js';
export { main as runCli } from './cli/main.js';
// --- learning engine -----------------------------------------------------------------------
export { LearningOrchestrator, PatternExtractor, type LearningTask, type TaskResult, type TaskContext, type LearningOutcome, type OrchestratorOptions, type PhaseMetadata } from './learn/orchestrator.js';
export { LearningDashboard, dashboardReport, computeMetrics } from './learn/dashboard.js';
export { extractPatternSet, allPatterns, type PatternSet } from './learn/patterns.js';
export { detectAntiPatterns } from './learn/anti-patterns.js';
export { buildReflection, type BuiltReflection } from './learn/reflection.js';
export { synthesize, periodFor, type Period, type PeriodInfo, type SynthesisResult } from './learn/synthesis.js';
export { isLastFridayOfMonth, shouldRunMonthly, shouldRunWeekly } from './learn/schedule.js';
export { writeLearnSnapshot, buildLearnSnapshot } from './learn/snapshot.js';
export type { ExtractedPattern, AntiPatternFlag, DashboardReport, DashboardMetrics, SuccessCriterion, LearnSnapshot } from './learn/types.js';
// --- interop: export, import, capture, staleness ---------------------------------------------
export { planExport, EXPORT_TARGETS, type ExportTarget, type ExportPlan, type ExportOptions } from './publish/export.js';
export { runExport, type ExportResult } from './publish/export-files.js';
export { runImport, IMPORT_FORMATS, type ImportFormat, type ImportResult, type ImportOptions } from './agents/import/index.js';
export { claudeHookInput, commitInput, CLAUDE_SETTINGS_SNIPPET, POST_COMMIT_SNIPPET } from './agents/capture.js';
export { findStaleLearnings, type StalenessOptions } from './learn/staleness.js';
// --- build and recall (the read side) --------------------------------------------------------
export { runBuild, readAggregates, readManifest, type BuildResult, type BuildOptions, type BuildManifest } from './build/index.js';
export { isoWeek, type Aggregates, type GroupStats, type ErrorFingerprint } from './build/aggregates.js';
export { startWatch, type Watcher, type WatchEvent, type WatchOptions } from './build/watch.js';
export { LearningQueryInterface, type QueryInterfaceOptions } from './recall/query-interface.js';
export { recall, similar, renderAnswer, parseIntent, type RecallAnswer, type Insight, type CommonError, type Intent, type EntityMatch, type SimilarTask, type SimilarResult, type SimilarExecution } from './recall/index.js';
// --- automation and agent access: MCP, hooks, workflows --------------------------------------
export { createMcpServer } from './agents/mcp.js';
export { installHook, uninstallHook, hookStatus, checkStaged, HOOK_KINDS, type HookKind, type HookChange, type HookStatus, type StagedCheck } from './agents/hooks.js';
export { installWorkflows, shippedWorkflows } from './agents/workflows.js';
export { SECRET_RULES, type SecretRule } from './records/secrets.js';
// --- the site -------------------------------------------------------------------------------
export { buildSite, previewSite, type SiteBuildOptions, type SiteBuildResult, type SitePreviewOptions } from './publish/site.js';
export { renderMarkdown } from './publish/render-markdown.js';
// --- the write side: init, record, Git ------------------------------------------------------
export { recordExecution, type RecordOptions, type RecordResult } from './records/record-execution.js';
export { initKnowledgeBase, type InitOptions, type InitResult } from './records/init-kb.js';
export { commitPaths, pushWithRetry, type CommitResult, type PushResult } from './adapters/git.js';

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
export { scanSecrets } from './records/secrets.js';
export { openWorkspace, type Workspace, type WorkspaceOptions } from './adapters/workspace.js';
export { DEFAULT_CONFIG, parseConfig, loadConfig, type ResolvedConfig } from './adapters/config.js';
export { loadTable, type RecordRow, type RecordsTable } from './build/table.js';
export { fingerprint, normalizeError } from './learn/fingerprint.js';
export { SEED_PATTERNS, type SeedMemory } from './records/seed-patterns.js';
export { main as runCli } from './cli/main.js';

/**
 * Shapes the learning engine produces: extracted patterns, anti-pattern flags, dashboard report,
 * success criteria and the `learn.json` snapshot the site reads. Plain data, JSON-serialisable.
 */
import type { PatternRecord } from '../records/kinds.js';
import type { EffectReport } from './effect.js';
import type { TrendTest } from './tests.js';

/** A pattern found in the execution history (not yet a record on disk). */
export interface ExtractedPattern {
  /** Stable id derived from `pattern_type` + `definition` (same history → same id). */
  id: string;
  pattern_type: 'success' | 'failure' | 'performance' | 'dependency' | 'theme';
  category: PatternRecord['category'];
  /** Domain the evidence mostly belongs to (absent when none dominates). */
  domain?: string;
  /** One readable sentence with the numbers. */
  statement: string;
  /** The conditions that define the pattern, e.g. `{component: 'booking-form', dependency: 'square-sdk'}`. */
  definition: Record<string, string | number | boolean | string[]>;
  /** Executions matching the definition and the outcome (or the series length for performance). */
  support: number;
  /** Share of matching executions with the outcome (0..1); for performance: R² of the trend. */
  confidence: number;
  /** confidence / base rate (1 = no difference); for performance: 1 + |relative slope| x points. */
  lift: number;
  /** Execution ids behind the pattern (newest 50, sorted). */
  evidence: string[];
  /** Time of the newest evidence execution (for archival and deterministic `created_at`). */
  last_seen: string;
  /**
   * Other patterns about the same outcome found over exactly the same executions, merged into
   * this one (same-evidence.ts): one fact, named in full, counted once.
   */
  same_evidence?: Array<Pick<ExtractedPattern, 'id' | 'pattern_type' | 'definition' | 'statement'>>;
}

/** Anti-pattern monitors (seed "Anti-Pattern Monitoring"). */
export type MonitorId = 'repeated_error' | 'rising_duration' | 'low_reuse' | 'repeated_surprise';

/** A flag raised by an anti-pattern monitor. Never raised without evidence. */
export interface AntiPatternFlag {
  /** Stable id: monitor + subject. */
  id: string;
  monitor: MonitorId;
  /** What the seed says to do: architecture review, bloat check, over-specialization, domain review. */
  action: 'architecture_review' | 'bloat_check' | 'over_specialization' | 'domain_review';
  /** What it is about: a fingerprint text, a task type, 'all', or a domain. */
  subject: string;
  message: string;
  /** The measured value and the configured threshold it crossed. */
  value: number;
  threshold: number;
  /** Execution ids behind the flag (sorted; at most 50). */
  evidence: string[];
  /** Where it happens: counts of the evidence's components, task types and agents (most first). */
  where?: { components: Array<[string, number]>; task_types: Array<[string, number]>; agents: Array<[string, number]> };
}

/** Status of a success criterion. */
export type CriterionStatus = 'met' | 'not_met' | 'not_enough_data';

/** One of the seed's success criteria, evaluated from the records. */
export interface SuccessCriterion {
  id: string;
  title: string;
  status: CriterionStatus;
  /** How it was decided, with the numbers. */
  detail: string;
}

/** A binomial rate with its Wilson 95% interval. */
export interface RateWithInterval {
  rate: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

/** Per-agent effectiveness. */
export interface AgentEffectiveness {
  agent: string;
  executions: number;
  mean_overall: number;
  successes: number;
  success_rate: RateWithInterval;
  /** Total `usage.cost_usd` of the executions that report one (null when none do). */
  cost_usd: number | null;
  /** Executions that report a cost. */
  with_cost: number;
  /** Successes among the executions that report a cost. */
  successes_with_cost: number;
  /** cost_usd / successes_with_cost (null: no cost data, or no success among those runs). */
  cost_per_success: number | null;
}

/** One week's aggregate (weeks start on Monday, UTC). */
export interface WeekPoint {
  /** Monday, YYYY-MM-DD. */
  week: string;
  executions: number;
  mean_overall: number;
  /** Share of the week's executions that measured reuse which reused something; null when none measured it. */
  reuse_rate: number | null;
  /** Change of mean_overall against the previous week with data (null for the first). */
  change: number | null;
}

/** The seed's five dashboard metrics. */
export interface DashboardMetrics {
  component_reuse_rate: {
    rate: number | null;
    reused: number;
    executions: number;
    first_week: number | null;
    latest_week: number | null;
    trend: 'up' | 'down' | 'flat' | 'unknown';
    test: TrendSummary;
  };
  api_integration_time: {
    executions: number;
    mean_s: number | null;
    median_s: number | null;
    weekly_median_s: Array<{ week: string; median_s: number }>;
    trend: 'faster' | 'slower' | 'flat' | 'unknown';
    test: TrendSummary;
  };
  agent_effectiveness: AgentEffectiveness[];
  pattern_stability: { accepted: number; changed: number; changes: number; stability: number | null; source: 'git' | 'unavailable' };
  overall_improvement: { weeks: WeekPoint[]; slope_per_week: number | null; trend: 'up' | 'down' | 'flat' | 'unknown'; last_change: number | null; test: TrendSummary };
}

/**
 * A trend as the dashboard states it: Mann–Kendall on a weekly series (weeks with at least
 * `MIN_WEEK_EXECUTIONS` executions), Sen's slope per week with its interval, and the sentence.
 */
export interface TrendSummary extends Omit<TrendTest, 'trend'> {
  /** Weeks tested. */
  n: number;
  /** e.g. "Mann–Kendall over 14 weeks: S = 83, p = 2.1e-7; Sen's slope +0.43 per week (95% 0.35 to 0.50)". */
  detail: string;
}

/**
 * The effect of memory as the dashboard, the site and the synthesis show it: `effect`'s report
 * with the learnings that had comparable work (those with a verdict first, at most 40), and how
 * many were recalled and tested.
 */
export type EffectSummary = Omit<EffectReport, 'learnings'> & { learnings: EffectReport['learnings']; learnings_recalled: number; learnings_tested: number };

/** `LearningDashboard.generateReport()`. */
export interface DashboardReport {
  metrics: DashboardMetrics;
  /** The effect of recall like for like (`learning-loop effect`). */
  effect: EffectSummary;
  trends: { overall: DashboardMetrics['overall_improvement']['trend']; reuse: 'up' | 'down' | 'flat' | 'unknown'; api_integration_time: DashboardMetrics['api_integration_time']['trend'] };
  recommendations: string[];
  success_criteria: SuccessCriterion[];
}

/** A pattern in the snapshot: extracted, or a record on disk, or both. */
export interface SnapshotPattern extends ExtractedPattern {
  /** Review status of the record on disk, or 'new' when only extracted. */
  status: 'new' | 'proposed' | 'accepted' | 'rejected' | 'archived';
  /** Repo-relative file when a record exists. */
  file?: string;
}

/** `<outDir>/learn.json`: what the site renders. Deterministic for a given knowledge base. */
export interface LearnSnapshot {
  version: 1;
  executions: number;
  /** started_at of the newest execution (null when none). */
  latest_execution: string | null;
  patterns: SnapshotPattern[];
  flags: AntiPatternFlag[];
  dashboard: DashboardReport;
}

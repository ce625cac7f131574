/**
 * `ExecutionScoreCard`: the seed's class, in TypeScript.
 */
import { computeOverall, decideTrigger, DEFAULT_THRESHOLDS, type Scores, type Thresholds, type TriggerAction } from './formulas.js';

/** Metadata the seed keeps on a score card. */
export interface ScoreCardMetadata {
  timestamp: string | null;
  agent: string | null;
  task_type: string | null;
  execution_time: number | null;
}

/** Quantifiable metrics for one task execution (seed Task 2). */
export class ExecutionScoreCard {
  /** The task this card scores. */
  readonly taskId: string;
  /** accuracy, efficiency, reusability, surprise: 0-100 each. */
  scores: Scores = { accuracy: 0, efficiency: 0, reusability: 0, surprise: 0 };
  /** Timestamp, agent, task type and execution time. */
  metadata: ScoreCardMetadata = { timestamp: null, agent: null, task_type: null, execution_time: null };
  /** Thresholds from config/triggers.yaml (seed defaults 60/90/70). */
  readonly thresholds: Thresholds;

  /** Creates an empty card; pass thresholds read from the config to use other values. */
  constructor(taskId: string, thresholds: Thresholds = DEFAULT_THRESHOLDS) {
    this.taskId = taskId;
    this.thresholds = thresholds;
  }

  /** The mean of the four scores (the seed's card always has all four). */
  calculateOverallScore(): number {
    return computeOverall(this.scores);
  }

  /**
   * The seed's auto-trigger: `[action, reason]`, or `[null, null]` when nothing fires.
   */
  triggerReflection(): [TriggerAction, string] | [null, null] {
    const d = decideTrigger(this.scores, this.thresholds);
    return d.action ? [d.action, d.reason!] : [null, null];
  }
}

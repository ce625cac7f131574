/** The search document type, apart from its builders so record-kind modules can fill it (see kinds/contract.ts). */

/** One searchable document. Field names are short because the recall store holds 100k of them. */
export interface SearchDoc {
  id: string;
  kind: string;
  /** Repo-relative path of the record file. */
  file: string;
  title: string;
  /** One-paragraph summary: what happened / the statement. */
  summary: string;
  /** The actionable part: rule statement, root cause, template steps, fix. */
  action?: string;
  status?: string;
  outcome?: string;
  component?: string;
  task_type?: string;
  agent?: string;
  domains: string[];
  tags: string[];
  /** started_at for executions, created_at otherwise. */
  date: string;
  overall?: number;
  category?: string;
  pattern_type?: string;
  /** Error messages (executions). */
  errors?: string[];
  /** Linked ids (reflections of an execution, evidence of a pattern, ...). */
  links?: string[];
  /** Components and task types a rule/template applies to. */
  applies?: string[];
  /** Found by the learning engine in the history (a derived pattern, theme or effect), not committed. */
  derived?: boolean;
  /** Derived records: the executions behind them (the newest 50). */
  evidence?: string[];
  /** Derived records: their figures (support, confidence, lift; or an effect's verdict, odds ratio, interval, p-value). */
  figures?: Record<string, number | string | null>;
}

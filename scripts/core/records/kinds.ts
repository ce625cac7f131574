/**
 * Record kinds and where each lives in the knowledge base (the seed's Task 1 layout).
 */
import type { AssumptionRecord, ExecutionRecord, MetricsRecord, PatternRecord, ReflectionRecord, RuleRecord, SynthesisRecord, TemplateRecord } from './types.generated.js';

export type { AssumptionRecord, ExecutionRecord, MetricsRecord, PatternRecord, ReflectionRecord, RuleRecord, SynthesisRecord, TemplateRecord };
export type { LearningLoopConfigFile } from './types.generated.js';

/** Every record kind. */
export const KINDS = ['execution', 'reflection', 'pattern', 'template', 'rule', 'assumption', 'synthesis', 'metrics'] as const;
/** A record kind. */
export type Kind = (typeof KINDS)[number];

/** Any record. */
export type AnyRecord = ExecutionRecord | ReflectionRecord | PatternRecord | TemplateRecord | RuleRecord | AssumptionRecord | SynthesisRecord | MetricsRecord;

/** Maps a kind to its record type. */
export interface RecordByKind {
  execution: ExecutionRecord;
  reflection: ReflectionRecord;
  pattern: PatternRecord;
  template: TemplateRecord;
  rule: RuleRecord;
  assumption: AssumptionRecord;
  synthesis: SynthesisRecord;
  metrics: MetricsRecord;
}

/** Long-lived kinds that carry a review `status`. */
export const LIFECYCLE_KINDS = ['pattern', 'template', 'rule', 'assumption'] as const;

/** The directories `init` creates (relative to the knowledge-base root). */
export const KB_DIRS = [
  'config',
  'memory/short-term/executions',
  'memory/short-term/reflections',
  'memory/long-term/architectural-decisions',
  'memory/long-term/component-patterns',
  'memory/long-term/integration-gotchas',
  'memory/working-memory',
  'templates/successful-patterns',
  'rules',
  'synthesis/weekly',
  'synthesis/monthly',
  'metrics',
] as const;

/** Pattern category -> long-term folder. */
export const CATEGORY_DIRS = {
  'architectural-decision': 'memory/long-term/architectural-decisions',
  'component-pattern': 'memory/long-term/component-patterns',
  'integration-gotcha': 'memory/long-term/integration-gotchas',
} as const;

/** True for a string that names a kind. */
export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}

/** `YYYY/MM` of an ISO timestamp (UTC), used to shard time-ordered folders. */
export function yearMonth(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '0000/00';
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * The canonical repo-relative (to the KB root) path for a record. Pure: the id has been
 * validated as file-name safe before this is called.
 */
export function recordPath(record: AnyRecord): string {
  switch (record.kind) {
    case 'execution':
      return `memory/short-term/executions/${yearMonth(record.started_at ?? record.created_at)}/${record.id}.md`;
    case 'reflection':
      return `memory/short-term/reflections/${yearMonth(record.created_at)}/${record.id}.md`;
    case 'pattern':
      return `${CATEGORY_DIRS[record.category]}/${record.id}.md`;
    case 'template':
      return `templates/successful-patterns/${record.id}.md`;
    case 'rule':
      return `rules/${record.id}.md`;
    case 'assumption':
      return `memory/working-memory/${record.id}.md`;
    case 'synthesis':
      return `synthesis/${record.period === 'week' ? 'weekly' : 'monthly'}/${record.id}.md`;
    case 'metrics':
      return `metrics/${record.id}.md`;
  }
}

/**
 * Where a kind may live: a regular expression over the KB-relative path. Used by the
 * `path/wrong-folder` check; executions and reflections may sit in any YYYY/MM shard.
 */
export function folderPatternFor(kind: Kind): RegExp {
  switch (kind) {
    case 'execution':
      return /^memory\/short-term\/executions\/\d{4}\/\d{2}\/[^/]+\.md$/;
    case 'reflection':
      return /^memory\/short-term\/reflections\/\d{4}\/\d{2}\/[^/]+\.md$/;
    case 'pattern':
      return /^memory\/long-term\/(architectural-decisions|component-patterns|integration-gotchas)\/[^/]+\.md$/;
    case 'template':
      return /^templates\/successful-patterns\/[^/]+\.md$/;
    case 'rule':
      return /^rules\/[^/]+\.md$/;
    case 'assumption':
      return /^memory\/working-memory\/[^/]+\.md$/;
    case 'synthesis':
      return /^synthesis\/(weekly|monthly)\/[^/]+\.md$/;
    case 'metrics':
      return /^metrics\/[^/]+\.md$/;
  }
}

/** Human folder description for hints. */
export function folderHintFor(kind: Kind): string {
  switch (kind) {
    case 'execution':
      return 'memory/short-term/executions/YYYY/MM/<id>.md';
    case 'reflection':
      return 'memory/short-term/reflections/YYYY/MM/<id>.md';
    case 'pattern':
      return 'memory/long-term/<architectural-decisions|component-patterns|integration-gotchas>/<id>.md (by category)';
    case 'template':
      return 'templates/successful-patterns/<id>.md';
    case 'rule':
      return 'rules/<id>.md';
    case 'assumption':
      return 'memory/working-memory/<id>.md';
    case 'synthesis':
      return 'synthesis/weekly|monthly/<id>.md';
    case 'metrics':
      return 'metrics/<id>.md';
  }
}

/** A field that holds links to other records. */
export interface LinkField {
  /** Where it is in the record. */
  path: string[];
  /** The kinds it may point to (any kind when absent). */
  to?: Kind[];
  /** How a record page labels it (unlabelled fields are shown elsewhere: as the execution's own list or as evidence). */
  label?: string;
  /** Its ids are the record's evidence (what the page lists as "Evidence"). */
  evidence?: true;
}

/**
 * Every field that links to other records, per kind: the one place validation (link checks), the
 * build (cross-record signatures), `explain` and the site (record pages, incoming links) read.
 */
export const LINK_FIELDS: Record<Kind, readonly LinkField[]> = {
  execution: [{ path: ['recalled'] }],
  reflection: [
    { path: ['executions'], to: ['execution'], evidence: true },
    { path: ['evidence', 'similar_failures'], to: ['execution'], label: 'Similar failures' },
    { path: ['evidence', 'recalled'], label: 'Recalled before the task' },
    { path: ['evidence', 'patterns'], to: ['pattern'], label: 'Related patterns' },
    { path: ['proposed'], label: 'Proposed' },
  ],
  pattern: [
    { path: ['evidence'], to: ['execution'], evidence: true },
    { path: ['supersedes'], label: 'Supersedes' },
  ],
  template: [
    { path: ['source_executions'], to: ['execution'], evidence: true },
    { path: ['supersedes'], label: 'Supersedes' },
  ],
  rule: [
    { path: ['from_patterns'], label: 'From patterns', evidence: true },
    { path: ['supersedes'], label: 'Supersedes' },
  ],
  assumption: [{ path: ['supersedes'], label: 'Supersedes' }],
  synthesis: [
    { path: ['top_patterns'], label: 'Top patterns' },
    { path: ['reflections'], to: ['reflection'], label: 'Reflections' },
    { path: ['proposed'], label: 'Proposed' },
    { path: ['archived'], label: 'Archived' },
  ],
  metrics: [],
};

/** The ids in one link field of a record (strings only; none when the field is absent or not a list). */
export function linkIds(record: unknown, field: LinkField): string[] {
  let cur: unknown = record;
  for (const key of field.path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return Array.isArray(cur) ? cur.filter((x): x is string => typeof x === 'string') : [];
}

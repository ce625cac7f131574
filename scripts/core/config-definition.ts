/**
 * The configuration (`config/triggers.yaml`), defined once: every key with its JSON Schema
 * constraint, its default (the seed's value where the seed names one), the comment the file
 * `init` writes beside it and, where it has one, its schema description. The schema
 * (schemas/config.schema.json), the resolved defaults and their type, the file `init` writes and
 * the resolution of a file are all derived from it (config-derive.ts).
 *
 * Adding a key: add it here, run `npm run gen`. A section with `written: false` is accepted in
 * the file but left out of the file `init` writes.
 */
import { type ConfigDefinition, defaultsOf, group, key, oneKeyList, optionalKey, renderConfigText, section, type ResolvedOf } from './config-derive.js';

/** A 0-100 score threshold. */
const score = { type: 'number', minimum: 0, maximum: 100 } as const;

/** The definition: entries in the order the schema lists them and `init` writes them. */
export const CONFIG_DEFINITION = {
  title: 'learning-loop config (config/triggers.yaml)',
  description: "The seed's Step 3 trigger configuration plus learning-loop's own keys. Every key is optional; defaults apply.",
  header: ["learning-loop configuration (the seed's Step 3 triggers, plus learning-loop's own keys).", 'Schema: schemas/config.schema.json. Every key is optional; the values below are the defaults.'],
  entries: {
    reflection_triggers: group({
      checkpoints: oneKeyList({ type: 'boolean' }, { pre_task: { default: true }, mid_task: { default: true }, post_task: { default: true }, sprint_review: { default: true } }),
      thresholds: section({
        low_performance: key({ schema: score, default: 60, comment: 'overall < 60  -> mandatory_reflection (root cause analysis)' }),
        high_performance: key({ schema: score, default: 90, comment: 'overall > 90  -> extract_template (best practice)' }),
        high_surprise: key({ schema: score, default: 70, comment: 'surprise > 70 -> update_architecture (review assumptions)' }),
      }),
      synthesis_schedule: section(
        {
          weekly: key({ schema: { type: 'string', pattern: '^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)_([01]\\d|2[0-3]):[0-5]\\d$' }, default: 'sunday_23:00', comment: 'UTC' }),
          monthly: key({ schema: { type: 'string', pattern: '^(last|first)_(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$' }, default: 'last_friday' }),
        },
        { resolvedAs: 'schedule' },
      ),
    }),
    scoring: section({
      comparable_window: key({
        schema: { type: 'integer', minimum: 1, maximum: 10000 },
        default: 50,
        comment: 'earlier comparable executions used for the efficiency baseline',
        description: 'How many earlier comparable executions the efficiency baseline uses.',
      }),
      default_efficiency: key({ schema: score, default: 70, comment: 'efficiency when there is no comparable history' }),
      template_streak: key({
        schema: { type: 'integer', minimum: 0, maximum: 1000 },
        default: 5,
        comment: 'this many flawless executions of one task type + component in a row -> extract_template (0: off)',
        description: 'Flawless executions of one task type and component in a row that trigger extract_template (0 turns the rule off).',
      }),
    }),
    patterns: section({
      success_score: key({ schema: score, default: 80, comment: 'executions scoring above this count as successes' }),
      failure_score: key({ schema: score, default: 60, comment: 'executions scoring below this count as failures' }),
      min_support: key({ schema: { type: 'integer', minimum: 1 }, default: 3, comment: 'executions a pattern needs' }),
      min_lift: key({ schema: { type: 'number', minimum: 1 }, default: 1.5, comment: 'how much more often than the base rate' }),
      max_items: key({ schema: { type: 'integer', minimum: 1, maximum: 4 }, default: 2, comment: 'conditions combined in one pattern' }),
    }),
    anti_patterns: section({
      repeated_error_count: key({ schema: { type: 'integer', minimum: 2 }, default: 3, comment: 'same error fingerprint this often -> architecture review' }),
      rising_duration_min_points: key({ schema: { type: 'integer', minimum: 3 }, default: 4 }),
      rising_duration_min_slope: key({ schema: { type: 'number', minimum: 0 }, default: 0.05, comment: 'relative growth per execution -> bloat check' }),
      low_reuse_rate: key({ schema: { type: 'number', minimum: 0, maximum: 1 }, default: 0.2, comment: 'below this -> over-specialization' }),
      repeated_surprise_count: key({ schema: { type: 'integer', minimum: 2 }, default: 3, comment: 'high-surprise executions in a domain -> domain review' }),
    }),
    recall: section(
      {
        default_limit: key({ schema: { type: 'integer', minimum: 1, maximum: 100 }, default: 8 }),
        default_budget: key({ schema: { type: 'integer', minimum: 50, maximum: 100000 }, default: 1200 }),
      },
      { written: false },
    ),
    statistics: section({
      strata: key({
        // At least one: no strata would compare all executions as one group (the confounded comparison).
        schema: { type: 'array', uniqueItems: true, minItems: 1, items: { enum: ['task_type', 'component', 'week', 'agent', 'domain', 'sprint'] } },
        default: ['task_type', 'component', 'week'],
        comment: 'what makes executions comparable (effect of memory)',
        description: 'What makes executions comparable when the effect of memory is estimated: executions are compared within groups equal on all of these (ISO week for `week`).',
      }),
      alpha: key({
        schema: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
        default: 0.05,
        comment: 'a test is significant below this p-value (effects, trends)',
        description: 'A test is significant below this p-value (effects, trends).',
      }),
      fdr: key({
        schema: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
        default: 0.05,
        comment: 'false discovery rate across learnings, themes and series (Benjamini-Hochberg)',
        description: 'False discovery rate controlled across learnings, themes and series (Benjamini–Hochberg).',
      }),
    }),
    git: section(
      {
        push_retries: key({ schema: { type: 'integer', minimum: 0, maximum: 100 }, default: 20 }),
        remote: key({ schema: { type: 'string' }, default: 'origin' }),
        // No default: absent means "the current branch".
        branch: optionalKey({ schema: { type: 'string' } }),
      },
      { written: false },
    ),
    build: section(
      {
        out_dir: key({ schema: { type: 'string', pattern: '^[^/\\\\][^\\\\]*$' }, default: '.learning-loop/build' }),
        max_file_bytes: key({ schema: { type: 'integer', minimum: 1024 }, default: 1024 * 1024 }),
      },
      { written: false },
    ),
  },
} satisfies ConfigDefinition;

/** The fully resolved configuration: one object per section, every key with a default present. */
export type ResolvedConfig = ResolvedOf<typeof CONFIG_DEFINITION>;

/** The defaults. */
export const DEFAULT_CONFIG: ResolvedConfig = defaultsOf(CONFIG_DEFINITION);

/** The commented file `init` writes (`config/triggers.yaml`): the seed's Step 3 keys plus learning-loop's own. */
export const DEFAULT_CONFIG_TEXT = renderConfigText(CONFIG_DEFINITION);

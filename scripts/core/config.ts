/**
 * The configuration (`config/triggers.yaml`): the seed's Step 3 keys plus learning-loop's own,
 * their defaults, and the parser that validates a file's text against schemas/config.schema.json
 * with positioned diagnostics (defaults fill gaps). Reading the file is io/config.ts.
 */
import { diag, type Diagnostic } from './diagnostics/diagnostic.js';
import { duplicateKeys, FORBIDDEN_KEYS, loadPlainYaml, locate, normaliseText, parseYamlDocument, offsetToPosition, yamlLib } from './records/parse.js';
import { MAX_YAML_DEPTH, tooDeepAt } from './records/yaml-subset.js';
import { schemaDiagnostics, validatorFor } from './records/validate.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './score/formulas.js';
import type { LearningLoopConfigFile } from './records/kinds.js';

/** The fully resolved configuration (every key present). */
export interface ResolvedConfig {
  thresholds: Thresholds;
  checkpoints: { pre_task: boolean; mid_task: boolean; post_task: boolean; sprint_review: boolean };
  schedule: { weekly: string; monthly: string };
  scoring: { comparable_window: number; default_efficiency: number; template_streak: number };
  patterns: { success_score: number; failure_score: number; min_support: number; min_lift: number; max_items: number };
  anti_patterns: {
    repeated_error_count: number;
    rising_duration_min_points: number;
    rising_duration_min_slope: number;
    low_reuse_rate: number;
    repeated_surprise_count: number;
  };
  recall: { default_limit: number; default_budget: number };
  statistics: { strata: Array<'task_type' | 'component' | 'week' | 'agent' | 'domain' | 'sprint'>; alpha: number; fdr: number };
  git: { push_retries: number; remote: string; branch?: string };
  build: { out_dir: string; max_file_bytes: number };
}

/** Defaults: the seed's values where the seed names one. */
export const DEFAULT_CONFIG: ResolvedConfig = {
  thresholds: { ...DEFAULT_THRESHOLDS },
  checkpoints: { pre_task: true, mid_task: true, post_task: true, sprint_review: true },
  schedule: { weekly: 'sunday_23:00', monthly: 'last_friday' },
  scoring: { comparable_window: 50, default_efficiency: 70, template_streak: 5 },
  patterns: { success_score: 80, failure_score: 60, min_support: 3, min_lift: 1.5, max_items: 2 },
  anti_patterns: {
    repeated_error_count: 3,
    rising_duration_min_points: 4,
    rising_duration_min_slope: 0.05,
    low_reuse_rate: 0.2,
    repeated_surprise_count: 3,
  },
  recall: { default_limit: 8, default_budget: 1200 },
  statistics: { strata: ['task_type', 'component', 'week'], alpha: 0.05, fdr: 0.05 },
  git: { push_retries: 20, remote: 'origin' },
  build: { out_dir: '.learning-loop/build', max_file_bytes: 1024 * 1024 },
};

/** The seed's Step 3 file, as `init` writes it (plus commented learning-loop keys). */
export const DEFAULT_CONFIG_TEXT = `# learning-loop configuration (the seed's Step 3 triggers, plus learning-loop's own keys).
# Schema: schemas/config.schema.json. Every key is optional; the values below are the defaults.
reflection_triggers:
  checkpoints:
    - pre_task: true
    - mid_task: true
    - post_task: true
    - sprint_review: true

  thresholds:
    low_performance: 60     # overall < 60  -> mandatory_reflection (root cause analysis)
    high_performance: 90    # overall > 90  -> extract_template (best practice)
    high_surprise: 70       # surprise > 70 -> update_architecture (review assumptions)

  synthesis_schedule:
    weekly: "sunday_23:00"  # UTC
    monthly: "last_friday"

scoring:
  comparable_window: 50     # earlier comparable executions used for the efficiency baseline
  default_efficiency: 70    # efficiency when there is no comparable history
  template_streak: 5        # this many flawless executions of one task type + component in a row -> extract_template (0: off)

patterns:
  success_score: 80         # executions scoring above this count as successes
  failure_score: 60         # executions scoring below this count as failures
  min_support: 3            # executions a pattern needs
  min_lift: 1.5             # how much more often than the base rate
  max_items: 2              # conditions combined in one pattern

anti_patterns:
  repeated_error_count: 3   # same error fingerprint this often -> architecture review
  rising_duration_min_points: 4
  rising_duration_min_slope: 0.05   # relative growth per execution -> bloat check
  low_reuse_rate: 0.2       # below this -> over-specialization
  repeated_surprise_count: 3  # high-surprise executions in a domain -> domain review

statistics:
  strata: [task_type, component, week]  # what makes executions comparable (effect of memory)
  alpha: 0.05               # a test is significant below this p-value (effects, trends)
  fdr: 0.05                 # false discovery rate across learnings, themes and series (Benjamini-Hochberg)
`;

/** Result of loading the config. */
export interface ConfigResult {
  config: ResolvedConfig;
  diagnostics: Diagnostic[];
  /** Repo-relative path of the file (even when missing). */
  file: string;
  exists: boolean;
}

/**
 * The config of a clean file, read by the records' fast path (js-yaml): every command opens the
 * workspace, and the positioned parser costs more than a one-shot command's own work. Anything
 * to report goes to `parseConfig`'s positioned path instead (undefined).
 */
function fastConfig(text: string): ResolvedConfig | undefined {
  const data = loadPlainYaml(text);
  if (!data || !validatorFor('config')(data)) return undefined;
  const config = resolve(data as LearningLoopConfigFile);
  return config.thresholds.low_performance < config.thresholds.high_performance ? config : undefined;
}

/** Parses and validates config text. Invalid values are reported and replaced by defaults. */
export function parseConfig(text: string, file: string): { config: ResolvedConfig; diagnostics: Diagnostic[] } {
  const normalised = normaliseText(text);
  const fast = fastConfig(normalised);
  if (fast) return { config: fast, diagnostics: [] };
  const deep = tooDeepAt(normalised);
  if (deep !== undefined) {
    const before = normalised.slice(0, deep);
    const at = { line: 1 + (before.match(/\n/g)?.length ?? 0), column: deep - (before.lastIndexOf('\n') + 1) + 1 };
    return { config: structuredClone(DEFAULT_CONFIG), diagnostics: [diag('yaml/too-deep', file, `The config is nested more than ${MAX_YAML_DEPTH} levels deep here.`, at)] };
  }
  const p = parseYamlDocument(normalised, 1);
  const diagnostics: Diagnostic[] = [];
  for (const err of p.doc.errors) {
    diagnostics.push(diag(err.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax', file, err.message.split('\n')[0]!, offsetToPosition(p, err.pos[0])));
  }
  diagnostics.push(...duplicateKeys(p, file));
  const { visit, isScalar } = yamlLib();
  visit(p.doc, {
    Alias(_k, node) {
      diagnostics.push(diag('yaml/alias', file, 'Aliases are not allowed in the config.', node.range ? offsetToPosition(p, node.range[0]) : {}));
    },
    Pair(_k, pair) {
      if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
        diagnostics.push(diag('yaml/prototype-key', file, `Key \`${String(pair.key.value)}\` is refused.`, pair.key.range ? offsetToPosition(p, pair.key.range[0]) : {}));
      }
    },
  });
  if (diagnostics.length) return { config: structuredClone(DEFAULT_CONFIG), diagnostics };
  const data = (p.doc.toJS({ maxAliasCount: 0 }) ?? {}) as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { config: structuredClone(DEFAULT_CONFIG), diagnostics: [diag('config/invalid', file, 'The config must be a YAML mapping.', { line: 1, column: 1 })] };
  }
  const validate = validatorFor('config');
  if (!validate(data)) {
    const schemaDiags = schemaDiagnostics(file, validate.errors ?? [], (path, key) => locate(p, path, key), data);
    return { config: structuredClone(DEFAULT_CONFIG), diagnostics: schemaDiags.map((d) => ({ ...d, rule: d.rule, hint: d.hint ?? 'See schemas/config.schema.json.' })) };
  }
  const config = resolve(data as LearningLoopConfigFile);
  if (config.thresholds.low_performance >= config.thresholds.high_performance) {
    diagnostics.push(
      diag(
        'config/threshold-order',
        file,
        `low_performance (${config.thresholds.low_performance}) must be lower than high_performance (${config.thresholds.high_performance}).`,
        locate(p, ['reflection_triggers', 'thresholds', 'low_performance']),
      ),
    );
    return { config: structuredClone(DEFAULT_CONFIG), diagnostics };
  }
  return { config, diagnostics };
}

function resolve(file: LearningLoopConfigFile): ResolvedConfig {
  const c = structuredClone(DEFAULT_CONFIG);
  const rt = file.reflection_triggers;
  Object.assign(c.thresholds, rt?.thresholds ?? {});
  for (const cp of rt?.checkpoints ?? []) Object.assign(c.checkpoints, cp);
  Object.assign(c.schedule, rt?.synthesis_schedule ?? {});
  Object.assign(c.scoring, file.scoring ?? {});
  Object.assign(c.patterns, file.patterns ?? {});
  Object.assign(c.anti_patterns, file.anti_patterns ?? {});
  Object.assign(c.recall, file.recall ?? {});
  Object.assign(c.statistics, file.statistics ?? {});
  Object.assign(c.git, file.git ?? {});
  Object.assign(c.build, file.build ?? {});
  return c;
}

/**
 * The configuration (`config/triggers.yaml`): the parser that validates a file's text against
 * schemas/config.schema.json with positioned diagnostics (defaults fill gaps). The keys, their
 * defaults and the file `init` writes are defined once in config-definition.ts; reading the file
 * is io/config.ts.
 */
import { diag, type Diagnostic } from './diagnostics/diagnostic.js';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { duplicateKeys, FORBIDDEN_KEYS, loadPlainYaml, locate, normaliseText, parseYamlDocument, offsetToPosition, pointerToPath, yamlLib } from './records/parse.js';
import { MAX_YAML_DEPTH, tooDeepAt } from './records/yaml-subset.js';
import { schemaDiagnostics, validatorFor } from './records/validate.js';
import { CONFIG_DEFINITION, DEFAULT_CONFIG, type ResolvedConfig } from './config-definition.js';
import { resolveWith } from './config-derive.js';
import { configSchema } from './records/schema-source.js';

export { DEFAULT_CONFIG, DEFAULT_CONFIG_TEXT, type ResolvedConfig } from './config-definition.js';

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
  const config = resolveWith(CONFIG_DEFINITION, data as Record<string, unknown>);
  return config.thresholds.low_performance < config.thresholds.high_performance ? config : undefined;
}

/** Parses and validates config text. Invalid values are reported and replaced by their defaults; the valid ones are kept. */
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
  const diagnostics = yamlProblems(p, file);
  if (diagnostics.length) return { config: structuredClone(DEFAULT_CONFIG), diagnostics };
  const data = (p.doc.toJS({ maxAliasCount: 0 }) ?? {}) as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { config: structuredClone(DEFAULT_CONFIG), diagnostics: [diag('config/invalid', file, 'The config must be a YAML mapping.', { line: 1, column: 1 })] };
  }
  const validate = validatorFor('config');
  // Copied: checking what is left after the refused values are dropped reuses the same validator.
  const refused: ErrorObject[] = validate(data) ? [] : [...(validate.errors ?? [])];
  let valid = data as Record<string, unknown>;
  if (refused.length) {
    const schemaDiags = schemaDiagnostics(file, refused, (path, key) => locate(p, path, key), data, configSchema);
    diagnostics.push(...schemaDiags.map((d) => ({ ...d, hint: d.hint ?? 'See schemas/config.schema.json.' })));
    const kept = withoutInvalidValues(data as Record<string, unknown>, refused);
    if (!kept) return { config: structuredClone(DEFAULT_CONFIG), diagnostics };
    valid = kept;
  }
  const config = resolveWith(CONFIG_DEFINITION, valid);
  if (config.thresholds.low_performance >= config.thresholds.high_performance) {
    // A refused threshold took its default: say so rather than quote a value the file does not have.
    const shown = (key: 'low_performance' | 'high_performance'): string =>
      `${config.thresholds[key]}${refused.some((e) => e.instancePath === `/reflection_triggers/thresholds/${key}`) ? ', the default' : ''}`;
    diagnostics.push(
      diag(
        'config/threshold-order',
        file,
        `low_performance (${shown('low_performance')}) must be lower than high_performance (${shown('high_performance')}).`,
        locate(p, ['reflection_triggers', 'thresholds', 'low_performance']),
      ),
    );
    // The two that disagree go back to their defaults; high_surprise is another matter and stays.
    config.thresholds.low_performance = DEFAULT_CONFIG.thresholds.low_performance;
    config.thresholds.high_performance = DEFAULT_CONFIG.thresholds.high_performance;
  }
  return { config, diagnostics };
}

/** What makes the file unreadable as a config before any value is looked at: syntax, duplicate or reserved keys, aliases. */
function yamlProblems(p: ReturnType<typeof parseYamlDocument>, file: string): Diagnostic[] {
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
  return diagnostics;
}

/**
 * The file's values without the ones the schema refused, so one mistake does not reset every
 * other setting: a refused key is left out (its default applies); in a list of settings (the
 * checkpoints, one mapping each) only the refused item goes; a list that is one setting (strata)
 * takes its default whole. Undefined when what is left still does not pass (then every default
 * applies).
 */
function withoutInvalidValues(data: Readonly<Record<string, unknown>>, errors: readonly ErrorObject[]): Record<string, unknown> | undefined {
  const kept = structuredClone(data) as Record<string, unknown>;
  const at = (path: readonly string[]): unknown => path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), kept);
  const dropItems = new Map<unknown[], Set<number>>();
  for (const err of errors) {
    const path = pointerToPath(err.instancePath);
    if (err.keyword === 'additionalProperties') path.push(String((err.params as { additionalProperty: string }).additionalProperty));
    const index = path.findIndex((seg) => typeof seg === 'number');
    const key = (index < 0 ? path : path.slice(0, index)).map(String);
    if (!key.length) return undefined; // the whole file is of the wrong shape
    const list = at(key);
    const item = index < 0 || !Array.isArray(list) ? undefined : list[path[index] as number];
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const set = dropItems.get(list as unknown[]) ?? new Set<number>();
      dropItems.set(list as unknown[], set.add(path[index] as number));
      continue;
    }
    const parent = at(key.slice(0, -1));
    if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[key[key.length - 1]!];
  }
  for (const [list, drop] of dropItems) {
    const rest = list.filter((_, i) => !drop.has(i));
    list.splice(0, list.length, ...rest);
  }
  return validatorFor('config')(kept) ? kept : undefined;
}

/**
 * The config is defined once: `ResolvedConfig` with its defaults (DEFAULT_CONFIG), the file `init`
 * writes (DEFAULT_CONFIG_TEXT) and schemas/config.schema.json must say the same thing.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEFAULT_CONFIG, DEFAULT_CONFIG_TEXT, parseConfig, type ResolvedConfig } from '../../scripts/core/config.js';
import { configSchema } from '../../scripts/core/records/schema-source.js';

/** The file form of a resolved config (the inverse of resolving a file): every key written out. */
function fileOf(c: ResolvedConfig): Record<string, unknown> {
  const { thresholds, checkpoints, schedule, ...rest } = c;
  return {
    reflection_triggers: {
      thresholds,
      checkpoints: Object.entries(checkpoints).map(([k, v]) => ({ [k]: v })),
      synthesis_schedule: schedule,
    },
    ...rest,
  };
}

/** Every leaf path of a plain object. */
function leaves(v: unknown, path: string[] = []): string[] {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [path.join('.')];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => leaves(x, [...path, k]));
}

/** Every leaf path the schema describes (arrays of one-key mappings, as checkpoints are, by their keys). */
function schemaLeaves(node: Record<string, unknown>, path: string[] = []): string[] {
  const props = node.properties as Record<string, Record<string, unknown>> | undefined;
  if (props) return Object.entries(props).flatMap(([k, x]) => schemaLeaves(x, [...path, k]));
  const items = node.items as Record<string, unknown> | undefined;
  if (items?.properties) return schemaLeaves(items, path);
  return [path.join('.')];
}

describe('the config, defined once', () => {
  it('the file init writes parses to exactly the defaults', () => {
    const r = parseConfig(DEFAULT_CONFIG_TEXT, 'config/triggers.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.config).toEqual(DEFAULT_CONFIG);
  });

  it('every default is a key the schema accepts, and writing the defaults out reads back as the defaults', () => {
    const text = stringify(fileOf(DEFAULT_CONFIG));
    const r = parseConfig(text, 'config/triggers.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.config).toEqual(DEFAULT_CONFIG);
  });

  it('every key the schema describes has a default (none is accepted and then ignored)', () => {
    const described = schemaLeaves(configSchema as unknown as Record<string, unknown>).sort();
    const resolved = leaves(fileOf(DEFAULT_CONFIG))
      .map((p) => p.replace(/^reflection_triggers\.checkpoints\.\d+\./, 'reflection_triggers.checkpoints.'))
      .sort();
    // `git.branch` has no default: absent means "the current branch".
    expect(described.filter((p) => !resolved.includes(p))).toEqual(['git.branch']);
    expect(resolved.filter((p) => !described.includes(p))).toEqual([]);
  });
});

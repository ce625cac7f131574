/**
 * The config is defined once (scripts/core/config-definition.ts) and its schema, defaults, the
 * file `init` writes and the resolution of a file are derived (config-derive.ts). A planted
 * definition checks each derivation against what it should give; the real one is checked for
 * agreement between the derived parts and with the file the example knowledge base ships.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CONFIG_DEFINITION } from '../../scripts/core/config-definition.js';
import { configSchemaOf, defaultsOf, group, key, oneKeyList, optionalKey, renderConfigText, resolveWith, section, sectionsOf } from '../../scripts/core/config-derive.js';
import { DEFAULT_CONFIG, DEFAULT_CONFIG_TEXT, parseConfig, type ResolvedConfig } from '../../scripts/core/config.js';
import { configSchema } from '../../scripts/core/records/schema-source.js';
import { DEFAULT_THRESHOLDS } from '../../scripts/core/score/formulas.js';

/** A small definition with one of each: a grouped section, a one-key list, a renamed section, an unwritten one, an optional key. */
const PLANTED = {
  title: 'planted',
  description: 'A planted config.',
  header: ['Planted.'],
  entries: {
    outer: group({
      flags: oneKeyList({ type: 'boolean' }, { on: { default: true }, off: { default: false, comment: 'off' } }),
      timing: section({ every: key({ schema: { type: 'string', pattern: '^\\d+m$' }, default: '5m', comment: 'minutes' }) }, { resolvedAs: 'schedule' }),
    }),
    limits: section({
      a: key({ schema: { type: 'integer', minimum: 1 }, default: 3, comment: 'short', description: 'The a limit.' }),
      long_name_of_twenty_six_c: key({ schema: { type: 'number' }, default: 0.25, comment: 'odd length' }),
      kinds: key({ schema: { type: 'array', items: { enum: ['x', 'y', 'z'] } }, default: ['x', 'y'] }),
    }),
    hidden: section({ path: key({ schema: { type: 'string' }, default: 'out' }), name: optionalKey({ schema: { type: 'string' } }) }, { written: false }),
  },
};

describe('the derivations, on a planted definition', () => {
  it('derives the schema: every key once with its constraint and description, nothing else accepted', () => {
    const object = (properties: object) => ({ type: 'object', additionalProperties: false, properties });
    expect(configSchemaOf(PLANTED)).toEqual({
      title: 'planted',
      description: 'A planted config.',
      ...object({
        outer: object({
          flags: {
            type: 'array',
            items: { type: 'object', minProperties: 1, maxProperties: 1, propertyNames: { enum: ['on', 'off'] }, additionalProperties: { type: 'boolean' } },
          },
          timing: object({ every: { type: 'string', pattern: '^\\d+m$' } }),
        }),
        limits: object({
          a: { type: 'integer', minimum: 1, description: 'The a limit.' },
          long_name_of_twenty_six_c: { type: 'number' },
          kinds: { type: 'array', items: { enum: ['x', 'y', 'z'] } },
        }),
        hidden: object({ path: { type: 'string' }, name: { type: 'string' } }),
      }),
    });
  });

  it('derives the defaults: flat sections under their resolved names, optional keys absent, fresh objects each time', () => {
    const d = defaultsOf(PLANTED);
    expect(d).toEqual({ flags: { on: true, off: false }, schedule: { every: '5m' }, limits: { a: 3, long_name_of_twenty_six_c: 0.25, kinds: ['x', 'y'] }, hidden: { path: 'out' } });
    expect('name' in d.hidden).toBe(false);
    d.limits.kinds.push('z');
    expect(defaultsOf(PLANTED).limits.kinds).toEqual(['x', 'y']);
    // The derived type: an optional key is optional, a renamed section has its resolved name.
    const typed: { schedule: { every: string }; hidden: { path: string; name?: string } } = d;
    expect(typed.schedule.every).toBe('5m');
  });

  it('renders the file: header, written sections only, blank lines between siblings, comments aligned on column 28 or the next even one', () => {
    expect(renderConfigText(PLANTED)).toBe(
      [
        '# Planted.',
        'outer:',
        '  flags:',
        '    - on: true',
        `${'    - off: false'.padEnd(28)}# off`,
        '',
        '  timing:',
        `${'    every: "5m"'.padEnd(28)}# minutes`,
        '',
        'limits:',
        `${'  a: 3'.padEnd(28)}# short`,
        // 33 characters: the comment starts on the next even column at least two spaces on (36).
        '  long_name_of_twenty_six_c: 0.25   # odd length',
        '  kinds: [x, y]',
        '',
      ].join('\n'),
    );
  });

  it('resolves a file: keys it sets override the defaults, a one-key list merges in order, the rest stays default', () => {
    const r = resolveWith(PLANTED, { outer: { flags: [{ off: true }, { on: false }, { off: false }] }, hidden: { name: 'n' } });
    expect(r).toEqual({ flags: { on: false, off: false }, schedule: { every: '5m' }, limits: { a: 3, long_name_of_twenty_six_c: 0.25, kinds: ['x', 'y'] }, hidden: { path: 'out', name: 'n' } });
    expect(resolveWith(PLANTED, {})).toEqual(defaultsOf(PLANTED));
  });

  it('lists the sections with file path and resolved name', () => {
    expect(sectionsOf(PLANTED).map((s) => [s.path.join('.'), s.name])).toEqual([
      ['outer.flags', 'flags'],
      ['outer.timing', 'schedule'],
      ['limits', 'limits'],
      ['hidden', 'hidden'],
    ]);
  });
});

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

/** Every leaf path of a plain object (a list of mappings, as checkpoints are, by its mappings' keys). */
function leaves(v: unknown, path: string[] = []): string[] {
  if (Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object')) return v.flatMap((x) => leaves(x, path));
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [path.join('.')];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => leaves(x, [...path, k]));
}

/** Every leaf path the schema describes (arrays of one-key mappings, as checkpoints are, by their keys). */
function schemaLeaves(node: Record<string, unknown>, path: string[] = []): string[] {
  const props = node.properties as Record<string, Record<string, unknown>> | undefined;
  if (props) return Object.entries(props).flatMap(([k, x]) => schemaLeaves(x, [...path, k]));
  const items = node.items as { propertyNames?: { enum: string[] } } | undefined;
  if (items?.propertyNames) return items.propertyNames.enum.map((k) => [...path, k].join('.'));
  return [path.join('.')];
}

describe('the real config definition', () => {
  it('the file init writes is the one the example knowledge base ships, byte for byte', () => {
    expect(DEFAULT_CONFIG_TEXT).toBe(readFileSync(new URL('../../learning-loop/config/triggers.yaml', import.meta.url), 'utf8'));
  });

  it('the file init writes parses to exactly the defaults', () => {
    const r = parseConfig(DEFAULT_CONFIG_TEXT, 'config/triggers.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.config).toEqual(DEFAULT_CONFIG);
  });

  it('every default, written by init or not, is a value the schema accepts and reads back as itself', () => {
    const text = stringify(fileOf(DEFAULT_CONFIG));
    const r = parseConfig(text, 'config/triggers.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.config).toEqual(DEFAULT_CONFIG);
  });

  it('every key the schema describes has a default, and no other (git.branch: absent means the current branch)', () => {
    const described = schemaLeaves(configSchema as unknown as Record<string, unknown>).sort();
    const resolved = leaves(fileOf(DEFAULT_CONFIG)).sort();
    expect(described.filter((p) => !resolved.includes(p))).toEqual(['git.branch']);
    expect(resolved.filter((p) => !described.includes(p))).toEqual([]);
  });

  it('the published schema is the derived one, under its $schema and $id', () => {
    const { $schema, $id, ...rest } = configSchema;
    expect([$schema, $id]).toEqual(['https://json-schema.org/draft/2020-12/schema', 'https://learning-loop.local/schemas/config.schema.json']);
    expect(JSON.stringify(rest)).toBe(JSON.stringify(configSchemaOf(CONFIG_DEFINITION)));
  });

  it('the scoring thresholds are the config defaults (a copy: changing one does not change the other)', () => {
    expect(DEFAULT_THRESHOLDS).toEqual(DEFAULT_CONFIG.thresholds);
    expect(DEFAULT_THRESHOLDS).not.toBe(DEFAULT_CONFIG.thresholds);
  });
});

describe('a config with mistakes', () => {
  const parse = (text: string) => parseConfig(text, 'config/triggers.yaml');

  it('keeps every valid setting: only the refused keys fall back to their defaults', () => {
    const r = parse('statistics:\n  strata: [task_type, bogus]\n  alpha: 0.01\npatterns:\n  min_support: 5\n  min_lift: 0.5\n  colour: red\n');
    expect(r.diagnostics.map((d) => [d.rule, d.line, d.column]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ['schema/enum', 2, 23],
      ['schema/range', 6, 13],
      ['schema/unknown-field', 7, 3],
    ]);
    expect(r.config.statistics).toEqual({ ...DEFAULT_CONFIG.statistics, alpha: 0.01 });
    expect(r.config.patterns).toEqual({ ...DEFAULT_CONFIG.patterns, min_support: 5 });
  });

  it('refuses an empty strata list (it would compare every execution with every other: the confounded comparison)', () => {
    const r = parse('statistics:\n  strata: []\n  alpha: 0.01\n');
    expect(r.diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([['schema/length', 2, 11]]);
    expect(r.config.statistics).toEqual({ ...DEFAULT_CONFIG.statistics, alpha: 0.01 });
  });

  it('thresholds in the wrong order reset those two only', () => {
    const r = parse('reflection_triggers:\n  thresholds:\n    low_performance: 95\n    high_surprise: 50\nscoring:\n  template_streak: 0\n');
    expect(r.diagnostics.map((d) => d.rule)).toEqual(['config/threshold-order']);
    expect(r.config.thresholds).toEqual({ ...DEFAULT_CONFIG.thresholds, high_surprise: 50 });
    expect(r.config.scoring.template_streak).toBe(0);
  });

  it('a section of the wrong shape falls back alone; a file of the wrong shape gives every default', () => {
    const r = parse('statistics: 5\nscoring:\n  template_streak: 0\n');
    expect(r.diagnostics.map((d) => d.rule)).toEqual(['schema/type']);
    expect(r.config.scoring.template_streak).toBe(0);
    expect(parse('- a list\n').config).toEqual(DEFAULT_CONFIG);
  });
});

describe('a config with mistakes, what it says', () => {
  const parse = (text: string) => parseConfig(text, 'config/triggers.yaml');

  it('a refused threshold that breaks the order is named as the default it took', () => {
    const r = parse('reflection_triggers:\n  thresholds:\n    low_performance: 200\n    high_performance: 50\n');
    expect(r.diagnostics.map((d) => d.rule)).toEqual(['schema/range', 'config/threshold-order']);
    expect(r.diagnostics[1]!.message).toBe('low_performance (60, the default) must be lower than high_performance (50).');
    expect(r.config.thresholds).toEqual(DEFAULT_CONFIG.thresholds);
  });

  it('a misspelt checkpoint is one diagnostic at the key, with a "did you mean"; the other checkpoints are kept', () => {
    const r = parse('reflection_triggers:\n  checkpoints:\n    - pre_tsk: true\n    - mid_task: false\n');
    expect(r.diagnostics.map((d) => [d.rule, d.line, d.column, d.message])).toEqual([
      ['schema/enum', 3, 7, '`reflection_triggers.checkpoints.0` has the key `pre_tsk`; allowed: "pre_task", "mid_task", "post_task", "sprint_review".'],
    ]);
    expect(r.diagnostics[0]!.hint).toContain('Did you mean `pre_task`?');
    expect(r.config.checkpoints).toEqual({ ...DEFAULT_CONFIG.checkpoints, mid_task: false });
  });

  it('a misspelt key gets a "did you mean"', () => {
    const [d] = parse('scoring:\n  comparable_windw: 5\n').diagnostics;
    expect(d?.hint).toContain('Did you mean `comparable_window`?');
  });
});

/**
 * How a config definition (config-definition.ts) is written and what is derived from it: the
 * JSON Schema of the file, the resolved defaults with their TypeScript type, the commented YAML
 * `init` writes and the resolution of a (valid) file to the resolved config. Generic over the
 * definition so a test can plant a small one and check each derivation.
 *
 * Two shapes: the file nests some sections under a group (the seed's `reflection_triggers`) and
 * may write a section as a list of one-key mappings (the seed's `checkpoints`); the resolved
 * config is flat, one object per section, every key with a default present.
 */

/** The JSON Schema constraint on one key's value (draft 2020-12), published as written. */
export type KeySchema =
  | { readonly type: 'number' | 'integer'; readonly minimum?: number; readonly exclusiveMinimum?: number; readonly maximum?: number }
  | { readonly type: 'string'; readonly pattern?: string }
  | { readonly type: 'boolean' }
  | { readonly type: 'array'; readonly uniqueItems?: boolean; readonly minItems?: number; readonly items: { readonly enum: readonly string[] } };

/** The TypeScript type of the values a key schema accepts. */
export type ValueOf<S> = S extends { type: 'number' | 'integer' }
  ? number
  : S extends { type: 'string' }
    ? string
    : S extends { type: 'boolean' }
      ? boolean
      : S extends { items: { enum: readonly (infer E)[] } }
        ? E[]
        : never;

/** One config key: its constraint, its default, the comment `init` writes beside it, its schema description. */
export interface ConfigKey<S extends KeySchema = KeySchema> {
  readonly schema: S;
  /** Absent only on an optional key, whose absence means something of its own. */
  readonly default?: ValueOf<S>;
  /** true: no default; the resolved config leaves the key out unless the file sets it. */
  readonly optional?: true;
  /** The schema's `description` (and so the generated type's doc comment). */
  readonly description?: string;
  /** The `# ...` comment `init` writes after the value. */
  readonly comment?: string;
}

/** A section: one object of the resolved config, one mapping (or list) in the file. */
export interface ConfigSection<K extends Readonly<Record<string, ConfigKey>> = Readonly<Record<string, ConfigKey>>> {
  readonly keys: K;
  /** Set: the file writes the section as a list of one-key mappings whose values match this schema. */
  readonly listOf?: KeySchema;
  /** The section's name in the resolved config when it differs from the file's. */
  readonly resolvedAs?: string;
  /** false: accepted in the file but not written by `init` (the file stays the seed's plus a few keys). */
  readonly written: boolean;
}

/** A file-only mapping that groups sections (the resolved config has no such level). */
export interface ConfigGroup {
  readonly sections: Readonly<Record<string, ConfigSection>>;
}

/** A whole config: the schema's title and description, the header of the file `init` writes, the entries in file order. */
export interface ConfigDefinition {
  readonly title: string;
  readonly description: string;
  /** The `# ...` lines at the top of the file `init` writes. */
  readonly header: readonly string[];
  readonly entries: Readonly<Record<string, ConfigSection | ConfigGroup>>;
}

/** A key with a default (the default's type follows from the schema, so a mismatch does not compile). */
export function key<const S extends KeySchema>(k: { schema: S; default: ValueOf<S>; comment?: string; description?: string }): ConfigKey<S> & { default: ValueOf<S> } {
  return k;
}

/** A key without a default: absent from the resolved config unless the file sets it. */
export function optionalKey<const S extends KeySchema>(k: { schema: S; description?: string }): ConfigKey<S> & { optional: true } {
  return { ...k, optional: true };
}

/** A section written as a mapping. */
export function section<const K extends Readonly<Record<string, ConfigKey>>, const R extends string | undefined = undefined>(
  keys: K,
  opts: { resolvedAs?: R; written?: boolean } = {},
): ConfigSection<K> & { resolvedAs: R } {
  return { keys, written: opts.written ?? true, resolvedAs: opts.resolvedAs as R };
}

/** A section written as a list of one-key mappings, every value matching `schema`. */
export function oneKeyList<const S extends KeySchema, const N extends string>(
  schema: S,
  defaults: Readonly<Record<N, { default: ValueOf<S>; comment?: string }>>,
): ConfigSection<Record<N, ConfigKey<S> & { default: ValueOf<S> }>> {
  const keys = Object.fromEntries(Object.entries<{ default: ValueOf<S>; comment?: string }>(defaults).map(([n, k]) => [n, { schema, ...k }]));
  return { keys: keys as Record<N, ConfigKey<S> & { default: ValueOf<S> }>, listOf: schema, written: true };
}

/** A group of sections (file only). */
export function group<const G extends Readonly<Record<string, ConfigSection>>>(sections: G): { sections: G } {
  return { sections };
}

function isGroup(e: ConfigSection | ConfigGroup): e is ConfigGroup {
  return 'sections' in e;
}

/** Every section with its file path and resolved name, in file order. */
export function sectionsOf(def: ConfigDefinition): Array<{ path: string[]; name: string; section: ConfigSection }> {
  return Object.entries(def.entries).flatMap(([n, e]) =>
    isGroup(e) ? Object.entries(e.sections).map(([m, s]) => ({ path: [n, m], name: s.resolvedAs ?? m, section: s })) : [{ path: [n], name: e.resolvedAs ?? n, section: e }],
  );
}

// ---------------------------------------------------------------------------------------------
// The resolved config: its type and its defaults.

type Simplify<T> = { -readonly [P in keyof T]: T[P] } & {};
type KeysValue<K> = Simplify<
  { [N in keyof K as K[N] extends { optional: true } ? never : N]: K[N] extends ConfigKey<infer S> ? ValueOf<S> : never } & {
    [N in keyof K as K[N] extends { optional: true } ? N : never]?: K[N] extends ConfigKey<infer S> ? ValueOf<S> : never;
  }
>;
type NameOf<N, S> = S extends { resolvedAs: infer R extends string } ? R : N;
type SectionEntries<E> = {
  [N in keyof E & string]: E[N] extends { sections: infer G } ? { [M in keyof G & string]: [NameOf<M, G[M]>, G[M]] }[keyof G & string] : [NameOf<N, E[N]>, E[N]];
}[keyof E & string];

/** The resolved config a definition describes: one object per section, keys with defaults required. */
export type ResolvedOf<D extends ConfigDefinition> = {
  -readonly [E in SectionEntries<D['entries']> as E[0]]: E[1] extends ConfigSection<infer K> ? KeysValue<K> : never;
};

/** The defaults: every section, every key that has a default (fresh objects: callers may mutate them). */
export function defaultsOf<D extends ConfigDefinition>(def: D): ResolvedOf<D> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const { name, section: s } of sectionsOf(def)) {
    out[name] = Object.fromEntries(
      Object.entries(s.keys)
        .filter(([, k]) => !k.optional)
        .map(([n, k]) => [n, structuredClone(k.default)]),
    );
  }
  return out as ResolvedOf<D>;
}

/**
 * The resolved config of a file that passed the schema: the defaults, overridden by every key
 * the file sets (a one-key list's mappings merged in order).
 */
export function resolveWith<D extends ConfigDefinition>(def: D, file: Readonly<Record<string, unknown>>): ResolvedOf<D> {
  const out = defaultsOf(def) as Record<string, Record<string, unknown>>;
  for (const { path, name, section: s } of sectionsOf(def)) {
    const value = path.reduce<unknown>((v, p) => (v as Record<string, unknown> | undefined)?.[p], file);
    if (value === undefined) continue;
    for (const part of s.listOf ? (value as object[]) : [value as object]) Object.assign(out[name]!, part);
  }
  return out as ResolvedOf<D>;
}

// ---------------------------------------------------------------------------------------------
// The JSON Schema of the file.

/** The schema of a config file (without `$schema` and `$id`, which the schema source adds). */
export interface ConfigSchema {
  title: string;
  description: string;
  type: 'object';
  additionalProperties: false;
  properties: Record<string, object>;
}

function objectSchema(properties: Record<string, object>): { type: 'object'; additionalProperties: false; properties: Record<string, object> } {
  return { type: 'object', additionalProperties: false, properties };
}

function keySchema(k: ConfigKey): object {
  return k.description === undefined ? { ...k.schema } : { ...k.schema, description: k.description };
}

function sectionSchema(s: ConfigSection): object {
  if (!s.listOf) return objectSchema(Object.fromEntries(Object.entries(s.keys).map(([n, k]) => [n, keySchema(k)])));
  const item = { type: 'object', minProperties: 1, maxProperties: 1, propertyNames: { enum: Object.keys(s.keys) }, additionalProperties: { ...s.listOf } };
  return { type: 'array', items: item };
}

/** The JSON Schema of the file a definition describes: every key optional, no other key allowed. */
export function configSchemaOf(def: ConfigDefinition): ConfigSchema {
  const properties = Object.fromEntries(
    Object.entries(def.entries).map(([n, e]) => [n, isGroup(e) ? objectSchema(Object.fromEntries(Object.entries(e.sections).map(([m, s]) => [m, sectionSchema(s)]))) : sectionSchema(e)]),
  );
  return { title: def.title, description: def.description, ...objectSchema(properties) };
}

// ---------------------------------------------------------------------------------------------
// The file `init` writes.

/**
 * Where a comment starts (0-based column): column 28, or on a longer line at least two spaces
 * after the value on the next even column. The rule reproduces the file `init` has always written
 * (the shipped example knowledge base holds it byte for byte), so it is derived, not stored per line.
 */
export const COMMENT_COLUMN = 28;

function withComment(line: string, comment: string | undefined): string {
  if (comment === undefined) return line;
  const at = Math.max(COMMENT_COLUMN, line.length + 2 + (line.length % 2));
  return `${line.padEnd(at)}# ${comment}`;
}

/**
 * A default as YAML: strings double-quoted (a schedule such as sunday_23:00 holds a colon),
 * lists in flow style with plain words (they are enum names).
 */
export function yamlValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' && /^[A-Za-z_][\w-]*$/.test(x) ? x : yamlValue(x))).join(', ')}]`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function sectionLines(name: string, s: ConfigSection, depth: number): string[] {
  const pad = '  '.repeat(depth + 1);
  const lines = Object.entries(s.keys)
    .filter(([, k]) => !k.optional)
    .map(([n, k]) => withComment(`${pad}${s.listOf ? '- ' : ''}${n}: ${yamlValue(k.default)}`, k.comment));
  return [`${'  '.repeat(depth)}${name}:`, ...lines];
}

/** Blocks separated by one blank line. */
function joinBlocks(blocks: string[][]): string[] {
  return blocks.flatMap((b, i) => (i ? ['', ...b] : b));
}

/**
 * The commented YAML `init` writes: the header, then every written section with its defaults,
 * a blank line between sibling sections (and groups). Optional keys have no default to write.
 */
export function renderConfigText(def: ConfigDefinition): string {
  const blocks: string[][] = [];
  for (const [n, e] of Object.entries(def.entries)) {
    if (!isGroup(e)) {
      if (e.written) blocks.push(sectionLines(n, e, 0));
      continue;
    }
    const inner = Object.entries(e.sections)
      .filter(([, s]) => s.written)
      .map(([m, s]) => sectionLines(m, s, 1));
    if (inner.length) blocks.push([`${n}:`, ...joinBlocks(inner)]);
  }
  return `${[...def.header.map((h) => `# ${h}`), ...joinBlocks(blocks)].join('\n')}\n`;
}

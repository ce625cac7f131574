/**
 * Record kinds, read from the kind modules (scripts/core/kinds/, one per kind, registered in
 * kinds/registry.ts): the kind names, record types, where each lives in the knowledge base (the
 * seed's Task 1 layout) and which fields link records.
 */
import type { AssumptionRecord, ExecutionRecord, MetricsRecord, PatternRecord, ReflectionRecord, RuleRecord, SynthesisRecord, TemplateRecord } from './types.generated.js';
import type { KindModule, LinkField } from '../kinds/contract.js';
import { KIND_MODULES } from '../kinds/registry.js';

export { yearMonth, type LinkField } from '../kinds/contract.js';
export { CATEGORY_DIRS } from '../kinds/pattern.js';

export type { AssumptionRecord, ExecutionRecord, MetricsRecord, PatternRecord, ReflectionRecord, RuleRecord, SynthesisRecord, TemplateRecord };
export type { LearningLoopConfigFile } from './types.generated.js';

/** The registered kind modules (one per kind: scripts/core/kinds/). */
type Module = (typeof KIND_MODULES)[number];

/** A record kind. */
export type Kind = Module['kind'];

/** Maps a kind to its record type. */
export type RecordByKind = { [M in Module as M['kind']]: M extends KindModule<string, infer R> ? R : never };

/** Any record. */
export type AnyRecord = RecordByKind[Kind];

/** Every record kind, in the registry's order. */
export const KINDS: readonly Kind[] = KIND_MODULES.map((m) => m.kind);

const MODULE_OF = new Map<string, KindModule<Kind, AnyRecord>>(KIND_MODULES.map((m) => [m.kind, m as unknown as KindModule<Kind, AnyRecord>]));

/** The module of a kind (schema, folder, links, recall and site fields). */
export function kindModule<K extends Kind>(kind: K): KindModule<K, RecordByKind[K]> {
  return MODULE_OF.get(kind) as unknown as KindModule<K, RecordByKind[K]>;
}

/** Long-lived kinds that carry a review `status`. */
export const LIFECYCLE_KINDS: readonly Kind[] = KIND_MODULES.filter((m) => m.lifecycle).map((m) => m.kind);

/** The directories `init` creates (relative to the knowledge-base root). */
export const KB_DIRS: readonly string[] = ['config', ...KIND_MODULES.flatMap((m) => m.folder.dirs)];

/** True for a string that names a kind. */
export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && MODULE_OF.has(value);
}

/**
 * The canonical repo-relative (to the KB root) path for a record. Pure: the id has been
 * validated as file-name safe before this is called.
 */
export function recordPath(record: AnyRecord): string {
  return kindModule(record.kind).folder.path(record as never);
}

/**
 * Where a kind may live: a regular expression over the KB-relative path. Used by the
 * `path/wrong-folder` check; executions and reflections may sit in any YYYY/MM shard.
 */
export function folderPatternFor(kind: Kind): RegExp {
  return kindModule(kind).folder.pattern;
}

/** Human folder description for hints. */
export function folderHintFor(kind: Kind): string {
  return kindModule(kind).folder.hint;
}

/**
 * Every field that links to other records, per kind: the one place validation (link checks), the
 * build (cross-record signatures), `explain` and the site (record pages, incoming links) read.
 */
export const LINK_FIELDS = Object.fromEntries(KIND_MODULES.map((m) => [m.kind, m.links])) as unknown as Record<Kind, readonly LinkField[]>;

/** The ids in one link field of a record (strings only; none when the field is absent or not a list). */
export function linkIds(record: unknown, field: LinkField): string[] {
  let cur: unknown = record;
  for (const key of field.path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return Array.isArray(cur) ? cur.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * A record's fields by name, for code that reads any kind alike (display, search text, output
 * schemas): the generated record types have no index signature, so this is the one place that
 * views a record as a plain map.
 */
export function fieldsOf(record: object): Readonly<Record<string, unknown>> {
  return record as Readonly<Record<string, unknown>>;
}

/** True for a long-lived kind that carries a review `status` (its module's `lifecycle`). */
export function isLifecycleKind(kind: string): boolean {
  return isKind(kind) && kindModule(kind).lifecycle;
}

/**
 * Serialising records to Markdown with YAML frontmatter. Deterministic: keys follow the
 * schema's property order, LF endings, one trailing newline, no wall-clock values added.
 */
import { stringify } from 'yaml';
import { SCHEMAS } from './schema-source.js';
import { executionSchema } from '../kinds/execution.js';
import type { AnyRecord, Kind } from './kinds.js';
import { dict, own } from '../dict.js';

function orderKeys(value: unknown, order?: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => orderKeys(v));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  const known = order ? order.filter((k) => keys.includes(k)) : [];
  const rest = keys.filter((k) => !known.includes(k)).sort();
  const out = dict<unknown>();
  for (const k of [...known, ...rest]) out[k] = orderKeys(obj[k], nestedOrder(order, k));
  return out;
}

// An execution's nested objects (scores, pre/during/post, checks, usage) keep their schema order
// too. Other kinds' nested objects are sorted, as they always were: ordering them by schema now
// would rewrite every existing record the next time it is written.
const NESTED: Record<string, readonly string[]> = Object.fromEntries(
  Object.entries(executionSchema.properties)
    .filter(([, v]) => 'properties' in v)
    .map(([k, v]) => [k, Object.keys((v as { properties: object }).properties)]),
);
function nestedOrder(_parent: readonly string[] | undefined, key: string): readonly string[] | undefined {
  return own(NESTED, key); // `key` may be any name a record holds (e.g. a metric called `toString`)
}

/** Property order for a kind, from its schema. */
export function keyOrder(kind: Kind): readonly string[] {
  return Object.keys((SCHEMAS[kind] as { properties: Record<string, unknown> }).properties);
}

/** Renders a record and its Markdown body as file text. */
export function renderRecord(record: AnyRecord, body = ''): string {
  const data = orderKeys(record, keyOrder(record.kind));
  const yamlText = stringify(data, { lineWidth: 0, aliasDuplicateObjects: false, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' });
  const trimmed = body.replace(/\r\n?/g, '\n').replace(/^\n+/, '').replace(/\s+$/, '');
  return `---\n${yamlText}---\n${trimmed ? `\n${trimmed}\n` : ''}`;
}

/**
 * The schema fragments record kinds share, written once as JSON Schema `$defs` and referenced with
 * `$ref`, and the three ways they are used: a published schema carries the `$defs` it uses (each
 * file stands alone), the generated validators share one compiled copy of each (see
 * tools/schemas/generate-core.ts), and the TypeScript types and the MCP tool schema read the
 * schema with every reference replaced by its definition (`dereference`).
 */

/** The JSON Schema dialect of every schema. */
export const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
/** The base of every schema's `$id`. */
export const SCHEMA_BASE = 'https://learning-loop.local/schemas/';

const id = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$',
  description: 'Unique, file-name safe id (letters, digits, "_" and "-"; at most 128 characters).',
} as const;
const slug = {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9_.-]{0,79}$',
  description: 'Lower-case vocabulary term (letters, digits, "_", "-", "."), e.g. booking-form.',
} as const;

/**
 * Every shared fragment. Order matters only for output stability: a schema's `$defs` list the
 * fragments it uses in this order.
 */
export const DEFS = {
  /** File-name safe, collision-free id: letters, digits, `_` and `-` only (no dots, no slashes). */
  id,
  // `type` next to the reference: ajv checks `uniqueItems` of strings in linear time only when it
  // sees the items' type (else pairwise: minutes for a hostile list of 100,000).
  idList: { type: 'array', items: { type: 'string', $ref: '#/$defs/id' }, uniqueItems: true },
  timestamp: {
    type: 'string',
    pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
    description: 'ISO 8601 date-time with a time zone, e.g. 2026-11-02T14:05:00Z.',
  },
  date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'ISO 8601 date, e.g. 2026-11-02.' },
  slug,
  slugList: { type: 'array', items: { type: 'string', $ref: '#/$defs/slug' }, uniqueItems: true },
  text: { type: 'string', maxLength: 4000 },
  textList: { type: 'array', items: { $ref: '#/$defs/text' }, maxItems: 200 },
  /** A score: a number from 0 to 100; decimals are kept (a benchmark's 35.6 % stays 35.6). */
  score: { type: 'number', minimum: 0, maximum: 100 },
  status: {
    type: 'string',
    enum: ['proposed', 'accepted', 'rejected', 'archived'],
    description: 'Review state: proposed -> accepted | rejected -> archived. Nothing is deleted.',
  },
  review: {
    type: 'object',
    additionalProperties: false,
    properties: { decided_at: { $ref: '#/$defs/timestamp' }, by: { type: 'string', maxLength: 200 }, reason: { $ref: '#/$defs/text' } },
  },
  provenance: {
    type: 'object',
    additionalProperties: false,
    required: ['source'],
    properties: {
      source: { type: 'string', maxLength: 500, description: 'Where the learning came from (file, format, tool).' },
      format: { type: 'string', maxLength: 100 },
      imported_at: { $ref: '#/$defs/timestamp' },
      digest: { type: 'string', maxLength: 128 },
    },
  },
  trigger: {
    type: ['string', 'null'],
    enum: ['mandatory_reflection', 'extract_template', 'update_architecture', null],
    description: 'The reflection the score card triggered (seed thresholds from config/triggers.yaml).',
  },
} as const;

/** The name of a shared fragment. */
export type DefName = keyof typeof DEFS;

/** A reference to a shared fragment (`{ $ref: '#/$defs/<name>' }`). */
export function ref<N extends DefName>(name: N): { readonly $ref: `#/$defs/${N}` } {
  return { $ref: `#/$defs/${name}` };
}

/** Fields every record has. */
export const COMMON_FIELDS = {
  kind: { type: 'string' },
  id: ref('id'),
  created_at: ref('timestamp'),
  title: { type: 'string', maxLength: 300 },
  tags: ref('slugList'),
  domains: ref('slugList'),
} as const;

/** Fields of long-lived kinds that go through review. */
export const LIFECYCLE_FIELDS = {
  status: ref('status'),
  review: ref('review'),
  supersedes: ref('idList'),
  provenance: ref('provenance'),
  /** Files or components this learning is about; used by the staleness check. */
  about: { type: 'array', items: { type: 'string', maxLength: 300 }, maxItems: 100 },
} as const;

const REF = /^#\/\$defs\/(.+)$/;

/** The fragment a `$ref` names, or undefined for any other reference. */
function defOf(refValue: unknown): Record<string, unknown> | undefined {
  const m = typeof refValue === 'string' ? REF.exec(refValue) : null;
  return m && Object.hasOwn(DEFS, m[1]!) ? (DEFS[m[1] as DefName] as Record<string, unknown>) : undefined;
}

/** Every fragment a schema refers to, directly or through another fragment. */
function usedDefs(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const x of node) usedDefs(x, out);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      const name = k === '$ref' && typeof v === 'string' ? REF.exec(v)?.[1] : undefined;
      if (name && !out.has(name) && Object.hasOwn(DEFS, name)) {
        out.add(name);
        usedDefs(DEFS[name as DefName], out);
      } else usedDefs(v, out);
    }
  }
  return out;
}

/** A published schema: the schema with the `$defs` it uses (in DEFS order), so the file stands alone. */
export function withDefs<S extends object>(schema: S): S & { $defs?: Record<string, unknown> } {
  const used = usedDefs(schema, new Set());
  if (!used.size) return schema;
  const $defs = Object.fromEntries(
    Object.keys(DEFS)
      .filter((k) => used.has(k))
      .map((k) => [k, DEFS[k as DefName]]),
  );
  return { ...schema, $defs };
}

/**
 * The schema with every `$ref` to a shared fragment replaced by the fragment (its sibling keywords
 * kept, e.g. `minItems` next to an id list) and no `$defs`: what the type generator and MCP
 * clients read.
 */
export function dereference(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dereference);
  if (node === null || typeof node !== 'object') return node;
  const { $ref, $defs: _defs, ...rest } = node as Record<string, unknown>;
  const def = defOf($ref);
  const out: Record<string, unknown> = def ? { ...(dereference(def) as Record<string, unknown>) } : {};
  if ($ref !== undefined && !def) out.$ref = $ref;
  for (const [k, v] of Object.entries(rest)) out[k] = dereference(v);
  return out;
}

/** A schema node with its `$ref` (if any) resolved one level, sibling keywords kept. */
function resolved(node: unknown): Record<string, unknown> | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const n = node as Record<string, unknown>;
  const def = defOf(n.$ref);
  return def ? { ...(resolved(def) ?? def), ...n } : n;
}

/**
 * The schema that describes the value at `path` (object keys and array indices) under `root`,
 * following `properties`, `items` and `additionalProperties` through shared fragments; undefined
 * when the schema says nothing there. Lets a diagnostic name the fields next to a mistake.
 */
export function schemaAt(root: unknown, path: ReadonlyArray<string | number>): Record<string, unknown> | undefined {
  let node = resolved(root);
  for (const seg of path) {
    if (!node) return undefined;
    const props = node.properties as Record<string, unknown> | undefined;
    if (typeof seg === 'number') node = resolved(node.items);
    else if (props && Object.hasOwn(props, seg)) node = resolved(props[seg]);
    else node = resolved(node.additionalProperties);
  }
  return node;
}

/**
 * A record kind's JSON Schema: the fields every record has (and the review fields of a long-lived
 * kind), `kind` fixed to the kind's name, then the kind's own fields; `kind`, `id` and
 * `created_at` are always required.
 */
export function recordSchema<const K extends string, const R extends readonly string[], const P extends Readonly<Record<string, unknown>>, const L extends boolean = false>(spec: {
  kind: K;
  title: string;
  description: string;
  lifecycle?: L;
  required: R;
  properties: P;
}) {
  const shared = spec.lifecycle ? { ...COMMON_FIELDS, ...LIFECYCLE_FIELDS } : COMMON_FIELDS;
  return {
    $schema: DRAFT,
    $id: `${SCHEMA_BASE}${spec.kind}.schema.json` as const,
    title: spec.title,
    description: spec.description,
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'id', 'created_at', ...spec.required] as const,
    properties: { ...(shared as L extends true ? typeof COMMON_FIELDS & typeof LIFECYCLE_FIELDS : typeof COMMON_FIELDS), kind: { const: spec.kind }, ...spec.properties },
  } as const;
}

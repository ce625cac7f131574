/**
 * Every JSON Schema (draft 2020-12) in `schemas/`: each record kind's comes from its module
 * (scripts/core/kinds/), the config's is here.
 *
 * `npm run gen` writes `schemas/*.schema.json`, `scripts/core/records/types.generated.ts` and the
 * validators from these objects; a test fails when any is out of date, so the TypeScript types
 * can never drift from the published schemas.
 */

import { DRAFT, SCHEMA_BASE as BASE, dereference, withDefs } from '../kinds/fragments.js';
import { KIND_MODULES } from '../kinds/registry.js';
import { executionSchema } from '../kinds/execution.js';
import { CONFIG_DEFINITION } from '../config-definition.js';
import { configSchemaOf } from '../config-derive.js';

/**
 * What `record` accepts (CLI, MCP, library, imports): the execution schema with optional id, times
 * and kind, scores given partly or not at all (the rest are computed), and a Markdown `body`.
 */
export const executionInputSchema = withDefs({
  ...executionSchema,
  $id: `${BASE}execution-input.schema.json`,
  title: 'Execution input',
  description: 'The input of `learning-loop record`: an execution before scoring (missing scores, id and times are filled in).',
  required: ['task_id', 'task_type', 'agent', 'outcome', 'duration_s'],
  properties: {
    ...executionSchema.properties,
    scores: { type: 'object', additionalProperties: false, properties: executionSchema.properties.scores.properties },
    body: { type: 'string', maxLength: 200000 },
  },
} as const);

/** The config file's schema, derived from the one config definition (config-definition.ts). */
export const configSchema = { $schema: DRAFT, $id: `${BASE}config.schema.json`, ...configSchemaOf(CONFIG_DEFINITION) };

/** Every schema, keyed by the file name it is published under in `schemas/`: each kind's (with the shared fragments it uses as `$defs`), then the config's. */
export const SCHEMAS: Readonly<Record<string, object>> = {
  ...Object.fromEntries(KIND_MODULES.map((m) => [m.kind, withDefs(m.schema)])),
  config: configSchema,
};

/** A schema with every shared fragment written out in place (what type generators and MCP clients read). */
export function standaloneSchema(schema: object): Record<string, unknown> {
  return dereference(schema) as Record<string, unknown>;
}

/**
 * MCP tool input schemas derived from the records' JSON Schemas (core/records/schema-source.ts), so
 * a limit is written once: the `record` tool accepts what `record` accepts. Patterns are left to
 * the record validator, whose diagnostics say what to write instead (a zod pattern error only
 * says "Invalid").
 */
import { z, type ZodTypeAny } from 'zod';

/** The part of JSON Schema the record schemas use. */
export interface JsonSchemaNode {
  type?: string | readonly string[];
  const?: unknown;
  enum?: readonly unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchemaNode;
  properties?: Readonly<Record<string, JsonSchemaNode>>;
  required?: readonly string[];
  description?: string;
}

/** The zod type of one schema node (every property optional unless the node's `required` names it). */
export function zodFromSchema(node: JsonSchemaNode): ZodTypeAny {
  const types = node.type === undefined ? [] : typeof node.type === 'string' ? [node.type] : [...node.type];
  const nullable = types.includes('null');
  const base = baseType(
    node,
    types.filter((t) => t !== 'null'),
  );
  const typed = nullable ? base.nullable() : base;
  return node.description ? typed.describe(node.description) : typed;
}

function baseType(node: JsonSchemaNode, types: string[]): ZodTypeAny {
  const values = node.enum?.filter((v): v is string => typeof v === 'string');
  if (values?.length) return z.enum(values as [string, ...string[]]);
  if (typeof node.const === 'string') return z.literal(node.const);
  if (types.length > 1) return z.union(types.map((t) => baseType({ ...node, type: t }, [t])) as unknown as [ZodTypeAny, ZodTypeAny, ...ZodTypeAny[]]);
  switch (types[0]) {
    case 'string': {
      let s = z.string();
      if (node.minLength !== undefined) s = s.min(node.minLength);
      if (node.maxLength !== undefined) s = s.max(node.maxLength);
      return s;
    }
    case 'integer':
    case 'number': {
      let n = types[0] === 'integer' ? z.number().int() : z.number();
      if (node.minimum !== undefined) n = n.min(node.minimum);
      if (node.maximum !== undefined) n = n.max(node.maximum);
      return n;
    }
    case 'boolean':
      return z.boolean();
    case 'array': {
      let a = z.array(node.items ? zodFromSchema(node.items) : z.unknown());
      if (node.minItems !== undefined) a = a.min(node.minItems);
      if (node.maxItems !== undefined) a = a.max(node.maxItems);
      return a;
    }
    case 'object':
      return z.object(shapeFromSchema(node));
    default:
      return z.unknown();
  }
}

/** The zod shape of an object node's properties (`pick` limits it to those names, in that order). */
export function shapeFromSchema(node: JsonSchemaNode, pick?: readonly string[]): Record<string, ZodTypeAny> {
  const required = new Set(node.required ?? []);
  const shape: Record<string, ZodTypeAny> = {};
  for (const name of pick ?? Object.keys(node.properties ?? {})) {
    const child = node.properties?.[name];
    if (!child) throw new Error(`schema has no property ${name}`);
    const t = zodFromSchema(child);
    shape[name] = required.has(name) ? t : t.optional();
  }
  return shape;
}

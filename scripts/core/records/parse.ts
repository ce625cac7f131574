/**
 * Frontmatter parsing: the one module that turns record text into data.
 *
 * Two paths share one contract. The fast path (js-yaml, core schema) handles the common case of
 * a clean record. Anything suspicious or invalid goes to the positioned path (the `yaml`
 * package's document API), which is authoritative and reports every problem with its exact
 * line and column. The `yaml` package is ~8x slower, so it runs only when there is something to
 * report.
 */
import { createRequire } from 'node:module';
import { load as fastLoad, CORE_SCHEMA } from 'js-yaml';
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import { diag, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import { inFastSubset, MAX_YAML_DEPTH, tooDeepAt } from './yaml-subset.js';

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;

/**
 * The `yaml` package, loaded on first use: only the positioned path needs it, and loading it
 * costs more than a one-shot command's whole fast path. (It ships CommonJS for Node, so `import`
 * elsewhere and this `require` share one instance.)
 */
export function yamlLib(): YamlModule {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);
}

/** Result of splitting a Markdown file into its frontmatter and body. */
export interface SplitResult {
  /** The YAML text between the `---` fences. */
  yaml: string;
  /** 1-based line of the first YAML line in the file. */
  yamlLine: number;
  /** The Markdown body after the closing fence. */
  body: string;
  /** 1-based line where the body starts. */
  bodyLine: number;
}

/** A parsed record file (before schema validation). */
export interface ParsedFrontmatter {
  data?: Record<string, unknown>;
  body: string;
  bodyLine: number;
  yaml: string;
  yamlLine: number;
  diagnostics: Diagnostic[];
  /** True when the positioned path was used. */
  positioned: boolean;
  /** The positioned document, when that path was used (for locating schema errors without parsing again). */
  doc?: PositionedDoc;
}

/** Keys refused anywhere in a record: they can pollute prototypes in consumers. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Core-schema tags that are harmless and therefore allowed when written explicitly. */
const STANDARD_TAGS = new Set([
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq',
]);

/** Normalises line endings and strips a UTF-8 BOM, so positions are stable across platforms. */
export function normaliseText(text: string): string {
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.includes('\r') ? noBom.replace(/\r\n?/g, '\n') : noBom;
}

/**
 * Splits `---` fenced frontmatter from the body. Returns a diagnostic instead when the fences
 * are missing or unclosed.
 */
export function splitFrontmatter(file: string, text: string): SplitResult | Diagnostic {
  if (!text.startsWith('---\n') && text !== '---') {
    return diag('frontmatter/missing', file, 'The file does not start with a `---` frontmatter fence.', { line: 1, column: 1 });
  }
  const start = 4;
  let idx = start;
  let line = 2;
  while (idx <= text.length) {
    const nl = text.indexOf('\n', idx);
    const end = nl === -1 ? text.length : nl;
    const current = text.slice(idx, end);
    if (current === '---' || current === '...') {
      const bodyStart = nl === -1 ? text.length : nl + 1;
      return { yaml: text.slice(start, idx), yamlLine: 2, body: text.slice(bodyStart), bodyLine: line + 1 };
    }
    if (nl === -1) break;
    idx = nl + 1;
    line += 1;
  }
  return diag('frontmatter/unclosed', file, 'The frontmatter opened on line 1 is never closed with a `---` line.', { line: 1, column: 1 });
}

/**
 * Parses a record's text. Never throws: problems come back as diagnostics with positions.
 * `needPositions` forces the positioned path (e.g. when the caller will map schema errors).
 */
export function parseFrontmatter(file: string, rawText: string, needPositions = false): ParsedFrontmatter {
  const text = normaliseText(rawText);
  const split = splitFrontmatter(file, text);
  if ('rule' in split) {
    return { body: text, bodyLine: 1, yaml: '', yamlLine: 1, diagnostics: [split], positioned: false };
  }
  // The subset both parsers read alike (its depth bounded); anything else is checked for depth
  // first: too deep for either parser to be trusted with, refused the same way on every path.
  const simple = inFastSubset(split.yaml);
  const deep = simple ? undefined : tooDeepAt(split.yaml);
  if (deep !== undefined) {
    const before = split.yaml.slice(0, deep);
    const line = split.yamlLine + (before.match(/\n/g)?.length ?? 0);
    const column = deep - (before.lastIndexOf('\n') + 1) + 1;
    const d = diag('yaml/too-deep', file, `The YAML is nested more than ${MAX_YAML_DEPTH} levels deep here.`, { line, column });
    return { body: split.body, bodyLine: split.bodyLine, yaml: split.yaml, yamlLine: split.yamlLine, diagnostics: [d], positioned: true };
  }
  if (!needPositions && simple) {
    const fast = loadSubsetYaml(split.yaml);
    if (fast) return { data: fast, body: split.body, bodyLine: split.bodyLine, yaml: split.yaml, yamlLine: split.yamlLine, diagnostics: [], positioned: false };
  }
  return parsePositioned(file, split);
}

/**
 * The fast path alone: a plain mapping in the subset both parsers read identically (see
 * yaml-subset.ts; no anchors, aliases, tags or refused keys) loaded with js-yaml, or undefined
 * when the text needs the positioned path (anything to report included).
 */
export function loadPlainYaml(yamlText: string): Record<string, unknown> | undefined {
  return inFastSubset(yamlText) ? loadSubsetYaml(yamlText) : undefined;
}

/** js-yaml on text already known to be in the subset. */
function loadSubsetYaml(yamlText: string): Record<string, unknown> | undefined {
  try {
    const value = fastLoad(yamlText, { schema: CORE_SCHEMA });
    if (!isPlainMapping(value) || hasForbiddenKey(value)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasForbiddenKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  if (!isPlainMapping(value)) return false;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key) || hasForbiddenKey(value[key])) return true;
  }
  return false;
}

/** A parsed YAML document plus what is needed to turn offsets into file positions. */
export interface PositionedDoc {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** 1-based file line of the first YAML line. */
  yamlLine: number;
}

/** Parses YAML with the document API (positions, safe options). */
export function parseYamlDocument(yamlText: string, yamlLine: number): PositionedDoc {
  const { LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, {
    version: '1.2',
    schema: 'core',
    // Duplicate keys are found by the visitor below with a set per mapping: the package's own
    // check compares every key with every earlier one (quadratic in a mapping's size).
    uniqueKeys: false,
    prettyErrors: false,
    // Problems are reported as diagnostics; nothing goes to the process's warnings (stderr).
    logLevel: 'error',
    lineCounter,
  });
  return { doc, lineCounter, yamlLine };
}

/** File position (1-based line and column) of a YAML source offset. */
export function offsetToPosition(p: PositionedDoc, offset: number): Required<Position> {
  const { line, col } = p.lineCounter.linePos(offset);
  return { line: line + p.yamlLine - 1, column: col };
}

function nodePosition(p: PositionedDoc, node: { range?: [number, number, number] | null } | null | undefined): Position {
  if (!node || !node.range) return { line: p.yamlLine, column: 1 };
  return offsetToPosition(p, node.range[0]);
}

function parsePositioned(file: string, split: SplitResult): ParsedFrontmatter {
  const p = parseYamlDocument(split.yaml, split.yamlLine);
  const diagnostics: Diagnostic[] = [];
  const base = { body: split.body, bodyLine: split.bodyLine, yaml: split.yaml, yamlLine: split.yamlLine, positioned: true, doc: p };

  for (const err of p.doc.errors) {
    const opened = openingOffset(split.yaml, err.message, err.pos[0]);
    const pos = offsetToPosition(p, opened ?? err.pos[0]);
    const rule = err.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax';
    const msg = cleanYamlMessage(err.message);
    diagnostics.push(diag(rule, file, opened === undefined ? msg : `${msg} (opened here, never closed)`, pos));
  }
  diagnostics.push(...duplicateKeys(p, file));
  const unsafe = unsafeYamlDiagnostics(p, file);
  diagnostics.push(...unsafe);
  const { isMap } = yamlLib();
  if (diagnostics.some((d) => d.severity === 'error') || unsafe.length) return { ...base, diagnostics };
  const contents = p.doc.contents;
  if (!isMap(contents)) {
    diagnostics.push(diag('frontmatter/not-mapping', file, 'The frontmatter must be a mapping of `key: value` pairs.', nodePosition(p, contents)));
    return { ...base, diagnostics };
  }
  const data = p.doc.toJS({ maxAliasCount: 0 }) as Record<string, unknown>;
  return { ...base, data, diagnostics };
}

/** Anchors, aliases, custom tags, complex keys and prototype keys in a parsed document, positioned (empty when safe). */
export function unsafeYamlDiagnostics(p: PositionedDoc, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { visit, isScalar } = yamlLib();
  visit(p.doc, {
    Alias(_key, node) {
      out.push(diag('yaml/alias', file, `Alias \`*${node.source}\` is not allowed in records.`, nodePosition(p, node)));
    },
    Node(_key, node) {
      const anchor = (node as { anchor?: string }).anchor;
      if (anchor) out.push(diag('yaml/alias', file, `Anchor \`&${anchor}\` is not allowed in records.`, nodePosition(p, node)));
      const tag = (node as { tag?: string }).tag;
      if (tag && !STANDARD_TAGS.has(tag) && hasExplicitTag(node)) {
        out.push(diag('yaml/custom-tag', file, `Tag \`${tag.replace('tag:yaml.org,2002:', '!!')}\` is not allowed in records.`, nodePosition(p, node)));
      }
    },
    Pair(_key, pair) {
      if (pair.key !== null && !isScalar(pair.key)) {
        out.push(diag('yaml/complex-key', file, 'A mapping key is a list or a mapping; keys must be plain words.', nodePosition(p, pair.key as YamlNode)));
      }
      if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
        out.push(diag('yaml/prototype-key', file, `Key \`${String(pair.key.value)}\` is refused.`, nodePosition(p, pair.key)));
      }
    },
  });
  return out;
}

/**
 * `yaml/duplicate-key` for every repeated key of every mapping, with a set per mapping (the
 * package's own check, off in `parseYamlDocument`, compares every key with every earlier one).
 * Keys are equal as the package's check has them: the same scalar value, type included.
 */
export function duplicateKeys(p: PositionedDoc, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { visit, isScalar } = yamlLib();
  visit(p.doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = pair.key;
        if (k !== null && !isScalar(k)) continue;
        const value = k === null ? null : k.value;
        const id = `${typeof value}:${String(value)}`;
        if (!seen.has(id)) seen.add(id);
        else out.push(diag('yaml/duplicate-key', file, 'Map keys must be unique', nodePosition(p, k as YamlNode | null)));
      }
    },
  });
  return out;
}

// An explicit tag is visible in the source text of the node's token; resolved core types are not.
function hasExplicitTag(node: unknown): boolean {
  const n = node as { srcToken?: { type?: string; props?: Array<{ type: string }> }; tag?: string };
  if (n.srcToken && Array.isArray(n.srcToken.props)) return n.srcToken.props.some((t) => t.type === 'tag');
  // Without source tokens assume explicit (fail closed).
  return true;
}

/**
 * For an unclosed flow collection or quote the parser reports the end of the text; the useful
 * position is where the bracket or quote was opened.
 */
function openingOffset(yamlText: string, message: string, offset: number): number | undefined {
  const opener = /Flow sequence/.test(message) ? '[' : /Flow mapping/.test(message) ? '{' : /closing "quote/.test(message) ? '"' : /closing 'quote/.test(message) ? "'" : undefined;
  if (!opener) return undefined;
  const at = yamlText.lastIndexOf(opener, Math.max(0, offset - 1));
  return at >= 0 ? at : undefined;
}

function cleanYamlMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

/**
 * Finds the YAML node at a data path (e.g. `['scores', 'accuracy']`) and returns its position.
 * When `key` is given, the position of that key within the mapping at `path` is returned
 * (for unknown-field errors). Falls back to the nearest existing ancestor.
 */
export function locate(p: PositionedDoc, path: ReadonlyArray<string | number>, key?: string): Position {
  const { isMap } = yamlLib();
  let node: unknown = p.doc.contents;
  let lastGood: unknown = node;
  for (const segment of path) {
    const next = childOf(node, segment);
    if (next === undefined) break;
    node = next.value ?? next.key;
    lastGood = node;
    if (next.value === undefined || next.value === null) {
      return nodePosition(p, next.key as YamlNode);
    }
  }
  if (key !== undefined && isMap(lastGood)) {
    const pair = pairOf(lastGood, key);
    if (pair) return nodePosition(p, pair.key as YamlNode);
  }
  return nodePosition(p, lastGood as YamlNode);
}

type YamlMap = import('yaml').YAMLMap<unknown, unknown>;
type YamlPair = import('yaml').Pair<unknown, unknown>;
const pairIndex = new WeakMap<YamlMap, Map<string, YamlPair>>();

/**
 * The first pair of a mapping with a scalar key equal to `key` (as a string). Indexed once per
 * mapping, so positioning every one of 100,000 unknown keys stays linear.
 */
function pairOf(map: YamlMap, key: string): YamlPair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    const { isPair, isScalar } = yamlLib();
    index = new Map();
    for (const it of map.items) {
      if (!isPair(it) || !isScalar(it.key)) continue;
      const k = String(it.key.value);
      if (!index.has(k)) index.set(k, it);
    }
    pairIndex.set(map, index);
  }
  return index.get(key);
}

function childOf(node: unknown, segment: string | number): { key?: unknown; value?: unknown } | undefined {
  const { isAlias, isMap, isSeq } = yamlLib();
  if (isMap(node)) {
    const pair = pairOf(node, String(segment));
    return pair ? { key: pair.key, value: pair.value } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: item, value: item };
  }
  if (isAlias(node)) return undefined;
  return undefined;
}

/** Splits an ajv/JSON-pointer instance path into segments (`/scores/0` -> ['scores', 0]). */
export function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

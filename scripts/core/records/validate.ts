/**
 * Validation: schema checks (ajv, all errors at once, mapped to the exact YAML node), record
 * checks (id safety, folder, score consistency) and cross-record checks (duplicate ids, links).
 * Pure: takes text and returns data plus diagnostics.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { capDiagnostics, diag, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import type { RuleId } from '../diagnostics/catalog.js';
import * as VALIDATORS from './validators.generated.js';
import { folderHintFor, folderPatternFor, isKind, KINDS, LINK_FIELDS, recordPath, type AnyRecord, type Kind } from './kinds.js';
import { locate, normaliseText, parseFrontmatter, parseYamlDocument, pointerToPath, splitFrontmatter, type PositionedDoc } from './parse.js';
import { computeOverall, decideTrigger, type Thresholds } from '../score/formulas.js';
import { isSafeId } from './ids.js';
import { withArticle } from '../diagnostics/words.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { SCHEMAS } from './schema-source.js';
import { schemaAt } from '../kinds/fragments.js';
import { isFlawless } from '../score/streak.js';
import { scanSecrets } from './secrets.js';

/**
 * The ajv validator for a record kind or `config`, compiled ahead of time by `npm run gen`
 * (`validators.generated.ts`; a test fails when it is stale).
 */
export function validatorFor(name: Kind | 'config'): ValidateFunction {
  return (VALIDATORS as unknown as Record<string, ValidateFunction>)[name]!;
}

/** A record that parsed and passed its schema. */
export interface ValidRecord<R extends AnyRecord = AnyRecord> {
  /** KB-relative path. */
  file: string;
  record: R;
  body: string;
  bodyLine: number;
}

/** The result of checking one file on its own. */
export interface FileCheck {
  file: string;
  valid?: ValidRecord;
  diagnostics: Diagnostic[];
  /** The id of a record that is invalid but whose id could be read (duplicate ids are still found). */
  readableId?: string;
}

/** Options for checking a single file. */
export interface CheckOptions {
  thresholds?: Thresholds;
  /** Skip the folder check (e.g. for records read from stdin). */
  skipFolder?: boolean;
  maxBytes?: number;
  /** Parse with the positioned parser even when the fast one could (tests compare the two). */
  positioned?: boolean;
}

/** Default maximum record size (1 MiB). */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/**
 * Checks one record file: frontmatter, kind, schema, id safety, folder, score consistency.
 * `file` is the path relative to the knowledge-base root (used for folder rules and messages);
 * `displayFile` is what diagnostics show (repo-relative), defaulting to `file`.
 */
export function checkRecordText(file: string, text: string, opts: CheckOptions = {}, displayFile = file): FileCheck {
  const check = checkUncapped(file, text, opts, displayFile);
  // A file with 100,000 unknown keys is reported by its first problems and a count.
  return { ...check, diagnostics: capDiagnostics(check.diagnostics) };
}

function checkUncapped(file: string, text: string, opts: CheckOptions, displayFile: string): FileCheck {
  const check = checkParsed(file, text, opts, displayFile);
  if (check.diagnostics.some((d) => d.rule === 'file/too-large')) return check;
  // Secrets wherever they are (frontmatter or body), reported with every other problem.
  const secrets = scanSecrets(displayFile, text);
  if (!secrets.length) return check;
  return { file: check.file, diagnostics: [...check.diagnostics, ...secrets] };
}

function checkParsed(file: string, text: string, opts: CheckOptions, displayFile: string): FileCheck {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    return {
      file: displayFile,
      diagnostics: [diag('file/too-large', displayFile, `The file is ${Buffer.byteLength(text, 'utf8')} bytes; the limit is ${maxBytes}.`, { line: 1, column: 1 })],
    };
  }
  let parsed = parseFrontmatter(displayFile, text, opts.positioned === true);
  if (!parsed.data) return { file: displayFile, diagnostics: parsed.diagnostics };
  let problems = quickProblems(parsed.data);
  if (problems && !parsed.positioned) {
    // Something to report: re-parse with positions so every diagnostic points at its node.
    parsed = parseFrontmatter(displayFile, text, true);
    if (!parsed.data) return { file: displayFile, diagnostics: parsed.diagnostics };
    problems = quickProblems(parsed.data);
  }
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const data = parsed.data;
  let positioned: PositionedDoc | undefined = parsed.doc;
  const pos = (path: ReadonlyArray<string | number>, key?: string) => {
    positioned ??= parseYamlDocument(parsed.yaml, parsed.yamlLine);
    return locate(positioned, path, key);
  };

  // An invalid record whose id can be read still takes part in the id checks, so every problem shows at once.
  const invalid = (): FileCheck => {
    const id = typeof data.id === 'string' && isSafeId(data.id) ? data.id : undefined;
    if (!id) return { file: displayFile, diagnostics };
    if (!opts.skipFolder) diagnostics.push(...fileNameCheck(file, displayFile, id, pos));
    return { file: displayFile, diagnostics, readableId: id };
  };
  if (!isKind(data.kind)) {
    const found = data.kind === undefined ? 'missing' : JSON.stringify(data.kind);
    diagnostics.push(diag('schema/kind', displayFile, `\`kind\` is ${found}; expected one of ${KINDS.join(', ')}.`, pos(data.kind === undefined ? [] : ['kind'])));
    return invalid();
  }
  const kind = data.kind;
  const validate = validatorFor(kind);
  if (!validate(data)) {
    for (const d of schemaDiagnostics(displayFile, validate.errors ?? [], pos, data)) diagnostics.push(d);
    return invalid();
  }
  const record = data as unknown as AnyRecord;
  diagnostics.push(...recordChecks(file, displayFile, record, pos, opts));
  const hasError = diagnostics.some((d) => d.severity === 'error');
  return {
    file: displayFile,
    valid: hasError ? undefined : { file: displayFile, record, body: parsed.body, bodyLine: parsed.bodyLine },
    diagnostics,
  };
}

/** Cheap pre-check: is anything going to be reported for this data? */
function quickProblems(data: Record<string, unknown>): boolean {
  if (!isKind(data.kind)) return true;
  return !validatorFor(data.kind)(data);
}

type Locator = (path: ReadonlyArray<string | number>, key?: string) => { line?: number; column?: number };

/**
 * Maps ajv errors to catalogued diagnostics at the exact YAML node. `schema` (the root schema
 * validated against; default: the kind's, from `data.kind`) lets hints name the fields nearby.
 */
export function schemaDiagnostics(file: string, errors: readonly ErrorObject[], pos: Locator, data: unknown, schema?: object): Diagnostic[] {
  const root = schema ?? (isKind((data as { kind?: unknown } | null)?.kind) ? SCHEMAS[(data as { kind: Kind }).kind] : undefined);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const err of collapse(errors)) {
    const path = pointerToPath(err.instancePath);
    const value = valueAt(data, path);
    const { rule, message, at } = explainError(err, path, value, pos);
    const key = `${rule}|${at.line}|${at.column}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diag(rule, file, message, { ...at, hint: hintFor(rule, err, value, path, root) }));
  }
  return out;
}

/** The catalogued rule, message and position of one ajv error. */
function explainError(err: ErrorObject, path: Array<string | number>, value: unknown, pos: Locator): { rule: RuleId; message: string; at: Position } {
  const name = path.length ? path.join('.') : '(record)';
  const at = pos(path);
  switch (err.keyword) {
    case 'required': {
      const missing = String((err.params as { missingProperty: string }).missingProperty);
      return { rule: 'schema/required', message: `Required field \`${missing}\` is missing from ${path.length ? `\`${name}\`` : 'the record'}.`, at };
    }
    case 'additionalProperties': {
      const extra = String((err.params as { additionalProperty: string }).additionalProperty);
      return { rule: 'schema/unknown-field', message: `Unknown field \`${path.length ? `${name}.` : ''}${extra}\`.`, at: pos(path, extra) };
    }
    case 'type':
      return { rule: 'schema/type', message: `\`${name}\` must be ${article(String((err.params as { type: string | string[] }).type))} (found ${describe(value)}).`, at };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { rule: 'schema/range', message: `\`${name}\` ${err.message} (found ${describe(value)}).`, at };
    case 'enum': {
      const allowed = ((err.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ');
      // A key that is not one of the names a mapping may have (JSON Schema `propertyNames`).
      const key = (err as ErrorObject & { propertyName?: string }).propertyName;
      if (key !== undefined) return { rule: 'schema/enum', message: `\`${name}\` has the key \`${key}\`; allowed: ${allowed}.`, at: pos(path, key) };
      return { rule: 'schema/enum', message: `\`${name}\` is ${describe(value)}; allowed: ${allowed}.`, at };
    }
    case 'const':
      return {
        rule: path[0] === 'kind' ? 'schema/kind' : 'schema/enum',
        message: `\`${name}\` must be ${JSON.stringify((err.params as { allowedValue: unknown }).allowedValue)} (found ${describe(value)}).`,
        at,
      };
    case 'pattern':
    case 'format': {
      const rule = path[path.length - 1] === 'id' || (path.length >= 2 && typeof path[path.length - 1] === 'number') ? idRuleFor(path) : 'schema/format';
      return { rule, message: `\`${name}\` has an invalid format (found ${describe(value)}).`, at };
    }
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return { rule: 'schema/length', message: `\`${name}\` ${err.message}.`, at };
    case 'uniqueItems':
      return { rule: 'schema/invalid', message: `\`${name}\` has duplicate items.`, at };
    default:
      return { rule: 'schema/invalid', message: `\`${name}\` ${err.message ?? 'is invalid'}.`, at };
  }
}

/** Fields whose values are ids: a record's own id and the top-level field of every link field. */
const ID_FIELDS = new Set(['id', ...KINDS.flatMap((k) => LINK_FIELDS[k].map((f) => f.path[0]!))]);

function idRuleFor(path: Array<string | number>): RuleId {
  const field = path.find((s) => typeof s === 'string');
  return field && ID_FIELDS.has(field) ? 'id/unsafe' : 'schema/format';
}

function hintFor(rule: RuleId, err: ErrorObject, value: unknown, path: ReadonlyArray<string | number>, root: object | undefined): string | undefined {
  if (rule === 'schema/enum') {
    const allowed = ((err.params as { allowedValues?: unknown[] }).allowedValues ?? []).filter((v) => v !== null).map((v) => String(v));
    const key = (err as ErrorObject & { propertyName?: string }).propertyName;
    const close = key !== undefined ? didYouMean(key, allowed) : typeof value === 'string' ? didYouMean(value, allowed) : undefined;
    return `${close ? `Did you mean \`${close}\`? ` : ''}Use one of: ${allowed.join(', ')}.`;
  }
  if (rule === 'schema/unknown-field') return unknownFieldHint(err, path, root);
  // A malformed id, time or vocabulary term: the schema's description of the field says the format.
  if (rule === 'schema/format') {
    const description = schemaAt(root, path)?.description;
    if (typeof description === 'string') return description;
  }
  return undefined;
}

/**
 * An unknown field is usually a typo or a field one level off (`dependencies` belongs under
 * `pre`): say which, from the schema of the object that holds it (found by the instance path, so
 * shared fragments are followed).
 */
function unknownFieldHint(err: ErrorObject, path: ReadonlyArray<string | number>, root: object | undefined): string | undefined {
  const extra = String((err.params as { additionalProperty: string }).additionalProperty);
  const parent = schemaAt(root, path);
  const props = Object.fromEntries(Object.entries((parent?.properties ?? {}) as Record<string, unknown>).map(([k, v]) => [k, schemaAt(v, [])?.properties as Record<string, unknown> | undefined]));
  const home = Object.keys(props)
    .filter((k) => props[k] && Object.hasOwn(props[k]!, extra))
    .sort();
  if (home.length) return `\`${extra}\` belongs under \`${home[0]}\`: write it as \`${home[0]}: { ${extra}: … }\` (JSON: {"${home[0]}": {"${extra}": …}}).`;
  const close = didYouMean(extra, Object.keys(props));
  return close ? `Did you mean \`${close}\`? Otherwise remove the field; the schema does not allow extra fields.` : undefined;
}

// oneOf/anyOf produce noise: keep the most specific errors.
function collapse(errors: readonly ErrorObject[]): ErrorObject[] {
  // `propertyNames` repeats the error of the key it names (reported below as a key not allowed).
  return errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'propertyNames');
}

function valueAt(data: unknown, path: Array<string | number>): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // JSON would say null
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function article(type: string): string {
  const t = type.replace(',', ' or ');
  if (t === 'integer') return 'an integer';
  if (t === 'object') return 'a mapping';
  if (t === 'array') return 'a list';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** `id/filename`: the file must be named after the id. */
function fileNameCheck(file: string, displayFile: string, id: string, pos: Locator): Diagnostic[] {
  const base = file.split('/').pop() ?? file;
  if (base === `${id}.md`) return [];
  return [diag('id/filename', displayFile, `The file name \`${base}\` does not match the id \`${id}\`.`, { ...pos(['id']), hint: `Rename the file to ${id}.md.` })];
}

function recordChecks(file: string, displayFile: string, record: AnyRecord, pos: Locator, opts: CheckOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!opts.skipFolder) {
    if (!folderPatternFor(record.kind).test(file)) {
      out.push(
        diag('path/wrong-folder', displayFile, `A ${record.kind} record does not belong in \`${file.split('/').slice(0, -1).join('/') || '.'}\`.`, {
          ...pos(['kind']),
          hint: `Move it to ${folderHintFor(record.kind)}.`,
        }),
      );
    } else if (record.kind === 'pattern') {
      const folder = file.split('/')[2];
      const expected = { 'architectural-decision': 'architectural-decisions', 'component-pattern': 'component-patterns', 'integration-gotcha': 'integration-gotchas' }[record.category];
      if (folder !== expected) {
        out.push(
          diag('path/wrong-folder', displayFile, `A pattern with category \`${record.category}\` belongs in memory/long-term/${expected}/.`, {
            ...pos(['category']),
            hint: `Move it to memory/long-term/${expected}/${record.id}.md or change its category.`,
          }),
        );
      }
    }
    out.push(...fileNameCheck(file, displayFile, record.id, pos));
  }
  if (record.kind === 'execution') {
    const expected = computeOverall(record.scores);
    if (Math.abs(expected - record.overall) > 0.05) {
      out.push(diag('score/overall-mismatch', displayFile, `\`overall\` is ${record.overall} but the mean of its scores is ${expected}.`, pos(['overall'])));
    }
    if (record.trigger !== undefined && opts.thresholds) {
      const want = decideTrigger(record.scores, opts.thresholds).action;
      // A flawless success may carry extract_template from the success streak (scripts/core/score/streak.ts),
      // which needs the history to check; one record on its own cannot contradict it.
      const streak = want === null && record.trigger === 'extract_template' && isFlawless(record);
      if (want !== record.trigger && !streak) {
        out.push(diag('score/trigger-mismatch', displayFile, `\`trigger\` is ${JSON.stringify(record.trigger)} but the thresholds give ${JSON.stringify(want)}.`, pos(['trigger'])));
      }
    }
    if (Date.parse(record.started_at) > Date.parse(record.created_at) + 1000) {
      out.push(diag('time/order', displayFile, '`started_at` is after `created_at`.', pos(['started_at'])));
    }
  }
  return out;
}

/** A record reference used by the cross-record checks. */
export interface RecordRef {
  file: string;
  kbFile?: string;
  record: AnyRecord;
}

/** An invalid record whose id could be read: it still counts for duplicate ids. */
export interface IdRef {
  file: string;
  id: string;
}

/**
 * Which of the valid records sharing an id stays in the build: the only one at its own path
 * (`recordPath`), else the only valid one; undefined when that does not pick exactly one. A copy
 * of a record (or a hostile file claiming its id) must not take the original out of recall.
 */
function duplicateKeeper(valid: readonly RecordRef[]): string | undefined {
  const atHome = valid.filter((r) => {
    const home = recordPath(r.record);
    return (r.kbFile ?? r.file) === home || r.file.endsWith(`/${home}`);
  });
  if (atHome.length === 1) return atHome[0]!.file;
  return atHome.length === 0 && valid.length === 1 ? valid[0]!.file : undefined;
}

/**
 * Cross-record checks: duplicate ids over every record whose id can be read (valid ones and
 * `invalid` ones), links to missing ids from the valid records. `locateIn(file, path)` positions
 * a diagnostic (re-reading the file lazily).
 */
export function crossRecordChecks(
  records: readonly RecordRef[],
  locateIn: (file: string, path: ReadonlyArray<string | number>) => { line?: number; column?: number },
  invalid: readonly IdRef[] = [],
): Diagnostic[] {
  const byId = groupBy(records, (r) => r.record.id);
  const filesById = groupBy([...records.map((r) => ({ id: r.record.id, file: r.file })), ...invalid], (r) => r.id);
  const out: Diagnostic[] = [];
  for (const [id, refs] of filesById) {
    if (refs.length > 1)
      out.push(
        ...duplicateIdChecks(
          id,
          refs.map((r) => r.file),
          byId.get(id) ?? [],
          locateIn,
        ),
      );
  }
  for (const r of records) out.push(...linkChecks(r, byId, locateIn));
  return capDiagnostics(out);
}

type LocateIn = (file: string, path: ReadonlyArray<string | number>) => { line?: number; column?: number };

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(key(item));
    if (list) list.push(item);
    else out.set(key(item), [item]);
  }
  return out;
}

/** One `id/duplicate` per file claiming `id`: which copy is kept (a warning there), or none. */
function duplicateIdChecks(id: string, list: readonly string[], valid: readonly RecordRef[], locateIn: LocateIn): Diagnostic[] {
  const files = [...list].sort();
  const kept = duplicateKeeper(valid);
  return list.map((file) => {
    // Name a few of the others: 10,000 records sharing an id must not make 10,000 long messages.
    const others = files
      .slice(0, 6)
      .filter((f) => f !== file)
      .slice(0, 5);
    const rest = files.length - 1 - others.length;
    const also = `Id \`${id}\` is also used by ${others.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
    if (kept === undefined) return diag('id/duplicate', file, `${also}; none of them is used until the id is unique.`, locateIn(file, ['id']));
    if (file === kept) return diag('id/duplicate', file, `${also}; this record is kept (it is the one at its own path), the others are left out.`, { ...locateIn(file, ['id']), severity: 'warning' });
    return diag('id/duplicate', file, `${also}; this copy is left out and ${kept} is kept.`, locateIn(file, ['id']));
  });
}

/** `link/missing` for every link of one record to an id that does not exist or is of a kind the field does not take. */
function linkChecks(r: RecordRef, byId: ReadonlyMap<string, RecordRef[]>, locateIn: LocateIn): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const field of LINK_FIELDS[r.record.kind]) {
    const list = valueAt(r.record, field.path);
    if (!Array.isArray(list)) continue;
    const name = field.path.join('.');
    list.forEach((target, i) => {
      if (typeof target !== 'string') return;
      const hit = byId.get(target);
      const at = (): { line?: number; column?: number } => locateIn(r.file, [...field.path, i]);
      if (!hit) out.push(diag('link/missing', r.file, `\`${name}\` links to \`${target}\`, which does not exist.`, at()));
      else if (field.to && !hit.some((h) => field.to!.includes(h.record.kind))) {
        const found = `which is ${withArticle(hit[0]!.record.kind)}, not ${field.to.map(withArticle).join(' or ')}`;
        out.push(diag('link/missing', r.file, `\`${name}\` links to \`${target}\`, ${found}.`, at()));
      }
    });
  }
  return out;
}

/**
 * A locator of data paths inside one record's text: the text is parsed once, on the first
 * call, and every later call is a lookup (a record with 50,000 broken links is parsed once, not
 * once per link).
 */
export function textLocator(text: string): (path: ReadonlyArray<string | number>) => { line?: number; column?: number } {
  let p: PositionedDoc | null | undefined;
  return (path) => {
    if (p === undefined) {
      const split = splitFrontmatter('', normaliseText(text));
      p = 'rule' in split ? null : parseYamlDocument(split.yaml, split.yamlLine);
    }
    return p ? locate(p, path) : {};
  };
}

/** Positions a data path inside a record's text (used lazily for cross-record diagnostics). */
export function locateInText(text: string, path: ReadonlyArray<string | number>): { line?: number; column?: number } {
  return textLocator(text)(path);
}

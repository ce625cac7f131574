/**
 * Turning parsed entries into proposed records. Pure: ids come from the content digest, so
 * importing the same source twice finds the same ids and writes nothing new; near-duplicates of
 * existing learnings (token-set Jaccard) are reported for merging instead of written.
 */
import { createHash } from 'node:crypto';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RecordRow } from '../records/table.js';
import type { AnyRecord } from '../records/kinds.js';
import { isLifecycleKind, recordPath } from '../records/kinds.js';
import { ID_PREFIX } from '../records/ids.js';
import { renderRecord } from '../records/write.js';
import { checkRecordText } from '../records/validate.js';
import { findSecrets, secretDiagnostic } from '../records/secrets.js';
import type { ImportEntry, ImportFormat } from './parsers.js';

/** One source file to import: display path and text. */
export interface ImportSource {
  /** Path shown in diagnostics and stored in `provenance.source`. */
  file: string;
  text: string;
}

/** A record the import would write. */
export interface PlannedRecord {
  id: string;
  kind: AnyRecord['kind'];
  /** KB-relative path. */
  path: string;
  content: string;
  /** Where it came from: `file:line`. */
  source: string;
}

/** Options of the import plan. */
export interface ImportPlanOptions {
  /** `created_at` / `provenance.imported_at` of new records (ISO). */
  now: string;
  /** Jaccard similarity at or above which an entry is a near-duplicate (default 0.8). */
  nearDuplicate?: number;
}

/** The plan: records to write, plus every problem and skipped entry. */
export interface ImportPlan {
  records: PlannedRecord[];
  diagnostics: Diagnostic[];
  /** Entries skipped because the same content was imported before. */
  duplicates: number;
  /** Entries skipped as near-duplicates of existing learnings. */
  nearDuplicates: number;
  /** Entries skipped because their lines hold a secret. */
  secrets: number;
}

const STOP = new Set(['a', 'an', 'the', 'and', 'or', 'to', 'of', 'in', 'on', 'for', 'is', 'are', 'be', 'it', 'with', 'as', 'at', 'by', 'this', 'that']);

/** Lower-case word tokens minus stop words: the set near-duplicate detection compares. */
export function tokenSet(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((t) => !STOP.has(t)));
}

/** Jaccard similarity of two token sets (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (!a.size && !b.size) return 0;
  let inter = 0;
  for (const t of a) if (b.has(t)) inter += 1;
  return inter / (a.size + b.size - inter);
}

/** Content digest of an entry: kind plus the normalised statement. */
export function entryDigest(entry: Pick<ImportEntry, 'kind' | 'statement'>): string {
  const norm = entry.statement.toLowerCase().replace(/\s+/g, ' ').trim();
  return `sha256:${createHash('sha256').update(`${entry.kind}\n${norm}`).digest('hex')}`;
}

/** Stable id from the digest, e.g. `rule-imp-3f2a…`. */
export function importId(entry: Pick<ImportEntry, 'kind' | 'statement'>): string {
  return `${ID_PREFIX[entry.kind]}-imp-${entryDigest(entry).slice(7, 27)}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function statementOf(row: RecordRow): string | undefined {
  const d = row.data as { statement?: string; summary?: string };
  return d.statement ?? d.summary;
}

/** Builds the record for an entry (status is always `proposed`: nothing skips review). */
export function entryRecord(entry: ImportEntry, format: ImportFormat, source: string, now: string): AnyRecord {
  const id = importId(entry);
  const provenance = { source: clip(source, 500), format, imported_at: now, digest: entryDigest(entry) };
  const common = {
    id,
    created_at: now,
    ...(entry.title ? { title: clip(entry.title, 300) } : {}),
    ...(entry.tags?.length ? { tags: entry.tags } : {}),
    status: 'proposed' as const,
    provenance,
    ...(entry.about?.length ? { about: entry.about.slice(0, 100).map((a) => clip(a, 300)) } : {}),
  };
  const statement = clip(entry.statement, 1000);
  if (entry.kind === 'rule') {
    return {
      kind: 'rule',
      ...common,
      statement,
      ...(entry.rationale ? { rationale: clip(entry.rationale, 4000) } : {}),
      ...(entry.paths?.length ? { applies_to: { paths: entry.paths.map((p) => clip(p, 300)) } } : {}),
      ...(entry.topic ? { topic: entry.topic } : {}),
    } as AnyRecord;
  }
  if (entry.kind === 'pattern') {
    return {
      kind: 'pattern',
      ...common,
      pattern_type: entry.patternType ?? 'gotcha',
      category: entry.category ?? 'integration-gotcha',
      ...(entry.topic ? { domain: entry.topic } : {}),
      statement,
    } as AnyRecord;
  }
  return { kind: 'assumption', ...common, statement } as AnyRecord;
}

/** What the plan already holds: ids, content digests and the statements of learnings (for near-duplicates). */
interface Seen {
  ids: Set<string>;
  digests: Set<unknown>;
  known: Array<{ id: string; tokens: Set<string> }>;
}

function seenIn(existing: readonly RecordRow[]): Seen {
  const known: Seen['known'] = [];
  for (const row of existing) {
    if (!isLifecycleKind(row.kind)) continue;
    const s = statementOf(row);
    if (s) known.push({ id: row.id, tokens: tokenSet(s) });
  }
  return { ids: new Set(existing.map((r) => r.id)), digests: new Set(existing.map((r) => (r.data as { provenance?: { digest?: string } }).provenance?.digest).filter(Boolean)), known };
}

/** One entry's fate: a record to write, or why not (a diagnostic and the counter it adds to). */
type EntryPlan = { record: PlannedRecord; tokens: Set<string>; digest: string } | { skip: Diagnostic; count?: 'duplicates' | 'nearDuplicates' | 'secrets' };

function planEntry(entry: ImportEntry, format: ImportFormat, file: string, seen: Seen, opts: ImportPlanOptions): EntryPlan {
  const where = `${file}:${entry.line}`;
  const at = { line: entry.line, column: 1 };
  const id = importId(entry);
  const digest = entryDigest(entry);
  if (seen.ids.has(id) || seen.digests.has(digest)) return { skip: diag('import/duplicate', file, `Already imported as \`${id}\`.`, at), count: 'duplicates' };
  const tokens = tokenSet(entry.statement);
  const threshold = opts.nearDuplicate ?? 0.8;
  const near = seen.known
    .map((k) => ({ id: k.id, score: jaccard(tokens, k.tokens) }))
    .filter((k) => k.score >= threshold)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))[0];
  if (near) {
    return {
      skip: diag('import/near-duplicate', file, `"${clip(entry.statement, 120)}" is nearly the same as \`${near.id}\` (similarity ${near.score.toFixed(2)}); merge them by hand.`, at),
      count: 'nearDuplicates',
    };
  }
  const record = entryRecord(entry, format, where, opts.now);
  const path = recordPath(record);
  const content = renderRecord(record, entry.body ?? '');
  // Defence in depth: the record as it would be written, scanned on its own.
  const inRecord = findSecrets(content);
  if (inRecord.length) {
    return {
      skip: diag(
        'secret/detected',
        file,
        `The entry starting on line ${entry.line} would write what looks like a secret into ${path} (${[...new Set(inRecord.map((f) => f.rule))].join(', ')}); it was not imported.`,
        at,
      ),
      count: 'secrets',
    };
  }
  const errors = checkRecordText(path, content).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return { skip: diag('import/format', file, `The entry could not become a valid ${entry.kind}: ${errors.map((e) => e.message).join(' ')}`, at) };
  return { record: { id, kind: record.kind, path, content, source: where }, tokens, digest };
}

/**
 * Plans an import: for every entry, skip it when its lines hold a secret, when the same content
 * exists (same id or digest), or when it nearly repeats an existing learning; otherwise render
 * a proposed record and check it against its schema before it may be written.
 */
export function planImport(
  format: ImportFormat,
  parsed: ReadonlyArray<{ source: ImportSource; entries: readonly ImportEntry[] }>,
  existing: readonly RecordRow[],
  opts: ImportPlanOptions,
): ImportPlan {
  const plan: ImportPlan = { records: [], diagnostics: [], duplicates: 0, nearDuplicates: 0, secrets: 0 };
  const seen = seenIn(existing);
  for (const { source, entries } of parsed) {
    // Lines as the parsers count them (any line ending); a secret wrapped over lines holds every
    // entry it touches.
    const secrets = findSecrets(source.text).map((f) => ({ from: f.line, to: f.endLine, d: secretDiagnostic(source.file, f) }));
    const reported = new Set<Diagnostic>();
    for (const entry of entries) {
      const hits = secrets.filter((s) => s.from <= entry.endLine && s.to >= entry.line).map((s) => s.d);
      if (hits.length) {
        plan.secrets += 1;
        for (const d of hits.filter((h) => !reported.has(h))) {
          reported.add(d);
          plan.diagnostics.push({ ...d, message: `${d.message} The entry starting on line ${entry.line} was not imported.` });
        }
        continue;
      }
      const e = planEntry(entry, format, source.file, seen, opts);
      if ('skip' in e) {
        if (e.count) plan[e.count] += 1;
        plan.diagnostics.push(e.skip);
        continue;
      }
      seen.ids.add(e.record.id);
      seen.digests.add(e.digest);
      seen.known.push({ id: e.record.id, tokens: e.tokens });
      plan.records.push(e.record);
    }
  }
  return plan;
}

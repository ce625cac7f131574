/**
 * Turning parsed entries into proposed records. Pure: ids come from the content digest, so
 * importing the same source twice finds the same ids and writes nothing new; near-duplicates of
 * existing learnings (token-set Jaccard) are reported for merging instead of written.
 */
import { createHash } from 'node:crypto';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RecordRow } from '../records/table.js';
import type { AnyRecord } from '../records/kinds.js';
import { recordPath } from '../records/kinds.js';
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
  const threshold = opts.nearDuplicate ?? 0.8;
  const ids = new Set(existing.map((r) => r.id));
  const digests = new Set(existing.map((r) => (r.data as { provenance?: { digest?: string } }).provenance?.digest).filter(Boolean));
  const known: Array<{ id: string; tokens: Set<string> }> = [];
  for (const row of existing) {
    if (row.kind !== 'rule' && row.kind !== 'pattern' && row.kind !== 'assumption' && row.kind !== 'template') continue;
    const s = statementOf(row);
    if (s) known.push({ id: row.id, tokens: tokenSet(s) });
  }
  for (const { source, entries } of parsed) {
    // Lines as the parsers count them (any line ending); a secret wrapped over lines holds every
    // entry it touches.
    const secrets = findSecrets(source.text).map((f) => ({ from: f.line, to: f.endLine, d: secretDiagnostic(source.file, f) }));
    const reported = new Set<Diagnostic>();
    for (const entry of entries) {
      const where = `${source.file}:${entry.line}`;
      const hits = secrets.filter((s) => s.from <= entry.endLine && s.to >= entry.line).map((s) => s.d);
      if (hits.length) {
        plan.secrets += 1;
        for (const d of hits) {
          if (reported.has(d)) continue;
          reported.add(d);
          plan.diagnostics.push({ ...d, message: `${d.message} The entry starting on line ${entry.line} was not imported.` });
        }
        continue;
      }
      const id = importId(entry);
      const digest = entryDigest(entry);
      if (ids.has(id) || digests.has(digest)) {
        plan.duplicates += 1;
        plan.diagnostics.push(diag('import/duplicate', source.file, `Already imported as \`${id}\`.`, { line: entry.line, column: 1 }));
        continue;
      }
      const tokens = tokenSet(entry.statement);
      const near = known.map((k) => ({ id: k.id, score: jaccard(tokens, k.tokens) })).filter((k) => k.score >= threshold).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))[0];
      if (near) {
        plan.nearDuplicates += 1;
        plan.diagnostics.push(
          diag('import/near-duplicate', source.file, `"${clip(entry.statement, 120)}" is nearly the same as \`${near.id}\` (similarity ${near.score.toFixed(2)}); merge them by hand.`, { line: entry.line, column: 1 }),
        );
        continue;
      }
      const record = entryRecord(entry, format, where, opts.now);
      const path = recordPath(record);
      const content = renderRecord(record, entry.body ?? '');
      // Defence in depth: the record as it would be written, scanned on its own.
      const inRecord = findSecrets(content);
      if (inRecord.length) {
        plan.secrets += 1;
        plan.diagnostics.push(diag('secret/detected', source.file, `The entry starting on line ${entry.line} would write what looks like a secret into ${path} (${[...new Set(inRecord.map((f) => f.rule))].join(', ')}); it was not imported.`, { line: entry.line, column: 1 }));
        continue;
      }
      const check = checkRecordText(path, content);
      const errors = check.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length) {
        plan.diagnostics.push(diag('import/format', source.file, `The entry could not become a valid ${entry.kind}: ${errors.map((e) => e.message).join(' ')}`, { line: entry.line, column: 1 }));
        continue;
      }
      ids.add(id);
      digests.add(digest);
      known.push({ id, tokens });
      plan.records.push({ id, kind: record.kind, path, content, source: where });
    }
  }
  return plan;
}

/**
 * Segments: the unit of incremental work. Every knowledge-base file belongs to one segment by a
 * hash of its path, and every per-record output (table shard, recall segment, parse
 * cache) is written per segment. A one-record change therefore re-reads, re-indexes and rewrites
 * one segment; everything global (cross-record checks, aggregates, vocabulary) is computed from
 * the slim per-file index entries, never from whole records or bodies.
 */
import { displayPath, type Workspace } from '../core/workspace.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import { checkKbFile } from './check-kb.js';
import { fieldsOf, LINK_FIELDS, linkIds, type AnyRecord } from '../core/records/kinds.js';
import { docTerms, vocabularyOf } from '../core/recall/terms.js';
import { sha1 } from './digest.js';
import { dict } from '../core/dict.js';
import { indexText, toSearchDoc, type SearchDoc } from '../core/recall/search-docs.js';
import { aggregatePartial, type AggPartial } from '../core/aggregates.js';
import type { RecordRow } from '../core/records/table.js';

export { SEGMENT_SIZE, segmentCount, segmentOf, segName, segmentSources, type SegmentSources } from './layout.js';

/**
 * The part of a record the global passes need: id, kind, status, the link fields (cross-record
 * checks) and, for executions, the fields the aggregates read. Small on purpose: these are loaded
 * for every record on every build. Typed as the record it was projected from so the cross-record
 * checks and aggregates read it with the record's own types; only the fields named here are
 * present (`slimOf` is the one place that decides, and the incremental-equals-full tests would
 * catch a reader that needs another field).
 */
export type SlimRecord = AnyRecord;

const EXECUTION_FIELDS = ['started_at', 'outcome', 'scores', 'overall', 'duration_s', 'errors', 'reused', 'task_type', 'component', 'domains', 'agent'] as const;

/** Projects a record onto the fields the global passes read. */
export function slimOf(data: AnyRecord): SlimRecord {
  const src = fieldsOf(data);
  const out: Record<string, unknown> = { id: data.id, kind: data.kind };
  if (typeof src.status === 'string') out.status = src.status;
  if (data.kind === 'execution') for (const k of EXECUTION_FIELDS) if (src[k] !== undefined) out[k] = src[k];
  for (const field of LINK_FIELDS[data.kind]) {
    let from: unknown = src;
    for (const key of field.path) from = from && typeof from === 'object' ? (from as Record<string, unknown>)[key] : undefined;
    if (!Array.isArray(from)) continue;
    let to = out;
    field.path.forEach((key, i) => {
      if (i === field.path.length - 1) to[key] = from;
      else to = (to[key] ??= {}) as Record<string, unknown>;
    });
  }
  return out as unknown as SlimRecord;
}

/** A short hash of a record's id, kind and link values: equal signatures, equal cross-checks. */
export function crossSignature(slim: SlimRecord): string {
  const src = fieldsOf(slim);
  const links = LINK_FIELDS[slim.kind].map((field) => linkIds(src, field));
  return sha1(JSON.stringify([slim.id, slim.kind, links])).slice(0, 16);
}

/** What the cache index remembers about every file (loaded on every build). */
export interface IndexEntry {
  /** KB-relative path. */
  f: string;
  /** Blob id of the content that produced this entry. */
  b: string;
  /** Single-file diagnostics. */
  d: Diagnostic[];
  /** The slim record when the file holds a valid record (before cross-record checks). */
  s?: SlimRecord;
  /** Vocabulary entries of the record (`component:x`, `domain:y`, ...), for recall's intent parser. */
  v?: string[];
  /** Token count of the record's search document (recall's BM25 length). */
  l?: number;
  /** Signature of what the cross-record checks read (id, kind, links): see `crossSignature`. */
  c?: string;
  /** The id of an invalid record that could still be read (it counts for duplicate ids). */
  i?: string;
}

/** What a segment's cache file holds about a valid record (loaded only for segments being rebuilt). */
export interface SegEntry {
  f: string;
  b: string;
  data: AnyRecord;
  body: string;
  /** The search document, without cross-record links. */
  doc: SearchDoc;
  /** Term frequencies of the search document, flattened `[term, n, term, n, ...]`. */
  tf: Array<string | number>;
}

/** The result of checking one file. */
export interface ParsedFile {
  index: IndexEntry;
  seg?: SegEntry;
}

/** Checks and analyses one file: diagnostics, record, slim projection, search doc and terms. */
export function parseFile(ws: Workspace, file: string, blob: string, buf: Buffer | undefined): ParsedFile {
  const check = checkKbFile(ws, file, buf);
  const index: IndexEntry = { f: file, b: blob, d: check.diagnostics };
  if (!check.valid) {
    if (check.readableId) index.i = check.readableId;
    return { index };
  }
  const data = check.valid.record;
  const body = check.valid.body;
  const row = { id: data.id, kind: data.kind, file: displayPath(ws, file), data, body };
  const doc = toSearchDoc(row);
  const terms = docTerms(doc, indexText(row, doc));
  const tf: Array<string | number> = [];
  for (const [t, n] of terms.tf) tf.push(t, n);
  index.s = slimOf(data);
  index.c = crossSignature(index.s);
  index.v = vocabularyOf(doc);
  index.l = terms.length;
  return { index, seg: { f: file, b: blob, data, body, doc, tf } };
}

/**
 * What one segment contributes to the global outputs, computed from its index entries alone and
 * kept in the cache (`sum-NNN.json`): a build merges these instead of passing over every record,
 * so a one-record change recomputes one summary. Valid while the segment's content (`src`) and
 * its files dropped by the cross-record checks (`bad`) are unchanged.
 */
export interface SegSummary {
  /** `segmentSources` hash of the content this was computed from. */
  src: string;
  /** Hash of the valid files' cross signatures (see `crossSignature`). */
  cross: string;
  /** KB-relative files of the segment the cross-record checks dropped, sorted. */
  bad: string[];
  /** Single-file diagnostics of the segment's files. */
  diag: Diagnostic[];
  /** Sum of the rows' token counts (recall's BM25 lengths). */
  len: number;
  /** Vocabulary entries (`component:x`) of the rows -> number of rows using them. */
  vocab: Record<string, number>;
  /** Ids of the executions among the rows, in path order (reflection links attach to them). */
  exec: string[];
  /** `[execution id, reflection id]` for every execution a row reflection is about. */
  links: Array<[string, string]>;
  /** Hash of the rows' (file, blob) pairs. */
  rows: string;
  /** The rows' part of the aggregates. */
  agg: AggPartial;
}

/** Hash of some entries' cross signatures (path order; invalid records count by their readable id). */
export function crossHash(entries: Iterable<IndexEntry>): string {
  const parts: string[] = [];
  for (const e of entries) {
    if (e.s) parts.push(`${e.f}\0${e.c ?? crossSignature(e.s)}`);
    else if (e.i) parts.push(`${e.f}\0invalid\0${e.i}`);
  }
  return sha1(parts.join('\n'));
}

/**
 * Summarises a segment from its entries (path order). `cross` is their `crossHash` (computed
 * once, for the cross-record key); `isBad` tells which valid files the cross-record checks
 * dropped; `display` maps a KB-relative path to the path shown to users.
 */
export function summarize(src: string, cross: string, entries: readonly IndexEntry[], isBad: (file: string) => boolean, display: (file: string) => string): SegSummary {
  const diag: Diagnostic[] = [];
  const bad: string[] = [];
  const rows: RecordRow[] = [];
  const rowKeys: string[] = [];
  const vocab = dict<number>(); // keys hold names users write
  const exec: string[] = [];
  const links: Array<[string, string]> = [];
  let len = 0;
  for (const e of entries) {
    for (const d of e.d) diag.push(d);
    if (!e.s) continue;
    if (isBad(e.f)) {
      bad.push(e.f);
      continue;
    }
    rows.push({ id: e.s.id, kind: e.s.kind, file: display(e.f), data: e.s, body: '' });
    rowKeys.push(`${e.f}\0${e.b}`);
    len += e.l ?? 0;
    for (const v of e.v ?? []) vocab[v] = (vocab[v] ?? 0) + 1;
    if (e.s.kind === 'execution') exec.push(e.s.id);
    else if (e.s.kind === 'reflection') for (const x of e.s.executions) links.push([x, e.s.id]);
  }
  return { src, cross, bad: bad.sort(), diag, len, vocab, exec, links, rows: rowKeys.length ? sha1(rowKeys.join('\n')) : '', agg: aggregatePartial(rows) };
}

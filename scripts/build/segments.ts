/**
 * Segments: the unit of incremental work. Every knowledge-base file belongs to one segment by a
 * hash of its path, and every per-record output (table shard, Lunr shard, recall segment, parse
 * cache) is written per segment. A one-record change therefore re-reads, re-indexes and rewrites
 * one segment; everything global (cross-record checks, aggregates, vocabulary) is computed from
 * the slim per-file index entries, never from whole records or bodies.
 */
import { displayPath, type Workspace } from '../adapters/workspace.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkKbFile } from '../records/check-kb.js';
import type { AnyRecord } from '../records/kinds.js';
import { LINK_FIELDS } from '../records/validate.js';
import { docTerms, vocabularyOf } from '../recall/terms.js';
import { fnv1a, sha1 } from './cache.js';
import { toSearchDoc, type SearchDoc } from './search-docs.js';

/** Files per segment, roughly; the count is a power of two so it changes rarely. */
export const SEGMENT_SIZE = 800;

/** How many segments a knowledge base of `files` files gets (1 to 256). */
export function segmentCount(files: number): number {
  let s = 1;
  while (s < 256 && s * SEGMENT_SIZE < files) s *= 2;
  return s;
}

/** The segment of a KB-relative path. */
export function segmentOf(file: string, segments: number): number {
  return fnv1a(file) % segments;
}

/** Zero-padded segment number used in file names (`seg-007`). */
export function segName(n: number): string {
  return String(n).padStart(3, '0');
}

/**
 * The part of a record the global passes need: id, kind, status, the link fields (cross-record
 * checks) and, for executions, the fields the aggregates read. Small on purpose: these are loaded
 * for every record on every build.
 */
export type SlimRecord = AnyRecord;

const EXECUTION_FIELDS = ['started_at', 'outcome', 'scores', 'overall', 'duration_s', 'errors', 'reused', 'task_type', 'component', 'domains', 'agent'] as const;

/** Projects a record onto the fields the global passes read. */
export function slimOf(data: AnyRecord): SlimRecord {
  const src = data as unknown as Record<string, unknown>;
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
  const src = slim as unknown as Record<string, unknown>;
  const links = LINK_FIELDS[slim.kind].map((field) => field.path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), src));
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
  if (!check.valid) return { index };
  const data = check.valid.record;
  const body = check.valid.body;
  const doc = toSearchDoc({ id: data.id, kind: data.kind, file: displayPath(ws, file), data, body });
  const terms = docTerms(doc);
  const tf: Array<string | number> = [];
  for (const [t, n] of terms.tf) tf.push(t, n);
  index.s = slimOf(data);
  index.c = crossSignature(index.s);
  index.v = vocabularyOf(doc);
  index.l = terms.length;
  return { index, seg: { f: file, b: blob, data, body, doc, tf } };
}

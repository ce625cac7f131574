/**
 * The parse cache, keyed by Git blob id, per segment under `<outDir>/cache/`:
 *
 * - `sum-NNN.json`: the segment's summary (see segments.ts `SegSummary`), valid for one content
 *   hash of the segment. Read on every build that is not a no-op; the global outputs are merged
 *   from these.
 * - `index.json` (header) and `idx-NNN.json`: one slim entry per file (blob id, diagnostics,
 *   slim record, vocabulary, token count). Read for changed segments, and for all of them only
 *   when the cross-record checks must run again.
 * - `seg-NNN.json`: the full valid records with their bodies, search documents and term
 *   frequencies. Read only for segments whose outputs are rebuilt.
 *
 * Every file is checked on load; an unreadable or mismatched part is dropped and its files are
 * parsed again (reported as `build/cache-corrupt`; a lost summary is simply recomputed).
 */
import { fieldsOf } from '../core/records/kinds.js';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeDerived as writeFileAtomic } from './write.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { IndexEntry, SegEntry, SegSummary } from './segments.js';

/** Bumped whenever the cache layout or the parse/validate semantics change. */
export const CACHE_VERSION = 8;

/** Loaded cache index. */
export interface LoadedIndex {
  entries: Map<string, IndexEntry>;
  /** Segment count the segment files were written with. */
  segments: number | undefined;
  /** Why (part of) the cache was discarded, for the `build/cache-corrupt` warning. */
  problems: string[];
  /** True when an index existed but did not match (stale: config or version changed). */
  stale: boolean;
}

function cacheDir(outDir: string): string {
  return join(outDir, 'cache');
}

function segFile(outDir: string, n: number): string {
  return join(cacheDir(outDir), `seg-${String(n).padStart(3, '0')}.json`);
}

function idxFile(outDir: string, n: number): string {
  return join(cacheDir(outDir), `idx-${String(n).padStart(3, '0')}.json`);
}

// Executions are most of a knowledge base; their slim records are stored as arrays (no repeated
// keys), which halves the index that every build reads.
const EXEC_KEYS = ['id', 'status', 'started_at', 'outcome', 'scores', 'overall', 'duration_s', 'errors', 'reused', 'task_type', 'component', 'domains', 'agent', 'recalled'] as const;
const SCORE_KEYS = ['accuracy', 'efficiency', 'reusability', 'surprise'] as const;
type DiskEntry = [f: string, b: string, d: Diagnostic[] | 0, s: Record<string, unknown> | unknown[] | 0, v: string[] | 0, l: number, c: string | 0];

function encodeEntry(e: IndexEntry): DiskEntry {
  let s: DiskEntry[3] = 0;
  if (e.s) {
    const src = fieldsOf(e.s);
    const plain = e.s.kind === 'execution' && Object.keys(src).every((k) => k === 'kind' || (EXEC_KEYS as readonly string[]).includes(k));
    if (plain) {
      s = EXEC_KEYS.map((k) => {
        const v = src[k];
        if (k === 'scores' && v && typeof v === 'object') return SCORE_KEYS.map((x) => (v as Record<string, unknown>)[x]);
        return v === undefined ? null : v;
      });
    } else s = src;
  }
  // Vocabulary entries as a list: a name may hold any character (an agent called "two\nlines").
  return [e.f, e.b, e.d.length ? e.d : 0, s, e.v?.length ? e.v : 0, e.l ?? 0, e.c ?? 0];
}

/** Scores from their array; a score an import left out is stored as null and stays out. */
function decodeScores(sc: Array<number | null>): Record<string, number> {
  const out: Record<string, number> = { accuracy: sc[0]! };
  if (sc[1] != null) out.efficiency = sc[1];
  if (sc[2] != null) out.reusability = sc[2];
  if (sc[3] != null) out.surprise = sc[3];
  return out;
}

function decodeEntry(x: DiskEntry): IndexEntry {
  if (!Array.isArray(x) || typeof x[0] !== 'string' || typeof x[1] !== 'string') throw new Error('entry');
  const e: IndexEntry = { f: x[0], b: x[1], d: x[2] === 0 ? [] : x[2] };
  if (!Array.isArray(e.d)) throw new Error('entry');
  const a = x[3];
  if (Array.isArray(a)) {
    // Same field order as EXEC_KEYS; a literal is much cheaper than building the object by key.
    const sc = a[4] as Array<number | null> | null;
    e.s = {
      kind: 'execution',
      id: a[0],
      status: a[1] ?? undefined,
      started_at: a[2],
      outcome: a[3],
      scores: sc ? decodeScores(sc) : undefined,
      overall: a[5],
      duration_s: a[6],
      errors: a[7] ?? undefined,
      reused: a[8] ?? undefined,
      task_type: a[9],
      component: a[10] ?? undefined,
      domains: a[11] ?? undefined,
      agent: a[12],
      recalled: a[13] ?? undefined,
    } as unknown as IndexEntry['s'];
  } else if (a && typeof a === 'object') e.s = a as unknown as IndexEntry['s'];
  if (e.s) {
    if (x[4] !== 0 && !Array.isArray(x[4])) throw new Error('entry');
    e.v = x[4] || [];
    e.l = x[5];
    if (x[6]) e.c = x[6];
  }
  return e;
}

/** The cache index header: segment count, or why the cache cannot be used. */
export interface CacheHeader {
  segments: number | undefined;
  problems: string[];
  /** True when an index existed but did not match (stale: config or version changed). */
  stale: boolean;
}

/** Reads `cache/index.json`; never throws. */
export function readHeader(outDir: string, salt: string): CacheHeader {
  let text: string;
  try {
    text = readFileSync(join(cacheDir(outDir), 'index.json'), 'utf8');
  } catch {
    return { segments: undefined, problems: [], stale: false }; // no cache yet
  }
  let header: { version?: number; salt?: string; segments?: number };
  try {
    header = JSON.parse(text) as typeof header;
    if (!header || typeof header !== 'object') throw new Error('shape');
  } catch {
    return { segments: undefined, problems: ['cache/index.json is unreadable'], stale: false };
  }
  if (header.version !== CACHE_VERSION || header.salt !== salt) return { segments: undefined, problems: [], stale: true };
  const segments = header.segments;
  if (typeof segments !== 'number' || !Number.isInteger(segments) || segments < 1 || segments > 4096) return { segments: undefined, problems: ['cache/index.json is unreadable'], stale: false };
  return { segments, problems: [], stale: false };
}

/** Reads one segment's index entries: a map by path (empty when the file is missing), or a problem. */
export function readIdxSeg(outDir: string, n: number): Map<string, IndexEntry> | string {
  const entries = new Map<string, IndexEntry>();
  let part: string;
  try {
    part = readFileSync(idxFile(outDir, n), 'utf8');
  } catch {
    return entries; // an empty segment has no file
  }
  try {
    for (const x of JSON.parse(part) as DiskEntry[]) {
      const e = decodeEntry(x);
      entries.set(e.f, e);
    }
    return entries;
  } catch {
    return `cache/idx-${String(n).padStart(3, '0')}.json is unreadable`;
  }
}

/**
 * Reads the whole cache index (header and every segment's entries); never throws. A damaged
 * part is reported and its files are simply parsed again.
 */
export function readIndex(outDir: string, salt: string): LoadedIndex {
  const header = readHeader(outDir, salt);
  const entries = new Map<string, IndexEntry>();
  if (header.segments === undefined) return { entries, ...header };
  const problems: string[] = [];
  for (let n = 0; n < header.segments; n++) {
    const part = readIdxSeg(outDir, n);
    if (typeof part === 'string') problems.push(part);
    else for (const [f, e] of part) entries.set(f, e);
  }
  return { entries, segments: header.segments, problems, stale: false };
}

function sumFile(outDir: string, n: number): string {
  return join(cacheDir(outDir), `sum-${String(n).padStart(3, '0')}.json`);
}

/**
 * Reads the segment summaries (see segments.ts `SegSummary`); a missing, damaged or foreign one
 * is undefined and simply computed again from the segment's entries.
 */
export function readSummaries(outDir: string, salt: string, segments: number): Array<SegSummary | undefined> {
  const out: Array<SegSummary | undefined> = [];
  for (let n = 0; n < segments; n++) {
    try {
      const x = JSON.parse(readFileSync(sumFile(outDir, n), 'utf8')) as { version?: number; salt?: string; segments?: number; summary?: SegSummary };
      const ok = x.version === CACHE_VERSION && x.salt === salt && x.segments === segments && x.summary && typeof x.summary.src === 'string' && x.summary.agg && typeof x.summary.agg === 'object';
      out.push(ok ? x.summary : undefined);
    } catch {
      out.push(undefined);
    }
  }
  return out;
}

/** Writes one segment's summary (best effort: a lost summary only costs speed). */
export function writeSummary(outDir: string, salt: string, segments: number, n: number, summary: SegSummary): void {
  try {
    writeFileAtomic(sumFile(outDir, n), JSON.stringify({ version: CACHE_VERSION, salt, segments, summary }));
  } catch {
    // best effort
  }
}

/**
 * Reads one segment's cache file: its entries by path, `undefined` when the file is missing, or
 * a problem description when it is damaged or belongs to another layout.
 */
export function readSegCache(outDir: string, salt: string, segments: number, n: number): Map<string, SegEntry> | undefined | string {
  let text: string;
  try {
    text = readFileSync(segFile(outDir, n), 'utf8');
  } catch {
    return undefined;
  }
  const name = `cache/seg-${String(n).padStart(3, '0')}.json`;
  try {
    const parsed = JSON.parse(text) as { version?: number; salt?: string; segments?: number; seg?: number; entries?: SegEntry[] };
    if (parsed.version !== CACHE_VERSION || parsed.salt !== salt || parsed.segments !== segments || parsed.seg !== n || !Array.isArray(parsed.entries)) return `${name} does not match the cache`;
    const out = new Map<string, SegEntry>();
    for (const e of parsed.entries) {
      if (!e || typeof e.f !== 'string' || typeof e.b !== 'string' || typeof e.data !== 'object' || e.data === null || typeof e.body !== 'string' || !e.doc || !Array.isArray(e.tf))
        return `${name} holds a damaged entry`;
      out.set(e.f, e);
    }
    return out;
  } catch {
    return `${name} is unreadable`;
  }
}

/**
 * Writes the cache index: the header and the entry files of the segments in `dirty` (entries
 * sorted by path). Errors are swallowed: a lost cache only costs speed.
 */
export function writeIndex(outDir: string, salt: string, segments: number, bySegment: ReadonlyMap<number, Iterable<IndexEntry>>): void {
  try {
    for (const [n, entries] of bySegment) {
      const list = [...entries].sort((a, b) => (a.f < b.f ? -1 : a.f > b.f ? 1 : 0));
      if (!list.length) {
        rmSync(idxFile(outDir, n), { force: true });
        rmSync(sumFile(outDir, n), { force: true });
      } else writeFileAtomic(idxFile(outDir, n), JSON.stringify(list.map(encodeEntry)));
    }
    writeFileAtomic(join(cacheDir(outDir), 'index.json'), `${JSON.stringify({ version: CACHE_VERSION, salt, segments })}\n`);
  } catch {
    // best effort
  }
}

/** Writes (or, when empty, removes) one segment's cache file. */
export function writeSegCache(outDir: string, salt: string, segments: number, n: number, entries: Iterable<SegEntry>): void {
  try {
    const list = [...entries].sort((a, b) => (a.f < b.f ? -1 : a.f > b.f ? 1 : 0));
    if (!list.length) rmSync(segFile(outDir, n), { force: true });
    else writeFileAtomic(segFile(outDir, n), JSON.stringify({ version: CACHE_VERSION, salt, segments, seg: n, entries: list }));
  } catch {
    // best effort
  }
}

/** The cached cross-record check result (see incremental.ts `crossChecks`). */
export interface CrossCache {
  key: string;
  diagnostics: Diagnostic[];
  bad: string[];
  /** Blob of every file a diagnostic points into (their positions depend on the content). */
  blobs: Record<string, string>;
}

/** Reads the cached cross-record result when its key matches; undefined otherwise. */
export function readCross(outDir: string, key: string): CrossCache | undefined {
  try {
    const c = JSON.parse(readFileSync(join(cacheDir(outDir), 'cross.json'), 'utf8')) as CrossCache & { version?: number };
    return c.version === CACHE_VERSION && c.key === key && Array.isArray(c.diagnostics) && Array.isArray(c.bad) && c.blobs && typeof c.blobs === 'object' ? c : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the cross-record result (best effort). */
export function writeCross(outDir: string, cross: CrossCache): void {
  try {
    writeFileAtomic(join(cacheDir(outDir), 'cross.json'), JSON.stringify({ version: CACHE_VERSION, ...cross }));
  } catch {
    // best effort
  }
}

/**
 * Removes every cache file (before a full rebuild or a change of segment count) except the kept
 * Git index listing, which depends on the Git index only.
 */
export function clearCache(outDir: string): void {
  try {
    for (const name of readdirSync(cacheDir(outDir))) if (name !== 'staged.bin') rmSync(join(cacheDir(outDir), name), { force: true, recursive: true });
  } catch {
    // nothing to clear
  }
}

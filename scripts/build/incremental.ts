/**
 * The incremental records table: scan (blob ids) -> cache lookup -> parse and check only the
 * files whose blob changed -> cross-record checks over everything -> rows. Produces exactly what
 * a full `checkKnowledgeBase` would (same rows, same diagnostics), just without re-reading
 * unchanged files.
 */
import { createHash } from 'node:crypto';
import { diag, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { displayPath, type Workspace } from '../adapters/workspace.js';
import { checkKbFile, crossCheckKb, isIgnoredKbFile } from '../records/check-kb.js';
import { CACHE_SHARDS, CACHE_VERSION, readCache, sha1, shardOf, writeCache, type CacheEntry } from './cache.js';
import { scanKnowledgeBase, type ScanResult } from './scan.js';
import { checkFilesParallel, PARALLEL_MIN_FILES } from './parse-pool.js';
import type { RecordRow } from './table.js';


/** What a refresh did, for progress and the benchmark. */
export interface RefreshStats {
  files: number;
  /** Files parsed in this run (cache misses). */
  parsed: number;
  /** Files served from the cache. */
  cached: number;
  /** KB-relative files added, changed or removed since the cache was written. */
  changed: string[];
  scan: ScanResult['method'];
  /** True when the whole cache was (re)built. */
  fullRebuild: boolean;
  /** Hash of the cache salt and every (file, blob) pair: equal keys mean equal tables. */
  sourceKey: string;
}

/** Result of a refresh: the table plus what changed. */
export interface RefreshResult {
  rows: RecordRow[];
  /** Repo-relative file of each row -> its blob id (row content is a function of it). */
  blobs: Map<string, string>;
  diagnostics: Diagnostic[];
  /** Cache problems found and repaired (warnings, not record problems). */
  cacheDiagnostics: Diagnostic[];
  stats: RefreshStats;
}

/** Options for a refresh. */
export interface RefreshOptions {
  /** Ignore the cache and parse everything. */
  full?: boolean;
  /** Do not write the cache (read-only use). */
  noWrite?: boolean;
  /** Progress callback (done, total) while parsing. */
  onProgress?: (done: number, total: number) => void;
  /**
   * In-memory cache kept between runs by a long-lived caller (watch mode), so a change does not
   * re-read the whole cache from disk. Filled and updated by `refreshTable`.
   */
  memo?: CacheMemo;
}

/** The in-memory cache a long-lived caller keeps between refreshes. */
export interface CacheMemo {
  salt?: string;
  entries?: Map<string, CacheEntry>;
}

/** Everything besides file content that changes the per-file results. */
export function cacheSalt(ws: Workspace): string {
  return sha1(JSON.stringify([CACHE_VERSION, ws.kbPrefix, ws.config, ws.configDiagnostics]));
}

/** Checks one file's content into a cache entry (the single-file half of `validate`). */
export function checkFile(ws: Workspace, file: string, blob: string, buf: Buffer | undefined): CacheEntry {
  const check = checkKbFile(ws, file, buf);
  const entry: CacheEntry = { f: file, b: blob, d: check.diagnostics };
  if (check.valid) entry.r = { data: check.valid.record, body: check.valid.body };
  return entry;
}

function sourceKeyOf(salt: string, files: readonly ScanResult['files'][number][]): string {
  const source = createHash('sha1').update(salt);
  for (const f of files) source.update(`\0${f.file}\0${f.blob}`);
  return source.digest('hex');
}

/**
 * The key of the current knowledge base (config + every file's blob id), without parsing
 * anything: compare it with `manifest.json#source` to know whether the build is up to date.
 */
export function currentSourceKey(ws: Workspace): string {
  const scan = scanKnowledgeBase(ws);
  return sourceKeyOf(cacheSalt(ws), scan.files.filter((f) => !isIgnoredKbFile(f.file)));
}

/**
 * Brings the records table up to date with the working tree, using and refreshing the cache in
 * `ws.outDir/cache`. Never throws for bad records or a bad cache.
 */
export function refreshTable(ws: Workspace, opts: RefreshOptions = {}): RefreshResult {
  const salt = cacheSalt(ws);
  const scan = scanKnowledgeBase(ws);
  const memo = opts.memo && opts.memo.salt === salt && opts.memo.entries ? opts.memo.entries : undefined;
  const cache = opts.full
    ? { entries: new Map<string, CacheEntry>(), validShards: new Set<number>(), problems: [], stale: false }
    : memo
      ? { entries: memo, validShards: new Set(Array.from({ length: CACHE_SHARDS }, (_, i) => i)), problems: [], stale: false }
      : readCache(ws.outDir, salt);
  const cacheDiagnostics: Diagnostic[] = [];
  if (cache.problems.length) {
    const where = displayPath(ws, '').replace(/\/$/, '') || '.';
    cacheDiagnostics.push(diag('build/cache-corrupt', where, `The build cache was damaged (${cache.problems.slice(0, 3).join('; ')}${cache.problems.length > 3 ? '; ...' : ''}); the affected files were parsed again.`));
  }
  const fullRebuild = opts.full === true || cache.stale || cache.entries.size === 0;
  const next = new Map<string, CacheEntry>();
  const dirty = new Set<number>();
  const changed: string[] = [];
  const candidates = scan.files.filter((f) => !isIgnoredKbFile(f.file));
  const sourceKey = sourceKeyOf(salt, candidates);
  let parsed = 0;
  let done = 0;
  const misses = candidates.filter((f) => {
    const old = cache.entries.get(f.file);
    return !(old && old.b === f.blob);
  });
  // Many misses (a first or full build): parse on worker threads when available.
  const parallel = misses.length >= PARALLEL_MIN_FILES ? checkFilesParallel(ws, misses) : undefined;
  const fresh = new Map((parallel ?? []).map((e) => [e.f, e]));
  for (const f of candidates) {
    const old = cache.entries.get(f.file);
    if (old && old.b === f.blob) {
      next.set(f.file, old);
    } else {
      next.set(f.file, fresh.get(f.file) ?? checkFile(ws, f.file, f.blob, f.buf));
      parsed += 1;
      changed.push(f.file);
      dirty.add(shardOf(f.file));
    }
    done += 1;
    if (opts.onProgress && (done % 500 === 0 || done === candidates.length)) opts.onProgress(done, candidates.length);
  }
  for (const file of cache.entries.keys()) {
    if (!next.has(file)) {
      changed.push(file);
      dirty.add(shardOf(file));
    }
  }
  // A shard that was damaged on disk must be rewritten even if none of its files changed.
  for (const f of candidates) if (!cache.validShards.has(shardOf(f.file)) && !fullRebuild) dirty.add(shardOf(f.file));
  if (!opts.noWrite && (fullRebuild || dirty.size)) writeCache(ws.outDir, salt, next, dirty, fullRebuild);
  if (opts.memo) {
    opts.memo.salt = salt;
    opts.memo.entries = next;
  }

  const { rows, diagnostics, blobs } = assemble(ws, next);
  changed.sort();
  return {
    rows,
    blobs,
    diagnostics,
    cacheDiagnostics,
    stats: { files: candidates.length, parsed, cached: candidates.length - parsed, changed, scan: scan.method, fullRebuild, sourceKey },
  };
}

/** Cross-record checks and row assembly over all cache entries (same rules as `validate`). */
function assemble(ws: Workspace, entries: Map<string, CacheEntry>): { rows: RecordRow[]; diagnostics: Diagnostic[]; blobs: Map<string, string> } {
  const diagnostics: Diagnostic[] = [...ws.configDiagnostics.filter((d) => d.severity !== 'info')];
  const valid: Array<{ file: string; kbFile: string; record: CacheEntry['r'] & object }> = [];
  const blobs = new Map<string, string>();
  for (const e of entries.values()) {
    for (const d of e.d) diagnostics.push(d);
    if (e.r) {
      const file = displayPath(ws, e.f);
      valid.push({ file, kbFile: e.f, record: e.r });
      blobs.set(file, e.b);
    }
  }
  const cross = crossCheckKb(ws, valid.map((v) => ({ file: v.file, kbFile: v.kbFile, record: v.record.data })));
  diagnostics.push(...cross.diagnostics);
  const bad = cross.bad;
  const rows: RecordRow[] = [];
  for (const v of valid) {
    if (bad.has(v.file)) continue;
    rows.push({ id: v.record.data.id, kind: v.record.data.kind, file: v.file, data: v.record.data, body: v.record.body });
  }
  rows.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { rows, diagnostics: sortDiagnostics(diagnostics), blobs };
}

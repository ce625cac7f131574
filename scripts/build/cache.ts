/**
 * The per-file parse cache, keyed by Git blob id. It lives in `<outDir>/cache/` as a header plus
 * a fixed number of shards (files are spread over shards by a hash of their path), so a change
 * to one record rewrites one small shard, not the whole cache. Every shard is checked on load;
 * an unreadable or mismatched shard is dropped (its files are simply parsed again).
 */
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { writeDerived as writeFileAtomic } from './write.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { AnyRecord } from '../records/kinds.js';

/** Bumped whenever the cache layout or the parse/validate semantics change. */
export const CACHE_VERSION = 3;
/** Number of cache shards (fixed, so a file always lands in the same shard). */
export const CACHE_SHARDS = 64;

/** What is remembered about one file. */
export interface CacheEntry {
  /** KB-relative path. */
  f: string;
  /** Blob id of the content that produced this entry. */
  b: string;
  /** The valid record (before cross-record checks), when the file holds one. */
  r?: { data: AnyRecord; body: string };
  /** Single-file diagnostics. */
  d: Diagnostic[];
}

/** The cache header: what the entries depend on besides file content. */
export interface CacheHeader {
  version: number;
  /** Hash of everything else that changes parse/validate results (config, KB prefix, limits). */
  salt: string;
  shards: number;
}

/** Loaded cache. */
export interface LoadedCache {
  entries: Map<string, CacheEntry>;
  /** Shard numbers that were present and valid. */
  validShards: Set<number>;
  /** Why (part of) the cache was discarded, for the `build/cache-corrupt` warning. */
  problems: string[];
  /** True when a header existed but did not match (stale: config or version changed). */
  stale: boolean;
}

/** FNV-1a 32-bit hash: cheap, stable shard assignment. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The shard a KB-relative path belongs to. */
export function shardOf(file: string): number {
  return fnv1a(file) % CACHE_SHARDS;
}

/** Short SHA-1 of a string (for salts and content hashes). */
export function sha1(s: string | Buffer): string {
  return createHash('sha1').update(s).digest('hex');
}

function cacheDir(outDir: string): string {
  return join(outDir, 'cache');
}

function shardFile(outDir: string, n: number): string {
  return join(cacheDir(outDir), `shard-${String(n).padStart(2, '0')}.json`);
}

/** Reads the cache; never throws (a broken cache is reported and treated as empty). */
export function readCache(outDir: string, salt: string): LoadedCache {
  const entries = new Map<string, CacheEntry>();
  const validShards = new Set<number>();
  const problems: string[] = [];
  let header: CacheHeader | undefined;
  let headerText: string | undefined;
  try {
    headerText = readFileSync(join(cacheDir(outDir), 'header.json'), 'utf8');
  } catch {
    return { entries, validShards, problems, stale: false }; // no cache yet
  }
  try {
    header = JSON.parse(headerText) as CacheHeader;
  } catch {
    problems.push('cache/header.json is not valid JSON');
    return { entries, validShards, problems, stale: false };
  }
  if (!header || header.version !== CACHE_VERSION || header.salt !== salt || header.shards !== CACHE_SHARDS) {
    return { entries, validShards, problems, stale: true };
  }
  for (let n = 0; n < CACHE_SHARDS; n++) {
    let text: string;
    try {
      text = readFileSync(shardFile(outDir, n), 'utf8');
    } catch {
      continue; // an empty shard is never written
    }
    try {
      const parsed = JSON.parse(text) as { salt?: string; shard?: number; entries?: CacheEntry[] };
      if (parsed.salt !== salt || parsed.shard !== n || !Array.isArray(parsed.entries)) throw new Error('mismatch');
      for (const e of parsed.entries) {
        if (!e || typeof e.f !== 'string' || typeof e.b !== 'string' || !Array.isArray(e.d) || shardOf(e.f) !== n) throw new Error('bad entry');
        if (e.r && (typeof e.r.data !== 'object' || e.r.data === null || typeof e.r.body !== 'string')) throw new Error('bad record');
      }
      for (const e of parsed.entries) entries.set(e.f, e);
      validShards.add(n);
    } catch {
      problems.push(`cache/shard-${String(n).padStart(2, '0')}.json is unreadable`);
    }
  }
  return { entries, validShards, problems, stale: false };
}

/**
 * Writes the shards in `dirty` (all when `full`) from `entries`, then the header. Empty shards
 * are removed. Errors are swallowed: a cache that cannot be written only costs speed.
 */
export function writeCache(outDir: string, salt: string, entries: Map<string, CacheEntry>, dirty: Set<number>, full: boolean): boolean {
  try {
    const dir = cacheDir(outDir);
    mkdirSync(dir, { recursive: true });
    if (full) {
      for (const name of readdirSync(dir)) if (name.startsWith('shard-')) rmSync(join(dir, name), { force: true });
    }
    const byShard = new Map<number, CacheEntry[]>();
    for (const e of entries.values()) {
      const n = shardOf(e.f);
      if (!full && !dirty.has(n)) continue;
      const list = byShard.get(n);
      if (list) list.push(e);
      else byShard.set(n, [e]);
    }
    const targets = full ? [...byShard.keys()] : [...dirty];
    for (const n of targets) {
      const list = (byShard.get(n) ?? []).sort((a, b) => (a.f < b.f ? -1 : a.f > b.f ? 1 : 0));
      if (!list.length) {
        rmSync(shardFile(outDir, n), { force: true });
        continue;
      }
      writeFileAtomic(shardFile(outDir, n), JSON.stringify({ salt, shard: n, entries: list }));
    }
    const header: CacheHeader = { version: CACHE_VERSION, salt, shards: CACHE_SHARDS };
    writeFileAtomic(join(dir, 'header.json'), `${JSON.stringify(header)}\n`);
    return true;
  } catch {
    return false;
  }
}

/**
 * The incremental records table: scan (blob ids) -> per-segment content hashes against the
 * cached segment summaries -> load the index entries of changed segments only -> parse the files
 * whose blob changed -> cross-record checks (cached) -> summaries, rows on demand. Produces
 * exactly what a full `checkKnowledgeBase` would (same rows, same diagnostics), just without
 * re-reading unchanged files or segments; whole records are loaded only for the segments a
 * caller needs (see segments.ts).
 */
import { createHash } from 'node:crypto';
import { capDiagnostics, diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import { displayPath, type Workspace } from '../core/workspace.js';
import { crossCheckKb } from './check-kb.js';
import { cacheSalt, candidateFiles, sourceKeyOf } from './freshness.js';
import { clearCache, readCross, readHeader, readIdxSeg, readIndex, readSegCache, readSummaries, writeCross, writeIndex, writeSegCache, writeSummary } from './cache.js';
import { scanKnowledgeBase, type ScanResult } from './scan.js';
import { checkFilesParallel, PARALLEL_MIN_FILES } from './parse-pool.js';
import {
  crossHash,
  parseFile,
  segmentCount,
  segmentOf,
  segmentSources,
  segName,
  summarize,
  type IndexEntry,
  type ParsedFile,
  type SegEntry,
  type SegmentSources,
  type SegSummary,
} from './segments.js';
import { segmentOutputs, type ParsedSegment, type ParseTask } from './segment-render.js';
import type { SegmentPool } from './segment-pool.js';
import { sortRows, type RecordRow } from '../core/records/table.js';

/** What a refresh did, for progress and the benchmark. */
export interface RefreshStats {
  files: number;
  /** Files parsed in this run (cache misses and repairs). */
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
  /** Segments whose cached index entries had to be read (the others were known by their summary). */
  segmentsRead: number;
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
   * re-read the cache from disk. Filled and updated by `refreshIndex`.
   */
  memo?: CacheMemo;
  /** A scan the caller already made (saves a second `git ls-files`). */
  scan?: ScanResult;
  /** 0: parse in this thread only (no worker threads), as `build --workers 0` promises. */
  workers?: number;
}

/** The in-memory cache a long-lived caller keeps between refreshes. */
export interface CacheMemo {
  salt?: string;
  segments?: number;
  /** Index entries of the segments loaded so far. */
  idx?: Map<number, Map<string, IndexEntry>>;
  segs?: Map<number, Map<string, SegEntry>>;
  sums?: Array<SegSummary | undefined>;
}

/** The up-to-date cache index of a knowledge base, with the segment caches loaded so far. */
export interface KbState {
  ws: Workspace;
  salt: string;
  /** Segment count for this knowledge base's size. */
  segments: number;
  /** Index entry of every candidate file of the loaded segments (see `ensureSegment`). */
  index: Map<string, IndexEntry>;
  /** Segments whose entries are in `index`. */
  loaded: Set<number>;
  /** KB-relative files of each segment, sorted. */
  segFiles: string[][];
  /** Content hash of each segment (see `segmentSources`). */
  segSrc: string[];
  /** Blob id of each file of `segFiles`. */
  segBlobs: string[][];
  /** The candidate files, in path order. */
  files: ReadonlyArray<{ file: string; blob: string }>;
  /** Segment summaries: cached ones until `summariesOf` brings them up to date. */
  sums: Array<SegSummary | undefined>;
  stats: RefreshStats;
  /** Cache problems found (repaired by re-parsing). */
  problems: string[];
  noWrite: boolean;
  /** Segment caches loaded (and verified) in this run. */
  segCache: Map<number, Map<string, SegEntry>>;
  /** Segments parsed on a pool in this run (their workers hold them prepared, see segment-render.ts). */
  pooled: Set<number>;
  memo?: CacheMemo;
  cross?: { diagnostics: Diagnostic[]; bad: Set<string> };
  /** Each segment's cross hash, as `crossChecks` keyed its result by them. */
  crossSigs?: string[];
}

/** What a refresh is about to do: the scan against the loaded cache index. */
export interface RefreshPlan {
  ws: Workspace;
  opts: RefreshOptions;
  salt: string;
  scan: ScanResult;
  candidates: ScanResult['files'];
  segments: number;
  /** Files, blobs and content hash of each segment. */
  sources: SegmentSources;
  /** Cached entries of the loaded segments (all of them when the layout changed). */
  loaded: { entries: Map<string, IndexEntry>; segments: number | undefined; problems: string[] };
  /** Cached summaries (same layout only). */
  sums: Array<SegSummary | undefined>;
  memo: CacheMemo | undefined;
  fullRebuild: boolean;
  /** The segment files were written with the same segment count (and are reusable). */
  sameLayout: boolean;
  /** Segments whose content changed since the cache was written (all when the layout changed). */
  dirty: Set<number>;
  /** Files whose blob is not in the cache. */
  misses: ScanResult['files'];
  /** Files the cache knows that are gone. */
  removed: string[];
}

/**
 * Scans the knowledge base and compares it with the cache (no parsing): a segment whose content
 * hash equals its cached summary's is unchanged and its entries are not even read.
 */
export function planRefresh(ws: Workspace, opts: RefreshOptions = {}): RefreshPlan {
  const salt = cacheSalt(ws);
  const scan = opts.scan ?? scanKnowledgeBase(ws);
  const candidates = candidateFiles(scan);
  const segments = segmentCount(candidates.length);
  const sources = segmentSources(candidates);
  const memo = opts.memo && opts.memo.salt === salt && opts.memo.idx ? opts.memo : undefined;
  const header = opts.full ? { segments: undefined, problems: [], stale: false } : memo ? { segments: memo.segments, problems: [], stale: false } : readHeader(ws.outDir, salt);
  const fullRebuild = opts.full === true || header.stale || header.segments === undefined;
  const sameLayout = !fullRebuild && header.segments === segments;
  const loaded = { entries: new Map<string, IndexEntry>(), segments: header.segments, problems: [...header.problems] };
  const dirty = new Set<number>();
  let sums: Array<SegSummary | undefined> = [];
  const load = (n: number) => {
    const part = memo?.idx?.get(n) ?? readIdxSeg(ws.outDir, n);
    if (typeof part === 'string') loaded.problems.push(part);
    else for (const [f, e] of part) loaded.entries.set(f, e);
  };
  if (fullRebuild) for (let n = 0; n < segments; n++) dirty.add(n);
  else if (!sameLayout) {
    // The segment count changed: every segment is new, the old entries are all needed.
    const all = memo ? undefined : readIndex(ws.outDir, salt);
    if (all) {
      for (const [f, e] of all.entries) loaded.entries.set(f, e);
      loaded.problems.push(...all.problems);
    } else for (let n = 0; n < header.segments!; n++) load(n);
    for (let n = 0; n < segments; n++) dirty.add(n);
  } else {
    sums = memo?.sums ?? readSummaries(ws.outDir, salt, segments);
    for (let n = 0; n < segments; n++) {
      if (sums[n]?.src === sources.src[n]) continue;
      dirty.add(n);
      load(n);
    }
  }
  const misses: ScanResult['files'] = [];
  const present = new Set<string>();
  // Files of the changed segments (all files when every segment changed).
  const inDirty = dirty.size === segments ? undefined : new Set<string>();
  if (inDirty) for (const n of dirty) for (const file of sources.files[n]!) inDirty.add(file);
  for (const f of candidates) {
    if (inDirty && !inDirty.has(f.file)) continue;
    present.add(f.file);
    if (loaded.entries.get(f.file)?.b !== f.blob) misses.push(f);
  }
  const removed: string[] = [];
  for (const file of loaded.entries.keys()) if (!present.has(file)) removed.push(file);
  return { ws, opts, salt, scan, candidates, segments, sources, loaded, sums, memo, fullRebuild, sameLayout, dirty, misses, removed };
}

/**
 * Brings the cache index up to date with the working tree (parsing only changed files) and
 * rewrites the cache of the segments whose files changed. Never throws for bad records or a bad
 * cache.
 */
export function refreshIndex(ws: Workspace, opts: RefreshOptions = {}): KbState {
  return refreshFromPlan(planRefresh(ws, opts));
}

/** Parses the plan's misses in this thread (or on the synchronous parse pool when many). */
export function refreshFromPlan(plan: RefreshPlan): KbState {
  const { ws, opts, misses } = plan;
  const parsedList: ParsedFile[] = (opts.workers !== 0 && misses.length >= PARALLEL_MIN_FILES ? checkFilesParallel(ws, misses) : undefined) ?? [];
  const fresh = new Map(parsedList.map((p) => [p.index.f, p]));
  let done = 0;
  for (const f of misses) {
    if (!fresh.has(f.file)) fresh.set(f.file, parseFile(ws, f.file, f.blob, f.buf));
    done += 1;
    if (opts.onProgress && (done % 500 === 0 || done === misses.length)) opts.onProgress(done, misses.length);
  }
  return finishRefresh(plan, fresh, []);
}

/**
 * Parses the plan's dirty segments on a segment pool: each worker parses whole segments (cached
 * records come from the segment's cache file), writes their caches and keeps the records; only
 * slim index entries come back.
 */
export async function refreshOnPool(plan: RefreshPlan, pool: SegmentPool, previousOutputs: Record<string, string> = {}): Promise<KbState> {
  const byFile = new Map(plan.candidates.map((f) => [f.file, f]));
  const missed = new Set(plan.misses.map((f) => f.file));
  const segFiles = plan.sources.files;
  const tasks: ParseTask[] = [...plan.dirty]
    .sort((a, b) => a - b)
    .map((n) => ({
      seg: n,
      files: segFiles[n]!.map((file) => {
        const f = byFile.get(file)!;
        return f.buf ? [file, f.blob, f.buf] : [file, f.blob];
      }),
      cached: plan.sameLayout ? segFiles[n]!.filter((file) => !missed.has(file)).map((file) => plan.loaded.entries.get(file)!) : [],
      previous: Object.fromEntries(
        Object.values(segmentOutputs(n))
          .filter((name) => previousOutputs[name])
          .map((name) => [name, previousOutputs[name]!]),
      ),
    }));
  // A new layout: the old segment files are of no use to the workers (they parse everything).
  if (!plan.sameLayout && !plan.opts.noWrite) clearCache(plan.ws.outDir);
  const results = await pool.parse(tasks, plan.opts.onProgress ? (n) => plan.opts.onProgress!(n, tasks.length) : undefined);
  return finishRefresh(plan, new Map(), results);
}

/** Builds the state from parsed files (`fresh`) and/or segments parsed on a pool (`pooled`). */
function finishRefresh(plan: RefreshPlan, fresh: Map<string, ParsedFile>, pooled: readonly ParsedSegment[]): KbState {
  const { ws, opts, salt, candidates, segments, sources, loaded, memo, fullRebuild, sameLayout, dirty } = plan;
  const fromPool = pooledResults(pooled);
  const parsed = pooled.length ? fromPool.parsed : plan.misses.length;
  const index = new Map<string, IndexEntry>();
  for (const n of [...dirty].sort((x, y) => x - y)) {
    for (const file of sources.files[n]!) index.set(file, fromPool.index.get(file) ?? fresh.get(file)?.index ?? loaded.entries.get(file)!);
  }
  const changed = [...plan.misses.map((f) => f.file), ...plan.removed].sort();
  const state: KbState = {
    ws,
    salt,
    segments,
    index,
    loaded: new Set(dirty),
    segFiles: sources.files,
    segSrc: sources.src,
    segBlobs: sources.blobs,
    files: candidates,
    sums: sameLayout ? plan.sums : [],
    stats: { files: candidates.length, parsed, cached: candidates.length - parsed, changed, scan: plan.scan.method, fullRebuild, sourceKey: sourceKeyOf(salt, candidates), segmentsRead: dirty.size },
    problems: [...loaded.problems, ...fromPool.problems],
    noWrite: opts.noWrite === true,
    segCache: new Map(),
    pooled: fromPool.segs,
    memo: opts.memo,
  };
  if (!sameLayout && !fullRebuild && loaded.segments !== undefined && !pooled.length) moveToNewLayout(state, plan, fresh);
  else if (memo?.segs && sameLayout) for (const [n, m] of memo.segs) state.segCache.set(n, m);
  // Old-layout files go only after their records were moved (above).
  if (!sameLayout && !opts.noWrite && !pooled.length) clearCache(ws.outDir);
  rewriteDirtySegments(state, plan, fresh);
  if (!opts.noWrite && dirty.size) writeIndex(ws.outDir, salt, segments, entriesBySegment(state, dirty));
  if (opts.memo) rememberState(opts.memo, state, plan);
  return state;
}

/** What a pool's workers parsed: records read, problems, index entries and the segments they did. */
function pooledResults(pooled: readonly ParsedSegment[]): { parsed: number; problems: KbState['problems']; index: Map<string, IndexEntry>; segs: Set<number> } {
  const out = { parsed: 0, problems: [] as KbState['problems'], index: new Map<string, IndexEntry>(), segs: new Set<number>() };
  for (const r of pooled) {
    out.segs.add(r.seg);
    out.parsed += r.parsed;
    out.problems.push(...r.problems);
    for (const e of r.index) out.index.set(e.f, e);
  }
  return out;
}

/**
 * The segment count changed (the knowledge base grew or shrank past a power of two): the cached
 * records move to their new segments instead of being parsed again.
 */
function moveToNewLayout(state: KbState, plan: RefreshPlan, fresh: Map<string, ParsedFile>): void {
  const { ws, salt, loaded, memo, segments, sources } = plan;
  const all = new Map<string, SegEntry>();
  const from = memo && memo.segments === loaded.segments ? memo.segs : undefined;
  for (let n = 0; n < loaded.segments!; n++) {
    const seg = from?.get(n) ?? readSegCache(ws.outDir, salt, loaded.segments!, n);
    if (seg instanceof Map) for (const [k, v] of seg) all.set(k, v);
  }
  for (let n = 0; n < segments; n++) {
    const m = new Map<string, SegEntry>();
    for (const file of sources.files[n]!) {
      const e = fresh.get(file)?.seg ?? all.get(file);
      if (e && e.b === state.index.get(file)!.b) m.set(file, e);
    }
    state.segCache.set(n, m);
  }
}

/**
 * Segments whose files changed get their cache rewritten (and are verified on the way); a pool's
 * workers have already done that for theirs.
 */
function rewriteDirtySegments(state: KbState, plan: RefreshPlan, fresh: Map<string, ParsedFile>): void {
  const { ws, opts, salt, segments, sources, fullRebuild, dirty } = plan;
  for (const n of [...dirty].sort((x, y) => x - y)) {
    if (state.pooled.has(n)) continue;
    const base = state.segCache.get(n) ?? (fullRebuild ? new Map<string, SegEntry>() : undefined);
    const m = new Map<string, SegEntry>();
    const old = base ?? loadSegFile(state, n);
    for (const file of sources.files[n]!) {
      const p = fresh.get(file);
      if (p) {
        if (p.seg) m.set(file, p.seg);
      } else {
        const e = old.get(file);
        if (e) m.set(file, e);
      }
    }
    state.segCache.set(n, m);
    verifySeg(state, n);
    if (!opts.noWrite) writeSegCache(ws.outDir, salt, segments, n, state.segCache.get(n)!.values());
  }
}

/** Keeps what this refresh read for the next one in the same process (watch, MCP). */
function rememberState(memo: NonNullable<KbState['memo']>, state: KbState, plan: RefreshPlan): void {
  if (!plan.memo || !plan.sameLayout) memo.idx = new Map();
  memo.salt = plan.salt;
  memo.segments = plan.segments;
  memo.segs = state.segCache;
  memo.sums = state.sums;
  for (const [n, m] of entriesBySegment(state, plan.dirty)) memo.idx!.set(n, new Map(m.map((e) => [e.f, e])));
}

/** The index entries of some (loaded) segments, in path order. */
function entriesBySegment(state: KbState, segs: Iterable<number>): Map<number, IndexEntry[]> {
  const out = new Map<number, IndexEntry[]>();
  for (const n of segs)
    out.set(
      n,
      state.segFiles[n]!.map((f) => state.index.get(f)!),
    );
  return out;
}

/**
 * Loads a segment's index entries when they are not loaded yet (its content is unchanged, so
 * they come from the cache; a damaged or incomplete cache file is repaired by parsing).
 */
export function ensureSegment(state: KbState, n: number): void {
  if (state.loaded.has(n)) return;
  state.loaded.add(n);
  state.stats.segmentsRead += 1;
  const memo = state.memo?.salt === state.salt && state.memo.segments === state.segments ? state.memo : undefined;
  const part = memo?.idx?.get(n) ?? readIdxSeg(state.ws.outDir, n);
  const entries = typeof part === 'string' ? new Map<string, IndexEntry>() : part;
  let repaired = false;
  const files = state.segFiles[n]!;
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const blob = state.segBlobs[n]![i]!;
    const e = entries.get(file);
    if (e && e.b === blob) {
      state.index.set(file, e);
      continue;
    }
    state.index.set(file, parseFile(state.ws, file, blob, undefined).index);
    state.stats.parsed += 1;
    state.stats.cached -= 1;
    repaired = true;
  }
  if (typeof part === 'string' || repaired) {
    state.problems.push(typeof part === 'string' ? part : `cache/idx-${segName(n)}.json was incomplete`);
    if (!state.noWrite) writeIndex(state.ws.outDir, state.salt, state.segments, entriesBySegment(state, [n]));
  }
  memo?.idx?.set(n, new Map(state.segFiles[n]!.map((f) => [f, state.index.get(f)!])));
}

/** The current blob id of a file (undefined when it is not a candidate file). */
function blobOf(state: KbState, file: string): string | undefined {
  const n = segmentOf(file, state.segments);
  const i = state.segFiles[n]!.indexOf(file);
  return i < 0 ? undefined : state.segBlobs[n]![i];
}

/** Loads every segment's index entries (for passes over all of them). */
export function ensureAllSegments(state: KbState): void {
  for (let n = 0; n < state.segments; n++) ensureSegment(state, n);
}

/** Reads a segment's cache file, noting a damaged one (its files are then parsed again). */
function loadSegFile(state: KbState, n: number): Map<string, SegEntry> {
  const seg = readSegCache(state.ws.outDir, state.salt, state.segments, n);
  if (typeof seg === 'string') {
    state.problems.push(seg);
    return new Map();
  }
  return seg ?? new Map();
}

/**
 * Makes sure a loaded segment holds every valid record of its files at the indexed blob; a
 * record missing from a damaged cache is parsed again from the work tree.
 */
function verifySeg(state: KbState, n: number): boolean {
  const m = state.segCache.get(n)!;
  let repaired = false;
  for (const file of state.segFiles[n]!) {
    const entry = state.index.get(file)!;
    if (!entry.s || m.get(file)?.b === entry.b) continue;
    const p = parseFile(state.ws, file, entry.b, undefined);
    state.stats.parsed += 1;
    state.stats.cached -= 1;
    repaired = true;
    state.index.set(file, p.index);
    if (p.seg) m.set(file, p.seg);
    else m.delete(file);
  }
  for (const file of [...m.keys()]) if (!state.index.get(file)?.s) m.delete(file);
  if (repaired && !state.problems.length) state.problems.push(`cache/seg-${segName(n)}.json was incomplete`);
  return repaired;
}

/** The full records of one segment (read from its cache file once, then kept). */
export function segmentEntries(state: KbState, n: number): Map<string, SegEntry> {
  ensureSegment(state, n);
  if (!state.segCache.has(n)) {
    state.segCache.set(n, loadSegFile(state, n));
    if (verifySeg(state, n) && !state.noWrite) {
      writeSegCache(state.ws.outDir, state.salt, state.segments, n, state.segCache.get(n)!.values());
      writeIndex(state.ws.outDir, state.salt, state.segments, entriesBySegment(state, [n]));
    }
  }
  return state.segCache.get(n)!;
}

/**
 * Cross-record checks (duplicate ids, links) over the slim records of every valid file. The
 * result is cached under a key of every segment's cross hash (ids, kinds, links of its valid
 * files), so an edit that touches none of those (most edits) reuses the last result without
 * loading other segments; a file the result positions diagnostics in must also be unchanged.
 */
export function crossChecks(state: KbState): { diagnostics: Diagnostic[]; bad: Set<string> } {
  if (state.cross) return state.cross;
  const key = createHash('sha1').update(state.salt);
  state.crossSigs = [];
  for (let n = 0; n < state.segments; n++) {
    const sig = state.loaded.has(n) ? crossHash(state.segFiles[n]!.map((f) => state.index.get(f)!)) : state.sums[n]!.cross;
    state.crossSigs.push(sig);
    key.update(`\0${sig}`);
  }
  const k = key.digest('hex');
  const cached = readCross(state.ws.outDir, k);
  if (cached && Object.entries(cached.blobs).every(([f, b]) => blobOf(state, f) === b)) {
    state.cross = { diagnostics: cached.diagnostics, bad: new Set(cached.bad) };
    return state.cross;
  }
  ensureAllSegments(state);
  const refs = [];
  const invalid = [];
  for (const { file } of state.files) {
    const e = state.index.get(file)!;
    if (e.s) refs.push({ file: displayPath(state.ws, file), kbFile: file, record: e.s });
    else if (e.i) invalid.push({ file: displayPath(state.ws, file), kbFile: file, id: e.i });
  }
  state.cross = crossCheckKb(state.ws, refs, invalid);
  if (!state.noWrite) {
    const blobs: Record<string, string> = {};
    const kbOf = new Map([...refs, ...invalid].map((r) => [r.file, r.kbFile]));
    for (const d of state.cross.diagnostics) {
      const f = kbOf.get(d.file);
      if (f) blobs[f] = state.index.get(f)!.b;
    }
    writeCross(state.ws.outDir, { key: k, diagnostics: state.cross.diagnostics, bad: [...state.cross.bad].sort(), blobs });
  }
  return state.cross;
}

/**
 * Every segment's summary, up to date: a cached one is kept while the segment's content and its
 * files dropped by the cross-record checks are unchanged; others are computed (and cached).
 */
export function summariesOf(state: KbState): SegSummary[] {
  const cross = crossChecks(state);
  const prefix = state.ws.kbPrefix;
  const bad = new Set<string>();
  const badBySeg = new Map<number, string[]>();
  for (const d of cross.bad) {
    if (!d.startsWith(prefix)) continue;
    const f = d.slice(prefix.length);
    bad.add(f);
    const n = segmentOf(f, state.segments);
    const list = badBySeg.get(n);
    if (list) list.push(f);
    else badBySeg.set(n, [f]);
  }
  for (let n = 0; n < state.segments; n++) {
    const s = state.sums[n];
    const badHere = (badBySeg.get(n) ?? []).sort();
    if (s && s.src === state.segSrc[n] && s.bad.length === badHere.length && s.bad.every((f, i) => f === badHere[i])) continue;
    ensureSegment(state, n);
    const entries = state.segFiles[n]!.map((f) => state.index.get(f)!);
    // A segment loaded only now has the content its (stale-by-`bad`) summary was made from.
    const summary = summarize(
      state.segSrc[n]!,
      state.crossSigs?.[n] ?? crossHash(entries),
      entries,
      (f) => bad.has(f),
      (f) => displayPath(state.ws, f),
    );
    state.sums[n] = summary;
    if (!state.noWrite && entries.length) writeSummary(state.ws.outDir, state.salt, state.segments, n, summary);
  }
  return state.sums as SegSummary[];
}

/** Every diagnostic of the knowledge base (config, single-file, cross-record), sorted. */
export function diagnosticsOf(state: KbState): Diagnostic[] {
  const out: Diagnostic[] = [...state.ws.configDiagnostics.filter((d) => d.severity !== 'info')];
  for (const s of summariesOf(state)) for (const d of s.diag) out.push(d);
  out.push(...crossChecks(state).diagnostics);
  return capDiagnostics(out);
}

/** The `build/cache-corrupt` warning for problems found so far (empty when none). */
export function cacheDiagnosticsOf(state: KbState): Diagnostic[] {
  if (!state.problems.length) return [];
  const where = displayPath(state.ws, '').replace(/\/$/, '') || '.';
  const p = state.problems;
  return [diag('build/cache-corrupt', where, `The build cache was damaged (${p.slice(0, 3).join('; ')}${p.length > 3 ? '; ...' : ''}); the affected files were parsed again.`)];
}

/** Whether a valid file's record survives the cross-record checks. */
export function isRowFile(state: KbState, entry: IndexEntry): boolean {
  return entry.s !== undefined && !crossChecks(state).bad.has(displayPath(state.ws, entry.f));
}

/** All rows (valid records that pass the cross-record checks), sorted by kind then id. */
export function rowsOf(state: KbState): RecordRow[] {
  const rows: RecordRow[] = [];
  for (let n = 0; n < state.segments; n++) {
    const seg = segmentEntries(state, n);
    for (const file of state.segFiles[n]!) {
      const entry = state.index.get(file)!;
      const e = seg.get(file);
      if (!e || !isRowFile(state, entry)) continue;
      rows.push({ id: e.data.id, kind: e.data.kind, file: displayPath(state.ws, file), data: e.data, body: e.body });
    }
  }
  return sortRows(rows);
}

/**
 * Brings the records table up to date with the working tree, using and refreshing the cache in
 * `ws.outDir/cache`. Never throws for bad records or a bad cache.
 */
export function refreshTable(ws: Workspace, opts: RefreshOptions = {}): RefreshResult {
  const state = refreshIndex(ws, opts);
  const rows = rowsOf(state);
  const blobs = new Map<string, string>();
  for (const { file } of state.files) {
    const e = state.index.get(file)!;
    if (e.s) blobs.set(displayPath(ws, file), e.b);
  }
  return { rows, blobs, diagnostics: diagnosticsOf(state), cacheDiagnostics: cacheDiagnosticsOf(state), stats: state.stats };
}

export { cacheSalt, currentSourceKey, candidateFiles } from './freshness.js';

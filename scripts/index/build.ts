/**
 * `runBuild`: records -> table shards, recall store, aggregates and diagnostics in
 * the git-ignored build folder. Incremental twice over: only files whose Git blob changed are
 * parsed (the cache, incremental.ts), and only segments whose rows changed are rendered again
 * (segment-render.ts; on a worker pool for large builds); every file is rewritten only when its
 * content changed. The global passes run over slim records. The result is byte-identical to a
 * clean full build. Layout: docs/build.md.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeDerived as writeFileAtomic } from './write.js';
import type { Workspace } from '../core/workspace.js';
import { countBySeverity, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import { renderStoreFile, STORE_VERSION, type StoreSegment } from '../core/recall/store.js';
import { readStoreFile } from './store-fs.js';
import { mergeVocabulary } from '../core/recall/terms.js';
import { mergeAggregates, type Aggregates } from '../core/aggregates.js';
import { sha1 } from './digest.js';
import { freshKeyAsync, outputKey, rememberDigest, type FreshKey } from './freshness.js';
import { BUILD_VERSION, readJson, readManifest, type BuildManifest } from './outputs.js';
import {
  cacheDiagnosticsOf,
  diagnosticsOf,
  ensureSegment,
  isRowFile,
  planRefresh,
  refreshFromPlan,
  refreshOnPool,
  refreshTable,
  rowsOf,
  segmentEntries,
  summariesOf,
  type CacheMemo,
  type KbState,
  type RefreshStats,
} from './incremental.js';
import { scanKnowledgeBase } from './scan.js';
import { segName, type SegSummary } from './segments.js';
import { renderSegmentTask, segmentOutputs, type RenderedSegment, type RenderTask, type SegmentContext } from './segment-render.js';
import { POOL_MIN_WORK, SegmentPool } from './segment-pool.js';
import type { RecordRow } from '../core/records/table.js';
import { dict } from '../core/dict.js';
import { sweepStaleTemps } from '../io/fs.js';
import { parseTempFileName } from '../core/records/kb-files.js';

/** Options for `runBuild`. */
export interface BuildOptions {
  /** Ignore the cache and previous outputs (a clean full build). */
  full?: boolean;
  /** In-memory cache kept between builds by a long-lived caller (watch). */
  memo?: CacheMemo;
  /**
   * Worker threads for parsing and rendering segments: 0 for none, a number to force that many,
   * undefined for one per core (at most 4) when there is enough work. Output is identical.
   */
  workers?: number;
  /** Progress while parsing / indexing (CLI shows it on a TTY only). */
  onProgress?: (phase: string, done: number, total: number) => void;
}

/** What `runBuild` returns. */
export interface BuildResult {
  outDir: string;
  records: number;
  files: number;
  diagnostics: Diagnostic[];
  /** Cache problems repaired during this build (`build/cache-corrupt`). */
  cacheDiagnostics: Diagnostic[];
  stats: RefreshStats & {
    /** Output files written (others were unchanged). */
    written: string[];
    /** Output files removed. */
    removed: string[];
    /** Index segments rendered again (table shard and recall segment). */
    segmentsRebuilt: number;
    /** Index segments with records. */
    segments: number;
  };
  /** The table rows, for callers that go on to use them. */
  rows: RecordRow[];
}

/**
 * Temporary files of killed writers the scan found in the knowledge base (readers never take
 * them for records): those whose writer is gone are removed from their folders.
 */
function sweepKbLeftovers(ws: Workspace, scan: { files: ReadonlyArray<{ file: string }> }): void {
  const dirs = new Set<string>();
  for (const { file } of scan.files) {
    const slash = file.lastIndexOf('/');
    if (parseTempFileName(file.slice(slash + 1))) dirs.add(join(ws.kbRoot, file.slice(0, Math.max(0, slash))));
  }
  for (const d of dirs) sweepStaleTemps(d, { force: true });
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 1)}\n`;
}

/**
 * The input key of a segment's outputs: its rows' (file, blob) pairs and the reflections linked
 * to its executions; '' when it has no rows.
 */
function segmentKey(state: KbState, sum: SegSummary, links: ReadonlyMap<string, string[]>): string {
  if (!sum.rows) return '';
  const linked = sum.exec.filter((id) => links.has(id)).map((id) => [id, links.get(id)]);
  return sha1(`${BUILD_VERSION}|${STORE_VERSION}|${state.salt}|${state.segments}|${sum.rows}|${JSON.stringify(linked)}`);
}

/**
 * Builds (or brings up to date) every output in `ws.outDir`. Never throws for bad records: they
 * are reported in `diagnostics` and left out. I/O errors on the build folder do throw.
 */
export async function runBuild(ws: Workspace, opts: BuildOptions = {}): Promise<BuildResult> {
  // Temporary files a killed build left in the build folder (they are never read; this clears them).
  for (const sub of ['', 'cache', 'records', 'lunr', 'recall']) sweepStaleTemps(join(ws.outDir, sub), { force: true });
  // The source key, by the scan digest when nothing changed (no per-file work at all). A watch
  // (memo) always scans: it runs because something changed.
  const fresh: FreshKey = opts.memo ? { key: '' } : await freshKeyAsync(ws, { staged: true, scan: opts.full });
  // After a build, the next freshness check may go by the digest (the scan the key comes from
  // and the digest were made from one Git listing).
  const remember = (key: string) => {
    if (fresh.digest && fresh.scan) rememberDigest(ws, fresh.digest, key);
  };
  // Nothing changed since the last build: answer from the build folder and load the table only
  // if the caller asks for the rows.
  if (!opts.full && !opts.memo) {
    const manifest = readManifest(ws.outDir);
    const diagnostics = manifest ? readJson<Diagnostic[]>(join(ws.outDir, 'diagnostics.json')) : undefined;
    if (manifest && diagnostics && manifest.source === outputKey(fresh.key) && outputsPresent(ws.outDir, manifest)) {
      if (fresh.scan) remember(fresh.key);
      const files = manifest.files ?? manifest.records;
      const result = {
        outDir: ws.outDir,
        records: manifest.records,
        files,
        diagnostics,
        cacheDiagnostics: [],
        stats: {
          files,
          parsed: 0,
          cached: files,
          changed: [],
          scan: fresh.digest || fresh.scan?.method === 'git' ? 'git' : 'fs',
          fullRebuild: false,
          sourceKey: fresh.key,
          segmentsRead: 0,
          written: [],
          removed: [],
          segmentsRebuilt: 0,
          segments: manifest.segment_keys.filter(Boolean).length,
        },
      } as Omit<BuildResult, 'rows'>;
      return withLazyRows(result, () => refreshTable(ws, { scan: fresh.scan }).rows);
    }
  }
  const scan = fresh.scan ?? scanKnowledgeBase(ws);
  sweepKbLeftovers(ws, scan);
  const refreshOpts = { full: opts.full, memo: opts.memo, scan, workers: opts.workers, onProgress: opts.onProgress ? (d: number, t: number) => opts.onProgress!('parse', d, t) : undefined };
  const plan = planRefresh(ws, refreshOpts);
  // Many files to parse: both cores, each worker parsing and later rendering whole segments.
  const start = () => (opts.workers === 0 ? undefined : SegmentPool.start({ ws, salt: plan.salt, segments: plan.segments, write: true }, opts.workers));
  const enough = (n: number) => (opts.workers === undefined ? n >= POOL_MIN_WORK : opts.workers > 0);
  let pool = enough(plan.misses.length) ? start() : undefined;
  try {
    const previous = opts.full ? undefined : readManifest(ws.outDir);
    const state = pool ? await refreshOnPool(plan, pool, previous?.outputs) : refreshFromPlan(plan);
    if (previous && previous.source === outputKey(state.stats.sourceKey) && outputsPresent(ws.outDir, previous)) {
      // Nothing changed since the last build: the outputs are already what a full build gives.
      remember(state.stats.sourceKey);
      return resultOf(state, { written: [], removed: [], segmentsRebuilt: 0, segments: previous.segment_keys.filter(Boolean).length });
    }
    const result = await writeOutputs(state, previous, opts, (work) => (enough(work) ? (pool ??= start()) : undefined));
    remember(state.stats.sourceKey);
    return result;
  } finally {
    await pool?.close();
  }
}

/** Reflection ids per execution id, over every segment (sorted: the outputs must not depend on segment order). */
function reflectionLinks(sums: ReturnType<typeof summariesOf>): Map<string, string[]> {
  const links = new Map<string, string[]>();
  for (const sum of sums) {
    for (const [ex, refl] of sum.links) {
      const list = links.get(ex);
      if (list) list.push(refl);
      else links.set(ex, [refl]);
    }
  }
  for (const list of links.values()) list.sort();
  return links;
}

/** What the last build left that this one may reuse. */
interface Previous {
  manifest: BuildManifest | undefined;
  store: ReturnType<typeof readStoreFile> | undefined;
  table: { shards: Array<{ file: string; records: number }> } | undefined;
}

/** Which segments must be rendered (tasks) and which outputs are kept as they are. */
function planSegments(state: KbState, sums: ReturnType<typeof summariesOf>, links: ReadonlyMap<string, string[]>, prev: Previous): { keys: string[]; tasks: RenderTask[]; kept: Map<string, string> } {
  const previous = prev.manifest;
  const keys: string[] = [];
  const tasks: RenderTask[] = [];
  const kept = new Map<string, string>();
  for (let s = 0; s < state.segments; s++) {
    const key = segmentKey(state, sums[s]!, links);
    keys.push(key);
    if (!key) continue;
    const out = segmentOutputs(s);
    // A segment parsed on the pool has had its table shard written already (see
    // PreparedSegment): it is always finished, which is cheap, and rewritten if need be.
    const reusable =
      !state.pooled.has(s) &&
      previous?.segment_keys[s] === key &&
      Object.values(out).every((name) => previous.outputs[name] && existsSync(join(state.ws.outDir, name))) &&
      prev.store?.segments.some((x) => `recall/${x.file}` === out.recall);
    if (reusable) {
      for (const name of Object.values(out)) kept.set(name, previous.outputs[name]!);
      continue;
    }
    tasks.push(renderTaskOf(state, s, links, previous));
  }
  return { keys, tasks, kept };
}

/** The render task of one segment: its valid files, the rows it lists and their reflection links. */
function renderTaskOf(state: KbState, s: number, links: ReadonlyMap<string, string[]>, previous: BuildManifest | undefined): RenderTask {
  ensureSegment(state, s);
  const valid: RenderTask['valid'] = [];
  const rows: string[] = [];
  const segLinks = dict<string[]>(); // keyed by record ids
  for (const file of state.segFiles[s]!) {
    const e = state.index.get(file)!;
    if (!e.s) continue;
    valid.push([file, e.b]);
    if (!isRowFile(state, e)) continue;
    rows.push(file);
    const l = links.get(e.s.id);
    if (l) segLinks[e.s.id] = l;
  }
  const out = segmentOutputs(s);
  return {
    seg: s,
    valid,
    live: rows,
    links: segLinks,
    previous: Object.fromEntries(
      Object.values(out)
        .filter((n) => previous?.outputs[n])
        .map((n) => [n, previous!.outputs[n]!]),
    ),
  };
}

/** Renders the tasks on the pool when there is one, else in this thread. */
async function renderSegments(state: KbState, tasks: RenderTask[], pool: SegmentPool | undefined, onDone: (n: number) => void): Promise<Map<number, RenderedSegment>> {
  const rendered = new Map<number, RenderedSegment>();
  if (pool) {
    for (const r of await pool.render(tasks, onDone)) rendered.set(r.seg, r);
    return rendered;
  }
  const ctx: SegmentContext = { ws: state.ws, salt: state.salt, segments: state.segments, write: true };
  for (const t of tasks) {
    rendered.set(t.seg, renderSegmentTask(ctx, t, segmentEntries(state, t.seg)));
    onDone(rendered.size);
  }
  return rendered;
}

/** Every segment's table shard and recall segment, rendered now or kept from the last build. */
function segmentParts(
  state: KbState,
  keys: readonly string[],
  rendered: ReadonlyMap<number, RenderedSegment>,
  kept: Map<string, string>,
  written: string[],
  prev: Previous,
): { tableShards: Array<{ file: string; records: number }>; storeSegments: StoreSegment[] } {
  const tableShards: Array<{ file: string; records: number }> = [];
  const storeSegments: StoreSegment[] = [];
  for (let s = 0; s < state.segments; s++) {
    if (!keys[s]) continue;
    const out = segmentOutputs(s);
    const r = rendered.get(s);
    if (r) {
      for (const [name, h] of Object.entries(r.outputs)) kept.set(name, h);
      written.push(...r.written);
      if (r.repaired && !state.problems.length) state.problems.push(`cache/seg-${segName(s)}.json was incomplete`);
      tableShards.push(r.table);
      storeSegments.push(r.recall);
    } else {
      const name = out.recall.slice('recall/'.length);
      const seg = prev.store!.segments.find((x) => x.file === name)!;
      storeSegments.push(seg);
      tableShards.push(prev.table?.shards.find((x) => `records/${x.file}` === out.table) ?? { file: out.table.slice('records/'.length), records: seg.n });
    }
  }
  return { tableShards, storeSegments };
}

/** The global files: the table's shard list, aggregates, diagnostics and the recall store's description. */
function globalFiles(sums: ReturnType<typeof summariesOf>, aggregates: Aggregates, diagnostics: Diagnostic[], parts: ReturnType<typeof segmentParts>): Map<string, string> {
  const files = new Map<string, string>();
  files.set('records/index.json', json({ version: BUILD_VERSION, shards: parts.tableShards }));
  files.set('aggregates.json', json(aggregates));
  files.set('diagnostics.json', json(diagnostics));
  let totalLength = 0;
  for (const sum of sums) totalLength += sum.len;
  const fps = aggregates.errors
    .filter((e) => e.count >= 2)
    .map((e) => ({ id: e.id, text: e.text, example: e.example }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const vocab = mergeVocabulary(sums.map((x) => x.vocab));
  files.set('recall/meta.json', renderStoreFile({ n: aggregates.totals.records, totalLength, vocab, fps, segments: parts.storeSegments }));
  return files;
}

/** Writes the files whose content changed and removes outputs that no longer exist; the new outputs' hashes. */
function writeChanged(
  outDir: string,
  files: ReadonlyMap<string, string>,
  kept: ReadonlyMap<string, string>,
  previous: BuildManifest | undefined,
  written: string[],
  removed: string[],
): Record<string, string> {
  const outputs: Record<string, string> = Object.fromEntries(kept);
  for (const name of [...files.keys()].sort()) {
    const content = files.get(name)!;
    const h = sha1(content);
    outputs[name] = h;
    const abs = join(outDir, name);
    if (previous?.outputs[name] === h && existsSync(abs)) continue;
    writeFileAtomic(abs, content);
    written.push(name);
  }
  for (const name of Object.keys(previous?.outputs ?? {})) {
    if (!(name in outputs)) {
      rmSync(join(outDir, name), { force: true });
      removed.push(name);
    }
  }
  // Also clear files an interrupted run or an older layout left behind (`lunr/`: before 0.2).
  for (const dir of ['records', 'lunr', 'recall']) removeUnlisted(join(outDir, dir), dir, outputs, removed);
  return outputs;
}

/** Everything after the refresh: global passes, segment outputs (rebuilt where their key changed), manifests. */
async function writeOutputs(state: KbState, previous: BuildManifest | undefined, opts: BuildOptions, poolFor: (work: number) => SegmentPool | undefined): Promise<BuildResult> {
  const { ws } = state;
  // The global passes merge the segments' summaries (see segments.ts `SegSummary`).
  const sums = summariesOf(state);
  const diagnostics = diagnosticsOf(state);
  const links = reflectionLinks(sums);
  const aggregates = mergeAggregates(sums.map((x) => x.agg));
  const prev: Previous = {
    manifest: previous,
    store: previous ? readStoreFile(ws.outDir) : undefined,
    table: previous ? readJson<Previous['table']>(join(ws.outDir, 'records', 'index.json')) : undefined,
  };
  const { keys, tasks, kept } = planSegments(state, sums, links, prev);
  const work = tasks.reduce((n, t) => n + t.live.length, 0);
  const rendered = await renderSegments(state, tasks, tasks.length > 1 ? poolFor(work) : undefined, (n) => opts.onProgress?.('index', n, tasks.length));
  const written: string[] = [];
  const removed: string[] = [];
  const parts = segmentParts(state, keys, rendered, kept, written, prev);
  const outputs = writeChanged(ws.outDir, globalFiles(sums, aggregates, diagnostics, parts), kept, previous, written, removed);
  const manifest: BuildManifest = {
    version: BUILD_VERSION,
    kb: ws.kbPrefix,
    records: aggregates.totals.records,
    files: state.stats.files,
    by_kind: aggregates.totals.by_kind,
    diagnostics: countBySeverity(diagnostics),
    outputs: Object.fromEntries(
      Object.keys(outputs)
        .sort()
        .map((k) => [k, outputs[k]!]),
    ),
    source: outputKey(state.stats.sourceKey),
    segment_keys: keys,
  };
  writeFileAtomic(join(ws.outDir, 'manifest.json'), json(manifest));
  written.sort();
  return resultOf(state, { written, removed, segmentsRebuilt: tasks.length, segments: parts.storeSegments.length }, diagnostics);
}

/** Adds a `rows` property that loads the table on first access. */
function withLazyRows(result: Omit<BuildResult, 'rows'>, load: () => RecordRow[]): BuildResult {
  let rows: RecordRow[] | undefined;
  return Object.defineProperty(result, 'rows', { enumerable: true, get: () => (rows ??= load()) }) as BuildResult;
}

/** The build result for a refreshed index plus what this build wrote. */
function resultOf(state: KbState, outputs: Pick<BuildResult['stats'], 'written' | 'removed' | 'segmentsRebuilt' | 'segments'>, diagnostics = diagnosticsOf(state)): BuildResult {
  let records = 0;
  for (const sum of summariesOf(state)) records += sum.agg.rows;
  return withLazyRows(
    {
      outDir: state.ws.outDir,
      records,
      files: state.stats.files,
      diagnostics,
      cacheDiagnostics: cacheDiagnosticsOf(state),
      stats: { ...state.stats, ...outputs },
    },
    () => rowsOf(state),
  );
}

function outputsPresent(outDir: string, manifest: BuildManifest): boolean {
  return Object.keys(manifest.outputs).every((name) => existsSync(join(outDir, name)));
}

function removeUnlisted(dir: string, prefix: string, outputs: Record<string, string>, removed: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const rel = `${prefix}/${n}`;
    if (!(rel in outputs)) {
      rmSync(join(dir, n), { force: true, recursive: true });
      removed.push(rel);
    }
  }
}

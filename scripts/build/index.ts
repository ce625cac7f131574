/**
 * `runBuild`: records table -> table shards, Lunr shards, recall store, aggregates and
 * diagnostics in the git-ignored build folder. Incremental twice over: the records table comes
 * from the blob-id cache (only changed files are parsed), and every output file is rewritten
 * only when its content changed (Lunr shards are rebuilt only when their input changed). The
 * result is byte-identical to a clean full build. Layout: docs/build.md.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeDerived as writeFileAtomic } from './write.js';
import type { Workspace } from '../adapters/workspace.js';
import { countBySeverity, type Diagnostic } from '../diagnostics/diagnostic.js';
import { yearMonth } from '../records/kinds.js';
import { renderStore, STORE_VERSION } from '../recall/store.js';
import { computeAggregates, type Aggregates } from './aggregates.js';
import { sha1 } from './cache.js';
import { cacheSalt, currentSourceKey, refreshTable, type CacheMemo, type RefreshStats } from './incremental.js';
import { buildLunrShards, LUNR_FIELDS, partition, type LunrManifest, type LunrShardFile } from './lunr-index.js';
import { reflectionsByExecution, toSearchDoc } from './search-docs.js';
import type { RecordRow } from './table.js';

/** Bumped when the output layout changes. */
export const BUILD_VERSION = 2;

/** Options for `runBuild`. */
export interface BuildOptions {
  /** Ignore the cache and previous outputs (a clean full build). */
  full?: boolean;
  /** In-memory cache kept between builds by a long-lived caller (watch). */
  memo?: CacheMemo;
  /** Progress while parsing / indexing (CLI shows it on a TTY only). */
  onProgress?: (phase: string, done: number, total: number) => void;
}

/** `manifest.json`: what the build folder holds. */
export interface BuildManifest {
  version: number;
  /** KB root relative to the repo. */
  kb: string;
  records: number;
  by_kind: Record<string, number>;
  diagnostics: { error: number; warning: number; info: number };
  /** Every output file (relative to the build folder) -> SHA-1 of its content. */
  outputs: Record<string, string>;
  /** Key of the build's input (config and every file's blob id): equal keys, equal outputs. */
  source: string;
  /** Files scanned (records and invalid files). */
  files: number;
  /** Lunr shard file -> key of its input (skip rebuilding an unchanged shard). */
  lunr_inputs: Record<string, string>;
  /** Table shard file -> key of its input (skip serialising an unchanged shard). */
  table_inputs: Record<string, string>;
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
    /** Lunr shards rebuilt. */
    lunrRebuilt: number;
    lunrShards: number;
  };
  /** The table rows, for callers that go on to use them. */
  rows: RecordRow[];
}

/** The build's input key: the knowledge base's source key plus the output format versions. */
export function outputKey(sourceKey: string): string {
  return sha1(`${sourceKey}|${BUILD_VERSION}|${STORE_VERSION}`);
}

/** True when the build folder is up to date with the knowledge base (a scan, no parsing). */
export function isBuildCurrent(ws: Workspace): boolean {
  const manifest = readManifest(ws.outDir);
  return manifest !== undefined && manifest.source === outputKey(currentSourceKey(ws));
}

/** Reads a JSON file from the build folder; undefined when missing or unreadable. */
function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Reads `manifest.json` of a build folder. */
export function readManifest(outDir: string): BuildManifest | undefined {
  const m = readJson<BuildManifest>(join(outDir, 'manifest.json'));
  return m && m.version === BUILD_VERSION && m.outputs && typeof m.outputs === 'object' ? m : undefined;
}

/** Reads `aggregates.json` of a build folder (undefined before the first build). */
export function readAggregates(outDir: string): Aggregates | undefined {
  const a = readJson<Aggregates>(join(outDir, 'aggregates.json'));
  return a && a.version === 1 ? a : undefined;
}

/** Reads `lunr/manifest.json` (the list of shards a browser loads). */
export function readLunrManifest(outDir: string): LunrManifest | undefined {
  return readJson<LunrManifest>(join(outDir, 'lunr', 'manifest.json'));
}

/** Reads one Lunr shard file; pass `.index` to `lunr.Index.load`. */
export function readLunrShard(outDir: string, file: string): LunrShardFile | undefined {
  return readJson<LunrShardFile>(join(outDir, 'lunr', file));
}

/** Table shard name of a row: executions and reflections by month, other kinds one file each. */
export function tableShardOf(row: RecordRow): string {
  if (row.data.kind === 'execution') return `execution-${yearMonth(row.data.started_at).replace('/', '-')}`;
  if (row.data.kind === 'reflection') return `reflection-${yearMonth(row.data.created_at).replace('/', '-')}`;
  return row.kind;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 1)}\n`;
}

/**
 * Builds (or brings up to date) every output in `ws.outDir`. Never throws for bad records: they
 * are reported in `diagnostics` and left out. I/O errors on the build folder do throw.
 */
export async function runBuild(ws: Workspace, opts: BuildOptions = {}): Promise<BuildResult> {
  // Nothing changed since the last build (a scan, no parsing): answer from the build folder and
  // load the table only if the caller asks for the rows.
  if (!opts.full && !opts.memo) {
    const manifest = readManifest(ws.outDir);
    const scanKey = manifest ? currentSourceKey(ws) : '';
    const diagnostics = manifest ? readJson<Diagnostic[]>(join(ws.outDir, 'diagnostics.json')) : undefined;
    if (manifest && diagnostics && manifest.source === outputKey(scanKey) && outputsPresent(ws.outDir, manifest)) {
      let rows: RecordRow[] | undefined;
      const files = manifest.files ?? manifest.records;
      const result = {
        outDir: ws.outDir,
        records: manifest.records,
        files,
        diagnostics,
        cacheDiagnostics: [],
        stats: { files, parsed: 0, cached: files, changed: [], scan: ws.inGit ? 'git' : 'fs', fullRebuild: false, sourceKey: scanKey, written: [], removed: [], lunrRebuilt: 0, lunrShards: Object.keys(manifest.lunr_inputs ?? {}).length },
      } as Omit<BuildResult, 'rows'>;
      return Object.defineProperty(result, 'rows', { enumerable: true, get: () => (rows ??= refreshTable(ws).rows) }) as BuildResult;
    }
  }
  const refresh = refreshTable(ws, { full: opts.full, memo: opts.memo, onProgress: opts.onProgress ? (d, t) => opts.onProgress!('parse', d, t) : undefined });
  const rows = refresh.rows;
  const previous = opts.full ? undefined : readManifest(ws.outDir);
  if (previous && previous.source === outputKey(refresh.stats.sourceKey) && outputsPresent(ws.outDir, previous)) {
    // Nothing changed since the last build: the outputs are already what a full build gives.
    return resultOf(ws, refresh, { written: [], removed: [], lunrRebuilt: 0, lunrShards: Object.keys(previous.lunr_inputs ?? {}).length });
  }
  const files = new Map<string, string>();

  // Records table, sharded so a one-record change rewrites one small file.
  const tableShards = new Map<string, Array<{ id: string; file: string; data: unknown }>>();
  for (const r of rows) {
    const name = tableShardOf(r);
    const list = tableShards.get(name);
    const item = { id: r.id, file: r.file, data: r.data };
    if (list) list.push(item);
    else tableShards.set(name, [item]);
  }
  // A shard's content is a function of its rows' (file, blob) pairs: when those are unchanged
  // the previous file is kept without serialising 100k records again.
  const salt = cacheSalt(ws);
  const inputKey = (list: ReadonlyArray<{ file: string }>) => sha1(`${BUILD_VERSION}\n${salt}\n${list.map((x) => `${x.file}\0${refresh.blobs.get(x.file) ?? ''}`).join('\n')}`);
  const tableInputs: Record<string, string> = {};
  const kept = new Map<string, string>();
  const keepIfSame = (out: string, key: string, prevKey: string | undefined): boolean => {
    const h = previous?.outputs[out];
    if (!h || prevKey !== key || !existsSync(join(ws.outDir, out))) return false;
    kept.set(out, h);
    return true;
  };
  for (const name of [...tableShards.keys()].sort()) {
    const out = `records/${name}.json`;
    const key = inputKey(tableShards.get(name)!);
    tableInputs[`${name}.json`] = key;
    if (!keepIfSame(out, key, previous?.table_inputs?.[`${name}.json`])) files.set(out, `${JSON.stringify(tableShards.get(name))}\n`);
  }
  files.set('records/index.json', json({ version: BUILD_VERSION, shards: [...tableShards.keys()].sort().map((name) => ({ file: `${name}.json`, records: tableShards.get(name)!.length })) }));

  files.set('aggregates.json', json(computeAggregates(rows)));
  files.set('diagnostics.json', json(refresh.diagnostics));

  // Search documents feed both the Lunr shards and the recall store.
  const links = reflectionsByExecution(rows);
  const docs = rows.map((r) => toSearchDoc(r, links));

  const lunrParts = partition(docs);
  const lunrInputs: Record<string, string> = {};
  const shardList: LunrManifest['shards'] = [];
  const reuse = new Map<number, number>();
  const jobs: Array<{ shard: number; docs: typeof docs }> = [];
  for (let s = 0; s < lunrParts.length; s++) {
    const name = `shard-${String(s).padStart(3, '0')}.json`;
    const key = inputKey(lunrParts[s]!);
    lunrInputs[name] = key;
    const out = `lunr/${name}`;
    if (previous && previous.lunr_inputs?.[name] === key && previous.outputs[out]) {
      // Same input, file still there: keep it without reading it back.
      try {
        reuse.set(s, statSync(join(ws.outDir, out)).size);
        kept.set(out, previous.outputs[out]!);
      } catch {
        // missing: rebuilt below
      }
    }
    if (!reuse.has(s)) jobs.push({ shard: s, docs: lunrParts[s]! });
  }
  const built = await buildLunrShards(jobs, (n) => opts.onProgress?.('index', n, jobs.length));
  const lunrRebuilt = jobs.length;
  for (let s = 0; s < lunrParts.length; s++) {
    const name = `shard-${String(s).padStart(3, '0')}.json`;
    const content = built.get(s);
    if (content !== undefined) files.set(`lunr/${name}`, content);
    shardList.push({ file: name, docs: lunrParts[s]!.length, bytes: content !== undefined ? Buffer.byteLength(content) : reuse.get(s)! });
  }
  const lunrManifest: LunrManifest = { version: 1, docs: docs.length, shards: shardList, fields: { ...LUNR_FIELDS }, ref: 'id' };
  files.set('lunr/manifest.json', json(lunrManifest));

  for (const [name, content] of renderStore(docs)) files.set(`recall/${name}`, content);

  // Write what changed; remove outputs that no longer exist.
  const outputs: Record<string, string> = Object.fromEntries(kept);
  const written: string[] = [];
  for (const name of [...files.keys()].sort()) {
    const content = files.get(name)!;
    const h = sha1(content);
    outputs[name] = h;
    const abs = join(ws.outDir, name);
    if (previous?.outputs[name] === h && existsSync(abs)) continue;
    mkdirSync(dirname(abs), { recursive: true });
    writeFileAtomic(abs, content);
    written.push(name);
  }
  const removed: string[] = [];
  for (const name of Object.keys(previous?.outputs ?? {})) {
    if (!(name in outputs)) {
      rmSync(join(ws.outDir, name), { force: true });
      removed.push(name);
    }
  }
  // Also clear files an interrupted run or an older layout left behind.
  for (const dir of ['records', 'lunr', 'recall']) removeUnlisted(join(ws.outDir, dir), dir, outputs, removed);
  const counts = countBySeverity(refresh.diagnostics);
  const byKind: Record<string, number> = {};
  for (const r of rows) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
  const manifest: BuildManifest = {
    version: BUILD_VERSION,
    kb: ws.kbPrefix,
    records: rows.length,
    files: refresh.stats.files,
    by_kind: Object.fromEntries(Object.keys(byKind).sort().map((k) => [k, byKind[k]!])),
    diagnostics: counts,
    outputs: Object.fromEntries(Object.keys(outputs).sort().map((k) => [k, outputs[k]!])),
    source: outputKey(refresh.stats.sourceKey),
    lunr_inputs: lunrInputs,
    table_inputs: tableInputs,
  };
  writeFileAtomic(join(ws.outDir, 'manifest.json'), json(manifest));
  return resultOf(ws, refresh, { written, removed, lunrRebuilt, lunrShards: lunrParts.length });
}

/** The build result for a refreshed table plus what this build wrote. */
function resultOf(ws: Workspace, refresh: ReturnType<typeof refreshTable>, outputs: Pick<BuildResult['stats'], 'written' | 'removed' | 'lunrRebuilt' | 'lunrShards'>): BuildResult {
  return {
    outDir: ws.outDir,
    records: refresh.rows.length,
    files: refresh.stats.files,
    diagnostics: refresh.diagnostics,
    cacheDiagnostics: refresh.cacheDiagnostics,
    stats: { ...refresh.stats, ...outputs },
    rows: refresh.rows,
  };
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

export { computeAggregates, type Aggregates, type GroupStats, type ErrorFingerprint } from './aggregates.js';
export { type LunrManifest, type LunrShardFile, type LunrStoredDoc, LUNR_FIELDS } from './lunr-index.js';
export { type SearchDoc, toSearchDoc } from './search-docs.js';

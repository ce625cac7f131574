/**
 * Per-segment work: parsing a segment's changed files and rendering its outputs (table shard,
 * recall segment). Pure functions plus file writes into the build folder, so the
 * same code runs inline for small builds and on worker threads (`segment-pool.ts`) for large
 * ones, with identical output.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../core/workspace.js';
import { fingerprint } from '../core/learn/fingerprint.js';
import { renderSegment, type SegmentDoc, type StoreSegment } from '../core/recall/store.js';
import { countsInLength } from '../core/recall/terms.js';
import { readSegCache, writeSegCache } from './cache.js';
import { sha1 } from './digest.js';
import { parseFile, segName, type IndexEntry, type SegEntry } from './segments.js';
import { writeDerived } from './write.js';
import { own } from '../core/dict.js';

/** Output file names of a segment, relative to the build folder. */
export function segmentOutputs(s: number): { table: string; recall: string } {
  const n = segName(s);
  return { table: `records/seg-${n}.json`, recall: `recall/seg-${n}.json` };
}

/** Where a segment's cache lives and what it depends on. */
export interface SegmentContext {
  ws: Workspace;
  salt: string;
  segments: number;
  /** Write caches and outputs (false for read-only use). */
  write: boolean;
}

/** A segment to parse: its files with blob ids, and whether the old cache may be used. */
export interface ParseTask {
  seg: number;
  files: Array<[file: string, blob: string, buf?: Buffer]>;
  /** Index entries of the files whose blob is unchanged (their records come from the cache). */
  cached: IndexEntry[];
  /** Content hash of each of the segment's outputs in the previous build. */
  previous: Record<string, string>;
}

/** What parsing a segment gives back to the coordinator: slim entries only. */
export interface ParsedSegment {
  seg: number;
  index: IndexEntry[];
  parsed: number;
  problems: string[];
}

/**
 * Parses a segment's changed files, reusing cached records for the rest, writes the segment's
 * cache, and returns the index entries of its files plus the full entries (kept by the caller).
 */
export function parseSegment(ctx: SegmentContext, task: ParseTask): { result: ParsedSegment; entries: Map<string, SegEntry> } {
  const problems: string[] = [];
  let old = new Map<string, SegEntry>();
  if (task.cached.length) {
    const read = readSegCache(ctx.ws.outDir, ctx.salt, ctx.segments, task.seg);
    if (typeof read === 'string') problems.push(read);
    else if (read) old = read;
  }
  const cached = new Map(task.cached.map((e) => [e.f, e]));
  const entries = new Map<string, SegEntry>();
  const index: IndexEntry[] = [];
  let parsed = 0;
  for (const [file, blob, buf] of task.files) {
    const prev = cached.get(file);
    const hit = old.get(file);
    if (prev && (!prev.s || hit?.b === blob)) {
      index.push(prev);
      if (prev.s) entries.set(file, hit!);
      continue;
    }
    if (prev && prev.s && !problems.length) problems.push(`cache/seg-${segName(task.seg)}.json was incomplete`);
    const p = parseFile(ctx.ws, file, blob, buf);
    parsed += 1;
    index.push(p.index);
    if (p.seg) entries.set(file, p.seg);
  }
  if (ctx.write) writeSegCache(ctx.ws.outDir, ctx.salt, ctx.segments, task.seg, entries.values());
  return { result: { seg: task.seg, index, parsed, problems }, entries };
}

/** A segment whose outputs are to be rendered. */
export interface RenderTask {
  seg: number;
  /** Every valid file of the segment with its blob (the cache is checked against them). */
  valid: Array<[file: string, blob: string]>;
  /** The files among them that are rows (pass the cross-record checks). */
  live: string[];
  /** Execution id -> ids of the reflections about it. */
  links: Record<string, string[]>;
  /** Content hash of each output in the previous build (unchanged files are not rewritten). */
  previous: Record<string, string>;
}

/** A rendered segment: what the coordinator puts in the manifests. */
export interface RenderedSegment {
  seg: number;
  /** Output name -> content hash. */
  outputs: Record<string, string>;
  written: string[];
  table: { file: string; records: number };
  recall: StoreSegment;
  /** Records that had to be parsed again because the cache lacked them. */
  repaired: number;
}

/** Makes sure `entries` holds every valid file at its blob, parsing what is missing. */
export function completeEntries(ctx: SegmentContext, task: Pick<RenderTask, 'seg' | 'valid'>, entries: Map<string, SegEntry>): number {
  let repaired = 0;
  for (const [file, blob] of task.valid) {
    if (entries.get(file)?.b === blob) continue;
    const p = parseFile(ctx.ws, file, blob, undefined);
    repaired += 1;
    if (p.seg) entries.set(file, p.seg);
  }
  if (repaired && ctx.write) writeSegCache(ctx.ws.outDir, ctx.salt, ctx.segments, task.seg, entries.values());
  return repaired;
}

const byKey = (a: { kind: string; id: string }, b: { kind: string; id: string }) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * A segment with everything but the cross-record links done: the table shard is already
 * written (it does not depend on links) and only the recall documents are kept. A
 * worker prepares each segment right after parsing it, while the main thread runs the
 * cross-record checks, and drops the full records, so memory stays flat at 100k records. When
 * the checks leave every record of the segment in place (the usual case) only the recall
 * segment remains to render; otherwise the segment is rendered again from its cache.
 */
export interface PreparedSegment {
  /** The row files this was prepared for, in path order, joined by newlines. */
  files: string;
  /** Table output: name -> content hash. */
  outputs: Record<string, string>;
  written: string[];
  records: number;
  /** Recall documents sorted by (kind, id), without links and indexed-only text. */
  docs: SegmentDoc[];
}

/** Writes `content` to `name` in the build folder unless the previous build wrote the same. */
function writeOutput(ctx: SegmentContext, name: string, content: string, previous: Record<string, string>, outputs: Record<string, string>, written: string[]): void {
  const h = sha1(content);
  outputs[name] = h;
  const abs = join(ctx.ws.outDir, name);
  if (!ctx.write || (previous[name] === h && existsSync(abs))) return;
  writeDerived(abs, content);
  written.push(name);
}

/** Prepares a segment from its rows' records (`rows` in path order), writing its table shard. */
export function prepareSegment(ctx: SegmentContext, seg: number, rows: readonly SegEntry[], previous: Record<string, string>): PreparedSegment {
  const docs: SegmentDoc[] = [];
  const table: Array<{ kind: string; id: string; file: string; data: unknown }> = [];
  for (const e of rows) {
    const errors = e.data.kind === 'execution' ? (e.data.errors ?? []) : [];
    let length = 0;
    for (let i = 0; i < e.tf.length; i += 2) if (countsInLength(e.tf[i] as string)) length += e.tf[i + 1] as number;
    docs.push({ doc: e.doc, tf: e.tf, length, fps: [...new Set(errors.map((m) => fingerprint(m).id))] });
    table.push({ kind: e.data.kind, id: e.data.id, file: e.doc.file, data: e.data });
  }
  docs.sort((a, b) => byKey(a.doc, b.doc));
  table.sort(byKey);
  const names = segmentOutputs(seg);
  const outputs: Record<string, string> = {};
  const written: string[] = [];
  writeOutput(ctx, names.table, `${JSON.stringify(table.map(({ id, file, data }) => ({ id, file, data })))}\n`, previous, outputs, written);
  return { files: rows.map((e) => e.f).join('\n'), outputs, written, records: table.length, docs };
}

/** Renders a prepared segment's recall segment with its links and writes it if it changed. */
export function finishSegment(ctx: SegmentContext, task: RenderTask, prepared: PreparedSegment, repaired = 0): RenderedSegment {
  const docs = prepared.docs.map((d) => {
    const l = own(task.links, d.doc.id); // ids such as `constructor` are plain keys
    return l?.length ? { ...d, doc: { ...d.doc, links: l } } : d;
  });
  const names = segmentOutputs(task.seg);
  const recall = renderSegment(names.recall.slice('recall/'.length), docs);
  const outputs = { ...prepared.outputs };
  const written = [...prepared.written];
  writeOutput(ctx, names.recall, recall.content, task.previous, outputs, written);
  return {
    seg: task.seg,
    outputs,
    written,
    table: { file: names.table.slice('records/'.length), records: prepared.records },
    recall: recall.segment,
    repaired,
  };
}

/** Renders and writes one segment's outputs (only files whose content changed are written). */
export function renderSegmentTask(ctx: SegmentContext, task: RenderTask, entries: Map<string, SegEntry>, repaired = 0): RenderedSegment {
  return finishSegment(
    ctx,
    task,
    prepareSegment(
      ctx,
      task.seg,
      task.live.map((f) => entries.get(f)!),
      task.previous,
    ),
    repaired,
  );
}

/**
 * Worker thread of the segment pool: parses segments and renders their outputs, keeping the
 * full records of the segments it parsed in memory so they never cross back to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readSegCache } from './cache.js';
import { completeEntries, parseSegment, renderSegmentTask, speculativeLunr, type ParseTask, type RenderTask, type SegmentContext } from './segment-render.js';
import type { SegEntry } from './segments.js';

const ctx = workerData as SegmentContext;
const held = new Map<number, Map<string, SegEntry>>();
// Lunr shards built while the main thread runs the cross-record checks (see speculativeLunr).
const lunr = new Map<number, { files: string; content: string }>();
const pending: number[] = [];

function speculate(): void {
  const seg = pending.shift();
  if (seg === undefined) return;
  const entries = held.get(seg);
  if (entries && !lunr.has(seg)) lunr.set(seg, speculativeLunr(seg, entries));
  if (pending.length) setImmediate(speculate);
}

parentPort?.on('message', (msg: { id: number; parse?: ParseTask; render?: RenderTask }) => {
  try {
    if (msg.parse) {
      const { result, entries } = parseSegment(ctx, msg.parse);
      held.set(msg.parse.seg, entries);
      parentPort!.postMessage({ id: msg.id, parsed: result });
      pending.push(msg.parse.seg);
      if (pending.length === 1) setImmediate(speculate);
    } else if (msg.render) {
      const task = msg.render;
      let entries = held.get(task.seg);
      if (!entries) {
        const read = readSegCache(ctx.ws.outDir, ctx.salt, ctx.segments, task.seg);
        entries = read instanceof Map ? read : new Map();
      }
      const repaired = completeEntries(ctx, task, entries);
      parentPort!.postMessage({ id: msg.id, rendered: renderSegmentTask(ctx, task, entries, repaired, repaired ? undefined : lunr.get(task.seg)) });
      held.delete(task.seg);
      lunr.delete(task.seg);
    }
  } catch (error) {
    parentPort!.postMessage({ id: msg.id, error: (error as Error).stack ?? String(error) });
  }
});

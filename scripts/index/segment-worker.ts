/**
 * Worker thread of the segment pool: parses segments and renders their outputs. The records it
 * parsed never cross back to the main thread; right after parsing they are turned into the
 * prepared form (table, recall documents) and dropped.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readSegCache } from './cache.js';
import { completeEntries, finishSegment, parseSegment, prepareSegment, renderSegmentTask, type ParseTask, type PreparedSegment, type RenderTask, type SegmentContext } from './segment-render.js';
import type { SegEntry } from './segments.js';

const ctx = workerData as SegmentContext;
// Full records of parsed segments, until they are prepared (then only the prepared form is kept).
const held = new Map<number, { entries: Map<string, SegEntry>; previous: Record<string, string> }>();
const prepared = new Map<number, PreparedSegment>();

/** Prepares a held segment as if every valid record were a row (see PreparedSegment). */
function prepareHeld(seg: number): void {
  const h = held.get(seg);
  if (!h) return;
  const rows = [...h.entries.values()].sort((a, b) => (a.f < b.f ? -1 : a.f > b.f ? 1 : 0));
  prepared.set(seg, prepareSegment(ctx, seg, rows, h.previous));
  held.delete(seg);
}

parentPort?.on('message', (msg: { id: number; parse?: ParseTask; render?: RenderTask }) => {
  try {
    if (msg.parse) {
      const { result, entries } = parseSegment(ctx, msg.parse);
      held.set(msg.parse.seg, { entries, previous: msg.parse.previous });
      parentPort!.postMessage({ id: msg.id, parsed: result });
      // Prepared at once (not later, between messages): queued parse messages would otherwise
      // keep every segment's full records alive until the last one is parsed.
      prepareHeld(msg.parse.seg);
    } else if (msg.render) {
      const task = msg.render;
      prepareHeld(task.seg);
      const ready = prepared.get(task.seg);
      prepared.delete(task.seg);
      if (ready && ready.files === task.live.join('\n')) {
        parentPort!.postMessage({ id: msg.id, rendered: finishSegment(ctx, task, ready) });
        return;
      }
      // Some records of the segment turned out bad (or it was not parsed here): from the cache.
      const read = readSegCache(ctx.ws.outDir, ctx.salt, ctx.segments, task.seg);
      const entries = read instanceof Map ? read : new Map<string, SegEntry>();
      const repaired = completeEntries(ctx, task, entries);
      // Outputs written while preparing hold records that have since turned out bad: rewrite them.
      const previous = { ...task.previous };
      for (const name of ready?.written ?? []) delete previous[name];
      parentPort!.postMessage({ id: msg.id, rendered: renderSegmentTask(ctx, { ...task, previous }, entries, repaired) });
    }
  } catch (error) {
    parentPort!.postMessage({ id: msg.id, error: (error as Error).stack ?? String(error) });
  }
});

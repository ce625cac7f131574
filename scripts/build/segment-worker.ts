/**
 * Worker thread of the segment pool: parses segments and renders their outputs, keeping the
 * full records of the segments it parsed in memory so they never cross back to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readSegCache } from './cache.js';
import { completeEntries, parseSegment, renderSegmentTask, type ParseTask, type RenderTask, type SegmentContext } from './segment-render.js';
import type { SegEntry } from './segments.js';

const ctx = workerData as SegmentContext;
const held = new Map<number, Map<string, SegEntry>>();

parentPort?.on('message', (msg: { id: number; parse?: ParseTask; render?: RenderTask }) => {
  try {
    if (msg.parse) {
      const { result, entries } = parseSegment(ctx, msg.parse);
      held.set(msg.parse.seg, entries);
      parentPort!.postMessage({ id: msg.id, parsed: result });
    } else if (msg.render) {
      const task = msg.render;
      let entries = held.get(task.seg);
      if (!entries) {
        const read = readSegCache(ctx.ws.outDir, ctx.salt, ctx.segments, task.seg);
        entries = read instanceof Map ? read : new Map();
      }
      const repaired = completeEntries(ctx, task, entries);
      parentPort!.postMessage({ id: msg.id, rendered: renderSegmentTask(ctx, task, entries, repaired) });
      held.delete(task.seg);
    }
  } catch (error) {
    parentPort!.postMessage({ id: msg.id, error: (error as Error).stack ?? String(error) });
  }
});

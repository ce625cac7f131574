/**
 * A pool of worker threads for large builds (a first or full build, or many segments to
 * rebuild): each worker parses whole segments and renders their outputs itself, so records,
 * bodies and search documents never travel back to the main thread, which only sees the slim
 * index entries and the rendered segments' summaries. Uses both cores on a 2-core machine.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParsedSegment, ParseTask, RenderedSegment, RenderTask, SegmentContext } from './segment-render.js';

/** Below this many files to parse or documents to render, workers cost more than they save. */
export const POOL_MIN_WORK = 2500;

/** The pool. Segments are assigned to workers by number, so a segment's records stay on one worker. */
export class SegmentPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private next = 0;

  private constructor(workers: Worker[]) {
    this.workers = workers;
    for (const w of workers) {
      w.on('message', (m: { id: number; error?: string } & Record<string, unknown>) => {
        const p = this.waiting.get(m.id);
        if (!p) return;
        this.waiting.delete(m.id);
        if (m.error) p.reject(new Error(`segment worker failed: ${m.error}`));
        else p.resolve(m.parsed ?? m.rendered);
      });
      w.on('error', (e) => {
        for (const p of this.waiting.values()) p.reject(e);
        this.waiting.clear();
      });
    }
  }

  /**
   * Starts a pool when worker threads can run (compiled JavaScript; by default one worker per
   * core, at most 4, and only with 2+ cores); undefined otherwise.
   */
  static start(ctx: SegmentContext, workers?: number): SegmentPool | undefined {
    const url = new URL('./segment-worker.js', import.meta.url);
    const cores = workers ?? Math.min(4, availableParallelism());
    if (cores < 1 || (workers === undefined && cores < 2) || !import.meta.url.endsWith('.js') || !existsSync(fileURLToPath(url))) return undefined;
    // A plain copy: the workspace may hold values that cannot be cloned into a worker.
    const data: SegmentContext = { ...ctx, ws: JSON.parse(JSON.stringify(ctx.ws)) as SegmentContext['ws'] };
    return new SegmentPool(Array.from({ length: cores }, () => new Worker(url, { workerData: data })));
  }

  private call<T>(seg: number, msg: Record<string, unknown>): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.workers[seg % this.workers.length]!.postMessage({ id, ...msg });
    });
  }

  /** Parses segments; the full records stay on the worker that owns the segment. */
  parse(tasks: readonly ParseTask[], onDone?: (n: number) => void): Promise<ParsedSegment[]> {
    let done = 0;
    return Promise.all(tasks.map((t) => this.call<ParsedSegment>(t.seg, { parse: t }).then((r) => (onDone?.(++done), r))));
  }

  /** Renders and writes segments' outputs. */
  render(tasks: readonly RenderTask[], onDone?: (n: number) => void): Promise<RenderedSegment[]> {
    let done = 0;
    return Promise.all(tasks.map((t) => this.call<RenderedSegment>(t.seg, { render: t }).then((r) => (onDone?.(++done), r))));
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Renders the per-segment outputs that cost real CPU: the segment's Lunr shard and its recall
 * segment. On worker threads when several segments are rebuilt at once (a first or full build),
 * inline otherwise; the output is identical either way.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderSegment, type SegmentDoc, type StoreSegment } from '../recall/store.js';
import { buildLunrShard } from './lunr-index.js';

/** One segment to render. */
export interface SegmentJob {
  seg: number;
  /** File name stem, e.g. `seg-007` / `shard-007`. */
  name: string;
  /** The segment's documents, sorted by (kind, id). */
  docs: SegmentDoc[];
}

/** A rendered segment. */
export interface RenderedSegment {
  seg: number;
  lunr: string;
  recall: { segment: StoreSegment; content: string };
}

/** Renders one segment (pure). */
export function renderSegmentJob(job: SegmentJob): RenderedSegment {
  return {
    seg: job.seg,
    lunr: buildLunrShard(job.seg, job.docs.map((d) => d.doc)),
    recall: renderSegment(`seg-${job.name}.json`, job.docs),
  };
}

/** Below this many documents in total, starting workers costs more than it saves. */
const PARALLEL_MIN_DOCS = 2500;

/** Renders segments, on worker threads when it pays off (compiled JavaScript, 2+ cores). */
export async function renderSegments(jobs: readonly SegmentJob[], onDone?: (n: number) => void): Promise<Map<number, RenderedSegment>> {
  const out = new Map<number, RenderedSegment>();
  const total = jobs.reduce((n, j) => n + j.docs.length, 0);
  const cores = availableParallelism();
  const workerUrl = new URL('./segment-worker.js', import.meta.url);
  const canThread = import.meta.url.endsWith('.js') && existsSync(fileURLToPath(workerUrl));
  if (!canThread || cores < 2 || jobs.length < 2 || total < PARALLEL_MIN_DOCS) {
    for (const j of jobs) {
      out.set(j.seg, renderSegmentJob(j));
      onDone?.(out.size);
    }
    return out;
  }
  // Biggest first, so the last job to finish is a small one.
  const queue = [...jobs].sort((a, b) => b.docs.length - a.docs.length || a.seg - b.seg);
  const workers = Array.from({ length: Math.min(cores, jobs.length, 4) }, () => new Worker(workerUrl));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const next = () => {
              const job = queue.shift();
              if (!job) return resolve();
              w.postMessage(job);
            };
            w.on('message', (m: RenderedSegment) => {
              out.set(m.seg, m);
              onDone?.(out.size);
              next();
            });
            w.on('error', reject);
            next();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}

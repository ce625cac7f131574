/**
 * Worker thread for rendering segments in parallel (a full build of a large knowledge base spends
 * most of its time building Lunr shards). Receives a `SegmentJob`, answers with the rendering.
 */
import { parentPort } from 'node:worker_threads';
import { renderSegmentJob, type SegmentJob } from './segment-render.js';

parentPort?.on('message', (job: SegmentJob) => {
  parentPort!.postMessage(renderSegmentJob(job));
});

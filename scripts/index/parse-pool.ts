/**
 * Parallel parse for large builds: the files to check are split over worker threads (one per
 * core, at most 4). Synchronous on purpose — the caller blocks on shared memory until every
 * worker is done — so `loadTable` keeps its synchronous contract. Used only from compiled
 * JavaScript and for many files; otherwise the caller parses inline.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Workspace } from '../core/workspace.js';
import type { ParsedFile } from './segments.js';

/** Below this many files, starting workers costs more than it saves. */
export const PARALLEL_MIN_FILES = 1500;

/** Checks files on worker threads; undefined when parallel parsing is not available. */
export function checkFilesParallel(ws: Workspace, files: ReadonlyArray<{ file: string; blob: string }>): ParsedFile[] | undefined {
  const cores = Math.min(4, availableParallelism());
  const url = new URL('./parse-worker.js', import.meta.url);
  if (cores < 2 || files.length < PARALLEL_MIN_FILES || !import.meta.url.endsWith('.js') || !existsSync(fileURLToPath(url))) return undefined;
  const signal = new SharedArrayBuffer(4 * cores);
  const flags = new Int32Array(signal);
  const per = Math.ceil(files.length / cores);
  const plain: Workspace = JSON.parse(JSON.stringify(ws)) as Workspace;
  const jobs: Array<{ worker: Worker; port: MessageChannel['port1'] }> = [];
  try {
    for (let i = 0; i < cores; i++) {
      const slice = files.slice(i * per, (i + 1) * per).map((f) => [f.file, f.blob] as [string, string]);
      if (!slice.length) {
        Atomics.store(flags, i, 1);
        continue;
      }
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(url, { workerData: { ws: plain, files: slice, port: port2, signal, index: i }, transferList: [port2] });
      worker.unref();
      jobs.push({ worker, port: port1 });
    }
    for (let i = 0; i < cores; i++) {
      // Wait in slices so a worker that died (and never signals) cannot hang the build forever.
      let waited = 0;
      while (Atomics.load(flags, i) === 0) {
        Atomics.wait(flags, i, 0, 1000);
        waited += 1;
        if (waited > 3600) return undefined;
      }
    }
    const out: ParsedFile[] = [];
    for (const j of jobs) {
      const msg = receiveMessageOnPort(j.port);
      if (!msg) return undefined;
      out.push(...(msg.message as ParsedFile[]));
    }
    return out;
  } catch {
    return undefined;
  } finally {
    for (const j of jobs) {
      j.port.close();
      void j.worker.terminate();
    }
  }
}

/**
 * Watch mode: chokidar on the knowledge base; every burst of changes (an editor's atomic save
 * is a write to a temp file plus a rename, a `git checkout` is hundreds of events) triggers one
 * incremental build. Builds never overlap: changes during a build schedule exactly one more.
 */
import { relative, sep } from 'node:path';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import type { Workspace } from '../core/workspace.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import { runBuild, type BuildResult } from './build.js';
import type { CacheMemo } from './incremental.js';

/** One rebuild as reported to the caller. */
export interface WatchEvent {
  /** Sequence number of the rebuild (1 = the initial build). */
  seq: number;
  result: BuildResult;
  /** Diagnostics that were not there after the previous build. */
  added: Diagnostic[];
  /** Diagnostics that went away. */
  fixed: Diagnostic[];
  /** Milliseconds the rebuild took. */
  ms: number;
}

/** Options for `startWatch`. */
export interface WatchOptions {
  /** Quiet period before a rebuild (ms). */
  debounceMs?: number;
  /** Called after every build. */
  onBuild: (event: WatchEvent) => void;
  /** Called when a build fails unexpectedly (I/O error on the build folder). */
  onError?: (error: unknown) => void;
  /** Use polling (for file systems without events). */
  usePolling?: boolean;
}

/** A running watcher. */
export interface Watcher {
  /** Resolves after the initial build and once chokidar is watching. */
  ready: Promise<void>;
  /** Stops watching (waits for a running build to finish). */
  close: () => Promise<void>;
}

const key = (d: Diagnostic) => `${d.file}|${d.line ?? ''}|${d.column ?? ''}|${d.rule}|${d.message}`;

/** Starts watching `ws.kbRoot`; runs an initial build first. */
export function startWatch(ws: Workspace, opts: WatchOptions): Watcher {
  const debounce = opts.debounceMs ?? 80;
  let seq = 0;
  let previous = new Map<string, Diagnostic>();
  let running: Promise<void> | undefined;
  let pending = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let watcher: FSWatcher | undefined;
  // The parse cache stays in memory between rebuilds (the disk copy is still kept current).
  const memo: CacheMemo = {};

  const build = async (): Promise<void> => {
    const t0 = performance.now();
    try {
      const result = await runBuild(ws, { memo });
      const now = new Map(result.diagnostics.map((d) => [key(d), d]));
      const added = [...now].filter(([k]) => !previous.has(k)).map(([, d]) => d);
      const fixed = [...previous].filter(([k]) => !now.has(k)).map(([, d]) => d);
      previous = now;
      seq += 1;
      opts.onBuild({ seq, result, added, fixed, ms: Math.round(performance.now() - t0) });
    } catch (error) {
      opts.onError?.(error);
    }
  };
  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (running) {
        pending = true;
        return;
      }
      const loop = async () => {
        do {
          pending = false;
          await build();
        } while (pending && !closed);
        running = undefined;
      };
      running = loop();
    }, debounce);
  };

  const outDir = ws.outDir;
  const ready = (async () => {
    running = build().then(() => {
      running = undefined;
    });
    await running;
    if (closed) return;
    watcher = chokidarWatch(ws.kbRoot, {
      ignoreInitial: true,
      usePolling: opts.usePolling ?? false,
      ignored: (path: string) => {
        if (path === outDir || path.startsWith(outDir + sep)) return true;
        const rel = relative(ws.kbRoot, path);
        return rel.split(sep).some((part) => part.startsWith('.') && part !== '.' && part !== '..');
      },
    });
    watcher.on('all', schedule);
    watcher.on('error', (e) => opts.onError?.(e));
    await new Promise<void>((resolve) => watcher!.once('ready', () => resolve()));
  })();

  return {
    ready,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await ready.catch(() => undefined);
      await watcher?.close();
      await running;
    },
  };
}

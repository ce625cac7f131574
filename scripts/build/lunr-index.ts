/**
 * The Lunr index the site ships to browsers, sharded so that a browser (or a one-record change)
 * never has to load or rebuild one monolithic index. Documents go to a shard by a hash of their
 * id; the shard count grows with the knowledge base (about 2,000 documents per shard), so a
 * change rebuilds only the shard holding the changed record.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import lunr from 'lunr';
import { fnv1a } from './cache.js';
import type { SearchDoc } from './search-docs.js';

/** Documents per Lunr shard, roughly. */
export const LUNR_SHARD_SIZE = 2000;

/**
 * The display data stored beside each shard's index: `[id, kind, title, file, summary]`. The
 * Lunr ref of a document is its position in this list (base 36), which keeps the index small.
 */
export type LunrStoredDoc = [id: string, kind: string, title: string, file: string, summary: string];

/** One shard file (`lunr/shard-NN.json`). */
export interface LunrShardFile {
  version: 1;
  shard: number;
  /** `lunr.Index.load(index)` restores it in the browser or in Node. */
  index: object;
  docs: LunrStoredDoc[];
}

/** `lunr/manifest.json`. */
export interface LunrManifest {
  version: 1;
  /** Total documents over all shards. A hit's ref is the index (base 36) into its shard's `docs`. */
  docs: number;
  shards: Array<{ file: string; docs: number; bytes: number }>;
  /** The fields indexed, with their boosts. */
  fields: Record<string, number>;
  ref: 'id';
}

/** Indexed fields and boosts (the site's query syntax can target them: `title:booking`). */
export const LUNR_FIELDS = { title: 10, tags: 5, body: 1 } as const;

/** How many shards `n` documents get (a power of two). */
export function lunrShardCount(n: number): number {
  let s = 1;
  while (s < 256 && s * LUNR_SHARD_SIZE < n) s *= 2;
  return s;
}

/** Shard of a document id. */
export function lunrShardOf(id: string, shards: number): number {
  return fnv1a(id) % shards;
}

/** The Lunr document of a search doc (only the indexed fields). */
function lunrDoc(d: SearchDoc, ref: number): { id: string; title: string; tags: string; body: string } {
  const tags = [d.kind, d.outcome, d.status, d.component, d.task_type, d.agent, d.category, ...d.domains, ...d.tags].filter(Boolean).join(' ');
  return { id: ref.toString(36), title: d.title, tags, body: [d.summary, d.action ?? '', ...(d.errors ?? [])].join(' ') };
}

/** Splits docs into shards (order inside a shard follows the input order). */
export function partition(docs: readonly SearchDoc[]): SearchDoc[][] {
  const shards = lunrShardCount(docs.length);
  const out: SearchDoc[][] = Array.from({ length: shards }, () => []);
  for (const d of docs) out[lunrShardOf(d.id, shards)]!.push(d);
  return out;
}

/** Builds one shard's file content (deterministic for the same docs in the same order). */
export function buildLunrShard(shard: number, docs: readonly SearchDoc[]): string {
  const index = lunr(function () {
    this.ref('id');
    for (const [name, boost] of Object.entries(LUNR_FIELDS)) this.field(name, { boost });
    // Positions are not needed for search and double the index size.
    this.metadataWhitelist = [];
    docs.forEach((d, i) => this.add(lunrDoc(d, i)));
  });
  const file: LunrShardFile = { version: 1, shard, index: index.toJSON(), docs: docs.map((d) => [d.id, d.kind, d.title, d.file, d.summary.slice(0, 200)]) };
  return `${JSON.stringify(file)}\n`;
}

/**
 * Builds several shards, on worker threads when it pays off (compiled JavaScript, more than one
 * core, enough documents); otherwise inline. Output is identical either way.
 */
export async function buildLunrShards(jobs: ReadonlyArray<{ shard: number; docs: readonly SearchDoc[] }>, onDone?: (n: number) => void): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const total = jobs.reduce((n, j) => n + j.docs.length, 0);
  const cores = availableParallelism();
  const workerUrl = new URL('./lunr-worker.js', import.meta.url);
  const canThread = import.meta.url.endsWith('.js') && existsSync(fileURLToPath(workerUrl));
  if (!canThread || cores < 2 || jobs.length < 2 || total < 3000) {
    for (const j of jobs) {
      out.set(j.shard, buildLunrShard(j.shard, j.docs));
      onDone?.(out.size);
    }
    return out;
  }
  const queue = [...jobs];
  const workers = Array.from({ length: Math.min(cores, jobs.length, 4) }, () => new Worker(workerUrl));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const next = () => {
              const job = queue.shift();
              if (!job) return resolve();
              w.postMessage({ shard: job.shard, docs: job.docs });
            };
            w.on('message', (m: { shard: number; content: string }) => {
              out.set(m.shard, m.content);
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

/**
 * Worker thread for building Lunr shards in parallel (a full build of a large knowledge base
 * spends most of its time in Lunr). Receives `{ shard, docs }`, answers with the shard file.
 */
import { parentPort } from 'node:worker_threads';
import { buildLunrShard } from './lunr-index.js';
import type { SearchDoc } from './search-docs.js';

parentPort?.on('message', (msg: { shard: number; docs: SearchDoc[] }) => {
  parentPort!.postMessage({ shard: msg.shard, content: buildLunrShard(msg.shard, msg.docs) });
});

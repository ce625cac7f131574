/**
 * Search data for the site: the sharded browser Lunr index that `learning-loop build` writes
 * (`<build>/lunr/`), copied next to the pages with one addition per shard: `u`, the page link of
 * each document (aligned with the shard's `docs`), so a hit links to its page under any base
 * path. The site never builds an index of its own; without one, search says "not available yet".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../adapters/workspace.js';
import { readLunrManifest, readLunrShard } from '../build/index.js';
import type { SiteRecords } from './site-data.js';

/** What the search page needs to know at build time. */
export interface SearchManifest {
  documents: number;
  shards: number;
}

/** Result of preparing search. */
export interface SearchFiles {
  available: boolean;
  manifest: SearchManifest | null;
  /** Writes the manifest and shards (with page links) into the built site's `search/` folder. */
  copyTo: (dir: string) => void;
}

/** Finds the build's browser index and plans its copy into the site. */
export function prepareSearch(ws: Workspace, records: SiteRecords): SearchFiles {
  const manifest = readLunrManifest(ws.outDir);
  if (!manifest || !Array.isArray(manifest.shards)) return { available: false, manifest: null, copyTo: () => undefined };
  return {
    available: true,
    manifest: { documents: manifest.docs, shards: manifest.shards.length },
    copyTo: (dir) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ docs: manifest.docs, shards: manifest.shards.map((s) => ({ file: s.file })) }));
      for (const s of manifest.shards) {
        const shard = readLunrShard(ws.outDir, s.file);
        if (!shard) continue;
        const u = shard.docs.map((d) => records.hrefs.get(d[0]) ?? null);
        writeFileSync(join(dir, s.file), JSON.stringify({ index: shard.index, docs: shard.docs, u }));
      }
    },
  };
}

/**
 * The Lunr index the site ships to browsers, sharded so that a browser (or a one-record change)
 * never has to load or rebuild one monolithic index: one shard per build segment (see
 * segments.ts, about 200 records each), so a change rebuilds only the shard holding the changed
 * record.
 */
import lunr from 'lunr';
import { analyze } from '../recall/terms.js';
import type { SearchDoc } from './search-docs.js';

/**
 * The display data stored beside each shard's index: `[id, kind, title, file, summary]`. The
 * Lunr ref of a document is its position in this list (base 36), which keeps the index small.
 */
export type LunrStoredDoc = [id: string, kind: string, title: string, file: string, summary: string];

/** One shard file (`lunr/shard-NNN.json`, one per segment). */
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

/**
 * The Lunr document of a search doc: only the indexed fields, already run through Lunr's
 * pipeline (memoised in `analyze`), so the builder's own pipeline can be skipped. The index is
 * the same as Lunr would build from the raw text, at a fraction of the stemming cost.
 */
function lunrDoc(d: SearchDoc, ref: number): { id: string; title: string[]; tags: string[]; body: string[] } {
  const tags = [d.kind, d.outcome, d.status, d.component, d.task_type, d.agent, d.category, ...d.domains, ...d.tags].filter(Boolean).join(' ');
  return { id: ref.toString(36), title: analyze(d.title), tags: analyze(tags), body: analyze([d.summary, d.action ?? '', ...(d.errors ?? [])].join(' ')) };
}

/** Builds one shard's file content (deterministic for the same docs in the same order). */
export function buildLunrShard(shard: number, docs: readonly SearchDoc[]): string {
  const index = lunr(function () {
    this.ref('id');
    // Fields arrive as analysed terms; the search pipeline (stemmer) is kept for queries.
    this.pipeline.reset();
    for (const [name, boost] of Object.entries(LUNR_FIELDS)) this.field(name, { boost });
    // Positions are not needed for search and double the index size.
    this.metadataWhitelist = [];
    docs.forEach((d, i) => this.add(lunrDoc(d, i)));
  });
  const file: LunrShardFile = { version: 1, shard, index: index.toJSON(), docs: docs.map((d) => [d.id, d.kind, d.title, d.file, d.summary.slice(0, 200)]) };
  return `${JSON.stringify(file)}\n`;
}


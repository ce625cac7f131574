/**
 * A recall store built in memory from records: the same documents, terms and segment layout the
 * build writes, held as strings. Recall over it ranks exactly as over the build folder. Used
 * where no build folder can be written (the MCP server's fallback) and for records that exist
 * only in memory (derived patterns and themes, tests).
 */
import { indexText, markDerived, toSearchDoc } from './search-docs.js';
import type { RecordRow } from '../records/table.js';
import { fingerprint } from '../learn/fingerprint.js';
import { docTerms, mergeVocabulary, vocabularyOf } from './terms.js';
import { parseStoreFile, RecallStore, renderSegment, renderStoreFile, type SegmentDoc, type StoreFile } from './store.js';
import { pushTo } from '../dict.js';

/** A store rendered from records: its meta file and its one segment file's content. */
export interface RenderedStore {
  file: StoreFile;
  /** Content of the segment file (`file.segments[0].file`). */
  content: string;
  /** Vocabulary entries (`type:value` -> records) and token count, for merging with another store. */
  vocab: Record<string, number>;
  totalLength: number;
}

/** Options for rendering records as a store. */
export interface RowsStoreOptions {
  /** File name of the segment (default `seg-000.json`). */
  name?: string;
  /** Mark every document as derived (found by the learning engine, not committed). */
  derived?: boolean;
}

/** Renders records as a store with one segment (deterministic: sorted by kind and id). */
export function renderRowsStore(rows: readonly RecordRow[], opts: RowsStoreOptions = {}): RenderedStore {
  const links = new Map<string, string[]>();
  for (const r of rows) if (r.data.kind === 'reflection') for (const x of r.data.executions) pushTo(links, x, r.id);
  const counts = new Map<string, { text: string; example: string; n: number }>();
  const docs: SegmentDoc[] = [];
  const vocab: Record<string, number> = {};
  let totalLength = 0;
  for (const row of rows) {
    const doc = toSearchDoc(row);
    if (opts.derived) markDerived(doc, row);
    const l = links.get(row.id);
    if (l && row.kind === 'execution') doc.links = [...l].sort();
    const { tf, length } = docTerms(doc, indexText(row, doc));
    const flat: Array<string | number> = [];
    for (const [t, n] of tf) flat.push(t, n);
    const fps: string[] = [];
    for (const m of row.data.kind === 'execution' ? (row.data.errors ?? []) : []) {
      const f = fingerprint(m);
      if (fps.includes(f.id)) continue;
      fps.push(f.id);
      const c = counts.get(f.id) ?? { text: f.text, example: m, n: 0 };
      c.n += 1;
      counts.set(f.id, c);
    }
    for (const v of vocabularyOf(doc)) vocab[v] = (vocab[v] ?? 0) + 1;
    totalLength += length;
    docs.push({ doc, tf: flat, length, fps });
  }
  docs.sort((a, b) => (a.doc.kind < b.doc.kind ? -1 : a.doc.kind > b.doc.kind ? 1 : a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0));
  const seg = renderSegment(opts.name ?? 'seg-000.json', docs);
  const fps = [...counts]
    .filter(([, c]) => c.n >= 2)
    .map(([id, c]) => ({ id, text: c.text, example: c.example }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const file = parseStoreFile(renderStoreFile({ n: docs.length, totalLength, vocab: mergeVocabulary([vocab]), fps, segments: [seg.segment] }))!;
  return { file, content: seg.content, vocab, totalLength };
}

/** A store over a rendered segment held in memory. */
export function memoryStore(r: Pick<RenderedStore, 'file' | 'content'>): RecallStore {
  const lines = r.content.split('\n');
  const parsed = new Map<number, unknown>();
  const store = RecallStore.fromSource(r.file, {
    line: (_s, i) => {
      if (!parsed.has(i)) parsed.set(i, lines[i] ? JSON.parse(lines[i]!) : undefined);
      return parsed.get(i);
    },
  });
  return store!;
}

/** The store of a set of records, in memory (deterministic: sorted by kind and id). */
export function storeOfRows(rows: readonly RecordRow[], opts: RowsStoreOptions = {}): RecallStore {
  return memoryStore(renderRowsStore(rows, opts));
}

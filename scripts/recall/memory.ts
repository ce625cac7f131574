/**
 * A recall store built in memory from records: the same documents, terms and segment layout the
 * build writes, held as strings. Recall over it ranks exactly as over the build folder. Used
 * where no build folder can be written (the MCP server's fallback) and for records that exist
 * only in memory (derived patterns and themes, tests).
 */
import { indexText, toSearchDoc } from '../build/search-docs.js';
import type { RecordRow } from '../build/table.js';
import { fingerprint } from '../learn/fingerprint.js';
import { docTerms, mergeVocabulary, vocabularyOf } from './terms.js';
import { parseStoreFile, RecallStore, renderSegment, renderStoreFile, type SegmentDoc } from './store.js';

/** The store of a set of records (deterministic: sorted by kind and id). */
export function storeOfRows(rows: readonly RecordRow[]): RecallStore {
  const links = new Map<string, string[]>();
  for (const r of rows) if (r.data.kind === 'reflection') for (const x of r.data.executions) links.set(x, [...(links.get(x) ?? []), r.id]);
  const counts = new Map<string, { text: string; example: string; n: number }>();
  const docs: SegmentDoc[] = [];
  const vocab: Record<string, number> = {};
  let totalLength = 0;
  for (const row of rows) {
    const doc = toSearchDoc(row);
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
  const seg = renderSegment('seg-000.json', docs);
  const fps = [...counts].filter(([, c]) => c.n >= 2).map(([id, c]) => ({ id, text: c.text, example: c.example })).sort((a, b) => (a.id < b.id ? -1 : 1));
  const file = parseStoreFile(renderStoreFile({ n: docs.length, totalLength, vocab: mergeVocabulary([vocab]), fps, segments: [seg.segment] }))!;
  const lines = seg.content.split('\n');
  const parsed = new Map<number, unknown>();
  const store = RecallStore.fromSource(file, {
    line: (_s, i) => {
      if (!parsed.has(i)) parsed.set(i, lines[i] ? JSON.parse(lines[i]!) : undefined);
      return parsed.get(i);
    },
  });
  return store!;
}

/**
 * The recall store: an on-disk inverted index built for one-shot questions, in segments (the
 * build's unit of incremental work, see build/segments.ts). Loading a whole Lunr index costs
 * seconds at 100k records, so recall reads only what a question needs:
 *
 * - `recall/meta.json`: counts, vocabulary, recurring error fingerprints and, per segment, the
 *   byte offsets of the lines of its file;
 * - `recall/seg-NNN.json`, one JSON document per line: line 0 the segment's doc table (ids,
 *   kinds, lengths, dates, facet lists), then `TERM_SHARDS` lines of postings (terms spread by a
 *   hash), then the display documents in chunks of `DOC_CHUNK`.
 *
 * A question reads the segment tables, the one postings line per segment that holds each of its
 * terms, and the doc chunks of the final hits. This module is pure: lines come from a
 * `LineSource` (the disk in `store-fs.ts`, HTTP in the site's search, memory in tests and the MCP
 * fallback), so the CLI, the library, MCP and the site rank with the same code.
 */
import { fnv1a } from './hash.js';
import type { SearchDoc } from './search-docs.js';
import { facet, type Vocabulary } from './terms.js';
import { dict, own } from '../dict.js';

export { analyze, facet, type Vocabulary } from './terms.js';

/** Bumped when the store layout changes. */
export const STORE_VERSION = 6;
/** Postings lines per segment. */
export const TERM_SHARDS = 64;
/** Documents per doc chunk line. */
export const DOC_CHUNK = 100;

/** A recurring error fingerprint (seen in 2+ executions). */
export interface StoreFingerprint {
  id: string;
  text: string;
  example: string;
}

/** One segment as listed in `recall/meta.json`. */
export interface StoreSegment {
  /** File name inside `recall/`. */
  file: string;
  /** Documents in the segment. */
  n: number;
  /** Byte offset of each line's start, plus the file size at the end. */
  lines: number[];
}

/** `recall/meta.json`. */
export interface StoreFile {
  version: number;
  n: number;
  /** Average document length in tokens. */
  avgLen: number;
  termShards: number;
  docChunk: number;
  vocab: Vocabulary;
  /** Recurring error fingerprints, sorted by id. */
  fps: StoreFingerprint[];
  segments: StoreSegment[];
}

/** Line 0 of a segment file: the doc table. Local doc numbers follow (kind, id) order. */
export interface SegmentTable {
  ids: string[];
  /** `[kind, first, end)` runs (docs are sorted by kind). */
  kinds: Array<[string, number, number]>;
  len: number[];
  /** Epoch day of each doc's date (for recency). */
  day: number[];
  /** Facet term -> local docs having it. */
  facets: Record<string, number[]>;
  /** Local doc -> error fingerprint ids (executions with errors only). */
  fp: Record<string, string[]>;
}

/** A document of a segment being rendered. */
export interface SegmentDoc {
  doc: SearchDoc;
  /** Flattened term frequencies `[term, n, ...]` (facet terms start with `@`). */
  tf: ReadonlyArray<string | number>;
  /** Token count (non-facet). */
  length: number;
  /** Error fingerprint ids. */
  fps: string[];
}

/** Term shard of a term. */
export function termShard(term: string, shards: number): number {
  return fnv1a(term) % shards;
}

/** Renders one segment file; `docs` must be sorted by (kind, id). Deterministic. */
export function renderSegment(name: string, docs: readonly SegmentDoc[]): { segment: StoreSegment; content: string } {
  const table: SegmentTable = { ids: [], kinds: [], len: [], day: [], facets: dict(), fp: dict() };
  const postings: Array<Map<string, number[]>> = Array.from({ length: TERM_SHARDS }, () => new Map());
  const facets = new Map<string, number[]>();
  docs.forEach((x, i) => {
    const d = x.doc;
    table.ids.push(d.id);
    const run = table.kinds[table.kinds.length - 1];
    if (run && run[0] === d.kind) run[2] = i + 1;
    else table.kinds.push([d.kind, i, i + 1]);
    table.len.push(x.length);
    const t = Date.parse(d.date);
    table.day.push(Number.isNaN(t) ? 0 : Math.floor(t / 86400000));
    if (x.fps.length) table.fp[String(i)] = x.fps;
    for (let k = 0; k < x.tf.length; k += 2) {
      const term = x.tf[k] as string;
      if (term.startsWith('@')) {
        const list = facets.get(term);
        if (list) list.push(i);
        else facets.set(term, [i]);
        continue;
      }
      const shard = postings[termShard(term, TERM_SHARDS)]!;
      const list = shard.get(term);
      if (list) list.push(i, x.tf[k + 1] as number);
      else shard.set(term, [i, x.tf[k + 1] as number]);
    }
  });
  for (const k of [...facets.keys()].sort()) table.facets[k] = facets.get(k)!;
  const lines = [JSON.stringify(table)];
  for (const m of postings) {
    const obj = dict<number[]>(); // terms are words users write (`__proto__` too)
    for (const k of [...m.keys()].sort()) obj[k] = m.get(k)!;
    lines.push(JSON.stringify(obj));
  }
  for (let c = 0; c * DOC_CHUNK < docs.length; c++) {
    lines.push(JSON.stringify(docs.slice(c * DOC_CHUNK, (c + 1) * DOC_CHUNK).map(({ doc }) => doc)));
  }
  const offsets: number[] = [0];
  for (const l of lines) offsets.push(offsets[offsets.length - 1]! + Buffer.byteLength(l) + 1);
  return { segment: { file: name, n: docs.length, lines: offsets }, content: `${lines.join('\n')}\n` };
}

/** The store's `meta.json` content. */
export function renderStoreFile(input: { n: number; totalLength: number; vocab: Vocabulary; fps: StoreFingerprint[]; segments: StoreSegment[] }): string {
  const file: StoreFile = {
    version: STORE_VERSION,
    n: input.n,
    avgLen: input.n ? Math.round((input.totalLength / input.n) * 100) / 100 : 0,
    termShards: TERM_SHARDS,
    docChunk: DOC_CHUNK,
    vocab: input.vocab,
    fps: input.fps,
    segments: input.segments,
  };
  return `${JSON.stringify(file)}\n`;
}

/** Parses `recall/meta.json` content; undefined when unreadable or of another version. */
export function parseStoreFile(text: string): StoreFile | undefined {
  try {
    const meta = JSON.parse(text) as StoreFile;
    return meta.version === STORE_VERSION && Array.isArray(meta.segments) ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** Returned by a `LineSource` for a line it does not hold yet (the site fetches it and asks again). */
export const MISSING: unique symbol = Symbol('missing line');

/**
 * Where a store's lines come from: the parsed JSON of line `line` of a segment file, or `MISSING`
 * when the source has not loaded it yet. Throwing means the line is unreadable (it reads as empty).
 */
export interface LineSource {
  line(seg: StoreSegment, line: number): unknown;
}

/** A display document as stored. */
export type StoredDoc = SearchDoc;

/** What rank and answer read about the whole store (doc numbers run segment after segment). */
export interface StoreMeta {
  n: number;
  avgLen: number;
  len: number[];
  day: number[];
  fps: StoreFingerprint[];
  /** Doc number -> indexes into `fps` (only docs with a recurring error). */
  docFps: Record<string, number[]>;
  vocab: Vocabulary;
}

/** Lazy reader of the recall store; loads postings lines and doc chunks on demand. */
export class RecallStore {
  readonly meta: StoreMeta;
  private readonly source: LineSource;
  private readonly file: StoreFile;
  private readonly tables: SegmentTable[];
  /** Global doc number of each segment's local docs. */
  private readonly globalOf: Int32Array[];
  /** Global doc -> [segment, local]. */
  private readonly segOf: Int32Array;
  private readonly localOf: Int32Array;
  private readonly kinds: string[];
  private readonly terms = new Map<string, Record<string, number[]>>();
  private readonly chunks = new Map<string, StoredDoc[]>();
  private readonly facets = new Map<string, Set<number>>();
  private readonly merged = new Map<string, number[]>();
  private readonly values = new Map<string, Array<string | undefined>>();
  private byId: Map<string, number> | undefined;

  /** True once a read found a line missing from the source (answers computed since are partial). */
  missed = false;

  private constructor(source: LineSource, file: StoreFile, tables: SegmentTable[]) {
    this.source = source;
    this.file = file;
    this.tables = tables;
    // Doc numbers run segment after segment (no global sort when opening: that grew with the
    // knowledge base); `compare` gives the (kind, id) order where ranking needs a tie-break.
    const n = tables.reduce((sum, t) => sum + t.ids.length, 0);
    this.globalOf = [];
    this.segOf = new Int32Array(n);
    this.localOf = new Int32Array(n);
    this.kinds = new Array<string>(n);
    const len: number[] = new Array<number>(n);
    const day: number[] = new Array<number>(n);
    const fpIndex = new Map(file.fps.map((f, i) => [f.id, i]));
    const docFps = dict<number[]>();
    let g = 0;
    tables.forEach((t, s) => {
      const map = new Int32Array(t.ids.length);
      for (const [kind, a, b] of t.kinds) {
        for (let i = a; i < b; i++) {
          map[i] = g + i;
          this.kinds[g + i] = kind;
        }
      }
      for (let i = 0; i < t.ids.length; i++) {
        this.segOf[g + i] = s;
        this.localOf[g + i] = i;
        len[g + i] = t.len[i]!;
        day[g + i] = t.day[i]!;
      }
      for (const [local, fps] of Object.entries(t.fp)) {
        const list = fps.filter((id) => fpIndex.has(id)).map((id) => fpIndex.get(id)!);
        if (list.length) docFps[String(g + Number(local))] = list;
      }
      this.globalOf.push(map);
      g += t.ids.length;
    });
    this.meta = { n, avgLen: file.avgLen, len, day, fps: file.fps, docFps, vocab: file.vocab };
  }

  /** Orders two docs by (kind, id): the tie-break of every ranking. */
  compare(a: number, b: number): number {
    const ka = this.kinds[a]!;
    const kb = this.kinds[b]!;
    if (ka !== kb) return ka < kb ? -1 : 1;
    const ia = this.tables[this.segOf[a]!]!.ids[this.localOf[a]!]!;
    const ib = this.tables[this.segOf[b]!]!.ids[this.localOf[b]!]!;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  }

  /**
   * Opens a store from its meta file and a line source (segment tables are read at once);
   * undefined when a table is missing or unreadable.
   */
  static fromSource(file: StoreFile, source: LineSource): RecallStore | undefined {
    try {
      const tables = file.segments.map((s) => source.line(s, 0) as SegmentTable);
      if (tables.some((t) => !t || (t as unknown) === MISSING || !Array.isArray(t.ids) || !Array.isArray(t.kinds))) return undefined;
      return new RecallStore(source, file, tables);
    } catch {
      return undefined;
    }
  }

  private line<T>(seg: number, line: number, cache: Map<string, T>, empty: T): T {
    const key = `${seg}:${line}`;
    let v = cache.get(key);
    if (v === undefined) {
      let read: unknown;
      try {
        read = this.source.line(this.file.segments[seg]!, line);
      } catch {
        read = undefined;
      }
      if (read === MISSING) {
        // Not loaded yet: answer with what there is and remember to ask again (nothing cached).
        this.missed = true;
        return empty;
      }
      v = (read as T | undefined) ?? empty;
      cache.set(key, v);
    }
    return v;
  }

  /** Posting list `[doc, tf, doc, tf, ...]` of a term over all segments (empty when absent). */
  postings(term: string): number[] {
    let out = this.merged.get(term);
    if (!out) {
      const before = this.missed;
      this.missed = false;
      out = this.readPostings(term);
      if (!this.missed) this.merged.set(term, out);
      this.missed ||= before;
    }
    return out;
  }

  private readPostings(term: string): number[] {
    if (term.startsWith('@')) {
      const out: number[] = [];
      for (const d of [...this.facetSet(term)].sort((a, b) => this.compare(a, b))) out.push(d, 1);
      return out;
    }
    const shard = termShard(term, this.file.termShards);
    const out: number[] = [];
    for (let s = 0; s < this.tables.length; s++) {
      const lines = this.line<Record<string, number[]>>(s, 1 + shard, this.terms, {});
      if (!Object.prototype.hasOwnProperty.call(lines, term)) continue;
      const p = lines[term]!;
      const g = this.globalOf[s]!;
      for (let i = 0; i < p.length; i += 2) out.push(g[p[i]!]!, p[i + 1]!);
    }
    return out;
  }

  private facetSet(key: string): Set<number> {
    let out = this.facets.get(key);
    if (!out) {
      out = new Set<number>();
      this.tables.forEach((t, s) => {
        const g = this.globalOf[s]!;
        for (const local of own(t.facets, key) ?? []) out!.add(g[local]!);
      });
      this.facets.set(key, out);
    }
    return out;
  }

  /** The set of docs having a facet value. */
  facetDocs(name: string, value: string): Set<number> {
    return this.facetSet(facet(name, value));
  }

  /**
   * The value of a single-valued facet (`kind`, `status`, `outcome`, `pattern_type`, ...) for
   * every doc, as an array indexed by doc number: the ranker's filters become array lookups.
   */
  valuesOf(name: string): ReadonlyArray<string | undefined> {
    let out = this.values.get(name);
    if (!out) {
      out = new Array<string | undefined>(this.meta.n).fill(undefined);
      const prefix = facet(name, '');
      this.tables.forEach((t, s) => {
        const g = this.globalOf[s]!;
        for (const key of Object.keys(t.facets)) {
          if (!key.startsWith(prefix)) continue;
          const value = key.slice(prefix.length);
          for (const local of t.facets[key]!) out![g[local]!] = value;
        }
      });
      this.values.set(name, out);
    }
    return out;
  }

  /** The kind of a doc (no doc chunk is read). */
  kindOf(doc: number): string | undefined {
    return this.kinds[doc];
  }

  /** A stored document by number. */
  doc(i: number): StoredDoc | undefined {
    if (i < 0 || i >= this.segOf.length) return undefined;
    const s = this.segOf[i]!;
    const local = this.localOf[i]!;
    const c = Math.floor(local / this.file.docChunk);
    const chunk = this.line<StoredDoc[]>(s, 1 + this.file.termShards + c, this.chunks, []);
    return chunk[local - c * this.file.docChunk];
  }

  /** Finds a doc by kind and id. */
  find(kind: string, id: string): StoredDoc | undefined {
    if (!this.byId) {
      this.byId = new Map();
      for (const [s, t] of this.tables.entries()) {
        for (const [local, x] of t.ids.entries()) this.byId.set(`${this.kinds[this.globalOf[s]![local]!]}\u0000${x}`, this.globalOf[s]![local]!);
      }
    }
    const g = this.byId.get(`${kind}\u0000${id}`);
    return g === undefined ? undefined : this.doc(g);
  }
}

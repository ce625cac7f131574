/**
 * The recall store: an on-disk inverted index built for one-shot questions. Loading a whole Lunr
 * index costs seconds at 100k records, so recall reads only what a question needs:
 * `recall/meta.json` (doc lengths and dates), the term shards that hold the question's terms,
 * and the doc chunks of the final hits. Text goes through Lunr's own pipeline (tokenizer,
 * stop words, stemmer) so recall and the site's Lunr search agree on words. Facets (kind,
 * outcome, component, ...) are stored as `@facet:value` terms, so filters are posting-list
 * intersections and never need every document in memory.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import lunr from 'lunr';
import { writeDerived as writeFileAtomic } from '../build/write.js';
import { fnv1a, sha1 } from '../build/cache.js';
import type { SearchDoc } from '../build/search-docs.js';
import { fingerprint } from '../learn/fingerprint.js';

/** Bumped when the store layout changes. */
export const STORE_VERSION = 2;
/** Documents per doc chunk. */
export const DOC_CHUNK = 250;

/** Vocabulary of the knowledge base: term -> number of records using it. */
export interface Vocabulary {
  component: Record<string, number>;
  task_type: Record<string, number>;
  domain: Record<string, number>;
  agent: Record<string, number>;
  tag: Record<string, number>;
}

/** `recall/meta.json`. */
export interface StoreMeta {
  version: number;
  n: number;
  /** Number of term shards. */
  termShards: number;
  /** Number of doc chunks. */
  docChunks: number;
  /** Average document length in tokens. */
  avgLen: number;
  /** Token count per doc. */
  len: number[];
  /** Epoch day of each doc's date (for recency). */
  day: number[];
  /** `kind\u0000id` of the first doc of each chunk (docs are sorted by kind, id). */
  firsts: string[];
  /** Recurring error fingerprints (in 2+ executions), sorted by id. */
  fps: Array<{ id: string; text: string; example: string }>;
  /** Doc number -> indexes into `fps` (only docs with a recurring error). */
  docFps: Record<string, number[]>;
  vocab: Vocabulary;
}

// Word -> analysed term ('' for a stop word). Natural text repeats words, so memoising Lunr's
// stemmer turns the most expensive step of indexing into a map lookup.
const memo = new Map<string, string>();

function term(word: string): string {
  let t = memo.get(word);
  if (t === undefined) {
    const trimmed = word.replace(/^\W+/, '').replace(/\W+$/, '');
    const tok = new lunr.Token(trimmed, {});
    const kept = trimmed ? lunr.stopWordFilter(tok) : undefined;
    t = kept ? (lunr.stemmer(kept) as lunr.Token).toString() : '';
    if (memo.size < 200000) memo.set(word, t);
  }
  return t;
}

/**
 * Terms of free text, the same as Lunr's default pipeline would produce (its tokenizer
 * separator, trimmer, stop-word filter and stemmer), so recall and the site agree on words.
 */
export function analyze(text: string): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const w of text.slice(0, 20000).toLowerCase().split(lunr.tokenizer.separator)) {
    if (!w) continue;
    const t = term(w);
    if (t) out.push(t);
  }
  return out;
}

/** The facet term for a field value, e.g. `@component:booking-form`. */
export function facet(name: string, value: string): string {
  return `@${name}:${value}`;
}

function termShardCount(n: number): number {
  let s = 1;
  while (s < 64 && s * 1500 < n) s *= 2;
  return s;
}

/** Term shard of a term. */
export function termShard(term: string, shards: number): number {
  return fnv1a(term) % shards;
}

function docTokens(d: SearchDoc): Map<string, number> {
  const tf = new Map<string, number>();
  const add = (t: string, w: number) => tf.set(t, (tf.get(t) ?? 0) + w);
  // Titles and entity names weigh more than free text.
  for (const t of analyze(d.title)) add(t, 3);
  for (const t of analyze([d.summary, d.action ?? '', ...(d.errors ?? []), d.text].join(' '))) add(t, 1);
  const entities = [d.component, d.task_type, ...d.domains, ...d.tags, ...(d.applies ?? [])].filter((x): x is string => Boolean(x));
  for (const e of entities) for (const t of analyze(e.replace(/[-_.]/g, ' '))) add(t, 2);
  const facets: Array<[string, string | undefined]> = [
    ['kind', d.kind],
    ['outcome', d.outcome],
    ['status', d.status],
    ['component', d.component],
    ['task_type', d.task_type],
    ['agent', d.agent],
    ['category', d.category],
    ['pattern_type', d.pattern_type],
  ];
  for (const [k, v] of facets) if (v) tf.set(facet(k, v), 1);
  for (const v of d.domains) tf.set(facet('domain', v), 1);
  for (const v of d.tags) tf.set(facet('tag', v), 1);
  for (const v of d.applies ?? []) tf.set(facet('applies', v), 1);
  return tf;
}

/** Files of the recall store, name -> content (deterministic). */
export function renderStore(docs: readonly SearchDoc[]): Map<string, string> {
  const n = docs.length;
  const shards = termShardCount(n);
  const postings: Array<Map<string, number[]>> = Array.from({ length: shards }, () => new Map());
  const len: number[] = [];
  const day: number[] = [];
  const vocab: Vocabulary = { component: {}, task_type: {}, domain: {}, agent: {}, tag: {} };
  const bump = (o: Record<string, number>, k: string | undefined) => {
    if (k) o[k] = (o[k] ?? 0) + 1;
  };
  let total = 0;
  // Error fingerprints become facets, so "common issues" is counted from posting lists.
  const fpSeen = new Map<string, { text: string; example: string; n: number }>();
  const docFps: string[][] = docs.map((d) => {
    const ids = new Set<string>();
    for (const msg of d.errors ?? []) {
      const fp = fingerprint(msg);
      if (ids.has(fp.id)) continue;
      ids.add(fp.id);
      const seen = fpSeen.get(fp.id);
      if (seen) seen.n += 1;
      else fpSeen.set(fp.id, { text: fp.text, example: msg, n: 1 });
    }
    return [...ids];
  });
  const fps: StoreMeta['fps'] = [];
  const fpIndex = new Map<string, number>();
  for (const id of [...fpSeen.keys()].sort()) {
    const f = fpSeen.get(id)!;
    if (f.n < 2) continue;
    fpIndex.set(id, fps.length);
    fps.push({ id, text: f.text, example: f.example });
  }
  const docFpIndex: Record<string, number[]> = {};
  docFps.forEach((ids, i) => {
    const list = ids.filter((id) => fpIndex.has(id)).map((id) => fpIndex.get(id)!);
    if (list.length) docFpIndex[String(i)] = list;
  });
  docs.forEach((d, i) => {
    const tf = docTokens(d);
    let l = 0;
    for (const [term, f] of tf) {
      if (!term.startsWith('@')) l += f;
      const shard = postings[termShard(term, shards)]!;
      const list = shard.get(term);
      if (list) list.push(i, f);
      else shard.set(term, [i, f]);
    }
    len.push(l);
    total += l;
    const t = Date.parse(d.date);
    day.push(Number.isNaN(t) ? 0 : Math.floor(t / 86400000));
    bump(vocab.component, d.component);
    bump(vocab.task_type, d.task_type);
    bump(vocab.agent, d.agent);
    for (const x of d.domains) bump(vocab.domain, x);
    for (const x of d.tags) bump(vocab.tag, x);
    for (const x of d.applies ?? []) if (/^[a-z0-9][a-z0-9_.-]*$/.test(x) && x.includes('-')) bump(vocab.component, x);
  });
  const sortObj = (o: Record<string, number>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
  const files = new Map<string, string>();
  const docChunks = Math.ceil(n / DOC_CHUNK);
  const meta: StoreMeta = {
    version: STORE_VERSION,
    n,
    termShards: shards,
    docChunks,
    avgLen: n ? Math.round((total / n) * 100) / 100 : 0,
    len,
    day,
    fps,
    docFps: docFpIndex,
    firsts: Array.from({ length: docChunks }, (_, c) => `${docs[c * DOC_CHUNK]!.kind}\u0000${docs[c * DOC_CHUNK]!.id}`),
    vocab: { component: sortObj(vocab.component), task_type: sortObj(vocab.task_type), domain: sortObj(vocab.domain), agent: sortObj(vocab.agent), tag: sortObj(vocab.tag) },
  };
  files.set('meta.json', `${JSON.stringify(meta)}\n`);
  postings.forEach((m, s) => {
    const obj: Record<string, number[]> = {};
    for (const k of [...m.keys()].sort()) obj[k] = m.get(k)!;
    files.set(`terms-${String(s).padStart(2, '0')}.json`, `${JSON.stringify(obj)}\n`);
  });
  for (let c = 0; c < docChunks; c++) {
    const chunk = docs.slice(c * DOC_CHUNK, (c + 1) * DOC_CHUNK).map(({ text: _t, ...rest }) => rest);
    files.set(`docs-${String(c).padStart(3, '0')}.json`, `${JSON.stringify(chunk)}\n`);
  }
  return files;
}

/** A display document as stored (SearchDoc without the indexed-only text). */
export type StoredDoc = Omit<SearchDoc, 'text'>;

/** Lazy reader of the recall store; loads term shards and doc chunks on demand. */
export class RecallStore {
  readonly meta: StoreMeta;
  private readonly dir: string;
  private readonly terms = new Map<number, Record<string, number[]>>();
  private readonly chunks = new Map<number, StoredDoc[]>();
  private readonly facets = new Map<string, Set<number>>();

  private constructor(dir: string, meta: StoreMeta) {
    this.dir = dir;
    this.meta = meta;
  }

  /** Opens the store in `<outDir>/recall`; undefined when missing or unreadable. */
  static open(outDir: string): RecallStore | undefined {
    const dir = join(outDir, 'recall');
    try {
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as StoreMeta;
      if (meta.version !== STORE_VERSION || !Array.isArray(meta.len)) return undefined;
      return new RecallStore(dir, meta);
    } catch {
      return undefined;
    }
  }

  /** Posting list `[doc, tf, doc, tf, ...]` of a term (empty when absent). */
  postings(term: string): number[] {
    const s = termShard(term, this.meta.termShards);
    let shard = this.terms.get(s);
    if (!shard) {
      try {
        shard = JSON.parse(readFileSync(join(this.dir, `terms-${String(s).padStart(2, '0')}.json`), 'utf8')) as Record<string, number[]>;
      } catch {
        shard = {};
      }
      this.terms.set(s, shard);
    }
    return Object.prototype.hasOwnProperty.call(shard, term) ? shard[term]! : [];
  }

  /** The set of docs having a facet value. */
  facetDocs(name: string, value: string): Set<number> {
    const key = facet(name, value);
    let out = this.facets.get(key);
    if (!out) {
      const p = this.postings(key);
      out = new Set<number>();
      for (let i = 0; i < p.length; i += 2) out.add(p[i]!);
      this.facets.set(key, out);
    }
    return out;
  }

  /** The kind of a doc, from the kind facets (no doc chunk is read). */
  kindOf(doc: number): string | undefined {
    for (const k of ['execution', 'reflection', 'pattern', 'rule', 'template', 'assumption', 'synthesis', 'metrics']) if (this.facetDocs('kind', k).has(doc)) return k;
    return undefined;
  }

  /** A stored document by number. */
  doc(i: number): StoredDoc | undefined {
    const c = Math.floor(i / DOC_CHUNK);
    let chunk = this.chunks.get(c);
    if (!chunk) {
      try {
        chunk = JSON.parse(readFileSync(join(this.dir, `docs-${String(c).padStart(3, '0')}.json`), 'utf8')) as StoredDoc[];
      } catch {
        chunk = [];
      }
      this.chunks.set(c, chunk);
    }
    return chunk[i - c * DOC_CHUNK];
  }

  /** Finds a doc by kind and id: one chunk read, located by the chunks' first keys. */
  find(kind: string, id: string): StoredDoc | undefined {
    const key = `${kind}\u0000${id}`;
    const firsts = this.meta.firsts ?? [];
    let c = -1;
    for (let i = 0; i < firsts.length; i++) {
      if (firsts[i]! <= key) c = i;
      else break;
    }
    if (c < 0) return undefined;
    this.doc(c * DOC_CHUNK);
    return this.chunks.get(c)?.find((d) => d.id === id && d.kind === kind);
  }
}

/** Writes rendered files into a folder, only those whose content changed; removes stale ones. */
export function writeIfChanged(dir: string, files: Map<string, string>, previous: Record<string, string> | undefined, prefix: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const hashes: Record<string, string> = {};
  for (const name of [...files.keys()].sort()) {
    const content = files.get(name)!;
    const h = sha1(content);
    hashes[`${prefix}${name}`] = h;
    if (previous?.[`${prefix}${name}`] === h && existsSync(join(dir, name))) continue;
    writeFileAtomic(join(dir, name), content);
  }
  return hashes;
}

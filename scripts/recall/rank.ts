/**
 * The ranker: BM25 over the recall store's postings (the same analysed terms as the Lunr
 * index), plus the intent's filters (kind, outcome, recency) and entity boosts. Works on doc
 * numbers and facet posting lists only; display documents are loaded for the final hits.
 */
import type { Intent } from './intent.js';
import type { RecallStore } from './store.js';

/** A ranked hit. */
export interface Hit {
  doc: number;
  score: number;
  /** Why it matched: entity values and terms. */
  why: string[];
}

const K1 = 1.2;
const B = 0.75;

/** Kinds that carry a review status, where only accepted/proposed are recalled by default. */
const REVIEWED = new Set(['pattern', 'rule', 'template', 'assumption']);

function facetSet(store: RecallStore, name: string, values: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const v of values) for (const d of store.facetDocs(name, v)) out.add(d);
  return out;
}

/**
 * Ranks documents for an intent. Returns hits sorted by score (ties by doc number, i.e. kind
 * then id), at most `max`.
 */
export function rank(store: RecallStore, intent: Intent, max = 200): Hit[] {
  const { meta } = store;
  const scores = new Map<number, number>();
  const why = new Map<number, Set<string>>();
  const note = (d: number, w: string) => {
    let s = why.get(d);
    if (!s) why.set(d, (s = new Set()));
    s.add(w);
  };
  // Full text (BM25).
  for (const t of intent.terms) {
    const p = store.postings(t);
    const df = p.length / 2;
    if (!df) continue;
    const idf = Math.log(1 + (meta.n - df + 0.5) / (df + 0.5));
    for (let i = 0; i < p.length; i += 2) {
      const d = p[i]!;
      const tf = p[i + 1]!;
      const len = meta.len[d] ?? meta.avgLen;
      const s = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / (meta.avgLen || 1)));
      scores.set(d, (scores.get(d) ?? 0) + s);
      note(d, t);
    }
  }
  // Entities: a facet match is strong evidence; partial matches weigh less.
  const entityDocs = new Set<number>();
  for (const e of intent.entities) {
    const facets = e.type === 'component' || e.type === 'task_type' ? [e.type, 'applies'] : e.type === 'domain' ? ['domain', 'applies'] : [e.type];
    for (const f of facets) {
      for (const d of store.facetDocs(f, e.value)) {
        scores.set(d, (scores.get(d) ?? 0) + 4 * e.confidence);
        entityDocs.add(d);
        note(d, `${e.type}:${e.value}`);
      }
    }
  }
  // A question with only filters ("show all failure patterns") lists everything that passes them.
  if (scores.size === 0 && (intent.kinds.length || intent.categories.length || intent.outcome)) {
    const kinds = intent.kinds.length ? intent.kinds : intent.outcome ? ['execution', 'pattern'] : [];
    for (const d of facetSet(store, 'kind', kinds)) scores.set(d, 1);
    for (const d of facetSet(store, 'category', intent.categories)) scores.set(d, 1);
  }
  // The outcome asked for also ranks: failure patterns and gotchas first for "what failed".
  if (intent.outcome) {
    const types = intent.outcome === 'failure' ? ['failure', 'gotcha'] : ['success'];
    for (const d of facetSet(store, 'pattern_type', types)) if (scores.has(d)) scores.set(d, scores.get(d)! + 1.5);
    for (const d of facetSet(store, 'outcome', [intent.outcome])) if (scores.has(d)) scores.set(d, scores.get(d)! + 0.5);
  }
  // Filters.
  let allowed: Set<number> | undefined;
  const restrict = (s: Set<number>) => {
    allowed = allowed ? new Set([...allowed].filter((d) => s.has(d))) : s;
  };
  if (intent.kinds.length) restrict(facetSet(store, 'kind', intent.kinds));
  if (intent.categories.length) {
    const cat = facetSet(store, 'category', intent.categories);
    const nonPattern = facetSet(store, 'kind', intent.kinds.filter((k) => k !== 'pattern'));
    restrict(new Set([...cat, ...nonPattern]));
  }
  const excluded = new Set<number>();
  if (intent.outcome === 'failure') {
    for (const d of facetSet(store, 'outcome', ['success'])) excluded.add(d);
    for (const d of facetSet(store, 'pattern_type', ['success', 'performance'])) excluded.add(d);
  } else if (intent.outcome === 'success') {
    for (const d of facetSet(store, 'outcome', ['failure', 'partial'])) excluded.add(d);
    for (const d of facetSet(store, 'pattern_type', ['failure', 'gotcha'])) excluded.add(d);
    for (const d of facetSet(store, 'kind', ['reflection'])) excluded.add(d);
  }
  for (const d of facetSet(store, 'status', ['rejected', 'archived'])) excluded.add(d);
  if (intent.recency?.mode === 'since') {
    const since = intent.recency.day;
    const kindExec = facetSet(store, 'kind', ['execution', 'reflection']);
    for (const d of kindExec) if ((meta.day[d] ?? 0) < since) excluded.add(d);
  }
  // With entities named, a document must match one of them (or the free text strongly).
  const strongEntities = intent.entities.some((e) => e.confidence >= 0.5);
  const accepted = facetSet(store, 'status', ['accepted']);
  const hits: Hit[] = [];
  const latestBoost = intent.recency?.mode === 'latest';
  let maxDay = 0;
  if (latestBoost) for (const v of meta.day) if (v > maxDay) maxDay = v;
  for (const [d, raw] of scores) {
    if (excluded.has(d)) continue;
    if (allowed && !allowed.has(d)) continue;
    if (strongEntities && !entityDocs.has(d) && raw < 6) continue;
    let s = raw;
    if (accepted.has(d)) s *= 1.25;
    // "Last time": newer records get up to +2, fading over 60 days.
    if (latestBoost) s += Math.max(0, 2 - Math.max(0, maxDay - (meta.day[d] ?? 0)) / 30);
    hits.push({ doc: d, score: Math.round(s * 1000) / 1000, why: [...(why.get(d) ?? [])].sort() });
  }
  hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return hits.slice(0, max);
}

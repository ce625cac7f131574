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
  const has = (name: string, values: readonly string[], d: number) => values.some((v) => store.facetDocs(name, v).has(d));
  // Full text (BM25).
  const termDocs: Array<[string, number[]]> = [];
  for (const t of intent.terms) {
    const p = store.postings(t);
    const df = p.length / 2;
    if (!df) continue;
    termDocs.push([t, p]);
    const idf = Math.log(1 + (meta.n - df + 0.5) / (df + 0.5));
    for (let i = 0; i < p.length; i += 2) {
      const d = p[i]!;
      const tf = p[i + 1]!;
      const len = meta.len[d] ?? meta.avgLen;
      const s = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / (meta.avgLen || 1)));
      scores.set(d, (scores.get(d) ?? 0) + s);
    }
  }
  // Entities: a facet match is strong evidence; partial matches weigh less.
  const entityFacets: Array<[string, string, Set<number>]> = [];
  for (const e of intent.entities) {
    const facets = e.type === 'component' || e.type === 'task_type' ? [e.type, 'applies'] : e.type === 'domain' ? ['domain', 'applies'] : [e.type];
    for (const f of facets) {
      const docs = store.facetDocs(f, e.value);
      entityFacets.push([`${e.type}:${e.value}`, f, docs]);
      for (const d of docs) scores.set(d, (scores.get(d) ?? 0) + 4 * e.confidence);
    }
  }
  const inEntity = (d: number) => entityFacets.some(([, , docs]) => docs.has(d));
  // A question with only filters ("show all failure patterns") lists everything that passes them.
  if (scores.size === 0 && (intent.kinds.length || intent.categories.length || intent.outcome)) {
    const kinds = intent.kinds.length ? intent.kinds : intent.outcome ? ['execution', 'pattern'] : [];
    for (const d of facetSet(store, 'kind', kinds)) scores.set(d, 1);
    for (const d of facetSet(store, 'category', intent.categories)) scores.set(d, 1);
  }
  // The outcome asked for also ranks: failure patterns and gotchas first for "what failed".
  const boostTypes = intent.outcome === 'failure' ? ['failure', 'gotcha'] : intent.outcome === 'success' ? ['success'] : [];
  // Filters, as predicates over the cached facet sets (no per-question copies of big sets).
  const nonPatternKinds = intent.kinds.filter((k) => k !== 'pattern');
  const allowed = (d: number): boolean => {
    if (intent.kinds.length && !has('kind', intent.kinds, d)) return false;
    if (intent.categories.length && !has('category', intent.categories, d) && !has('kind', nonPatternKinds, d)) return false;
    return true;
  };
  const since = intent.recency?.mode === 'since' ? intent.recency.day : undefined;
  const excluded = (d: number): boolean => {
    if (has('status', ['rejected', 'archived'], d)) return true;
    if (intent.outcome === 'failure' && (has('outcome', ['success'], d) || has('pattern_type', ['success', 'performance'], d))) return true;
    if (intent.outcome === 'success' && (has('outcome', ['failure', 'partial'], d) || has('pattern_type', ['failure', 'gotcha'], d) || has('kind', ['reflection'], d))) return true;
    if (since !== undefined && (meta.day[d] ?? 0) < since && has('kind', ['execution', 'reflection'], d)) return true;
    return false;
  };
  // With entities named, a document must match one of them (or the free text strongly).
  const strongEntities = intent.entities.some((e) => e.confidence >= 0.5);
  const accepted = store.facetDocs('status', 'accepted');
  const latestBoost = intent.recency?.mode === 'latest';
  let maxDay = 0;
  if (latestBoost) for (const v of meta.day) if (v > maxDay) maxDay = v;
  const kept: Array<{ doc: number; score: number }> = [];
  for (const [d, raw0] of scores) {
    let raw = raw0;
    if (boostTypes.length) {
      if (has('pattern_type', boostTypes, d)) raw += 1.5;
      if (has('outcome', [intent.outcome!], d)) raw += 0.5;
    }
    if (strongEntities && raw < 6 && !inEntity(d)) continue;
    if (!allowed(d) || excluded(d)) continue;
    let s = raw;
    if (accepted.has(d)) s *= 1.25;
    // "Last time": newer records get up to +2, fading over 60 days.
    if (latestBoost) s += Math.max(0, 2 - Math.max(0, maxDay - (meta.day[d] ?? 0)) / 30);
    kept.push({ doc: d, score: Math.round(s * 1000) / 1000 });
  }
  kept.sort((a, b) => b.score - a.score || a.doc - b.doc);
  // Why each hit matched: only for the hits returned.
  const termSets = termDocs.map(([t, p]) => {
    const set = new Set<number>();
    for (let i = 0; i < p.length; i += 2) set.add(p[i]!);
    return [t, set] as const;
  });
  return kept.slice(0, max).map((h) => {
    const why = new Set<string>();
    for (const [t, set] of termSets) if (set.has(h.doc)) why.add(t);
    for (const [label, , docs] of entityFacets) if (docs.has(h.doc)) why.add(label);
    return { doc: h.doc, score: h.score, why: [...why].sort() };
  });
}

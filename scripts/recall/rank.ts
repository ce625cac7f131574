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

function facetSet(store: RecallStore, name: string, values: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const v of values) for (const d of store.facetDocs(name, v)) out.add(d);
  return out;
}

/**
 * Ranks documents for an intent. Returns hits sorted by score (ties by kind, then id), at most
 * `max`.
 */
export function rank(store: RecallStore, intent: Intent, max = 200): Hit[] {
  const { meta } = store;
  // Scores live in a typed array indexed by doc number, plus the list of docs touched.
  const score = new Float64Array(meta.n);
  const touched: number[] = [];
  const bump = (d: number, s: number) => {
    if (score[d] === 0) touched.push(d);
    score[d] = score[d]! + s;
  };
  // Full text (BM25).
  const termDocs: Array<[string, number[]]> = [];
  const avgLen = meta.avgLen || 1;
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
      bump(d, (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / avgLen)));
    }
  }
  // Entities: a facet match is strong evidence; partial matches weigh less.
  const entityFacets: Array<[string, string, Set<number>]> = [];
  for (const e of intent.entities) {
    const facets = e.type === 'component' || e.type === 'task_type' ? [e.type, 'applies'] : e.type === 'domain' ? ['domain', 'applies'] : [e.type];
    for (const f of facets) {
      const docs = store.facetDocs(f, e.value);
      entityFacets.push([`${e.type}:${e.value}`, f, docs]);
      for (const d of docs) bump(d, 4 * e.confidence);
    }
  }
  const inEntity = (d: number) => entityFacets.some(([, , docs]) => docs.has(d));
  // A question with only filters ("show all failure patterns") lists everything that passes them.
  if (touched.length === 0 && (intent.kinds.length || intent.categories.length || intent.outcome)) {
    const kinds = intent.kinds.length ? intent.kinds : intent.outcome ? ['execution', 'pattern'] : [];
    for (const d of facetSet(store, 'kind', kinds)) bump(d, 1);
    for (const d of facetSet(store, 'category', intent.categories)) if (score[d] === 0) bump(d, 1);
  }
  // Per-doc facet values: the filters below are array lookups.
  const kind = store.valuesOf('kind');
  const status = store.valuesOf('status');
  const outcome = store.valuesOf('outcome');
  const patternType = store.valuesOf('pattern_type');
  const category = store.valuesOf('category');
  // The outcome asked for also ranks: failure patterns and gotchas first for "what failed".
  const boostTypes = intent.outcome === 'failure' ? ['failure', 'gotcha'] : intent.outcome === 'success' ? ['success'] : [];
  const nonPatternKinds = intent.kinds.filter((k) => k !== 'pattern');
  const allowed = (d: number): boolean => {
    if (intent.kinds.length && !intent.kinds.includes(kind[d]!)) return false;
    if (intent.categories.length && !intent.categories.includes(category[d]!) && !nonPatternKinds.includes(kind[d]!)) return false;
    return true;
  };
  const since = intent.recency?.mode === 'since' ? intent.recency.day : undefined;
  const excluded = (d: number): boolean => {
    const st = status[d];
    if (st === 'rejected' || st === 'archived') return true;
    const o = outcome[d];
    const pt = patternType[d];
    if (intent.outcome === 'failure' && (o === 'success' || pt === 'success' || pt === 'performance')) return true;
    if (intent.outcome === 'success' && (o === 'failure' || o === 'partial' || pt === 'failure' || pt === 'gotcha' || kind[d] === 'reflection')) return true;
    if (since !== undefined && (meta.day[d] ?? 0) < since && (kind[d] === 'execution' || kind[d] === 'reflection')) return true;
    return false;
  };
  // With entities named, a document must match one of them (or the free text strongly).
  const strongEntities = intent.entities.some((e) => e.confidence >= 0.5);
  const latestBoost = intent.recency?.mode === 'latest';
  let maxDay = 0;
  if (latestBoost) for (const v of meta.day) if (v > maxDay) maxDay = v;
  const kept: Array<{ doc: number; score: number }> = [];
  for (const d of touched) {
    let raw = score[d]!;
    if (boostTypes.length) {
      if (boostTypes.includes(patternType[d]!)) raw += 1.5;
      if (outcome[d] === intent.outcome) raw += 0.5;
    }
    if (strongEntities && raw < 6 && !inEntity(d)) continue;
    if (!allowed(d) || excluded(d)) continue;
    let s = raw;
    if (status[d] === 'accepted') s *= 1.25;
    // "Last time": newer records get up to +2, fading over 60 days.
    if (latestBoost) s += Math.max(0, 2 - Math.max(0, maxDay - (meta.day[d] ?? 0)) / 30);
    kept.push({ doc: d, score: Math.round(s * 1000) / 1000 });
  }
  kept.sort((a, b) => b.score - a.score || store.compare(a.doc, b.doc));
  // Why each hit matched: only for the hits returned.
  const top = kept.slice(0, max);
  const wanted = new Set(top.map((h) => h.doc));
  const whyOf = new Map<number, Set<string>>(top.map((h) => [h.doc, new Set<string>()]));
  for (const [t, p] of termDocs) for (let i = 0; i < p.length; i += 2) if (wanted.has(p[i]!)) whyOf.get(p[i]!)!.add(t);
  return top.map((h) => {
    const why = whyOf.get(h.doc)!;
    for (const [label, , docs] of entityFacets) if (docs.has(h.doc)) why.add(label);
    return { doc: h.doc, score: h.score, why: [...why].sort() };
  });
}

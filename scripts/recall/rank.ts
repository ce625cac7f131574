/**
 * The ranker: a search engine first, then what the question's intent adds.
 *
 * 1. BM25 (k1 1.2, b 0.75) over the recall store's postings, which hold the full text of every
 *    record with field weights (title x3, lead x2, entity names x2, the rest x1; see
 *    `recall/terms.ts`). Every term is optional: a question never needs all its words. Content
 *    terms count fully, cue terms (the words that shaped the intent: "failed", "rules", "last")
 *    at `CUE_WEIGHT`.
 * 2. A document must match a content term or a named entity; cue words alone do not make a
 *    record relevant. A question with no content terms but a kind or outcome lists what passes
 *    the filters ("show all failure patterns").
 * 3. Boosts and tie-breaks from the intent, never filters: entities named (component, domain,
 *    agent, task type, tag), the kinds and outcome asked for, accepted status, recency.
 * 4. Filters only where the question is unambiguous (`intent.kind_filter`,
 *    `intent.outcome_filter`, "this week"), plus rejected and archived records, which are
 *    answered only when asked for. `rank` reports what the filters removed, so the answer can
 *    fall back to the best matches of other kinds (or retired records), labelled, instead of
 *    saying nothing.
 *
 * Works on doc numbers and facet posting lists only; display documents are loaded for the final
 * hits. The same function ranks for the CLI, the library, MCP and the site.
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

/** The ranking of a question. */
export interface Ranking {
  hits: Hit[];
  /** Documents that matched but were left out by the question's filters (kind, outcome, date). */
  filtered: number;
  /** Rejected or archived documents that matched (left out unless asked for). */
  retired: number;
}

const K1 = 1.2;
const B = 0.75;
/** Weight of an exact word form (`=delimiter`) on top of its stem's. */
export const FORM_WEIGHT = 0.3;
/** Weight of a cue term (a word that shaped the intent) against a content term. */
export const CUE_WEIGHT = 0.3;
/** Added per named entity a document has (times the match's confidence). */
export const ENTITY_BOOST = 2;
/** Multiplier for a record that has an entity the question names exactly. */
export const ENTITY_FACTOR = 1.5;
/** Confidence from which an entity match boosts (an exact or type-hinted name). */
export const STRONG_ENTITY = 0.8;
/** Multipliers for what the question asks for (kind, outcome) and for accepted guidance. */
export const KIND_BOOST = 1.3;
/** A kind named by an everyday word ("run", "attempt", "report") is a tie-break only. */
export const WEAK_KIND_BOOST = 1.05;
export const OUTCOME_BOOST = 1.2;
export const ACCEPTED_BOOST = 1.15;
export const PROPOSED_FACTOR = 0.9;
/** Hits scoring below this share of the best are dropped (they matched a stray word). */
export const RELATIVE_CUTOFF = 0.1;

/** Options for ranking. */
export interface RankOptions {
  max?: number;
  /** Apply the question's filters (kind, outcome, date). Default true. */
  filters?: boolean;
  /** Answer rejected and archived records too (default: only when the question asks for them). */
  retired?: boolean;
}

/** Ranks documents for an intent: hits by score (ties by kind, then id), at most `max`. */
export function rank(store: RecallStore, intent: Intent, opts: RankOptions = {}): Ranking {
  const max = opts.max ?? 200;
  const useFilters = opts.filters ?? true;
  const { meta } = store;
  const score = new Float64Array(meta.n);
  const content = new Uint8Array(meta.n);
  const touched: number[] = [];
  const bump = (d: number, s: number) => {
    if (score[d] === 0) touched.push(d);
    score[d] = score[d]! + s;
  };
  const termDocs: Array<[string, number[]]> = [];
  const avgLen = meta.avgLen || 1;
  const bm25 = (t: string, weight: number, isContent: boolean) => {
    const p = store.postings(t);
    const df = p.length / 2;
    if (!df) return;
    termDocs.push([t, p]);
    const idf = Math.log(1 + (meta.n - df + 0.5) / (df + 0.5));
    for (let i = 0; i < p.length; i += 2) {
      const d = p[i]!;
      const tf = p[i + 1]!;
      const len = meta.len[d] ?? meta.avgLen;
      bump(d, (weight * idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / avgLen)));
      if (isContent) content[d] = 1;
    }
  };
  for (const t of intent.terms) bm25(t, 1, true);
  for (const t of intent.forms ?? []) bm25(t, FORM_WEIGHT, false);
  for (const t of intent.cues ?? []) bm25(t, CUE_WEIGHT, false);
  // Entities named exactly ("booking-form", "square api", "the booking component") are strong
  // evidence. A word that is only part of a name ("check" of mbpp-56-checks) is not: its words
  // are in the text of the records that have it and BM25 weighs them by their rarity.
  const entityFacets: Array<[string, Set<number>]> = [];
  const named = new Uint8Array(meta.n);
  for (const e of intent.entities) {
    if (e.confidence < STRONG_ENTITY) continue;
    const facets = e.type === 'component' || e.type === 'task_type' || e.type === 'domain' ? [e.type, 'applies'] : [e.type];
    for (const f of facets) {
      const docs = store.facetDocs(f, e.value);
      entityFacets.push([`${e.type}:${e.value}`, docs]);
      for (const d of docs) {
        bump(d, ENTITY_BOOST * e.confidence);
        content[d] = 1;
        named[d] = 1;
      }
    }
  }
  const kind = store.valuesOf('kind');
  const status = store.valuesOf('status');
  const outcome = store.valuesOf('outcome');
  const patternType = store.valuesOf('pattern_type');
  const category = store.valuesOf('category');
  // A question with no content words but a kind, category or outcome lists what passes them.
  const listing = intent.terms.length === 0 && intent.entities.length === 0 && (intent.kind_filter || intent.categories.length > 0 || intent.outcome_filter);
  if (listing) {
    const kinds = intent.kinds.length ? intent.kinds : ['execution', 'pattern'];
    for (const k of kinds) {
      for (const d of store.facetDocs('kind', k)) {
        bump(d, 1);
        content[d] = 1;
      }
    }
  }
  const failureTypes = ['failure', 'gotcha'];
  const matchesOutcome = (d: number): boolean => {
    if (intent.outcome === 'failure') return outcome[d] === 'failure' || outcome[d] === 'partial' || failureTypes.includes(patternType[d]!);
    if (intent.outcome === 'success') return outcome[d] === 'success' || patternType[d] === 'success';
    return false;
  };
  const opposite = (d: number): boolean => {
    const o = outcome[d];
    const pt = patternType[d];
    if (intent.outcome === 'failure') return o === 'success' || pt === 'success' || pt === 'performance';
    if (intent.outcome === 'success') return o === 'failure' || o === 'partial' || pt === 'failure' || pt === 'gotcha' || kind[d] === 'reflection';
    return false;
  };
  const since = intent.recency?.mode === 'since' ? intent.recency.day : undefined;
  const passesFilters = (d: number): boolean => {
    if (intent.kind_filter && intent.kinds.length && !intent.kinds.includes(kind[d]!)) return false;
    if (intent.categories.length && kind[d] === 'pattern' && !intent.categories.includes(category[d]!)) return false;
    if (intent.outcome_filter && opposite(d)) return false;
    if (since !== undefined && (meta.day[d] ?? 0) < since && (kind[d] === 'execution' || kind[d] === 'reflection')) return false;
    return true;
  };
  const latest = intent.recency?.mode === 'latest';
  let maxDay = 0;
  if (latest) for (const v of meta.day) if (v > maxDay) maxDay = v;
  const kept: Array<{ doc: number; score: number }> = [];
  let filtered = 0;
  let retired = 0;
  const withRetired = opts.retired ?? intent.retired ?? false;
  for (const d of touched) {
    if (!content[d]) continue;
    const st = status[d];
    if ((st === 'rejected' || st === 'archived') && !withRetired) {
      retired++;
      continue;
    }
    if (useFilters && !passesFilters(d)) {
      filtered++;
      continue;
    }
    let s = score[d]!;
    // What the question names exactly is what it is about: records of it first.
    if (named[d]) s *= ENTITY_FACTOR;
    if (intent.kinds.length && intent.kinds.includes(kind[d]!)) s *= intent.kind_filter ? KIND_BOOST : WEAK_KIND_BOOST;
    if (intent.categories.length && intent.categories.includes(category[d]!)) s *= KIND_BOOST;
    if (intent.outcome && matchesOutcome(d)) s *= OUTCOME_BOOST;
    if (st === 'accepted') s *= ACCEPTED_BOOST;
    else if (st === 'proposed') s *= PROPOSED_FACTOR;
    // "Last time": newer records weigh up to 20% more, fading over 60 days.
    if (latest) s *= 1 + 0.2 * Math.max(0, 1 - Math.max(0, maxDay - (meta.day[d] ?? 0)) / 60);
    kept.push({ doc: d, score: Math.round(s * 1000) / 1000 });
  }
  kept.sort((a, b) => b.score - a.score || store.compare(a.doc, b.doc));
  const floor = (kept[0]?.score ?? 0) * RELATIVE_CUTOFF;
  const top = kept.filter((h) => h.score >= floor).slice(0, max);
  // Why each hit matched: only for the hits returned.
  const whyOf = new Map<number, Set<string>>(top.map((h) => [h.doc, new Set<string>()]));
  for (const [t, p] of termDocs) for (let i = 0; i < p.length; i += 2) whyOf.get(p[i]!)?.add(t);
  const hits = top.map((h) => {
    const why = whyOf.get(h.doc)!;
    for (const [label, docs] of entityFacets) if (docs.has(h.doc)) why.add(label);
    return { doc: h.doc, score: h.score, why: [...why].sort() };
  });
  return { hits, filtered, retired };
}

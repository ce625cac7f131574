/**
 * Text analysis shared by the recall store and the Lunr shards: Lunr's own pipeline (tokenizer
 * separator, trimmer, stop words, stemmer), memoised, plus the per-document term frequencies and
 * vocabulary entries the build computes once per record (and caches by Git blob id).
 */
import lunr from 'lunr';
import type { SearchDoc } from '../build/search-docs.js';
import { dict, own, sortedDict } from '../dict.js';

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

/** Term frequencies of a search document and its length in (non-facet) tokens. */
export function docTerms(d: SearchDoc): { tf: Map<string, number>; length: number } {
  const tf = new Map<string, number>();
  const add = (t: string, w: number) => tf.set(t, (tf.get(t) ?? 0) + w);
  // Titles and entity names weigh more than free text.
  for (const t of analyze(d.title)) add(t, 3);
  for (const t of analyze([d.summary, d.action ?? '', ...(d.errors ?? []), d.text].join(' '))) add(t, 1);
  const entities = [d.component, d.task_type, ...d.domains, ...d.tags, ...(d.applies ?? [])].filter((x): x is string => Boolean(x));
  for (const e of entities) for (const t of analyze(e.replace(/[-_.]/g, ' '))) add(t, 2);
  let length = 0;
  for (const n of tf.values()) length += n;
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
  return { tf, length };
}

/** Vocabulary of the knowledge base: term -> number of records using it. */
export interface Vocabulary {
  component: Record<string, number>;
  task_type: Record<string, number>;
  domain: Record<string, number>;
  agent: Record<string, number>;
  tag: Record<string, number>;
}

/** The vocabulary entries (`type:value`) one record contributes. */
export function vocabularyOf(d: SearchDoc): string[] {
  const out: string[] = [];
  if (d.component) out.push(`component:${d.component}`);
  if (d.task_type) out.push(`task_type:${d.task_type}`);
  if (d.agent) out.push(`agent:${d.agent}`);
  for (const x of d.domains) out.push(`domain:${x}`);
  for (const x of d.tags) out.push(`tag:${x}`);
  // Hyphenated names a rule or template applies to are component names too.
  for (const x of d.applies ?? []) if (/^[a-z0-9][a-z0-9_.-]*$/.test(x) && x.includes('-')) out.push(`component:${x}`);
  return out;
}

/** Sums vocabulary counts (`type:value` -> records using it) into a sorted `Vocabulary`. */
export function mergeVocabulary(parts: Iterable<Readonly<Record<string, number>>>): Vocabulary {
  const vocab: Vocabulary = { component: dict(), task_type: dict(), domain: dict(), agent: dict(), tag: dict() };
  for (const counts of parts) {
    for (const [e, n] of Object.entries(counts)) {
      const i = e.indexOf(':');
      const bucket = own(vocab as unknown as Record<string, Record<string, number>>, e.slice(0, i));
      if (bucket) bucket[e.slice(i + 1)] = (bucket[e.slice(i + 1)] ?? 0) + n;
    }
  }
  return { component: sortedDict(vocab.component), task_type: sortedDict(vocab.task_type), domain: sortedDict(vocab.domain), agent: sortedDict(vocab.agent), tag: sortedDict(vocab.tag) };
}

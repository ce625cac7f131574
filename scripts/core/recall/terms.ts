/**
 * Text analysis for recall (CLI, library, MCP and the site use the same): words, Lunr's stop
 * words and stemmer, memoised, plus the per-document term frequencies and vocabulary entries
 * the build computes once per record (and caches by Git blob id).
 */
import lunr from 'lunr';
import type { IndexText, SearchDoc } from './search-docs.js';
import { dict, own, sortedDict } from '../dict.js';

/**
 * Stop words: only the function words that carry no meaning in a question or a note. Lunr's
 * own list (119 words) also drops words such as "might", "since", "either", "least", "often" or
 * "however", which a user may well search for; BM25's IDF already weighs common words down.
 * The few left out here are the ones frequent enough to make posting lists long.
 */
export const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'and',
  'or',
  'of',
  'to',
  'in',
  'on',
  'at',
  'by',
  'for',
  'with',
  'from',
  'as',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'it',
  'its',
  'this',
  'that',
  'these',
  'those',
  'i',
  'we',
  'you',
  'he',
  'she',
  'they',
  'me',
  'us',
  'our',
  'your',
  'my',
]);

// Word -> analysed term ('' for a stop word). Natural text repeats words, so memoising Lunr's
// stemmer turns the most expensive step of indexing into a map lookup.
const memo = new Map<string, string>();

function term(word: string): string {
  let t = memo.get(word);
  if (t === undefined) {
    t = STOP_WORDS.has(word) ? '' : (lunr.stemmer(new lunr.Token(word, {})) as lunr.Token).toString();
    if (memo.size < 200000) memo.set(word, t);
  }
  return t;
}

const WORDS = /[\p{L}\p{N}]+/gu;
const CAMEL = /(?<=\p{Ll})(?=\p{Lu})/u;
const HAS_CAMEL = /\p{Ll}\p{Lu}/u;

/**
 * Terms of free text: runs of letters and digits (so `lavender/sage`, `4.5:1`, `JSON.parse` and
 * `SQUARE_WEBHOOK_KEY` give their words, as a question's words are read), each lower-cased,
 * `STOP_WORDS` dropped and stemmed by Lunr's Porter stemmer. A camelCase word also gives its
 * parts (`timingSafeEqual` → timingsafeequ, time, safe, equal). `onForm` receives each word
 * whose stem differs from it ("delimiter" → delimit), for the exact-form terms (see `formTerm`).
 */
export function analyze(text: string, onForm?: (form: string) => void): string[] {
  if (!text) return [];
  const out: string[] = [];
  const push = (word: string): string => {
    const lower = word.toLowerCase();
    const t = term(lower);
    if (t) {
      out.push(t);
      if (onForm && t !== lower) onForm(formTerm(lower));
    }
    return t;
  };
  for (const m of text.matchAll(WORDS)) {
    const w = m[0];
    const t = push(w);
    if (w.length > 3 && HAS_CAMEL.test(w)) for (const part of w.split(CAMEL)) if (term(part.toLowerCase()) !== t) push(part);
  }
  return out;
}

/**
 * The exact-form term of a word whose stem differs from it: `=delimiter`. Indexed beside the
 * stem, so a question's own word form ranks records that use that very word above records that
 * only share its stem ("delimiter" above "delimited"), while the stem still finds both.
 */
export function formTerm(word: string): string {
  return `=${word}`;
}

/** The facet term for a field value, e.g. `@component:booking-form`. */
export function facet(name: string, value: string): string {
  return `@${name}:${value}`;
}

/**
 * Field weights (BM25F-style: a term's frequency is the weighted sum over fields, and the
 * document length is the weighted token count). A word in the title counts three times, in the
 * lead (summary, statement, root cause, errors) or an entity name one and a half times, anywhere
 * else once. (Chosen on the retrieval benchmark, `npm run bench`: stronger lead weights cost nDCG.)
 */
export const FIELD_WEIGHTS = { title: 3, lead: 1.5, entity: 1.5, rest: 1 } as const;

/** Whether a term counts in a document's length: stems do; exact forms (`=`) repeat them and facets (`@`) are not words. */
export function countsInLength(term: string): boolean {
  const c = term.charCodeAt(0);
  return c !== 61 /* = */ && c !== 64 /* @ */;
}

/** Term frequencies of a search document and its full text, and its length in (non-facet) tokens. */
export function docTerms(d: SearchDoc, text: IndexText): { tf: Map<string, number>; length: number } {
  const tf = new Map<string, number>();
  const add = (t: string, w: number) => tf.set(t, (tf.get(t) ?? 0) + w);
  const field = (value: string, w: number) => {
    for (const t of analyze(value, (f) => add(f, w))) add(t, w);
  };
  field(text.title, FIELD_WEIGHTS.title);
  field(text.lead, FIELD_WEIGHTS.lead);
  field(text.rest, FIELD_WEIGHTS.rest);
  const entities = [d.component, d.task_type, ...d.domains, ...d.tags, ...(d.applies ?? [])].filter((x): x is string => Boolean(x));
  for (const e of entities) for (const t of analyze(e.replace(/[-_.]/g, ' '))) add(t, FIELD_WEIGHTS.entity);
  let length = 0;
  for (const [t, n] of tf) if (countsInLength(t)) length += n;
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
  if (d.derived) tf.set(facet('derived', 'true'), 1);
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

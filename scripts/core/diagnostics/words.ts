/**
 * Small English helpers for messages, so counts and kinds read right: "1 pattern", "2 patterns",
 * "an execution", "a rule". Pure.
 */

const IRREGULAR: Record<string, string> = { analysis: 'analyses', entry: 'entries', query: 'queries', summary: 'summaries', retry: 'retries', this: 'these' };

/** The plural of a noun (the common English rules; `many` overrides). */
export function pluralOf(word: string): string {
  if (IRREGULAR[word]) return IRREGULAR[word]!;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(?:s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** `n` and the noun in the right number: `plural(1, 'week')` → "1 week", `plural(3, 'week')` → "3 weeks". */
export function plural(n: number, word: string, many = pluralOf(word)): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Just the noun, in the right number for `n` (for counts formatted apart, e.g. in bold). */
export function noun(n: number, word: string, many = pluralOf(word)): string {
  return n === 1 ? word : many;
}

/** The noun with its indefinite article: "an execution", "a rule". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

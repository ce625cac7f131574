/**
 * Error fingerprints: the same error with different details (numbers, ids, paths, quoted
 * values, hashes, URLs, timestamps) normalises to one fingerprint, so "same error 3+ times"
 * counts what a person would count as the same error.
 */
import { createHash } from 'node:crypto';

const RULES: Array<[RegExp, string]> = [
  [/\b\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})?\b/gi, '<time>'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`)]+/gi, '<url>'],
  [/"[^"]*"|'[^']*'|`[^`]*`/g, '<str>'],
  [/(?:[a-z]:)?(?:[\\/][\w.@-]+){2,}[\\/]?/gi, '<path>'],
  [/\b[\w.-]+\.(?:tsx?|jsx?|mjs|cjs|py|rb|go|rs|java|json|ya?ml|md|css|html?)\b(?::\d+(?::\d+)?)?/gi, '<file>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b[0-9A-HJKMNP-TV-Z]{26}\b/g, '<ulid>'],
  [/\b[0-9a-f]{7,64}\b/gi, '<hex>'],
  [/\b(?:[a-z]+[-_])+\d[\w-]*\b/gi, '<id>'],
  [/\d+(?:\.\d+)?/g, '<n>'],
];

/** Normalises an error message into its fingerprint text (lower-case, details replaced). */
export function normalizeError(message: string): string {
  let s = message.split('\n')[0]!.trim();
  for (const [re, token] of RULES) s = s.replace(re, token);
  return s
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/(<n>)(\s*[,.]\s*<n>)+/g, '$1')
    .trim()
    .slice(0, 300);
}

/**
 * Removes the details an error fingerprint ignores (times, URLs, quoted values, paths, files,
 * ids, hashes, numbers) from free text, keeping its words and case: what recurring themes are
 * mined from.
 */
export function normaliseForFingerprint(text: string): string {
  let s = text;
  for (const [re] of RULES) s = s.replace(re, ' ');
  return s.replace(/\s+/g, ' ').trim();
}

/** A short stable id for a fingerprint (`fp-` + 10 hex chars of its SHA-1). */
export function fingerprintId(normalized: string): string {
  return `fp-${createHash('sha1').update(normalized).digest('hex').slice(0, 10)}`;
}

/** Fingerprint of a raw error message: `{ id, text }`. */
export function fingerprint(message: string): { id: string; text: string } {
  const text = normalizeError(message);
  return { id: fingerprintId(text), text };
}

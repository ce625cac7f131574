/**
 * Record ids: a kind prefix plus a ULID. ULIDs are time-sortable and carry 80 random bits, so
 * agents recording at the same millisecond on different machines do not collide; within one
 * process the monotonic factory keeps them strictly increasing.
 */
import { createHash } from 'node:crypto';
import { encodeTime, monotonicFactory } from 'ulid';
import type { Kind } from './kinds.js';

const next = monotonicFactory();

/** Id prefixes per kind. */
export const ID_PREFIX: Record<Kind, string> = {
  execution: 'ex',
  reflection: 'rf',
  pattern: 'pat',
  template: 'tpl',
  rule: 'rule',
  assumption: 'as',
  synthesis: 'syn',
  metrics: 'met',
};

const ID_LIKE = new RegExp(`^(?:${Object.values(ID_PREFIX).join('|')})-[A-Za-z0-9][A-Za-z0-9_-]*$`);

/**
 * True when a name looks like a record id (`rule-…`, `tpl-…`, `ex-…`: a kind prefix and a safe
 * id), as opposed to a free-form name such as `component:TimeSlotGrid`.
 */
export function looksLikeRecordId(name: string): boolean {
  return name.length <= 128 && ID_LIKE.test(name);
}

/** A new collision-free id for a kind, e.g. `ex-01JD3Z6T0M2K8W7Q9A1B2C3D4E`. */
export function newId(kind: Kind, at: number = Date.now()): string {
  return `${ID_PREFIX[kind]}-${next(at)}`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The 16-character ULID random part derived from a key (SHA-256, Crockford base 32). */
export function keySuffix(key: string): string {
  const h = createHash('sha256').update(key).digest();
  let out = '';
  for (let i = 0; i < 16; i += 1) out += CROCKFORD[h[i]! % 32];
  return out;
}

/**
 * A deterministic id for a kind: a ULID whose time part is `at` (ms) and whose random part comes
 * from `key`, so the same source row always gets the same id (re-importing writes nothing new)
 * while ids still sort by time like every other record's.
 */
export function derivedId(kind: Kind, at: number, key: string): string {
  return `${ID_PREFIX[kind]}-${encodeTime(Math.max(0, Math.min(at, 281474976710655)), 10)}${keySuffix(key)}`;
}

/** The safe id pattern (same as the schemas'). */
export const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** True when an id is file-name safe. */
export function isSafeId(id: string): boolean {
  return SAFE_ID.test(id);
}

/** A lower-case slug from free text (for derived, stable ids). */
export function slugify(text: string, max = 60): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
}

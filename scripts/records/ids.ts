/**
 * Record ids: a kind prefix plus a ULID. ULIDs are time-sortable and carry 80 random bits, so
 * agents recording at the same millisecond on different machines do not collide; within one
 * process the monotonic factory keeps them strictly increasing.
 */
import { monotonicFactory } from 'ulid';
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

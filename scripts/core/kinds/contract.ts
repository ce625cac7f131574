/**
 * What a record kind is: one module (`scripts/core/kinds/<kind>.ts`) that says everything the
 * product knows about the kind — its schema, where its files live, which fields link to other
 * records, what recall indexes and what its site page shows — registered by one line in
 * `registry.ts`. Validators, types, folder checks, link checks, the build's cross-record
 * signatures, `explain`, recall and the site read it from there.
 */
import type { SearchDoc } from '../recall/search-doc.js';

/** A field that holds links to other records. */
export interface LinkField {
  /** Where it is in the record. */
  path: string[];
  /** The kinds it may point to (any kind when absent). */
  to?: string[];
  /** How a record page labels it (unlabelled fields are shown elsewhere: as the execution's own list or as evidence). */
  label?: string;
  /** Its ids are the record's evidence (what the page lists as "Evidence"). */
  evidence?: true;
}

/** Where a kind's files live in the knowledge base. */
export interface KindFolder<R> {
  /** The folders `init` creates for it (relative to the knowledge-base root). */
  dirs: readonly string[];
  /** Where a file of this kind may be (KB-relative path); checked by `path/wrong-folder`. */
  pattern: RegExp;
  /** The same, for people (hints). */
  hint: string;
  /** The canonical KB-relative path of a record (its id is file-name safe by then). */
  path(record: R): string;
}

/** A record (or a nested object of one) read field by field. */
export type Data = Readonly<Record<string, unknown>>;

/** The labelled fields of a record page, in order (the site's page template shows them). */
export interface PageFields {
  /** A plain value (skipped when empty). */
  text(label: string, value: unknown): void;
  /** A list of plain values (skipped when empty). */
  texts(label: string, value: unknown): void;
  /** A value rendered as inline Markdown (code, emphasis). */
  html(label: string, value: unknown): void;
  /** A list of already formatted items. */
  items(label: string, items: string[]): void;
}

/** How a kind appears on the site. */
export interface KindPage {
  /** The site section its pages are listed in. */
  section: string;
  /** The section's name in the site's navigation. */
  label: string;
  /** The section's heading. */
  title: string;
  /** One sentence under the heading: what the section holds. */
  intro: string;
  /** The heading of a page's evidence list (default "Evidence"). */
  evidenceTitle?: string;
  /**
   * Its own fields on its page (link fields come from `links`); returns the badge lists show, if
   * any. Absent for kinds with a page of their own (executions).
   */
  fields?(data: Data, f: PageFields): string | undefined;
}

/** One record kind. `R` is its record type (generated from `schema` by `npm run gen`). */
export interface KindModule<K extends string = string, R = unknown> {
  kind: K;
  /** How people name several of them ("syntheses"). */
  plural: string;
  /** The TypeScript type `npm run gen` writes for it (types.generated.ts). */
  typeName: string;
  /** Its JSON Schema (draft 2020-12; shared fragments by `$ref`, see fragments.ts). */
  schema: { readonly $id: string; readonly properties: Readonly<Record<string, unknown>> };
  /** A long-lived kind that carries a review `status` (proposed → accepted | rejected → archived). */
  lifecycle: boolean;
  folder: KindFolder<R>;
  /** Every field that links to other records. */
  links: readonly LinkField[];
  /** Fills the kind's part of its search document (title, summary, action, facets, links). */
  search(record: R, doc: SearchDoc, body: string): void;
  /** Its site pages; absent for kinds the site shows otherwise (metrics feed the dashboard). */
  page?: KindPage;
}

/** Declares a kind module with its record type (`defineKind<ExecutionRecord>()({ kind: 'execution', ... })`). */
export function defineKind<R>(): <K extends string>(module: KindModule<K, R>) => KindModule<K, R> {
  return (module) => module;
}

/** `YYYY/MM` of an ISO timestamp (UTC), used to shard time-ordered folders. */
export function yearMonth(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '0000/00';
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** One line of at most `n` characters (whitespace collapsed, an ellipsis when cut). */
export function clip(s: string | undefined, n: number): string {
  if (!s) return '';
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

/** The first prose of a Markdown body, clipped: the best summary of a hand-written body. */
export function bodyLead(body: string, n: number): string {
  // Skip headings, comments and empty lines.
  const lines = body.split('\n').filter((l) => l.trim() && !/^\s*#/.test(l) && !/^\s*<!--/.test(l));
  return clip(lines.join(' ').replace(/[*_`>]/g, ''), n);
}

/** A value as display text ('' for none). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/** A list value as display texts (empty items dropped; [] for anything but a list). */
export function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.map(str).filter(Boolean) : [];
}

/**
 * The site's only data access: JSON page data prepared by `learning-loop site build`
 * (scripts/agents/publish/site.ts) in the folder named by LEARNING_LOOP_SITE_DATA. Read once per build.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecPage, ExecRow, RecordPage, RecordSection, SectionInfo } from '../../../scripts/core/publish/site-data.js';
import type { DashboardData } from '../../../scripts/core/publish/site-dashboard.js';
import type { SearchManifest } from '../../../scripts/agents/publish/site-search.js';

export type { ExecPage, ExecRow, RecordPage, RecordSection, SectionInfo, DashboardData };

/** Site-wide facts. */
export interface Meta {
  title: string;
  pageSize: number;
  counts: Record<string, number>;
  /** The record sections in navigation order with their headings (from each kind's module). */
  sections: SectionInfo[];
  missing: string[];
  invalid: number;
  search: SearchManifest | null;
  thresholds: { low_performance: number; high_performance: number };
}

const cache = new Map<string, unknown>();

function load<T>(name: string): T {
  if (!cache.has(name)) {
    const dir = process.env.LEARNING_LOOP_SITE_DATA;
    if (!dir) throw new Error('LEARNING_LOOP_SITE_DATA is not set: build the site with `learning-loop site build`.');
    cache.set(name, JSON.parse(readFileSync(join(dir, name), 'utf8')));
  }
  return cache.get(name) as T;
}

export const meta = (): Meta => load<Meta>('meta.json');
export const execRows = (): ExecRow[] => load<ExecRow[]>('exec-rows.json');
export const execPages = (): ExecPage[] => load<ExecPage[]>('exec-pages.json');
export const sections = (): Record<RecordSection, RecordPage[]> => load<Record<RecordSection, RecordPage[]>>('sections.json');
export const dashboard = (): DashboardData => load<DashboardData>('dashboard.json');

/** A section's heading and introduction (the kind modules say them; site build writes them to meta.json). */
export const sectionInfo = (section: string): SectionInfo => meta().sections.find((s) => s.section === section)!;

/** The generic record sections (every section but executions, which has pages of its own). */
export const recordSections = (): RecordSection[] => meta().sections.flatMap((s) => (s.section === 'executions' ? [] : [s.section]));

/** Execution list facets: URL segment, label, row field. */
export const FACETS = [
  { dim: 'week', label: 'Week', key: 'week' },
  { dim: 'agent', label: 'Agent', key: 'agent' },
  { dim: 'type', label: 'Task type', key: 'type' },
  { dim: 'component', label: 'Component', key: 'component' },
  { dim: 'outcome', label: 'Outcome', key: 'outcome' },
  { dim: 'score', label: 'Score', key: 'band' },
] as const;

/** A URL segment for a facet value (same rule as the driver's). */
export function facetSlug(value: string): string {
  const s = value.toLowerCase().normalize('NFKD').replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return s || 'x';
}

/** Label of a score band. */
export function bandLabel(band: string): string {
  const t = meta().thresholds;
  return band === 'low' ? `below ${t.low_performance}` : band === 'high' ? `above ${t.high_performance}` : `${t.low_performance}–${t.high_performance}`;
}

/** Groups of rows per facet value: [{dim, label, values: [{value, slug, label, rows}]}]. */
export function facetGroups(): Array<{ dim: string; label: string; values: Array<{ value: string; slug: string; label: string; rows: ExecRow[] }> }> {
  const key = 'facets';
  if (!cache.has(key)) {
    const rows = execRows();
    const out = FACETS.map((f) => {
      const by = new Map<string, ExecRow[]>();
      for (const r of rows) {
        const v = String(r[f.key as keyof ExecRow] ?? '');
        if (!v) continue;
        let list = by.get(v);
        if (!list) by.set(v, (list = []));
        list.push(r);
      }
      // Distinct values can map to one slug; merge them so every page path is unique.
      const bySlug = new Map<string, { value: string; slug: string; label: string; rows: ExecRow[] }>();
      for (const [value, list] of [...by.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const slug = facetSlug(value);
        const hit = bySlug.get(slug);
        if (hit) {
          hit.rows = hit.rows.concat(list);
          hit.label += `, ${value}`;
        } else bySlug.set(slug, { value, slug, label: f.dim === 'score' ? bandLabel(value) : value, rows: list });
      }
      const values = [...bySlug.values()];
      if (f.dim === 'week') values.reverse();
      return { dim: f.dim, label: f.label, values };
    });
    cache.set(key, out);
  }
  return cache.get(key) as ReturnType<typeof facetGroups>;
}

/** Number of pages for n items. */
export function pageCount(n: number): number {
  return Math.max(1, Math.ceil(n / meta().pageSize));
}

/** Items of page `p` (1-based). */
export function pageOf<T>(items: T[], p: number): T[] {
  const size = meta().pageSize;
  return items.slice((p - 1) * size, p * size);
}

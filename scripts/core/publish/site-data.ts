/**
 * Page data for the site: a pure step from the records table (plus the build's aggregates and
 * the learning snapshot, when present) to compact JSON the Astro pages read at build time.
 * The site has no record parser of its own; everything here comes from `loadTable` rows and
 * the files `learning-loop build` writes, so the site and the CLI cannot disagree.
 *
 * What gets a page of its own (kept small so a 100k-record site still builds):
 * - every pattern, rule, template, assumption, reflection and synthesis report;
 * - executions: every execution referenced by another record (pattern evidence, reflections,
 *   flags, templates) plus the most recent ones up to `executionPageCap` (default 2000); all executions
 *   appear in the paginated lists either way.
 */
import type { RecordRow } from '../records/table.js';
import { fieldsOf, KINDS, kindModule, LINK_FIELDS, linkIds, type AnyRecord, type ExecutionRecord, type Kind } from '../records/kinds.js';
import { str, strs, type PageFields } from '../kinds/contract.js';
import { renderInline, renderMarkdown } from './render-markdown.js';
import { isoWeek } from '../aggregates.js';

/** A link to a record by id; `href` is relative to the site base and absent when it has no page. */
export interface LinkRef {
  id: string;
  label?: string;
  href?: string;
}

/** A labelled value on a record page: text, inline HTML (rendered Markdown, sanitized), a list of texts, or links. */
export type FieldValue = { text: string } | { html: string } | { list: string[] } | { links: LinkRef[] };

/** One compact execution row (lists, facets, client-side sort). */
export interface ExecRow {
  id: string;
  /** The task id (what the list shows as the execution's name), shortened to {@link TASK_LABEL_MAX} characters. */
  task: string;
  /** The whole task id when `task` is shortened (shown on hover). */
  taskFull?: string;
  /** started_at date (YYYY-MM-DD). */
  date: string;
  week: string;
  agent: string;
  type: string;
  component: string;
  outcome: string;
  overall: number;
  duration: number;
  /** Score band by the reflection thresholds: low (< low_performance), mid, high (> high_performance). */
  band: 'low' | 'mid' | 'high';
  /** Page link (relative to base) when the execution has its own page. */
  href?: string;
}

/** An execution page. */
export interface ExecPage {
  id: string;
  title: string;
  file: string;
  row: ExecRow;
  task_id: string;
  sprint?: string;
  /** Accuracy always; the others when measured (an import leaves out what its source does not record). */
  scores: { accuracy: number; efficiency?: number; reusability?: number; surprise?: number };
  computed: string[];
  trigger: string | null;
  checks?: { passed?: number; failed?: number };
  pre: Array<[string, string[]]>;
  during: Array<[string, string[]]>;
  post: Array<[string, string[]]>;
  errors: string[];
  reused: LinkRef[];
  produced: LinkRef[];
  recalled: LinkRef[];
  reflections: LinkRef[];
  patterns: LinkRef[];
  domains: string[];
  tags: string[];
  commit?: string;
  command?: string;
  bodyHtml: string;
}

/** Sections that list long-lived and report records through one generic template. */
export const RECORD_SECTIONS = ['patterns', 'rules', 'templates', 'reflections', 'assumptions', 'synthesis'] as const;
/** A generic record section. */
export type RecordSection = (typeof RECORD_SECTIONS)[number];

/** A section's heading and introduction, from the module of the kind listed there. */
export interface SectionInfo {
  section: RecordSection | 'executions';
  label: string;
  title: string;
  intro: string;
}

/** The record sections in navigation order, executions first, with their headings (the site reads them from meta.json). */
export const SECTION_INFO: readonly SectionInfo[] = (['executions', ...RECORD_SECTIONS] as const).map((section) => {
  const page = KINDS.map((k) => kindModule(k).page).find((p) => p?.section === section)!;
  return { section, label: page.label, title: page.title, intro: page.intro };
});

/** Section for each kind (its module's `page.section`; metrics have none: they feed the dashboard). */
export const SECTION_OF_KIND: Readonly<Record<string, RecordSection | 'executions' | undefined>> = Object.fromEntries(
  KINDS.map((k) => [k, kindModule(k).page?.section as RecordSection | 'executions' | undefined]),
);

/** A record page of a generic section. */
export interface RecordPage {
  id: string;
  kind: string;
  section: RecordSection;
  title: string;
  /** The title as inline HTML (`code`, emphasis; sanitized). */
  titleHtml: string;
  /** One-line summary for lists. */
  summary: string;
  /** The summary as inline HTML. */
  summaryHtml: string;
  status?: string;
  /** Secondary label for lists (pattern type, reflection type, period...). */
  badge?: string;
  /** The heading of the evidence list (its kind's: "Executions reflected on", "Patterns behind this rule"...). */
  evidenceTitle: string;
  date: string;
  file: string;
  href: string;
  fields: Array<[string, FieldValue]>;
  /** Evidence: executions or records behind this one. */
  evidence: LinkRef[];
  /** Records that point at this one. */
  referencedBy: LinkRef[];
  tags: string[];
  bodyHtml: string;
}

/** A chart block: SVG plus the data table behind it. */
export interface ChartBlock {
  id: string;
  title: string;
  desc: string;
  svg: string;
  table: { head: string[]; rows: string[][] };
}

/** Options for page data. */
export interface SiteDataOptions {
  /** Most recent executions that get their own page besides referenced ones (default 2000). */
  executionPageCap?: number;
  /** Score thresholds for the bands (default 60 / 90, the seed's). */
  thresholds?: { low_performance: number; high_performance: number };
}

/** Everything except executions' list rows and pages. */
export interface SiteRecords {
  execRows: ExecRow[];
  execPages: ExecPage[];
  sections: Record<RecordSection, RecordPage[]>;
  /** id -> page href, for every record with a page. */
  hrefs: Map<string, string>;
  kindOf: Map<string, string>;
}

/** ISO week label (e.g. 2026-W47) of an ISO timestamp, UTC: the build's definition, so lists and aggregates agree. */
export { isoWeek };

/** A URL path segment for a free-text facet value (agents may contain any characters). */
export function facetSlug(value: string): string {
  const s = value
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s || 'x';
}

function titleOf(r: AnyRecord): string {
  const d = fieldsOf(r);
  const t = str(d.title) || str(d.statement) || str(d.summary) || str(d.task_id) || str(d.period_label);
  return t.length > 160 ? `${t.slice(0, 157)}…` : t || r.id;
}

function byDateDesc<T extends { date: string; id: string }>(a: T, b: T): number {
  return a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Longest task label in execution tables (a longer task id is cut, whole on hover). */
export const TASK_LABEL_MAX = 60;

/** Lists read in the order a reader acts on them: what holds, what is proposed, what was turned down. */
const STATUS_ORDER: Record<string, number> = { accepted: 0, open: 0, proposed: 1, new: 2, done: 3, rejected: 4, archived: 5 };

function byStatusThenDate<T extends { date: string; id: string; status?: string }>(a: T, b: T): number {
  return (STATUS_ORDER[a.status ?? ''] ?? 3) - (STATUS_ORDER[b.status ?? ''] ?? 3) || byDateDesc(a, b);
}

/** Ids another record points at: every link field of its kind. */
function outgoing(r: AnyRecord): string[] {
  return LINK_FIELDS[r.kind].flatMap((f) => linkIds(r, f));
}

/** Which executions other records point at (they must have a page), and every record's incoming links. */
function linkGraph(others: readonly RecordRow[], kindOf: ReadonlyMap<string, string>, extraReferenced: Iterable<string>): { referenced: Set<string>; incoming: Map<string, Set<string>> } {
  const referenced = new Set<string>(extraReferenced);
  const incoming = new Map<string, Set<string>>();
  for (const r of others) {
    for (const target of outgoing(r.data)) {
      if (target === r.id) continue;
      if (kindOf.get(target) === 'execution') referenced.add(target);
      let set = incoming.get(target);
      if (!set) incoming.set(target, (set = new Set()));
      set.add(r.id);
    }
  }
  return { referenced, incoming };
}

/** One execution's row in the tables: newest first (started_at, then id). */
function execRowsOf(executions: ReadonlyArray<RecordRow<ExecutionRecord>>, opts: SiteDataOptions): ExecRow[] {
  const low = opts.thresholds?.low_performance ?? 60;
  const high = opts.thresholds?.high_performance ?? 90;
  const started = new Map(executions.map((r) => [r.id, r.data.started_at]));
  return executions
    .map((r): ExecRow => {
      const e = r.data;
      // A `run` without --task-id used to name the task by its whole command line: keep the column readable.
      const task = e.task_id.replace(/\s+/g, ' ').trim();
      const short = task.length > TASK_LABEL_MAX ? `${task.slice(0, TASK_LABEL_MAX - 1).trimEnd()}…` : task;
      return {
        id: e.id,
        task: short,
        ...(short !== e.task_id ? { taskFull: e.task_id } : {}),
        date: e.started_at.slice(0, 10),
        week: isoWeek(e.started_at),
        agent: e.agent,
        type: e.task_type,
        component: e.component ?? '',
        outcome: e.outcome,
        overall: Math.round(e.overall * 10) / 10,
        duration: e.duration_s,
        band: e.overall < low ? 'low' : e.overall > high ? 'high' : 'mid',
      };
    })
    .sort((a, b) => {
      const sa = started.get(a.id)!;
      const sb = started.get(b.id)!;
      return sa < sb ? 1 : sa > sb ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
}

/**
 * Page hrefs: the newest `cap` executions and every referenced one get a page (setting `row.href`);
 * every other record in a section gets one.
 */
function assignHrefs(execRows: ExecRow[], others: readonly RecordRow[], referenced: ReadonlySet<string>, cap: number): Map<string, string> {
  const hrefs = new Map<string, string>();
  let recent = 0;
  for (const row of execRows) {
    // `page` and `by` are list routes under /executions/; such ids stay list-only.
    if (row.id === 'page' || row.id === 'by') continue;
    if (recent < cap || referenced.has(row.id)) {
      if (!referenced.has(row.id)) recent++;
      row.href = `executions/${row.id}/`;
      hrefs.set(row.id, row.href);
    }
  }
  for (const r of others) {
    if (r.id === 'page') continue;
    hrefs.set(r.id, `${SECTION_OF_KIND[r.kind] as RecordSection}/${r.id}/`);
  }
  return hrefs;
}

/** Links by id: with the page's href when it has one, and a label (the record's title) for `labelled`. */
interface Linker {
  link: (id: string) => LinkRef;
  labelled: (id: string) => LinkRef;
}

function linkerOf(rows: readonly RecordRow[], hrefs: ReadonlyMap<string, string>): Linker {
  // Every record is labelled by what it is (title, statement or task), so evidence lists read well.
  const titles = new Map(rows.map((r) => [r.id, titleOf(r.data)]));
  const link = (id: string): LinkRef => {
    const href = hrefs.get(id);
    return href ? { id, href } : { id };
  };
  const labelled = (id: string): LinkRef => {
    const l = link(id);
    const t = titles.get(id);
    return t && t !== id ? { ...l, label: t } : l;
  };
  return { link, labelled };
}

/** An execution's page. */
function execPageOf(r: RecordRow<ExecutionRecord>, row: ExecRow, incoming: readonly string[], kindOf: ReadonlyMap<string, string>, l: Linker): ExecPage {
  const e = r.data;
  return {
    id: e.id,
    title: titleOf(e),
    file: r.file,
    row,
    task_id: e.task_id,
    sprint: e.sprint,
    scores: e.scores,
    computed: strs(e.computed),
    trigger: e.trigger ?? null,
    checks: e.checks,
    pre: [
      ['Assumptions', strs(e.pre?.assumptions)],
      ['Dependencies', strs(e.pre?.dependencies)],
      ['Initial state', e.pre?.initial_state ? [e.pre.initial_state] : []],
    ],
    during: [
      ['Decision points', strs(e.during?.decision_points)],
      ['Alternatives considered', strs(e.during?.alternatives_considered)],
    ],
    post: [
      ['Outcomes', strs(e.post?.outcomes)],
      ['Deviations', strs(e.post?.deviations)],
      ['Discoveries', strs(e.post?.discoveries)],
    ],
    errors: strs(e.errors),
    // Reused/produced entries are free text (ids or names): link the ones that are ids.
    reused: strs(e.reused).map(l.link),
    produced: strs(e.produced).map(l.link),
    recalled: strs(e.recalled).map(l.labelled),
    reflections: incoming.filter((id) => kindOf.get(id) === 'reflection').map(l.labelled),
    patterns: incoming.filter((id) => kindOf.get(id) === 'pattern').map(l.labelled),
    domains: strs(e.domains),
    tags: strs(e.tags),
    commit: e.commit,
    command: e.command,
    bodyHtml: renderMarkdown(r.body),
  };
}

/** Adds labelled values to a record page's fields, skipping empty ones. */
class Fields implements PageFields {
  readonly list: Array<[string, FieldValue]> = [];
  text(label: string, v: unknown): void {
    const s = str(v);
    if (s) this.list.push([label, { text: s }]);
  }
  texts(label: string, v: unknown): void {
    const l = strs(v);
    if (l.length) this.list.push([label, { list: l }]);
  }
  html(label: string, v: unknown): void {
    const t = str(v);
    if (t) this.list.push([label, { html: renderInline(t) }]);
  }
  items(label: string, items: string[]): void {
    if (items.length) this.list.push([label, { list: items }]);
  }
}

type Data = Record<string, unknown>;

/** The heading of a kind's evidence list on its pages. */
function evidenceTitleOf(kind: Kind): string {
  return kindModule(kind).page?.evidenceTitle ?? 'Evidence';
}

/** A record's page in its section (patterns, rules, templates, reflections, assumptions, synthesis). */
function recordPageOf(r: RecordRow, href: string, incoming: readonly string[], l: Linker): RecordPage {
  const d = fieldsOf(r.data);
  const f = new Fields();
  const badge = kindModule(r.kind).page?.fields?.(d, f);
  // Link fields come from the kinds' one list: labelled ones as fields, evidence ones as the evidence list.
  for (const field of LINK_FIELDS[r.kind]) {
    const ids = linkIds(r.data, field);
    if (field.label && ids.length) f.list.push([field.label, { links: ids.map(l.labelled) }]);
  }
  const evidence = LINK_FIELDS[r.kind].filter((field) => field.evidence).flatMap((field) => linkIds(r.data, field));
  const rv = (d.review ?? {}) as Data;
  if (rv.decided_at || rv.by || rv.reason) f.text('Review', [str(rv.decided_at).slice(0, 10), str(rv.by), str(rv.reason)].filter(Boolean).join(' · '));
  f.text('Imported from', ((d.provenance ?? {}) as Data).source);
  f.texts('About', d.about);
  f.texts('Domains', d.domains);
  const summary = str(d.statement) || str(d.summary) || str(d.reason) || str(d.root_cause) || str(d.period_label) || '';
  const title = titleOf(r.data);
  const short = summary.length > 200 ? `${summary.slice(0, 197)}…` : summary;
  const section = SECTION_OF_KIND[r.kind] as RecordSection;
  return {
    id: r.id,
    kind: r.kind,
    section,
    title,
    titleHtml: renderInline(title),
    summary: short,
    summaryHtml: renderInline(short),
    status: str(d.status) || undefined,
    badge: badge || undefined,
    date: str(d.period_end) || str(r.data.created_at).slice(0, 10),
    file: r.file,
    href,
    fields: f.list,
    evidenceTitle: evidenceTitleOf(r.kind),
    evidence: [...new Set(evidence)].map(l.labelled),
    referencedBy: [...incoming].sort().map(l.labelled),
    tags: strs(d.tags),
    bodyHtml: renderMarkdown(r.body),
  };
}

/**
 * Prepares records for pages. `extraReferenced` are execution ids other inputs point at
 * (e.g. anti-pattern flag evidence) that must get a page even beyond the cap.
 */
export function prepareRecords(rows: readonly RecordRow[], opts: SiteDataOptions = {}, extraReferenced: Iterable<string> = []): SiteRecords {
  const kindOf = new Map<string, string>();
  for (const r of rows) kindOf.set(r.id, r.kind);
  const executions = rows.filter((r) => r.kind === 'execution') as Array<RecordRow<ExecutionRecord>>;
  const others = rows.filter((r) => r.kind !== 'execution' && SECTION_OF_KIND[r.kind]);
  const { referenced, incoming } = linkGraph(others, kindOf, extraReferenced);
  const execRows = execRowsOf(executions, opts);
  const hrefs = assignHrefs(execRows, others, referenced, opts.executionPageCap ?? 2000);
  const l = linkerOf([...others, ...executions], hrefs);
  const rowById = new Map(execRows.map((r) => [r.id, r]));
  const execPages = executions.filter((r) => rowById.get(r.id)!.href).map((r) => execPageOf(r, rowById.get(r.id)!, [...(incoming.get(r.id) ?? [])].sort(), kindOf, l));
  const sections = Object.fromEntries(RECORD_SECTIONS.map((s) => [s, [] as RecordPage[]])) as Record<RecordSection, RecordPage[]>;
  for (const r of others) {
    const href = hrefs.get(r.id);
    if (href) sections[SECTION_OF_KIND[r.kind] as RecordSection].push(recordPageOf(r, href, [...(incoming.get(r.id) ?? [])], l));
  }
  for (const s of RECORD_SECTIONS) sections[s].sort(byStatusThenDate);
  return { execRows, execPages, sections, hrefs, kindOf };
}

/** A pattern the learning engine detected (from `learn.json`), possibly without a record yet. */
export interface DetectedPattern {
  id: string;
  pattern_type: string;
  category: string;
  domain?: string;
  statement: string;
  definition: Record<string, unknown>;
  support: number;
  confidence: number;
  lift: number;
  evidence: string[];
  last_seen: string;
  status: string;
  file?: string;
}

/**
 * Adds detected patterns that have no record on disk yet (status `new`) to the patterns section,
 * so the site shows what the engine found before anyone proposed it. Mutates `records`.
 */
export function addDetectedPatterns(records: SiteRecords, patterns: readonly DetectedPattern[]): void {
  const link = (id: string): LinkRef => {
    const href = records.hrefs.get(id);
    return href ? { id, href } : { id };
  };
  const pageOf = new Map(records.execPages.map((e) => [e.id, e]));
  for (const p of patterns) {
    if (records.hrefs.has(p.id) || p.id === 'page') continue;
    const href = `patterns/${p.id}/`;
    records.hrefs.set(p.id, href);
    records.kindOf.set(p.id, 'pattern');
    const def = Object.entries(p.definition ?? {}).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
    const fields: Array<[string, FieldValue]> = [
      ['Statement', { html: renderInline(p.statement) }],
      ['Type', { text: p.pattern_type }],
      ['Category', { text: p.category }],
    ];
    if (p.domain) fields.push(['Domain', { text: p.domain }]);
    fields.push(['Support', { text: String(p.support) }], ['Confidence', { text: String(Math.round(p.confidence * 100) / 100) }], ['Lift', { text: String(Math.round(p.lift * 100) / 100) }]);
    if (def.length) fields.push(['Definition', { list: def }]);
    fields.push(['Record', { text: 'Detected by the learning engine; not proposed yet (the next synthesis proposes strong patterns).' }]);
    for (const ex of p.evidence) pageOf.get(ex)?.patterns.push({ id: p.id, href, label: p.statement });
    records.sections.patterns.push({
      id: p.id,
      kind: 'pattern',
      section: 'patterns',
      title: p.statement.length > 160 ? `${p.statement.slice(0, 157)}…` : p.statement,
      titleHtml: renderInline(p.statement.length > 160 ? `${p.statement.slice(0, 157)}…` : p.statement),
      summary: '',
      summaryHtml: '',
      status: 'new',
      badge: p.pattern_type,
      date: p.last_seen.slice(0, 10),
      file: '',
      href,
      fields,
      evidenceTitle: evidenceTitleOf('pattern'),
      evidence: p.evidence.map(link),
      referencedBy: [],
      tags: [],
      bodyHtml: '',
    });
  }
  records.sections.patterns.sort(byStatusThenDate);
}

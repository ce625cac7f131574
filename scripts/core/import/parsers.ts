/**
 * Parsers for the agent memory formats teams already keep. Pure: one source file's text in,
 * candidate learnings (with their source line range) and diagnostics out. Nothing here decides
 * ids or writes files; see `plan.ts`.
 */
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { normaliseText, parseFrontmatter } from '../records/parse.js';
import { slugify } from '../records/ids.js';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import type { ListItem, Node, Root } from 'mdast';

/** Every import format. */
export const IMPORT_FORMATS = ['claude-memory', 'cline', 'agents-md', 'cursor', 'learnings', 'solutions'] as const;
/** One import format. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A learning found in a source file, before it becomes a record. */
export interface ImportEntry {
  kind: 'rule' | 'pattern' | 'assumption';
  statement: string;
  title?: string;
  /** Longer Markdown kept as the record body. */
  body?: string;
  rationale?: string;
  tags?: string[];
  topic?: string;
  /** Path globs the learning applies to (rules). */
  paths?: string[];
  /** Files the learning is about (staleness). */
  about?: string[];
  patternType?: 'success' | 'failure' | 'gotcha';
  category?: 'architectural-decision' | 'component-pattern' | 'integration-gotcha';
  /** 1-based first and last source lines the entry came from. */
  line: number;
  endLine: number;
}

/** Parser result for one file. */
export interface ParseResult {
  entries: ImportEntry[];
  diagnostics: Diagnostic[];
}

/** One Markdown bullet with the heading it sits under. */
interface Bullet {
  text: string;
  line: number;
  endLine: number;
  heading: string;
  /** Nested bullets and continuation lines. */
  detail: string[];
}

const BEGIN = /<!--\s*learning-loop:begin\b/;
const END = /<!--\s*learning-loop:end\b/;
const GENERATED = /<!--\s*learning-loop:generated\b/;
const MARKER = /^(?:[-*+]|\d{1,3}[.)])\s+/;

let parser: ReturnType<typeof unified> | undefined;

/** The Markdown syntax tree (CommonMark, as remark reads it). */
function markdownTree(text: string): Root {
  parser ??= unified().use(remarkParse) as unknown as ReturnType<typeof unified>;
  return parser.parse(text) as Root;
}

/** The source text of a node (its markup kept: `plain` cleans statements later). */
function sourceOf(text: string, node: Node): string {
  return text.slice(node.position!.start.offset, node.position!.end.offset);
}

/** One bullet of a top-level list: its first paragraph as one line, the rest (nested items, more paragraphs) as detail lines. */
function bulletOf(text: string, item: ListItem, heading: string, lineOffset: number): Bullet {
  const [first, ...rest] = item.children;
  const lead = first?.type === 'paragraph' ? sourceOf(text, first) : '';
  const detail = rest.flatMap((child) =>
    sourceOf(text, child)
      .split('\n')
      .map((l) => l.trim().replace(MARKER, ''))
      .filter(Boolean),
  );
  return {
    text: lead
      .split('\n')
      .map((l) => l.trim())
      .join(' ')
      .trim(),
    line: item.position!.start.line + lineOffset,
    endLine: item.position!.end.line + lineOffset,
    heading,
    detail,
  };
}

/**
 * Top-level bullets of a Markdown text with their nearest heading, read from the Markdown syntax
 * tree (remark-parse): code blocks and learning-loop's own generated blocks are skipped (so exports
 * are never imported back). `firstLine` is the line number of the text's first line in its file.
 * CommonMark decides what a line is (a nested item, a lazy continuation, a fence inside a longer
 * fence), which the line scanner this replaced got wrong. It costs more: about 0.1 s for an
 * instructions file of 100 bullets, 1.5 s for 1,000 (the scanner took milliseconds); imports are
 * one-off, so correctness wins.
 */
export function bullets(text: string, firstLine = 1): Bullet[] {
  const out: Bullet[] = [];
  let heading = '';
  let inBlock = false;
  for (const node of markdownTree(text).children) {
    if (node.type === 'html') {
      if (BEGIN.test(node.value)) inBlock = !END.test(node.value.slice(node.value.search(BEGIN)));
      else if (inBlock && END.test(node.value)) inBlock = false;
      continue;
    }
    if (inBlock) continue;
    if (node.type === 'heading') heading = node.children.length ? text.slice(node.children[0]!.position!.start.offset, node.children[node.children.length - 1]!.position!.end.offset).trim() : '';
    else if (node.type === 'list') for (const item of node.children) out.push(bulletOf(text, item, heading, firstLine - 1));
  }
  return out;
}

/** Markdown inline clean-up for a one-line statement: links to their text, no emphasis markers. */
export function plain(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}

function tagsFrom(...values: Array<string | undefined | null>): string[] {
  const out = new Set<string>();
  for (const v of values) {
    if (!v) continue;
    const s = slugify(v, 40);
    if (s) out.add(s);
  }
  return [...out].sort();
}

function lineCount(text: string): number {
  return text.split('\n').length;
}

function frontmatterOf(file: string, text: string, res: ParseResult): { data?: Record<string, unknown>; body: string; bodyLine: number } {
  const parsed = parseFrontmatter(file, text);
  if (!parsed.data) {
    for (const d of parsed.diagnostics) res.diagnostics.push(diag('import/format', file, `Frontmatter could not be read: ${d.message}`, { line: d.line ?? 1, column: d.column ?? 1 }));
    return { body: parsed.body, bodyLine: parsed.bodyLine };
  }
  return { data: parsed.data, body: parsed.body, bodyLine: parsed.bodyLine };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const strList = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim())
    : typeof v === 'string'
      ? v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : [];

/** First paragraph of a Markdown body (headings skipped). */
function firstParagraph(body: string): string {
  const para = markdownTree(body).children.find((n) => n.type === 'paragraph');
  return plain(para ? sourceOf(body, para) : '');
}

// ---- Claude Code auto-memory: MEMORY.md index + topic files with name/description/type ----------

/** Claude Code auto-memory: topic files (frontmatter `type`) and plain bullets of MEMORY.md. */
export function parseClaudeMemory(file: string, rawText: string): ParseResult {
  const text = normaliseText(rawText);
  const res: ParseResult = { entries: [], diagnostics: [] };
  if (text.startsWith('---\n')) {
    const fm = frontmatterOf(file, text, res);
    if (!fm.data) return res;
    const type = str(fm.data.type) ?? 'feedback';
    const statement = str(fm.data.description) ?? str(fm.data.name) ?? firstParagraph(fm.body);
    if (!statement) {
      res.diagnostics.push(diag('import/format', file, 'The memory has no `description`, `name` or text to import.', { line: 1, column: 1 }));
      return res;
    }
    res.entries.push({
      kind: type === 'feedback' ? 'rule' : 'assumption',
      statement: plain(statement),
      title: str(fm.data.name),
      body: fm.body.trim(),
      tags: tagsFrom('claude-memory', type),
      line: 1,
      endLine: lineCount(text),
    });
    return res;
  }
  for (const b of bullets(text)) {
    // Index lines that only point at a topic file are imported through that file.
    if (/^\[[^\]]*\]\([^)]+\.md\)/.test(b.text)) continue;
    res.entries.push({ kind: 'rule', statement: plain(b.text), body: b.detail.join('\n') || undefined, tags: tagsFrom('claude-memory', b.heading), line: b.line, endLine: b.endLine });
  }
  return res;
}

// ---- Cline memory bank: the six core files ------------------------------------------------------

/** The six core files of a Cline memory bank. */
export const CLINE_FILES = ['projectbrief.md', 'productContext.md', 'activeContext.md', 'systemPatterns.md', 'techContext.md', 'progress.md'] as const;

/**
 * Cline memory bank: project/product/tech context become assumptions, system patterns become
 * patterns, learnings and decisions in activeContext become rules, known issues in progress
 * become gotchas. Transient notes (current focus, recent changes, what works) are left out.
 */
export function parseCline(file: string, rawText: string): ParseResult {
  const text = normaliseText(rawText);
  const res: ParseResult = { entries: [], diagnostics: [] };
  const base = file.split('/').pop() ?? file;
  for (const b of bullets(text)) {
    const entry = { statement: plain(b.text), body: b.detail.join('\n') || undefined, tags: tagsFrom('cline', b.heading), line: b.line, endLine: b.endLine };
    if (base === 'systemPatterns.md') res.entries.push({ ...entry, kind: 'pattern', patternType: 'success', category: 'architectural-decision' });
    else if (base === 'activeContext.md') {
      if (/learn|insight|pattern|preference|decision|consideration/i.test(b.heading)) res.entries.push({ ...entry, kind: 'rule' });
    } else if (base === 'progress.md') {
      if (/known issue|issue|problem|bug/i.test(b.heading)) res.entries.push({ ...entry, kind: 'pattern', patternType: 'gotcha', category: 'integration-gotcha' });
    } else res.entries.push({ ...entry, kind: 'assumption' });
  }
  return res;
}

// ---- AGENTS.md / CLAUDE.md rule lists -------------------------------------------------------------

/** AGENTS.md / CLAUDE.md: every top-level bullet outside code and generated blocks is a rule. */
export function parseAgentsMd(file: string, rawText: string): ParseResult {
  const text = normaliseText(rawText);
  const res: ParseResult = { entries: [], diagnostics: [] };
  const opened = text.split('\n').findIndex((l) => BEGIN.test(l));
  if (
    opened >= 0 &&
    !text
      .split('\n')
      .slice(opened)
      .some((l) => END.test(l))
  ) {
    res.diagnostics.push(diag('import/format', file, 'A `learning-loop:begin` marker has no matching end; lines after it were not imported.', { line: opened + 1, column: 1 }));
  }
  for (const b of bullets(text)) {
    const statement = plain([b.text, ...b.detail].join(' '));
    if (statement.length < 3) continue;
    const topic = slugify(b.heading, 40) || undefined;
    res.entries.push({ kind: 'rule', statement, topic, tags: tagsFrom('agents-md', b.heading), line: b.line, endLine: b.endLine });
  }
  return res;
}

// ---- Cursor .mdc rules --------------------------------------------------------------------------

/** `.cursor/rules/*.mdc`: frontmatter `description`, `globs`, `alwaysApply`; body bullets are rules. */
export function parseCursor(file: string, rawText: string): ParseResult {
  const text = normaliseText(rawText);
  const res: ParseResult = { entries: [], diagnostics: [] };
  if (GENERATED.test(text)) return res; // our own export
  let data: Record<string, unknown> = {};
  let body = text;
  let bodyLine = 1;
  if (text.startsWith('---\n')) {
    const fm = frontmatterOf(file, text, res);
    if (!fm.data) return res;
    data = fm.data;
    body = fm.body;
    bodyLine = fm.bodyLine;
  }
  const always = data.alwaysApply === true;
  const globs = always ? [] : strList(data.globs);
  const name = (file.split('/').pop() ?? file).replace(/\.mdc$/, '').replace(/^\d+[-_]/, '');
  const topic = slugify(name, 40) || undefined;
  const base = { tags: tagsFrom('cursor', name), topic, paths: globs.length ? globs : undefined };
  const list = bullets(body, bodyLine);
  if (list.length) {
    for (const b of list) res.entries.push({ ...base, kind: 'rule', statement: plain([b.text, ...b.detail].join(' ')), rationale: str(data.description), line: b.line, endLine: b.endLine });
    return res;
  }
  const statement = firstParagraph(body) || str(data.description);
  if (!statement) {
    res.diagnostics.push(diag('import/format', file, 'The rule file has no text to import.', { line: 1, column: 1 }));
    return res;
  }
  res.entries.push({ ...base, kind: 'rule', statement, rationale: str(data.description), body: body.trim(), line: 1, endLine: lineCount(text) });
  return res;
}

// ---- .learnings/LEARNINGS.md and ERRORS.md ----------------------------------------------------------

const ENTRY_HEAD = /^## \[((LRN|ERR|FEAT)-[A-Za-z0-9-]+)\]\s*(.*)$/;

/** An entry's `### ` sections (their lines, by lower-case title) and the `**Field**: value` lines before the first one. */
function entrySections(lines: readonly string[], start: number, stop: number): { sections: Map<string, string[]>; fields: Map<string, string> } {
  const sections = new Map<string, string[]>();
  const fields = new Map<string, string>();
  let section = '';
  for (let i = start + 1; i < stop; i++) {
    const l = lines[i]!;
    const s = /^###\s+(.*)$/.exec(l);
    if (s) {
      section = s[1]!.trim().toLowerCase();
      sections.set(section, []);
      continue;
    }
    const f = /^\*\*([^*]+)\*\*:\s*(.*)$/.exec(l);
    if (f && !section) fields.set(f[1]!.trim().toLowerCase(), f[2]!.trim());
    else if (section && l.trim() !== '---') sections.get(section)!.push(l);
  }
  return { sections, fields };
}

/** The `- key: value` lines of an entry's Metadata section, keys lower-case. */
function entryMetadata(sections: ReadonlyMap<string, string[]>): Map<string, string> {
  const meta = new Map<string, string>();
  for (const l of sections.get('metadata') ?? []) {
    const m = /^\s*[-*]\s*([^:]+):\s*(.*)$/.exec(l);
    if (m) meta.set(m[1]!.trim().toLowerCase(), m[2]!.trim());
  }
  return meta;
}

/** An entry's text below its heading, and its last line: trailing blank lines and `---` rules left out. */
function entryBody(lines: readonly string[], start: number, stop: number): { body: string; end: number } {
  let end = stop;
  while (end > start + 1 && (lines[end - 1]!.trim() === '' || lines[end - 1]!.trim() === '---')) end--;
  const body = lines
    .slice(start + 1, end)
    .join('\n')
    .trim();
  return { body, end };
}

/** One entry, from its heading line `start` to the next heading `stop`: a rule (LRN), a failure gotcha (ERR), or nothing (FEAT). */
function learningsEntry(file: string, lines: readonly string[], start: number, stop: number): ParseResult {
  const res: ParseResult = { entries: [], diagnostics: [] };
  const [, entryId, type, label] = ENTRY_HEAD.exec(lines[start]!)!;
  if (type === 'FEAT') return res; // feature requests are not learnings
  const { sections, fields } = entrySections(lines, start, stop);
  const text = (k: string) => (sections.get(k) ?? []).join('\n').trim();
  const summary = plain(text('summary'));
  if (!summary) {
    res.diagnostics.push(
      diag('import/format', file, `Entry ${entryId} has no \`### Summary\` section; it was not imported.`, {
        line: start + 1,
        column: 1,
        hint: 'Add a `### Summary` section with one line that states the learning.',
      }),
    );
    return res;
  }
  const meta = entryMetadata(sections);
  const about = strList(meta.get('related files'));
  const tags = tagsFrom('learnings', label, fields.get('area'), ...strList(meta.get('tags')));
  const { body, end } = entryBody(lines, start, stop);
  if (type === 'LRN')
    res.entries.push({ kind: 'rule', statement: summary, rationale: text('details') || undefined, body, tags, about: about.length ? about : undefined, line: start + 1, endLine: end });
  else
    res.entries.push({
      kind: 'pattern',
      patternType: 'failure',
      category: 'integration-gotcha',
      statement: summary,
      body,
      tags,
      about: about.length ? about : undefined,
      line: start + 1,
      endLine: end,
    });
  return res;
}

/**
 * `.learnings/` files: `## [LRN-…] category` entries become rules, `## [ERR-…] name` entries
 * become failure gotchas; `### Summary` is the statement, Related Files are what it is about.
 */
export function parseLearnings(file: string, rawText: string): ParseResult {
  const lines = normaliseText(rawText).split('\n');
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (ENTRY_HEAD.test(l)) starts.push(i);
  });
  const each = starts.map((start, n) => learningsEntry(file, lines, start, n + 1 < starts.length ? starts[n + 1]! : lines.length));
  return { entries: each.flatMap((r) => r.entries), diagnostics: each.flatMap((r) => r.diagnostics) };
}

// ---- docs/solutions/** one-file-per-problem notes ------------------------------------------------------

/** `docs/solutions/**`: one solved problem per file with frontmatter; each becomes a gotcha. */
export function parseSolution(file: string, rawText: string): ParseResult {
  const text = normaliseText(rawText);
  const res: ParseResult = { entries: [], diagnostics: [] };
  if (!text.startsWith('---\n')) {
    res.diagnostics.push(diag('import/format', file, 'A solution note must start with YAML frontmatter (title, category, tags…).', { line: 1, column: 1 }));
    return res;
  }
  const fm = frontmatterOf(file, text, res);
  if (!fm.data) return res;
  const heading = /^#\s+(.+)$/m.exec(fm.body)?.[1];
  const title = str(fm.data.title) ?? heading?.trim();
  if (!title) {
    res.diagnostics.push(diag('import/format', file, 'The solution note has no `title` (frontmatter) or `# heading`.', { line: 1, column: 1 }));
    return res;
  }
  const rootCause = str(fm.data.root_cause);
  const about = strList(fm.data.files ?? fm.data.related_files);
  res.entries.push({
    kind: 'pattern',
    patternType: 'gotcha',
    category: 'integration-gotcha',
    title: plain(title),
    statement: plain(rootCause ? `${title}: ${rootCause}` : title),
    body: fm.body.trim(),
    tags: tagsFrom('solutions', str(fm.data.category), str(fm.data.module), str(fm.data.component), ...strList(fm.data.tags)),
    topic: slugify(str(fm.data.module) ?? str(fm.data.component) ?? '', 40) || undefined,
    about: about.length ? about : undefined,
    line: 1,
    endLine: lineCount(text),
  });
  return res;
}

/** The parser for a format. */
export function parserFor(format: ImportFormat): (file: string, text: string) => ParseResult {
  switch (format) {
    case 'claude-memory':
      return parseClaudeMemory;
    case 'cline':
      return parseCline;
    case 'agents-md':
      return parseAgentsMd;
    case 'cursor':
      return parseCursor;
    case 'learnings':
      return parseLearnings;
    case 'solutions':
      return parseSolution;
  }
}

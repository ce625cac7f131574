/**
 * Reading execution histories: JSON Lines of `record --input` objects, CSV with a column
 * mapping, the aider polyglot leaderboard (its TSV extract or the YAML aider publishes) and
 * Reflexion-style run logs. Pure: text in, rows (execution inputs with their source positions)
 * and diagnostics out. What each format becomes is documented in docs/interop.md.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { diag, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import { slugify } from '../records/ids.js';
import { duplicateKeys, locate, parseYamlDocument, unsafeYamlDiagnostics, yamlLib } from '../records/parse.js';
import { jsonLocator, parseJsonInput } from '../records/execution-input.js';
import { DEFAULT_THRESHOLDS, type OptionalScoreName } from '../score/formulas.js';

/** The history formats `import executions` reads. */
export const EXECUTION_FORMATS = ['jsonl', 'csv', 'aider', 'reflexion'] as const;
/** A history format. */
export type ExecutionFormat = (typeof EXECUTION_FORMATS)[number];

/** Maps a data path of the execution input to its position in the source file. */
export type RowLocator = (path: ReadonlyArray<string | number>, key?: string) => Position;

/** Source text of a row to scan for secrets, with the file position of its first character. */
export interface ScanText {
  text: string;
  line: number;
  column?: number;
}

/** One row of a history: an execution input (the `record --input` shape) and where it came from. */
export interface HistoryRow {
  /** Display path of the source file. */
  file: string;
  /** 1-based line where the row starts. */
  line: number;
  format: ExecutionFormat;
  /** The execution input; validated by the planner, so it may be malformed. */
  input: Record<string, unknown>;
  /** What identifies the execution in its source; the derived id is a hash of it. */
  key: string;
  locate: RowLocator;
  /** The source text the row was read from (secrets are looked for here). */
  scan: ScanText[];
  /** Reflexion: the reflections this execution recalled, oldest first. */
  reflections?: string[];
  /**
   * Scores nothing in the source measures, left out of the record rather than given a default
   * (the planner adds efficiency when no comparable earlier run exists).
   */
  unmeasured: OptionalScoreName[];
}

/** Options that change how rows are read. */
export interface FormatOptions {
  /** The agent of every row (overrides what the source says). */
  agent?: string;
  /** Reflexion logs have no times: the first task starts here (ISO). */
  start?: string;
  /** CSV: field -> column header. */
  map?: Readonly<Record<string, string>>;
  /**
   * aider: the pass rate (%) from which a run is a success (default the seed's 60); the import
   * passes the config's `low_performance` threshold, so a run is a success exactly when its pass
   * rate clears it.
   */
  successRate?: number;
}

/** Rows and problems of one source file. */
export interface ParsedHistory {
  rows: HistoryRow[];
  diagnostics: Diagnostic[];
}

/** Reflexion's default start: Monday 2023-03-20, the day the Reflexion paper appeared. */
export const REFLEXION_START = '2023-03-20T00:00:00Z';
/** Reflexion: seconds between the tasks of a log (line L starts at start + (L - 1) x this). */
export const REFLEXION_SPACING_S = 60;
/** Aider's polyglot benchmark has 225 exercises; used when a run does not say `test_cases`. */
export const AIDER_CASES = 225;

/**
 * The scores a source does not measure, from which execution fields it records: reusability
 * needs `reused` or `produced`, surprise `post.deviations` or `post.discoveries`.
 */
export function unmeasuredBy(records: (field: string) => boolean): OptionalScoreName[] {
  const out: OptionalScoreName[] = [];
  if (!records('reused') && !records('produced')) out.push('reusability');
  if (!records('post.deviations') && !records('post.discoveries')) out.push('surprise');
  return out;
}

/** True when `obj` has a value at a dotted path (an empty list counts: it says "none"). */
function hasPath(obj: Record<string, unknown>, path: string): boolean {
  let o: unknown = obj;
  for (const k of path.split('.')) {
    if (!isRecord(o) || !Object.hasOwn(o, k)) return false;
    o = o[k];
  }
  return o !== undefined && o !== null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function extension(file: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(file);
  return m ? m[1]!.toLowerCase() : '';
}

function firstContentLine(text: string): string {
  for (const line of text.split(/\r?\n/, 200)) {
    const t = line.replace(/^\uFEFF/, '').trim();
    if (t && !t.startsWith('#')) return t;
  }
  return '';
}

/** True when a JSON object is a Reflexion run-log row (a task with `is_solved`). */
function looksReflexion(obj: unknown): boolean {
  return isRecord(obj) && 'is_solved' in obj && (typeof obj.task_id === 'string' || typeof obj.name === 'string') && !('outcome' in obj);
}

/**
 * The format of a source, from its extension and first line: `.jsonl`/`.ndjson`/`.json` are JSON
 * Lines (Reflexion when rows carry `is_solved`), `.yml`/`.yaml` the aider leaderboard, `.tsv`
 * the aider leaderboard when its header has `dirname` and `pass_rate_2`, `.csv` CSV. Undefined
 * when it cannot tell.
 */
export function detectFormat(file: string, text: string): ExecutionFormat | undefined {
  const ext = extension(file);
  const first = firstContentLine(text);
  const jsonKind = (): ExecutionFormat | undefined => {
    if (!first.startsWith('{')) return undefined;
    try {
      return looksReflexion(JSON.parse(first)) ? 'reflexion' : 'jsonl';
    } catch {
      return 'jsonl';
    }
  };
  const aiderHeader = /(^|\t)dirname(\t|$)/.test(first) && /(^|\t)pass_rate_2(\t|$)/.test(first);
  if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json') return jsonKind() ?? 'jsonl';
  if (ext === 'yml' || ext === 'yaml') return 'aider';
  if (ext === 'tsv') return aiderHeader ? 'aider' : 'csv';
  if (ext === 'csv') return 'csv';
  if (first.startsWith('{')) return jsonKind();
  if (aiderHeader) return 'aider';
  if (/^-\s+dirname:/.test(first)) return 'aider';
  if (first.includes(',')) return 'csv';
  return undefined;
}

/** Parses one source file in a format. Never throws for bad input. */
export function parseHistory(format: ExecutionFormat, file: string, text: string, opts: FormatOptions = {}): ParsedHistory {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  switch (format) {
    case 'jsonl':
      return parseJsonl(file, clean, opts);
    case 'csv':
      return parseCsvHistory(file, clean, extension(file) === 'tsv' ? '\t' : ',', opts);
    case 'aider':
      return ['yml', 'yaml'].includes(extension(file)) || firstContentLine(clean).startsWith('-') ? parseAiderYaml(file, clean, opts) : parseAiderTsv(file, clean, opts);
    case 'reflexion':
      return parseReflexion(file, clean, opts);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON Lines

function identityKey(input: Record<string, unknown>): string {
  return JSON.stringify([input.task_id ?? null, input.agent ?? null, input.started_at ?? null]);
}

/** Positions in one JSON line, as file positions (the line's own line 1 is the file's `line`). */
function lineLocator(lineText: string, line: number): RowLocator {
  const inner = jsonLocator(lineText);
  return (path, key) => {
    const p = inner(path, key);
    return { line: line + (p.line ?? 1) - 1, column: p.column ?? 1 };
  };
}

/** Visits each non-blank line of JSON Lines text, parsed; a line that is not JSON is a diagnostic. */
function eachJsonLine(file: string, text: string, diagnostics: Diagnostic[], hint: string, visit: (value: unknown, line: number, lineText: string) => void): void {
  text.split('\n').forEach((raw, i) => {
    const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!lineText.trim()) return;
    const parsed = parseJsonInput(lineText, file);
    if (parsed.diagnostics.length) diagnostics.push(...parsed.diagnostics.map((d) => ({ ...d, line: i + 1, hint })));
    else visit(parsed.input, i + 1, lineText);
  });
}

function parseJsonl(file: string, text: string, opts: FormatOptions): ParsedHistory {
  const out: ParsedHistory = { rows: [], diagnostics: [] };
  eachJsonLine(file, text, out.diagnostics, 'Each line must be one JSON object (JSON Lines); fix this line and import the file again.', (value, line, lineText) => {
    if (!isRecord(value)) {
      out.diagnostics.push(diag('import/row', file, `Line ${line} is not a JSON object with an execution's fields.`, { line, column: 1 }));
      return;
    }
    const input = { ...value };
    if (opts.agent !== undefined) input.agent = opts.agent;
    const unmeasured = unmeasuredBy((field) => hasPath(input, field));
    out.rows.push({ file, line, format: 'jsonl', input, key: `history\n${identityKey(input)}`, locate: lineLocator(lineText, line), scan: [{ text: lineText, line, column: 1 }], unmeasured });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV (and the aider TSV, which is read the same way)

interface CsvRecord {
  cells: string[];
  line: number;
  /** Position of each cell's first character. */
  at: Position[];
  raw: string;
}

/** Positions of the cells of one raw record (quote-aware). */
function cellPositions(raw: string, delimiter: string, line: number): Position[] {
  const out: Position[] = [{ line, column: 1 }];
  let l = line;
  let c = 1;
  let quoted = false;
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i]!;
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) out.push({ line: l, column: c + 1 });
    if (ch === '\n') {
      l += 1;
      c = 1;
    } else c += 1;
  }
  return out;
}

/**
 * Reads delimited text with csv-parse: every record with its start line and the position of
 * each cell. A fatal syntax error (an unclosed quote) keeps the records before it and is
 * reported where the parser stopped.
 */
function readDelimited(file: string, text: string, delimiter: string, comments: boolean): { records: CsvRecord[]; diagnostics: Diagnostic[] } {
  const records: CsvRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const source = comments ? text.replace(/^#.*$/gm, '') : text;
  let lastEnd = 0;
  try {
    parseCsv(source, {
      delimiter,
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (rec: { record: string[]; raw: string; info: { lines: number } }) => {
        const rawLines = rec.raw.replace(/\r?\n$/, '').split(/\r?\n/);
        let start = rec.info.lines - rawLines.length + 1;
        let skip = 0;
        while (skip < rawLines.length - 1 && rawLines[skip]!.trim() === '') skip += 1;
        start += skip;
        const raw = rawLines.slice(skip).join('\n');
        records.push({ cells: rec.record, line: start, at: cellPositions(raw, delimiter, start), raw });
        lastEnd = rec.info.lines;
        return rec.record;
      },
    } as never);
  } catch (error) {
    const e = error as Error & { lines?: number; code?: string };
    // An unclosed quote is only noticed at the end of the file: point at the row that opened it.
    const line = e.code === 'CSV_QUOTE_NOT_CLOSED' || typeof e.lines !== 'number' ? lastEnd + 1 : e.lines;
    const what = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted cell in the row starting here is never closed' : e.message.replace(/\s*at line \d+.*$/, '');
    diagnostics.push(
      diag('import/format', file, `The file stops being valid ${delimiter === '\t' ? 'TSV' : 'CSV'} here: ${what}. Rows from here on were not read.`, {
        line,
        column: 1,
        hint: 'Close the quoted cell (a quote inside a quoted cell is written twice: "") and import the file again; rows already imported are skipped.',
      }),
    );
  }
  return { records, diagnostics };
}

type CellKind = 'text' | 'number' | 'list' | 'lines' | 'time';

/** Every field a CSV column can fill, with how its cells are read. */
export const CSV_FIELDS: Readonly<Record<string, CellKind>> = {
  id: 'text',
  task_id: 'text',
  task_type: 'text',
  component: 'text',
  agent: 'text',
  sprint: 'text',
  title: 'text',
  outcome: 'text',
  started_at: 'time',
  created_at: 'time',
  duration_s: 'number',
  domains: 'list',
  tags: 'list',
  reused: 'list',
  produced: 'list',
  recalled: 'list',
  errors: 'lines',
  commit: 'text',
  command: 'text',
  exit_code: 'number',
  body: 'text',
  'scores.accuracy': 'number',
  'scores.efficiency': 'number',
  'scores.reusability': 'number',
  'scores.surprise': 'number',
  'usage.model': 'text',
  'usage.input_tokens': 'number',
  'usage.output_tokens': 'number',
  'usage.cost_usd': 'number',
  'checks.passed': 'number',
  'checks.failed': 'number',
  'pre.assumptions': 'lines',
  'pre.dependencies': 'list',
  'pre.initial_state': 'text',
  'during.decision_points': 'lines',
  'during.alternatives_considered': 'lines',
  'post.outcomes': 'lines',
  'post.deviations': 'lines',
  'post.discoveries': 'lines',
};

/** Short names a header may use for a nested field. */
const CSV_ALIASES: Readonly<Record<string, string>> = {
  accuracy: 'scores.accuracy',
  efficiency: 'scores.efficiency',
  reusability: 'scores.reusability',
  surprise: 'scores.surprise',
  model: 'usage.model',
  input_tokens: 'usage.input_tokens',
  output_tokens: 'usage.output_tokens',
  cost_usd: 'usage.cost_usd',
  checks_passed: 'checks.passed',
  checks_failed: 'checks.failed',
};

/** The field a header or `--map` name stands for (undefined when none). */
export function csvField(name: string): string | undefined {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (n in CSV_FIELDS) return n;
  return CSV_ALIASES[n];
}

function cellValue(kind: CellKind, cell: string): unknown {
  const v = cell.trim();
  if (!v) return undefined;
  switch (kind) {
    case 'number':
      return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v) ? Number(v) : v;
    case 'time':
      // A bare date is midnight UTC; anything else must carry its own zone (the schema checks).
      return /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v;
    case 'list':
    case 'lines': {
      if (v.startsWith('[')) {
        try {
          const arr = JSON.parse(v) as unknown;
          if (Array.isArray(arr)) return arr;
        } catch {
          // not JSON: split it
        }
      }
      const parts = kind === 'list' ? v.split(';') : v.split(/\r?\n/);
      return parts.map((p) => p.trim()).filter(Boolean);
    }
    default:
      return cell.replace(/\r\n?/g, '\n');
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let o = target;
  path.forEach((k, i) => {
    if (i === path.length - 1) o[k] = value;
    else o = (o[k] ??= {}) as Record<string, unknown>;
  });
}

/**
 * Field -> column index: headers that name a field, then `--map` (which wins). A `--map` column
 * the header lacks is a diagnostic instead.
 */
function csvColumns(file: string, header: CsvRecord, names: readonly string[], map: Readonly<Record<string, string>>): { columns: Map<string, number> } | { problem: Diagnostic } {
  const columns = new Map<string, number>();
  names.forEach((n, i) => {
    const f = csvField(n);
    if (f && !columns.has(f)) columns.set(f, i);
  });
  for (const [field, column] of Object.entries(map)) {
    const f = csvField(field)!;
    const i = names.indexOf(column.trim());
    if (i < 0) return { problem: diag('import/format', file, `--map ${field}=${column}: the header has no column \`${column}\`.`, { ...header.at[0], hint: `The columns are: ${names.join(', ')}.` }) };
    columns.set(f, i);
  }
  return { columns };
}

/** The named columns no field reads, as one diagnostic (none when every column is read). */
function ignoredColumns(file: string, header: CsvRecord, names: readonly string[], columns: ReadonlyMap<string, number>): Diagnostic[] {
  const used = new Set(columns.values());
  const ignored = names.filter((n, i) => !used.has(i) && n);
  if (!ignored.length) return [];
  return [
    diag('import/column', file, `Column${ignored.length === 1 ? '' : 's'} ${ignored.map((n) => `\`${n}\``).join(', ')} ${ignored.length === 1 ? 'is' : 'are'} not imported.`, {
      line: header.line,
      column: 1,
    }),
  ];
}

/** Maps a data path to the cell of the field it is in (or of the field it is a part of), else the row's first cell. */
function cellLocator(at: readonly Position[], fieldOf: ReadonlyMap<number, string>): RowLocator {
  return (path, key) => {
    const full = [...path, ...(key ? [key] : [])].map(String);
    for (let n = full.length; n > 0; n -= 1) {
      const name = full.slice(0, n).join('.');
      for (const [i, f] of fieldOf) if (f === name || (n === 1 && f.startsWith(`${name}.`))) return at[i] ?? at[0]!;
    }
    return at[0]!;
  };
}

/** The execution input of one row: each mapped cell read as its field's kind; `--agent` overrides. */
function csvInput(rec: CsvRecord, columns: ReadonlyMap<string, number>, opts: FormatOptions): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [field, i] of columns) {
    const value = cellValue(CSV_FIELDS[field]!, rec.cells[i] ?? '');
    if (value !== undefined) setPath(input, field.split('.'), value);
  }
  if (opts.agent !== undefined) input.agent = opts.agent;
  return input;
}

/** A warning when a row has more cells than the header (the extra ones are not imported). */
function extraCells(file: string, rec: CsvRecord, width: number): Diagnostic[] {
  if (rec.cells.length <= width) return [];
  return [
    diag('import/row', file, `The row has more cells than the header (${rec.cells.length} cells, the header has ${width}); the extra cells are not imported.`, {
      ...rec.at[width],
      severity: 'warning',
      hint: 'Give the extra cells a header (and a field with --map), or remove them; a comma inside a cell needs quotes: "a, b".',
    }),
  ];
}

/** A CSV (or TSV) history: the header names the fields, each row is one execution. */
function parseCsvHistory(file: string, text: string, delimiter: string, opts: FormatOptions): ParsedHistory {
  const out: ParsedHistory = { rows: [], diagnostics: [] };
  const { records, diagnostics } = readDelimited(file, text, delimiter, false);
  out.diagnostics.push(...diagnostics);
  const header = records.shift();
  if (!header) {
    out.diagnostics.push(
      diag('import/format', file, 'The file has no header row.', { line: 1, column: 1, hint: 'The first row names the columns, e.g. task_id,task_type,agent,outcome,duration_s,started_at.' }),
    );
    return out;
  }
  const names = header.cells.map((c) => c.trim());
  const found = csvColumns(file, header, names, opts.map ?? {});
  if ('problem' in found) {
    out.diagnostics.push(found.problem);
    return out;
  }
  const { columns } = found;
  out.diagnostics.push(...ignoredColumns(file, header, names, columns));
  const fieldOf = new Map([...columns].map(([f, i]) => [i, f]));
  // A column the file has measures its field in every row (an empty cell says "none").
  const unmeasured = unmeasuredBy((field) => columns.has(field));
  for (const rec of records) {
    const input = csvInput(rec, columns, opts);
    out.diagnostics.push(...extraCells(file, rec, names.length));
    out.rows.push({
      file,
      line: rec.line,
      format: 'csv',
      input,
      key: `history\n${identityKey(input)}`,
      locate: cellLocator(rec.at, fieldOf),
      scan: [{ text: rec.raw, line: rec.line, column: 1 }],
      unmeasured: [...unmeasured],
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// aider polyglot leaderboard

/** One aider run, whatever file it came from: a field's value and where it is. */
type AiderGet = (field: string) => { value: unknown; at: Position } | undefined;

const num = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  return undefined;
};
const str = (v: unknown): string | undefined => (v === undefined || v === null || String(v).trim() === '' ? undefined : String(v).trim());
const round = (n: number, d: number): number => Math.round(n * 10 ** d) / 10 ** d;

/** A day's `date` at the run's own time when the dirname starts with it (same day), else at midnight UTC; any other `date` as given. */
function aiderStart(date: string | undefined, dirname: string | undefined): string | undefined {
  const m = dirname ? /^(\d{4}-\d{2}-\d{2})-(\d{2})-(\d{2})-(\d{2})/.exec(dirname) : null;
  return date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? (m && m[1] === date ? `${date}T${m[2]}:${m[3]}:${m[4]}Z` : `${date}T00:00:00Z`) : date;
}

/** Success from the success rate (`--success-rate`, default the low-performance threshold), partial above 0. */
function aiderOutcome(rate: number | undefined, opts: FormatOptions): string | undefined {
  return rate === undefined ? undefined : rate >= (opts.successRate ?? DEFAULT_THRESHOLDS.low_performance) ? 'success' : rate > 0 ? 'partial' : 'failure';
}

/**
 * The run's error counts, for its body. They are not `errors`: a count over 225 exercises
 * ("430 error outputs") is a figure of the run, not a message of a failure, and as `errors` every
 * run of the leaderboard repeated "<n> error outputs" and raised a false repeated-error flag.
 */
function aiderErrorCounts(get: AiderGet): string {
  const counts = (
    [
      ['error_outputs', 'error outputs'],
      ['num_malformed_responses', 'malformed responses'],
      ['exhausted_context_windows', 'exhausted context windows'],
      ['test_timeouts', 'test timeouts'],
    ] as const
  ).flatMap(([field, text]) => {
    const n = num(get(field)?.value);
    return n !== undefined ? [`${text} ${n}`] : [];
  });
  return counts.length ? counts.join(', ') : 'n/a';
}

/** The run's `usage`: model, cost and tokens. */
function aiderUsage(get: AiderGet, model: string | undefined, cost: number | undefined): Record<string, unknown> {
  const usage: Record<string, unknown> = {};
  if (model) usage.model = model;
  // aider writes 0 when it could not price a model: only a positive total is cost data.
  if (cost !== undefined && cost > 0) usage.cost_usd = cost;
  const tokensIn = num(get('prompt_tokens')?.value);
  const tokensOut = num(get('completion_tokens')?.value);
  if (tokensIn !== undefined) usage.input_tokens = Math.round(tokensIn);
  if (tokensOut !== undefined) usage.output_tokens = Math.round(tokensOut);
  return usage;
}

/** The figures of a run that its execution body reports (next to the ones it reads itself). */
interface AiderSummary {
  editFormat: string | undefined;
  cases: number;
  rate: number | undefined;
  seconds: unknown;
  cost: number | undefined;
}

/** The execution body for one aider run. */
function aiderBody(get: AiderGet, file: string, line: number, opts: FormatOptions, run: AiderSummary): string {
  const { editFormat, cases, rate, seconds, cost } = run;
  const passRate1 = num(get('pass_rate_1')?.value);
  const wellFormed = num(get('percent_cases_well_formed')?.value);
  return [
    `Imported from \`${baseName(file)}\` line ${line}: one run of aider's polyglot benchmark (${cases} exercises).`,
    '',
    `- edit format: ${editFormat ?? 'n/a'}`,
    `- pass rate after the first try: ${passRate1 ?? 'n/a'} %; after the second: ${rate ?? 'n/a'} % (the accuracy score; a success from ${opts.successRate ?? DEFAULT_THRESHOLDS.low_performance} %)`,
    `- well-formed responses: ${wellFormed ?? 'n/a'} %`,
    `- error counts: ${aiderErrorCounts(get)}`,
    `- seconds per exercise: ${num(seconds) ?? 'n/a'}; total cost: ${cost === undefined ? 'not reported' : cost > 0 ? `$${cost}` : '$0 (aider writes 0 when it cannot price a model, so it is not counted as cost data)'}`,
  ].join('\n');
}

/**
 * The execution input for one aider benchmark run (the mapping is documented in
 * docs/interop.md). Values that are missing or not numbers are left for the schema to report.
 */
export function aiderInput(get: AiderGet, file: string, line: number, opts: FormatOptions): { input: Record<string, unknown>; key: string; paths: Map<string, Position> } {
  const paths = new Map<string, Position>();
  const take = (field: string, target: string): unknown => {
    const cell = get(field);
    if (!cell) return undefined;
    paths.set(target, cell.at);
    return cell.value;
  };
  const dirname = str(take('dirname', 'title'));
  const model = str(take('model', 'agent'));
  const editFormat = str(get('edit_format')?.value);
  const date = str(take('date', 'started_at'));
  const passRate = take('pass_rate_2', 'scores.accuracy');
  const cases = num(get('test_cases')?.value) ?? AIDER_CASES;
  const seconds = take('seconds_per_case', 'duration_s');
  const cost = num(take('total_cost', 'usage.cost_usd'));
  const rate = num(passRate);
  const input: Record<string, unknown> = {
    task_id: 'aider-polyglot',
    task_type: 'benchmark',
    component: 'aider-polyglot',
    agent: opts.agent ?? model,
    outcome: aiderOutcome(rate, opts),
    started_at: aiderStart(date, dirname),
    duration_s: num(seconds) === undefined ? seconds : round(num(seconds)! * cases, 1),
    scores: { accuracy: rate ?? passRate },
  };
  if (dirname) input.title = `aider polyglot run ${dirname}`.slice(0, 300);
  if (editFormat && slugify(editFormat, 80)) input.tags = [slugify(editFormat, 80)];
  const passed = num(get('pass_num_2')?.value) ?? (rate === undefined ? undefined : Math.round((rate * cases) / 100));
  if (passed !== undefined && passed <= cases) input.checks = { passed, failed: cases - passed };
  const usage = aiderUsage(get, model, cost);
  if (Object.keys(usage).length) input.usage = usage;
  const command = str(get('command')?.value);
  if (command) input.command = command.slice(0, 2000);
  input.body = aiderBody(get, file, line, opts, { editFormat, cases, rate, seconds, cost });
  return { input, key: `aider\n${dirname ?? line}`, paths };
}

function baseName(file: string): string {
  return file.split('/').pop() ?? file;
}

function aiderRow(file: string, line: number, get: AiderGet, opts: FormatOptions, scan: ScanText[], fallback: Position): HistoryRow {
  const { input, key, paths } = aiderInput(get, file, line, opts);
  const locateField: RowLocator = (path, k) => {
    const full = [...path, ...(k ? [k] : [])].map(String);
    for (let n = full.length; n > 0; n -= 1) {
      const at = paths.get(full.slice(0, n).join('.'));
      if (at) return at;
    }
    return fallback;
  };
  // A leaderboard row records no reuse and no surprises: those scores are not measured.
  return { file, line, format: 'aider', input, key, locate: locateField, scan, unmeasured: ['reusability', 'surprise'] };
}

function parseAiderTsv(file: string, text: string, opts: FormatOptions): ParsedHistory {
  const out: ParsedHistory = { rows: [], diagnostics: [] };
  const { records, diagnostics } = readDelimited(file, text, '\t', true);
  out.diagnostics.push(...diagnostics);
  const header = records.shift();
  const names = header?.cells.map((c) => c.trim()) ?? [];
  if (!header || !names.includes('dirname') || !names.includes('pass_rate_2')) {
    out.diagnostics.push(
      diag('import/format', file, 'This is not the aider leaderboard: the header needs at least `dirname` and `pass_rate_2` columns.', {
        line: header?.line ?? 1,
        column: 1,
        hint: 'Pass --format csv for other tab-separated files.',
      }),
    );
    return out;
  }
  for (const rec of records) {
    const get: AiderGet = (field) => {
      const i = names.indexOf(field);
      return i < 0 || rec.cells[i] === undefined ? undefined : { value: rec.cells[i], at: rec.at[i] ?? rec.at[0]! };
    };
    out.rows.push(aiderRow(file, rec.line, get, opts, [{ text: rec.raw, line: rec.line, column: 1 }], rec.at[0]!));
  }
  return out;
}

function parseAiderYaml(file: string, text: string, opts: FormatOptions): ParsedHistory {
  const out: ParsedHistory = { rows: [], diagnostics: [] };
  const p = parseYamlDocument(text, 1);
  for (const err of p.doc.errors) {
    const { line, col } = p.lineCounter.linePos(err.pos[0]);
    out.diagnostics.push(diag('yaml/syntax', file, err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim(), { line, column: col }));
  }
  const unsafe = [...duplicateKeys(p, file), ...unsafeYamlDiagnostics(p, file)];
  out.diagnostics.push(...unsafe);
  if (p.doc.errors.length || unsafe.length) return out;
  const { isSeq, isMap } = yamlLib();
  const contents = p.doc.contents;
  if (!isSeq(contents)) {
    out.diagnostics.push(diag('import/format', file, 'The aider leaderboard YAML is a list of runs (`- dirname: …`).', { line: 1, column: 1 }));
    return out;
  }
  const data = p.doc.toJS({ maxAliasCount: 0 }) as unknown[];
  contents.items.forEach((node, i) => {
    const at = locate(p, [i]);
    const line = at.line ?? 1;
    const item = data[i];
    if (!isMap(node) || !isRecord(item)) {
      out.diagnostics.push(diag('import/row', file, `Entry ${i + 1} is not a run (a mapping of \`field: value\`).`, { line, column: at.column ?? 1 }));
      return;
    }
    const get: AiderGet = (field) => (field in item ? { value: item[field], at: locate(p, [i, field]) } : undefined);
    const range = (node as { range?: [number, number, number] }).range;
    const raw = range ? text.slice(range[0], range[1]) : '';
    out.rows.push(aiderRow(file, line, get, opts, [{ text: raw, line, column: at.column ?? 1 }], { line, column: at.column ?? 1 }));
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reflexion run logs

/** `humaneval-py.reflexion-gpt-4.jsonl` -> run `reflexion-gpt-4` (the part after the first dot). */
export function reflexionRun(file: string): string {
  const stem = baseName(file).replace(/\.(jsonl|ndjson|json)$/i, '');
  const dot = stem.indexOf('.');
  return dot >= 0 && dot < stem.length - 1 ? stem.slice(dot + 1) : stem;
}

/** `HumanEval/0` -> `humaneval`, `mbpp_234_volume_cube` -> `mbpp`. */
function benchmarkOf(taskId: string, file: string): string {
  const m = /^([A-Za-z]+)/.exec(taskId);
  return slugify(m ? m[1]! : (baseName(file).split(/[-.]/)[0] ?? 'task'), 80) || 'task';
}

/** The task a Reflexion prompt states: its docstring, without doctest examples, on one line (recall finds the task by it). */
export function taskDescription(prompt: string): string {
  const doc = /"""([\s\S]*?)"""/.exec(prompt)?.[1] ?? /'''([\s\S]*?)'''/.exec(prompt)?.[1] ?? '';
  const lines = doc.split('\n').map((l) => l.trim());
  const stop = lines.findIndex((l) => l.startsWith('>>>') || /^(for )?examples?:?$/i.test(l));
  return (stop >= 0 ? lines.slice(0, stop) : lines).filter(Boolean).join(' ').replace(/\s+/g, ' ').trim().slice(0, 2000);
}

function parseReflexion(file: string, text: string, opts: FormatOptions): ParsedHistory {
  const out: ParsedHistory = { rows: [], diagnostics: [] };
  const run = reflexionRun(file);
  const agent = opts.agent ?? run;
  const model = /^[a-z]+-(.+)$/i.exec(run)?.[1];
  const start = Date.parse(opts.start ?? REFLEXION_START);
  const hint = 'A Reflexion log row is one task: {"task_id" or "name", "is_solved": true|false, "reflections": ["…"]}.';
  eachJsonLine(file, text, out.diagnostics, hint, (row, line) => {
    const bad = (message: string): void => {
      out.diagnostics.push(diag('import/row', file, message, { line, column: 1, hint }));
    };
    if (!isRecord(row)) return bad(`Line ${line} is not a JSON object.`);
    const taskId = typeof row.task_id === 'string' ? row.task_id : typeof row.name === 'string' ? row.name : undefined;
    if (!taskId || !taskId.trim()) return bad(`Line ${line} has no \`task_id\` (or \`name\`).`);
    if (typeof row.is_solved !== 'boolean') return bad(`\`is_solved\` of ${taskId} must be true or false (found ${JSON.stringify(row.is_solved) ?? 'nothing'}).`);
    const reflections = row.reflections ?? [];
    if (!Array.isArray(reflections) || reflections.some((r) => typeof r !== 'string')) return bad(`\`reflections\` of ${taskId} must be a list of texts.`);
    const texts = (reflections as string[]).map((r) => r.trim()).filter(Boolean);
    const component = slugify(taskId, 80) || `task-${line}`;
    const startedMs = start + (line - 1) * REFLEXION_SPACING_S * 1000;
    const started = new Date(startedMs).toISOString().replace(/\.000Z$/, 'Z');
    const input: Record<string, unknown> = {
      task_id: taskId.slice(0, 200),
      task_type: benchmarkOf(taskId, file),
      component,
      agent,
      outcome: row.is_solved ? 'success' : 'failure',
      started_at: started,
      created_at: started,
      duration_s: 0,
      body: `Imported from \`${baseName(file)}\` line ${line} (Reflexion run log \`${run}\`): ${row.is_solved ? 'solved' : 'not solved'}${texts.length ? ` after ${texts.length} reflection${texts.length === 1 ? '' : 's'} on failed tries, recalled by the later tries` : ' without reflections'}. The log records no times or durations: the start is placed by line, the duration is 0.${typeof row.prompt === 'string' && taskDescription(row.prompt) ? `\n\n## Task\n\n${taskDescription(row.prompt)}` : ''}`,
    };
    if (typeof row.entry_point === 'string' && row.entry_point.trim()) input.title = `${taskId}: ${row.entry_point.trim()}`.slice(0, 300);
    if (model) input.usage = { model };
    const scan: ScanText[] = texts.map((t) => ({ text: t, line }));
    scan.push({ text: taskId, line });
    // The log has no times (duration 0 is a placeholder), no reuse and no surprises: only accuracy is measured.
    out.rows.push({
      file,
      line,
      format: 'reflexion',
      input,
      key: `reflexion\n${run}\n${taskId}`,
      locate: () => ({ line, column: 1 }),
      scan,
      reflections: texts,
      unmeasured: ['efficiency', 'reusability', 'surprise'],
    });
  });
  return out;
}

/**
 * The differential parser fuzz suite (fast-check). Records are generated (every kind, values
 * from pools of awkward strings and numbers, reserved names) and mutated the way hand edits,
 * editors and hostile input do (YAML tags, anchors, odd numbers such as `1e400`, tabs, raw CR
 * and every line ending, multi-line quotes, flow collections, deep nesting, broken fences,
 * duplicate and refused keys, truncation, stray characters). Then:
 *
 * - per text: the fast and the positioned parser give the same verdict and the same
 *   diagnostics (`checkRecordText` against its `positioned: true` twin), nothing throws, and
 *   checking again gives the same result;
 * - per knowledge base: `validate`, `build` with worker threads, `build --workers 0`, an
 *   incremental build after edits and a clean `build --full` all report the same diagnostics
 *   and write the same outputs.
 *
 * `npm test` runs 10,000 texts and a knowledge base of 600 (test/hostile/parser-fuzz.test.ts);
 * `npm run fuzz -- --runs 200000 --kb 3000 [--seed N]` runs more.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkRecordText, type FileCheck } from '../../scripts/core/records/validate.js';
import { recordPath, type AnyRecord } from '../../scripts/core/records/kinds.js';
import { renderRecord } from '../../scripts/core/records/write.js';
import { DEFAULT_THRESHOLDS } from '../../scripts/core/score/formulas.js';
import { runCliInProcess as cli, packageRoot } from './cli.js';

const STRINGS = [
  'plain text',
  'with: colon',
  'hash # inside',
  '#leading',
  'quote "dq" inside',
  "it's",
  'tab\there',
  'two\nlines',
  'three\nlines\n',
  'unicode é ✓ 😀',
  '  leading space',
  'trailing space ',
  'yes',
  'no',
  'null',
  '~',
  'true',
  'False',
  '1e400',
  '0b101',
  '-.5',
  '-0',
  '123',
  '1.50',
  '0x1F',
  '.inf',
  '@at',
  '`tick',
  '!bang',
  '&amp',
  '*star',
  '- dash',
  '? q',
  '|pipe',
  '>gt',
  '%pct',
  '[br]',
  '{cu}',
  'back\\slash',
  'constructor',
  '__proto__',
  'toString',
  '---',
  '...',
  'a'.repeat(300),
  'ctl\u0001char',
  'sep\u2028line',
  'bom\ufeff',
  'cr\rinside',
  'x: y: z',
  'key:value',
  'https://example.com/a?b=c#d',
  '"quoted"',
  "'single'",
  '=',
  '<<',
];
const SLUGS = ['booking-form', 'hero', 'constructor', 'a.b_c-d', 'x'];
const NUMBERS = [0, 1, 50, 99.5, 100, 12.25, 3600, 0.1];

const str = fc.constantFrom(...STRINGS);
const slug = fc.constantFrom(...SLUGS);
const score = fc.constantFrom(...NUMBERS.filter((n) => n <= 100));
const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { maxLength: 3 });

/** A record of any common kind, valid or nearly so, with awkward values (index makes ids unique). */
function recordArb(): fc.Arbitrary<(n: number) => { record: AnyRecord; body: string }> {
  const body = fc.oneof(fc.constant(''), str, fc.constant('## Notes\n\n- one\n- two\n\n```yaml\nkey: [1, 2\n```\n'));
  const execution = fc.record({
    title: str,
    agent: fc.oneof(str, slug),
    task_type: slug,
    component: slug,
    domains: list(slug),
    tags: list(slug),
    errors: list(str),
    reused: list(str),
    s: fc.tuple(score, score, score, score),
    outcome: fc.constantFrom('success', 'partial', 'failure'),
    duration: fc.constantFrom(0, 60, 3600.5),
    body,
  });
  const rule = fc.record({ title: str, statement: str, rationale: str, topic: slug, body, status: fc.constantFrom('proposed', 'accepted', 'rejected') });
  const pattern = fc.record({ statement: str, domain: slug, def: fc.dictionary(fc.constantFrom('component', 'agent', 'toString', 'valueOf', 'x-y'), fc.oneof(str, fc.constant(3))), body });
  const template = fc.record({ summary: str, steps: list(str), body });
  return fc.oneof(
    execution.map((e) => (n: number) => {
      const [accuracy, efficiency, reusability, surprise] = e.s;
      const overall = Math.round(((accuracy + efficiency + reusability + surprise) / 4) * 100) / 100;
      return {
        record: {
          kind: 'execution',
          id: `ex-fuzz-${n}`,
          created_at: '2026-10-05T10:00:00Z',
          title: e.title,
          task_id: `t-${n}`,
          task_type: e.task_type,
          component: e.component,
          domains: [...new Set(e.domains)],
          tags: [...new Set(e.tags)],
          agent: e.agent,
          started_at: '2026-10-05T09:00:00Z',
          duration_s: e.duration,
          outcome: e.outcome,
          scores: { accuracy, efficiency, reusability, surprise },
          overall,
          errors: e.errors,
          reused: [...new Set(e.reused)],
        } as AnyRecord,
        body: e.body,
      };
    }),
    rule.map((r) => (n: number) => ({
      record: { kind: 'rule', id: `rule-fuzz-${n}`, created_at: '2026-10-05T10:00:00Z', title: r.title, status: r.status, statement: r.statement, rationale: r.rationale, topic: r.topic } as AnyRecord,
      body: r.body,
    })),
    pattern.map((p) => (n: number) => ({
      record: {
        kind: 'pattern',
        id: `pat-fuzz-${n}`,
        created_at: '2026-10-05T10:00:00Z',
        status: 'proposed',
        pattern_type: 'failure',
        category: 'component-pattern',
        domain: p.domain,
        statement: p.statement,
        definition: p.def,
      } as AnyRecord,
      body: p.body,
    })),
    template.map((t) => (n: number) => ({
      record: { kind: 'template', id: `tpl-fuzz-${n}`, created_at: '2026-10-05T10:00:00Z', status: 'proposed', summary: t.summary, steps: t.steps } as AnyRecord,
      body: t.body,
    })),
  );
}

/** YAML tokens that parsers read differently, or refuse, or that look alike and are not. */
const TOKENS = [
  '! x',
  '!!str 5',
  '!!int "7"',
  '!custom x',
  '&a x',
  '*a',
  '1e400',
  '1e5',
  '0b101',
  '0o17',
  '0x1F',
  '-.5',
  '+1',
  '-0',
  '.inf',
  '.NaN',
  '~',
  'null',
  'Yes',
  '1_000',
  '"a\\x41"',
  '"a\\u00e9"',
  '"a\\U0001F600"',
  '"a\\N"',
  '"a\\/"',
  "'it''s'",
  '"multi\n line"',
  '"raw\rcr"',
  '"unclosed',
  "'unclosed",
  '[a, b]',
  '[a, [b, [c]]]',
  '{a: 1}',
  '{a: {b: [1, {c: 2}]}}',
  '|-\n  text\n  more',
  '>\n  folded\n\n  para',
  '|\n\n    indented after empty',
  '|2\n   x',
  'a #comment',
  'a# not comment',
  '"q" # c',
  '"q"x',
  '@reserved',
  '`tick',
  '%directive',
  'x\ty',
  '\tx',
  'a: b',
  '- item',
  '? key',
  '[',
  ']',
  '{',
  '}',
  '*',
  '&',
  '|',
  '>',
  "'",
  '"',
  '#',
  '',
  ' ',
  '   x',
  'é',
  '😀',
  '\u2028',
  '\u0085',
  '\ufeff',
];
const LINES = [
  'unknown_key: v',
  '__proto__: x',
  'constructor: y',
  'prototype: z',
  'kind: rule',
  'id: dup-id',
  '\tindented: tab',
  '# a comment',
  '  nested: bad indent',
  '? complex',
  ': value',
  'key: &anchor v',
  'alias: *anchor',
  '%YAML 1.2',
  '...',
  '---',
  'a: [',
  '- item',
  'toString: 1',
  'hasOwnProperty: x',
  'valueOf: {a: 1}',
  'title: ! x',
  'title: 1e400',
  'title: "a\rb"',
  'scores: {accuracy: 1e400}',
  'tags: [a, b, a]',
  'tags:\n- a\n- a',
  'created_at: 2026-13-45T99:99:99Z',
  'duration_s: -5',
  'overall: .nan',
];
const FENCES = ['---\t', ' ---', '\t---', '...', '--- ', '----', '---\r', '— ', '---\n---'];
const CHARS = [':', '-', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '[', ']', '{', '}', ',', '?', ' ', '\t', '\r', '\n', '\\', '\u0000', '\ufeff', '\u2028', 'é'];

type Mutation = (text: string) => string;
const at = (text: string, n: number) => (text.length ? n % (text.length + 1) : 0);
const frontLines = (text: string) => {
  const end = text.indexOf('\n---', 4);
  return end < 0 ? text.split('\n').length : text.slice(0, end).split('\n').length;
};

function mutationArb(): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.tuple(fc.nat(), fc.constantFrom(...TOKENS)).map(
      ([n, tok]): Mutation =>
        (t) => {
          const lines = t.split('\n');
          const front = frontLines(t);
          const cands = lines.map((l, i) => [l, i] as const).filter(([l, i]) => i > 0 && i < front && /^ *(?:- )?[A-Za-z_]+: ?/.test(l));
          if (!cands.length) return t;
          const [l, i] = cands[n % cands.length]!;
          lines[i] = l.replace(/^( *(?:- )?[A-Za-z_]+:).*$/, `$1 ${tok}`);
          return lines.join('\n');
        },
    ),
    fc.tuple(fc.nat(), fc.constantFrom(...LINES)).map(
      ([n, line]): Mutation =>
        (t) => {
          const lines = t.split('\n');
          lines.splice(1 + (n % Math.max(1, frontLines(t) - 1)), 0, line);
          return lines.join('\n');
        },
    ),
    fc.nat().map(
      (n): Mutation =>
        (t) => {
          const lines = t.split('\n');
          lines.splice(1 + (n % Math.max(1, frontLines(t) - 1)), 1);
          return lines.join('\n');
        },
    ),
    fc.nat().map(
      (n): Mutation =>
        (t) => {
          const lines = t.split('\n');
          const i = 1 + (n % Math.max(1, frontLines(t) - 1));
          lines.splice(i, 0, lines[i] ?? '');
          return lines.join('\n');
        },
    ),
    fc.constantFrom('\r\n', '\r').map(
      (nl): Mutation =>
        (t) =>
          t.replace(/\n/g, nl),
    ),
    fc.nat().map(
      (n): Mutation =>
        (t) =>
          t.slice(0, at(t, n)),
    ),
    fc.tuple(fc.nat(), fc.constantFrom(...CHARS)).map(
      ([n, c]): Mutation =>
        (t) =>
          t.slice(0, at(t, n)) + c + t.slice(at(t, n)),
    ),
    fc.tuple(fc.nat(), fc.constantFrom(' ', '  ', '\t', '-1')).map(
      ([n, ind]): Mutation =>
        (t) => {
          const lines = t.split('\n');
          const i = 1 + (n % Math.max(1, frontLines(t) - 1));
          lines[i] = ind === '-1' ? (lines[i] ?? '').replace(/^ /, '') : ind + (lines[i] ?? '');
          return lines.join('\n');
        },
    ),
    fc.constantFrom(...FENCES).map(
      (f): Mutation =>
        (t) =>
          t.replace(/\n---\n/, `\n${f}\n`),
    ),
    fc.tuple(fc.constantFrom(10, 40, 63, 64, 65, 100, 3000), fc.constantFrom('[', '{a: ', '- ', ' '), fc.nat()).map(
      ([d, open, n]): Mutation =>
        (t) => {
          const close = open === '[' ? ']' : open === '{a: ' ? '}' : '';
          // Block nesting by indentation grows quadratically in size: at most 100 levels of it.
          const value = open === ' ' ? Array.from({ length: Math.min(d, 100) }, (_, k) => `${' '.repeat(k)}k${k}:`).join('\n') : `${open.repeat(d)}x${close.repeat(d)}`;
          const lines = t.split('\n');
          const block = open === ' ' ? `deep:\n${value.replace(/^/gm, ' ')} 1` : open === '- ' ? `deep:\n  ${value}` : `deep: ${value}`;
          lines.splice(1 + (n % Math.max(1, frontLines(t) - 1)), 0, block);
          return lines.join('\n');
        },
    ),
    fc.constant((t: string) => `\ufeff${t}`),
  );
}

/** One generated record text and the path it would have in a knowledge base. */
export interface FuzzText {
  path: string;
  text: string;
}

/** Generated record texts; `n` in the id (`…-fuzz-<n>`) is drawn too (a knowledge base renumbers them). */
export function recordTextArb(): fc.Arbitrary<FuzzText> {
  return fc.tuple(recordArb(), fc.nat(99_999), fc.array(mutationArb(), { maxLength: 4 }), fc.boolean()).map(([make, n, muts, keep]) => {
    const { record, body } = make(n);
    const clean = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as AnyRecord;
    let text = renderRecord(clean, body);
    // About a third stay as written (the fast path's everyday input); the rest are mutated.
    if (!keep || muts.length > 2) for (const m of muts) text = m(text);
    return { path: recordPath(clean), text };
  });
}

const OPTS = { thresholds: DEFAULT_THRESHOLDS };

/** How the two parsers, and a repeated check, differ on one text (empty when they agree). */
export function disagreements(path: string, text: string): string[] {
  const out: string[] = [];
  let fast: FileCheck;
  let positioned: FileCheck;
  try {
    fast = checkRecordText(path, text, OPTS);
    positioned = checkRecordText(path, text, { ...OPTS, positioned: true });
  } catch (error) {
    return [`threw: ${(error as Error).stack ?? String(error)}`];
  }
  if (Boolean(fast.valid) !== Boolean(positioned.valid)) out.push(`verdict: fast ${fast.valid ? 'valid' : 'invalid'}, positioned ${positioned.valid ? 'valid' : 'invalid'}`);
  if (!isDeepStrictEqual(fast.diagnostics, positioned.diagnostics))
    out.push(
      `diagnostics: fast ${JSON.stringify(fast.diagnostics.map((d) => [d.rule, d.line, d.column, d.message]))} positioned ${JSON.stringify(positioned.diagnostics.map((d) => [d.rule, d.line, d.column, d.message]))}`,
    );
  if (!isDeepStrictEqual(fast.valid, positioned.valid)) out.push(`record: fast ${JSON.stringify(fast.valid?.record)} positioned ${JSON.stringify(positioned.valid?.record)}`);
  if (!isDeepStrictEqual(checkRecordText(path, text, OPTS), fast)) out.push('not deterministic');
  return out;
}

/** Runs the per-text property over `runs` generated texts; throws (with a shrunk counterexample) on a disagreement. */
export function runParserFuzz(opts: { runs: number; seed: number }): { runs: number; fast: number } {
  let fast = 0;
  let n = 0; // texts checked (shrinking runs the property again)
  fc.assert(
    fc.property(recordTextArb(), ({ path, text }) => {
      n += 1;
      const problems = disagreements(path, text);
      if (problems.length) throw new Error(`${problems.join('\n')}\ntext: ${JSON.stringify(text)}`);
      if (checkRecordText(path, text, OPTS).valid) fast += 1;
    }),
    { numRuns: opts.runs, seed: opts.seed },
  );
  return { runs: opts.runs, fast };
}

/**
 * The same generated texts checked in a worker thread with a small stack (as build workers
 * have less stack than the main thread): every result must equal the main thread's. Uses the
 * compiled checker (`npm run build:ts`).
 */
export async function runWorkerDifferential(opts: { runs: number; seed: number; stackSizeMb?: number }): Promise<string[]> {
  const texts = fc.sample(recordTextArb(), { numRuns: opts.runs, seed: opts.seed });
  const url = pathToFileURL(join(packageRoot(), 'dist', 'scripts', 'core', 'records', 'validate.js')).href;
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const ready = import(workerData.url);
     parentPort.on('message', async (batch) => {
       const m = await ready;
       parentPort.postMessage(batch.map((t) => m.checkRecordText(t.path, t.text, workerData.opts)));
     });`,
    { eval: true, workerData: { url, opts: OPTS }, resourceLimits: { stackSizeMb: opts.stackSizeMb ?? 0.5 } },
  );
  const problems: string[] = [];
  let pending: { resolve: (r: FileCheck[]) => void; reject: (e: Error) => void } | undefined;
  worker.on('message', (r: FileCheck[]) => pending?.resolve(r));
  worker.on('error', (e) => pending?.reject(e));
  try {
    for (let i = 0; i < texts.length && problems.length < 10; i += 500) {
      const batch = texts.slice(i, i + 500);
      const there = await new Promise<FileCheck[]>((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(batch);
      });
      batch.forEach((t, k) => {
        // Compared as JSON (what the build keeps and prints), as structured cloning would anyway.
        const here = JSON.stringify(checkRecordText(t.path, t.text, OPTS));
        if (JSON.stringify(there[k]) !== here) problems.push(`worker differs on ${JSON.stringify(t.text.slice(0, 300))}`);
      });
    }
  } finally {
    await worker.terminate();
  }
  return problems;
}

function outputs(dir: string): Map<string, string> {
  const root = join(dir, '.learning-loop', 'build');
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const abs = join(d, name);
      if (statSync(abs).isDirectory()) {
        if (relative(root, abs) !== 'cache') walk(abs);
      } else out.set(relative(root, abs), readFileSync(abs, 'utf8'));
    }
  };
  walk(root);
  return out;
}

function sameOutputs(a: Map<string, string>, b: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [f, t] of a) if (b.get(f) !== t) problems.push(`${f} differs`);
  for (const f of b.keys()) if (!a.has(f)) problems.push(`${f} is extra`);
  return problems.slice(0, 10);
}

/**
 * A knowledge base of `records` generated texts (seeded), checked by every path: validate, build
 * with workers, build without, an incremental build after editing some files, and clean builds.
 * Returns what differed (empty when all agree).
 */
export async function runKbDifferential(opts: { records: number; seed: number; log?: (s: string) => void }): Promise<string[]> {
  // Each record gets its own id and path (the generated ones may repeat).
  const renumber = (t: FuzzText, k: number): FuzzText => ({ path: t.path.replace(/-fuzz-\d+\.md$/, `-fuzz-${k}.md`), text: t.text.replace(/-fuzz-\d+/g, `-fuzz-${k}`) });
  const sampled = fc.sample(recordTextArb(), { numRuns: opts.records, seed: opts.seed });
  const dir = mkdtempSync(join(tmpdir(), 'll-fuzz-kb-'));
  const problems: string[] = [];
  try {
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    writeFileSync(join(dir, '.gitignore'), '.learning-loop/\n');
    const files = sampled.map(renumber);
    const write = (list: Array<{ path: string; text: string }>) => {
      for (const f of list) {
        const abs = join(dir, 'learning-loop', f.path);
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, f.text);
      }
    };
    write(files);
    execFileSync('git', ['add', '-A'], { cwd: dir });
    execFileSync('git', ['-c', 'user.email=f@example.com', '-c', 'user.name=f', 'commit', '-qm', 'fuzz'], { cwd: dir });
    const diagnostics = (out: string) => JSON.stringify((JSON.parse(out) as { diagnostics: unknown }).diagnostics);
    const validate = await cli(dir, ['validate', '--json']);
    const pooled = await cli(dir, ['build', '--full', '--workers', '2', '--json']);
    const pooledOut = outputs(dir);
    const single = await cli(dir, ['build', '--full', '--workers', '0', '--json']);
    const singleOut = outputs(dir);
    if (diagnostics(validate.stdout) !== diagnostics(pooled.stdout)) problems.push('validate and build (workers) report different diagnostics');
    if (diagnostics(pooled.stdout) !== diagnostics(single.stdout)) problems.push('build with and without workers report different diagnostics');
    problems.push(...sameOutputs(pooledOut, singleOut).map((p) => `workers vs none: ${p}`));
    // Edit some files (with other generated texts), build incrementally, compare with clean builds.
    const edits = fc
      .sample(recordTextArb(), { numRuns: Math.max(5, Math.floor(opts.records / 20)), seed: opts.seed + 1 })
      .map((t, k) => ({ path: files[(k * 7) % files.length]!.path, text: renumber(t, (k * 7) % files.length).text }));
    write(edits);
    const incremental = await cli(dir, ['build', '--workers', '0', '--json']);
    const incOut = outputs(dir);
    const clean = await cli(dir, ['build', '--full', '--workers', '2', '--json']);
    const cleanOut = outputs(dir);
    const validate2 = await cli(dir, ['validate', '--json']);
    if (diagnostics(incremental.stdout) !== diagnostics(clean.stdout)) problems.push('incremental and clean builds report different diagnostics');
    if (diagnostics(validate2.stdout) !== diagnostics(clean.stdout)) problems.push('validate and build report different diagnostics after edits');
    problems.push(...sameOutputs(cleanOut, incOut).map((p) => `incremental vs clean: ${p}`));
    opts.log?.(
      `knowledge base: ${files.length} records, ${(JSON.parse(validate.stdout) as { diagnostics: unknown[] }).diagnostics.length} diagnostics, ${(JSON.parse(pooled.stdout) as { records: number }).records} valid; ${edits.length} edits`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const seed = arg('--seed', Date.now() % 2 ** 31);
  const runs = arg('--runs', 100_000);
  const kb = arg('--kb', 2_000);
  process.stdout.write(`parser fuzz: ${runs} texts, knowledge base of ${kb}, seed ${seed}\n`);
  const t = Date.now();
  const r = runParserFuzz({ runs, seed });
  process.stdout.write(`texts: ${r.runs} checked, ${r.fast} valid records, no disagreement (${((Date.now() - t) / 1000).toFixed(1)} s)\n`);
  const inWorker = await runWorkerDifferential({ runs, seed });
  process.stdout.write(inWorker.length ? `WORKER DIFFERS:\n${inWorker.join('\n')}\n` : `texts: the same ${runs} in a worker with a small stack give the same results\n`);
  if (inWorker.length) process.exitCode = 1;
  const problems = await runKbDifferential({ records: kb, seed, log: (s) => process.stdout.write(`${s}\n`) });
  process.stdout.write(problems.length ? `DISAGREEMENTS:\n${problems.join('\n')}\n` : 'knowledge base: every path agrees\n');
  if (problems.length) process.exitCode = 1;
}

/**
 * `npm run bench`: generates realistic knowledge bases (1k, 10k, 100k records, committed to
 * Git) and measures learning-loop's build and recall side by side with a naive pipeline (full
 * remark parse of every file + a fresh Lunr build over full bodies, every time). Each
 * measurement runs in its own process so peak memory (max RSS) is per measurement. Afterwards
 * the other benchmark scripts that exist (`tools/bench/retrieval.ts`, `tools/bench/record.ts`,
 * `tools/bench/import.ts`, `tools/bench/learn.ts`, `tools/bench/site.ts`, `tools/bench/hostile.ts`, compiled to
 * dist/tools/bench/) run as child processes with the same `--sizes`.
 *
 *   node dist/tools/bench/run.js [--sizes 1000,10000,100000] [--quick] [--keep] [--naive-timeout 600] [--build-only]
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lunr from 'lunr';
import { packageRoot } from './cli.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = packageRoot();
const CLI = join(ROOT, 'bin', 'learning-loop.js');
const SELF = fileURLToPath(import.meta.url);

/** The seed's three questions plus a few more shapes, used for one-shot and p50/p95. */
export const QUESTIONS = [
  'What failed last time we tried booking component?',
  'Show me all Reiki-specific UI patterns that worked',
  'Common Square API integration issues',
  'show all failure patterns',
  'timeout waiting for availability',
  'payment widget webhook signature errors',
  'which rules apply to the calendar picker?',
  'hydration mismatch in calendar',
  'successful styling of the hero banner',
  'accessibility contrast problems this week',
];

interface Child {
  ms: number;
  maxRssMb: number;
  [k: string]: unknown;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    const st = statSync(abs);
    total += st.isDirectory() ? dirBytes(abs) : st.size;
  }
  return total;
}

const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10;
const rss = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

// ---------------------------------------------------------------------------------------------
// Child modes: each measurement runs in a fresh process.

async function childMain(mode: string, dir: string): Promise<void> {
  const t0 = performance.now();
  let extra: Record<string, unknown> = {};
  if (mode === 'build-full' || mode === 'build') {
    const { openWorkspace } = await import('../../scripts/io/workspace.js');
    const { runBuild } = await import('../../scripts/index/build.js');
    const r = await runBuild(openWorkspace({ cwd: dir }), { full: mode === 'build-full' });
    extra = { records: r.records, parsed: r.stats.parsed, segments: r.stats.segments, segmentsRebuilt: r.stats.segmentsRebuilt };
  } else if (mode === 'query') {
    const { openWorkspace } = await import('../../scripts/io/workspace.js');
    const { openStoreDir } = await import('../../scripts/index/store-fs.js');
    const { answer } = await import('../../scripts/core/recall/answer.js');
    const ws = openWorkspace({ cwd: dir });
    const store = openStoreDir(ws.outDir)!;
    // First answers of a fresh process (disk reads, code not yet optimised), then steady state
    // after warm-up rounds (what a long-lived process such as the MCP server sees).
    const cold: number[] = [];
    for (const q of QUESTIONS) {
      const t = performance.now();
      answer(store, q, { limit: 8, budget: 1200 });
      cold.push(performance.now() - t);
    }
    for (let round = 0; round < 5; round++) for (const q of QUESTIONS) answer(store, q, { limit: 8, budget: 1200 });
    const times: number[] = [];
    for (let round = 0; round < 20; round++) {
      for (const q of QUESTIONS) {
        const t = performance.now();
        answer(store, q, { limit: 8, budget: 1200 });
        times.push(performance.now() - t);
      }
    }
    times.sort((a, b) => a - b);
    cold.sort((a, b) => a - b);
    extra = { p50: round2(quantile(times, 0.5)), p95: round2(quantile(times, 0.95)), n: times.length, coldP50: round2(quantile(cold, 0.5)), coldMax: round2(cold[cold.length - 1] ?? 0) };
  } else if (mode === 'recall-lib') {
    // A fresh process that loads only the recall modules (no CLI): what recall itself costs.
    const { openWorkspace } = await import('../../scripts/io/workspace.js');
    const { recall } = await import('../../scripts/index/recall.js');
    const a = await recall(openWorkspace({ cwd: dir }), QUESTIONS[0]!);
    extra = { insights: a.insights.length };
  } else if (mode === 'calibrate') {
    // The issue's reference steps on this machine today: sync reads, frontmatter split + js-yaml.
    const { load } = await import('js-yaml');
    const files = execFileSync('git', ['ls-files', '-z', 'learning-loop'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 })
      .split('\0')
      .filter(Boolean);
    const t1 = performance.now();
    const texts = files.map((f) => readFileSync(join(dir, f), 'utf8'));
    const t2 = performance.now();
    for (const text of texts) load(text.slice(4, text.indexOf('\n---', 4)));
    const t3 = performance.now();
    const bytes = texts.reduce((n, t) => n + t.length, 0);
    extra = { readUs: Math.round(((t2 - t1) * 1000) / files.length), yamlUs: Math.round(((t3 - t2) * 1000) / files.length), avgBytes: Math.round(bytes / files.length) };
  } else if (mode === 'naive-build') {
    extra = await naiveBuild(dir);
  } else if (mode === 'naive-query') {
    const t = performance.now();
    const idx = lunr.Index.load(JSON.parse(readFileSync(join(dir, '.naive-index.json'), 'utf8')) as object);
    const loadMs = performance.now() - t;
    const times: number[] = [];
    for (const q of QUESTIONS) idx.search(naiveQuery(q)); // warm-up (naive queries are slow at 100k)
    for (let round = 0; round < 3; round++) {
      for (const q of QUESTIONS) {
        const t1 = performance.now();
        idx.search(naiveQuery(q));
        times.push(performance.now() - t1);
      }
    }
    times.sort((a, b) => a - b);
    extra = { loadMs: Math.round(loadMs), p50: round2(quantile(times, 0.5)), p95: round2(quantile(times, 0.95)) };
  } else if (mode === 'naive-recall') {
    const idx = lunr.Index.load(JSON.parse(readFileSync(join(dir, '.naive-index.json'), 'utf8')) as object);
    extra = { hits: idx.search(naiveQuery(QUESTIONS[0]!)).length };
  }
  const out: Child = { ms: Math.round(performance.now() - t0), maxRssMb: rss(), ...extra };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** A plain-words Lunr query (the naive pipeline has no intent parser; syntax stripped). */
function naiveQuery(q: string): string {
  return q.replace(/[*~^:+\-]/g, ' ');
}

/** The naive pipeline: read + full remark parse + js-yaml + a fresh Lunr over full bodies. */
async function naiveBuild(dir: string): Promise<Record<string, unknown>> {
  const kb = join(dir, 'learning-loop');
  // Loaded lazily so learning-loop's own measurements do not pay for them.
  const { unified } = await import('unified');
  const remarkParse = (await import('remark-parse')).default;
  const yaml = await import('js-yaml');
  const processor = unified().use(remarkParse);
  const docs: Array<{ id: string; title: string; body: string }> = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name.endsWith('.md')) {
        const text = readFileSync(abs, 'utf8');
        const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
        const data = (m ? yaml.load(m[1]!) : {}) as Record<string, unknown>;
        const tree = processor.parse(text);
        const plain: string[] = [];
        const visit = (n: { value?: unknown; children?: unknown[] }) => {
          if (typeof n.value === 'string') plain.push(n.value);
          for (const c of n.children ?? []) visit(c as never);
        };
        visit(tree as never);
        docs.push({ id: String(data.id ?? abs), title: String(data.title ?? data.statement ?? data.summary ?? ''), body: plain.join(' ') });
      }
    }
  };
  walk(kb);
  const idx = lunr(function () {
    this.ref('id');
    this.field('title', { boost: 10 });
    this.field('body');
    for (const d of docs) this.add(d);
  });
  const json = JSON.stringify(idx);
  writeFileSync(join(dir, '.naive-index.json'), json);
  return { records: docs.length, indexBytes: Buffer.byteLength(json) };
}

// ---------------------------------------------------------------------------------------------
// Parent: orchestrates sizes and prints the table.

function runChild(mode: string, dir: string, opts: { timeoutS?: number; maxOldSpaceMb?: number } = {}): Child | { error: string } {
  const args = [...(opts.maxOldSpaceMb ? [`--max-old-space-size=${opts.maxOldSpaceMb}`] : []), SELF, '--child', mode, dir];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26, timeout: (opts.timeoutS ?? 3600) * 1000 });
  if (r.status !== 0 || !r.stdout.trim())
    return {
      error: r.signal
        ? `killed (${r.signal}${r.signal === 'SIGTERM' ? `, over ${opts.timeoutS}s` : ''})`
        : `exit ${r.status}: ${((r.stderr || '').split('\n').find((l) => /Error|error/.test(l)) ?? '').slice(0, 200)}`,
    };
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Child;
}

function timeCli(dir: string, args: string[]): { ms: number; code: number | null } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, NO_COLOR: '1' } });
  return { ms: Math.round(performance.now() - t), code: r.status };
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'ignore', maxBuffer: 1 << 26 });
}

/** Figures for one size. */
interface SizeResult {
  size: number;
  ours: Record<string, unknown>;
  naive: Record<string, unknown>;
}

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

async function benchSize(size: number, quick: boolean, naiveTimeout: number, keep: boolean): Promise<SizeResult> {
  const dir = mkdtempSync(join(tmpdir(), `ll-bench-${size}-`));
  try {
    log(`[${size}] generating and committing…`);
    const { generateKb } = await import('./generate-kb.js');
    const files = generateKb(join(dir, 'learning-loop'), { records: size, seed: 1 });
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, '.gitignore'), '.learning-loop/\n.naive-index.json\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'kb');
    const kbBytes = dirBytes(join(dir, 'learning-loop'));

    log(`[${size}] learning-loop full build…`);
    const full = runChild('build-full', dir);
    // One changed record, then the one-shot build command (process start to exit).
    const target = join(dir, 'learning-loop', files[Math.floor(files.length / 2)]!);
    writeFileSync(
      target,
      readFileSync(target, 'utf8').replace(/^duration_s: (\d+)$/m, (_m, n: string) => `duration_s: ${Number(n) + 1}`),
    );
    log(`[${size}] incremental build after one change…`);
    const incr = timeCli(dir, ['build']);
    const noop = timeCli(dir, ['build']);
    const outDir = join(dir, '.learning-loop', 'build');
    const storeBytes = dirBytes(join(outDir, 'recall'));
    log(`[${size}] recall…`);
    const oneShot = QUESTIONS.slice(0, 3).map((q) => timeCli(dir, ['recall', q, '--json']).ms);
    const query = runChild('query', dir);
    const libShot = QUESTIONS.slice(0, 1).map(() => {
      const t = performance.now();
      runChild('recall-lib', dir);
      return Math.round(performance.now() - t);
    });
    const cliStart = timeCli(dir, ['--version']).ms;
    // The learning engine on the same history (issue: effect, patterns and derived knowledge).
    log(`[${size}] learning: effect, patterns, derived knowledge…`);
    const effect = timeCli(dir, ['effect', '--json']);
    const patterns = timeCli(dir, ['patterns', '--json']);
    const learn = timeCli(dir, ['build', '--learn']);
    const learnedBytes = dirBytes(join(outDir, 'learned'));
    const recallLearned = timeCli(dir, ['recall', QUESTIONS[3]!, '--json']).ms;
    const calibration = runChild('calibrate', dir);

    log(`[${size}] naive pipeline…`);
    const naiveFull = runChild('naive-build', dir, { timeoutS: naiveTimeout, maxOldSpaceMb: 5120 });
    let naiveIncr: Child | { error: string } | undefined;
    let naiveQuery: Child | { error: string } | undefined;
    let naiveRecall: number | undefined;
    if (!('error' in naiveFull)) {
      // No incrementality: one changed record means the whole pipeline again.
      naiveIncr = quick || size > 10000 ? undefined : runChild('naive-build', dir, { timeoutS: naiveTimeout, maxOldSpaceMb: 5120 });
      naiveQuery = runChild('naive-query', dir, { maxOldSpaceMb: 5120 });
      const t = performance.now();
      runChild('naive-recall', dir, { maxOldSpaceMb: 5120 });
      naiveRecall = Math.round(performance.now() - t);
    }
    const ours = {
      kbMb: mb(kbBytes),
      fullBuildMs: 'error' in full ? full.error : full.ms,
      fullBuildPeakMb: 'error' in full ? undefined : full.maxRssMb,
      incrementalMs: incr.ms,
      noChangeMs: noop.ms,
      recallStoreMb: mb(storeBytes),
      learnedMb: mb(learnedBytes),
      effectMs: effect.code === 0 || effect.code === 1 ? effect.ms : `exit ${String(effect.code)}`,
      patternsMs: patterns.code === 0 || patterns.code === 1 ? patterns.ms : `exit ${String(patterns.code)}`,
      learnMs: learn.ms,
      recallWithDerivedMs: recallLearned,
      recallOneShotMs: oneShot,
      recallLibraryOneShotMs: libShot[0],
      cliStartMs: cliStart,
      referenceUs: 'error' in calibration ? calibration.error : `${String(calibration.readUs)} + ${String(calibration.yamlUs)} µs/record (${String(calibration.avgBytes)} B)`,
      queryP50Ms: 'error' in query ? query.error : query.p50,
      queryP95Ms: 'error' in query ? undefined : query.p95,
      queryColdMs: 'error' in query ? undefined : `${String(query.coldP50)} / ${String(query.coldMax)}`,
    };
    const naive = {
      fullBuildMs: 'error' in naiveFull ? naiveFull.error : naiveFull.ms,
      fullBuildPeakMb: 'error' in naiveFull ? undefined : naiveFull.maxRssMb,
      incrementalMs: naiveIncr ? ('error' in naiveIncr ? naiveIncr.error : naiveIncr.ms) : 'error' in naiveFull ? undefined : `${naiveFull.ms} (= full build)`,
      indexMb: 'error' in naiveFull ? undefined : mb(Number(naiveFull.indexBytes)),
      recallOneShotMs: naiveRecall,
      indexLoadMs: naiveQuery && !('error' in naiveQuery) ? naiveQuery.loadMs : undefined,
      queryP50Ms: naiveQuery && !('error' in naiveQuery) ? naiveQuery.p50 : undefined,
      queryP95Ms: naiveQuery && !('error' in naiveQuery) ? naiveQuery.p95 : undefined,
    };
    return { size, ours, naive };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else log(`[${size}] kept ${dir}`);
  }
}

function fmt(v: unknown): string {
  if (v === undefined) return '—';
  if (Array.isArray(v)) return v.join(' / ');
  return String(v);
}

function printTable(results: SizeResult[]): void {
  const rows: Array<[string, (r: SizeResult) => unknown, (r: SizeResult) => unknown]> = [
    ['knowledge base on disk (MB)', (r) => r.ours.kbMb, () => undefined],
    ['full build (ms)', (r) => r.ours.fullBuildMs, (r) => r.naive.fullBuildMs],
    ['full build peak memory (MB, max RSS)', (r) => r.ours.fullBuildPeakMb, (r) => r.naive.fullBuildPeakMb],
    ['incremental after 1 changed record (ms, one-shot command)', (r) => r.ours.incrementalMs, (r) => r.naive.incrementalMs],
    ['rebuild with nothing changed (ms, one-shot command)', (r) => r.ours.noChangeMs, () => undefined],
    ['index size (MB): recall store, full text / naive Lunr, full bodies', (r) => r.ours.recallStoreMb, (r) => r.naive.indexMb],
    ['one-shot recall, process start to answer (ms, seed Q1/Q2/Q3)', (r) => r.ours.recallOneShotMs, (r) => r.naive.recallOneShotMs],
    ['  same, fresh process loading only the recall modules (ms, Q1)', (r) => r.ours.recallLibraryOneShotMs, () => undefined],
    ['  for reference: `learning-loop --version` (CLI start, ms)', (r) => r.ours.cliStartMs, () => undefined],
    ["machine check: the issue's reference steps (sync read + js-yaml)", (r) => r.ours.referenceUs, () => 'issue: 20 + 26 µs/record (~1.8 KB)'],
    ['naive: loading the index (ms)', () => undefined, (r) => r.naive.indexLoadMs],
    ['one-shot `effect --json`, current build (ms)', (r) => r.ours.effectMs, () => undefined],
    ['one-shot `patterns --json`, current build (ms)', (r) => r.ours.patternsMs, () => undefined],
    ['`build --learn`: derived knowledge refreshed (ms)', (r) => r.ours.learnMs, () => undefined],
    ['derived-knowledge store size (MB)', (r) => r.ours.learnedMb, () => undefined],
    ['one-shot recall with derived knowledge (ms, "show all failure patterns")', (r) => r.ours.recallWithDerivedMs, () => undefined],
    ['in-process query p50 (ms, after warm-up: ours 5 rounds, naive 1)', (r) => r.ours.queryP50Ms, (r) => r.naive.queryP50Ms],
    ['in-process query p95 (ms, same)', (r) => r.ours.queryP95Ms, (r) => r.naive.queryP95Ms],
    ['  first round in a fresh process, p50 / max (ms)', (r) => r.ours.queryColdMs, () => undefined],
  ];
  const lines: string[] = [];
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  for (const r of results) {
    lines.push('', `== ${r.size.toLocaleString('en-US')} records ==`);
    lines.push(`${'measure'.padEnd(width)}${'learning-loop'.padEnd(34)}naive`);
    // Two spaces at least between the columns, however long a value is.
    for (const [name, a, b] of rows) lines.push(`${name.padEnd(width)}${`${fmt(a(r))}  `.padEnd(34)}${fmt(b(r))}`);
    const ours = Number(r.ours.fullBuildMs);
    const naive = Number(r.naive.fullBuildMs);
    if (Number.isFinite(ours) && Number.isFinite(naive)) lines.push(`${'full build speed-up vs naive'.padEnd(width)}${(naive / ours).toFixed(1)}x`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function parentMain(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const keep = process.argv.includes('--keep');
  const sizes = (arg('--sizes') ?? (quick ? '1000' : '1000,10000,100000'))
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  const naiveTimeout = Number(arg('--naive-timeout') ?? 900);
  if (!existsSync(CLI)) {
    process.stderr.write('bench: bin/learning-loop.js not found; run `npm run build:ts` first.\n');
    process.exitCode = 2;
    return;
  }
  process.stdout.write(`learning-loop benchmark — node ${process.version}, ${(await import('node:os')).cpus().length} cores, sizes ${sizes.join(', ')}\n`);
  const results: SizeResult[] = [];
  for (const size of sizes) {
    results.push(await benchSize(size, quick, naiveTimeout, keep));
    printTable(results.slice(-1));
  }
  const outDir = join(ROOT, 'tools', 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'build-recall.json'), `${JSON.stringify(results, null, 2)}\n`);

  // The other areas' benchmarks, when they exist (`--build-only` skips them).
  for (const name of process.argv.includes('--build-only') ? [] : ['retrieval', 'record', 'import', 'learn', 'site', 'hostile']) {
    const script = join(HERE, `${name}.js`);
    if (!existsSync(script)) continue;
    process.stdout.write(`\n== bench/${name} ==\n`);
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [script, '--sizes', sizes.join(','), ...(quick ? ['--quick'] : [])], { stdio: 'inherit' });
      child.on('close', () => resolve());
      child.on('error', () => resolve());
    });
  }
}

const childIdx = process.argv.indexOf('--child');
if (childIdx >= 0) {
  await childMain(process.argv[childIdx + 1]!, process.argv[childIdx + 2]!);
} else {
  await parentMain();
}

/**
 * `import executions` timings: a generated N-row JSON Lines history (default 10,000) and, when
 * the real data is there (test/fixtures/real-data), the Reflexion MBPP logs (397 + 397 rows), each
 * imported by ONE `learning-loop import executions --commit` process into a fresh repository;
 * then the same file again (nothing new), and the plan alone (`--dry-run`, in-process).
 * Run: `npm run build:ts && node dist/tools/bench/import.js [rows]`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { initKnowledgeBase } from '../../scripts/agents/init-kb.js';
import { importExecutions } from '../../scripts/agents/import/executions.js';
import { countArg } from './args.js';
import { packageRoot } from './cli.js';

const ROOT = packageRoot();
const BIN = join(ROOT, 'bin', 'learning-loop.js');
const MBPP = ['simple', 'reflexion'].map((run) => join(ROOT, 'test', 'fixtures', 'real-data', 'reflexion-programming', `mbpp-py.${run}-gpt-4.jsonl`));

/** One measured import. */
export interface ImportRun {
  label: string;
  rows: number;
  /** Wall time of the whole `import executions --commit` process (Node start-up included). */
  processMs: number;
  executions: number;
  reflections: number;
  /** The same files again: everything already imported. */
  againMs: number;
  /** Read + plan (score, render, check) in-process, writing nothing. */
  planMs: number;
}

function freshRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-import-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['config', 'user.email', 'bench@example.com'], { cwd: dir });
  execFileSync('git', ['config', 'user.name', 'bench'], { cwd: dir });
  initKnowledgeBase(openWorkspace({ cwd: dir }), { now: new Date('2026-10-01T00:00:00Z') });
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['commit', '-q', '-m', 'init'], { cwd: dir });
  return dir;
}

/** A deterministic history: three agents, four components, failures with errors, some usage. */
export function historyJsonl(rows: number): string {
  const lines: string[] = [];
  for (let i = 0; i < rows; i += 1) {
    const failed = i % 5 === 0;
    lines.push(
      JSON.stringify({
        task_id: `HIST-${i}`,
        task_type: ['component', 'bugfix', 'content'][i % 3],
        component: ['booking-form', 'hero-section', 'payment-form', 'faq'][i % 4],
        agent: ['claude-code', 'codex', 'aider'][i % 3],
        outcome: failed ? 'failure' : 'success',
        duration_s: 300 + (i % 17) * 40,
        started_at: new Date(Date.UTC(2026, 0, 1) + i * 900_000).toISOString().replace(/\.000Z$/, 'Z'),
        ...(i % 4 === 0 ? { scores: { accuracy: 50 + (i % 500) / 10 } } : {}),
        ...(failed ? { errors: [`TypeError: slot ${i} is undefined`] } : {}),
        ...(i % 2 ? { reused: ['component:SoftCard'] } : {}),
        ...(i % 3 === 0 ? { usage: { model: 'gpt-4o', input_tokens: 10000 + i, output_tokens: 900, cost_usd: 0.05 + (i % 10) / 100 } } : {}),
        body: `Imported history row ${i}.`,
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

function cli(cwd: string, args: string[]): { ms: number; out: { imported: { executions: number; reflections: number } } } {
  const t = performance.now();
  const p = spawnSync(process.execPath, [BIN, 'import', 'executions', ...args, '--json'], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - t;
  if (p.status !== 0) throw new Error(`import failed (${p.status}): ${p.stderr || p.stdout.slice(0, 2000)}`);
  return { ms, out: JSON.parse(p.stdout) };
}

async function measure(label: string, files: string[], rows: number): Promise<ImportRun> {
  const planRepo = freshRepo();
  const repo = freshRepo();
  try {
    const t = performance.now();
    await importExecutions(openWorkspace({ cwd: planRepo }), files, { dryRun: true });
    const planMs = performance.now() - t;
    const first = cli(repo, [...files, '--commit']);
    const again = cli(repo, [...files, '--commit']);
    return { label, rows, processMs: first.ms, executions: first.out.imported.executions, reflections: first.out.imported.reflections, againMs: again.ms, planMs };
  } finally {
    rmSync(planRepo, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  }
}

/** Runs the import benchmark (`rows` generated JSON Lines rows, default 10,000). */
export async function benchImport(rows = 10000): Promise<ImportRun[]> {
  if (!existsSync(BIN)) throw new Error('Build first: npm run build:ts');
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-import-data-'));
  try {
    const file = join(dir, 'history.jsonl');
    writeFileSync(file, historyJsonl(rows));
    const out = [await measure(`${rows} JSON Lines rows`, [file], rows)];
    if (MBPP.every((f) => existsSync(f))) out.push(await measure('Reflexion MBPP, 397 + 397 rows', MBPP, 794));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Human-readable lines for the figures. */
export function formatImportBench(runs: readonly ImportRun[]): string {
  return runs
    .map((r) =>
      [
        `import: ${r.label}: one process with --commit     ${(r.processMs / 1000).toFixed(2)} s (${((r.processMs * 1000) / r.rows).toFixed(0)} µs/row; ${r.executions} executions, ${r.reflections} reflections, 1 commit)`,
        `import: ${r.label}: again (all already imported)  ${(r.againMs / 1000).toFixed(2)} s`,
        `import: ${r.label}: read + plan only (in-process)  ${(r.planMs / 1000).toFixed(2)} s`,
      ].join('\n'),
    )
    .join('\n');
}

if (process.argv[1] && /bench[\\/]import\.(js|ts)$/.test(process.argv[1])) {
  const rows = countArg(process.argv.slice(2), 10000, 1000);
  benchImport(rows).then(
    (b) => process.stdout.write(`${formatImportBench(b)}\n`),
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/**
 * `record` timings: 1 and N (default 1,000) sequential records in-process through
 * `recordExecution`, and 1 record through a real CLI process. Prints figures; `tools/bench/run.ts`
 * calls {@link benchRecord}. Run: `npm run build:ts && node dist/tools/bench/record.js [count]`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { initKnowledgeBase } from '../../scripts/agents/init-kb.js';
import { recordExecution } from '../../scripts/agents/record.js';
import type { RecordRow } from '../../scripts/core/records/table.js';
import { countArg } from './args.js';
import { packageRoot } from './cli.js';

/** Timings in milliseconds. */
export interface RecordBench {
  /** One record, in-process, into an empty knowledge base. */
  oneInProcessMs: number;
  /** N sequential records, in-process, each re-reading the knowledge base (`loadTable`). */
  sequential: { count: number; totalMs: number; perRecordMs: number; lastRecordMs: number };
  /** N sequential records, in-process, passing the rows along (history import). */
  sequentialWithRows: { count: number; totalMs: number; perRecordMs: number };
  /** One `learning-loop record` process (node start-up included), or null when not built. */
  oneCliProcessMs: number | null;
  /** One `learning-loop record --commit` process, or null when not built. */
  oneCliCommitMs: number | null;
}

function freshRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-record-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['config', 'user.email', 'bench@example.com'], { cwd: dir });
  execFileSync('git', ['config', 'user.name', 'bench'], { cwd: dir });
  initKnowledgeBase(openWorkspace({ cwd: dir }), { now: new Date('2026-10-01T00:00:00Z') });
  return dir;
}

const input = (i: number) => ({
  task_id: `BENCH-${i}`,
  task_type: ['component', 'bugfix', 'content'][i % 3],
  component: ['booking-form', 'hero-section', 'payment-form', 'faq'][i % 4],
  agent: ['claude-code', 'codex', 'aider'][i % 3],
  outcome: i % 5 === 0 ? 'failure' : 'success',
  duration_s: 300 + (i % 17) * 40,
  started_at: new Date(Date.UTC(2026, 9, 1) + i * 600_000).toISOString(),
  errors: i % 5 === 0 ? [`TypeError: slot ${i} is undefined`] : [],
  reused: i % 2 ? ['component:SoftCard'] : [],
  body: `Benchmark record ${i}.`,
});

/** Runs the record benchmark. `count` defaults to 1,000. */
export async function benchRecord(count = 1000): Promise<RecordBench> {
  const dirs: string[] = [];
  try {
    const one = freshRepo();
    dirs.push(one);
    let t = performance.now();
    const r1 = await recordExecution(openWorkspace({ cwd: one }), input(0));
    if (!r1.ok) throw new Error(JSON.stringify(r1.diagnostics));
    const oneInProcessMs = performance.now() - t;

    const seq = freshRepo();
    dirs.push(seq);
    t = performance.now();
    let last = 0;
    for (let i = 0; i < count; i += 1) {
      const s = performance.now();
      const r = await recordExecution(openWorkspace({ cwd: seq }), input(i));
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      last = performance.now() - s;
    }
    const seqMs = performance.now() - t;

    const withRows = freshRepo();
    dirs.push(withRows);
    const ws = openWorkspace({ cwd: withRows });
    const rows: RecordRow[] = [];
    t = performance.now();
    for (let i = 0; i < count; i += 1) {
      const r = await recordExecution(ws, input(i), { rows });
      if (!r.ok || !r.execution) throw new Error(JSON.stringify(r.diagnostics));
      rows.push({ id: r.execution.id, kind: 'execution', file: r.path!, data: r.execution, body: '' });
    }
    const rowsMs = performance.now() - t;

    const bin = join(packageRoot(), 'bin', 'learning-loop.js');
    let oneCliProcessMs: number | null = null;
    let oneCliCommitMs: number | null = null;
    if (existsSync(bin)) {
      const args = ['record', '--task-id', 'CLI-1', '--type', 'component', '--agent', 'bench', '--outcome', 'success', '--duration', '120'];
      t = performance.now();
      const p = spawnSync(process.execPath, [bin, ...args], { cwd: one, encoding: 'utf8' });
      if (p.status === 0) oneCliProcessMs = performance.now() - t;
      t = performance.now();
      const c = spawnSync(process.execPath, [bin, ...args, '--commit'], { cwd: one, encoding: 'utf8' });
      if (c.status === 0) oneCliCommitMs = performance.now() - t;
    }
    return {
      oneInProcessMs,
      sequential: { count, totalMs: seqMs, perRecordMs: seqMs / count, lastRecordMs: last },
      sequentialWithRows: { count, totalMs: rowsMs, perRecordMs: rowsMs / count },
      oneCliProcessMs,
      oneCliCommitMs,
    };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** Human-readable lines for the figures. */
export function formatRecordBench(b: RecordBench): string {
  const ms = (n: number | null) => (n === null ? 'n/a (build first)' : `${n.toFixed(1)} ms`);
  return [
    `record: 1 in-process                      ${ms(b.oneInProcessMs)}`,
    `record: ${b.sequential.count} sequential in-process          ${(b.sequential.totalMs / 1000).toFixed(2)} s (${b.sequential.perRecordMs.toFixed(1)} ms/record; last ${b.sequential.lastRecordMs.toFixed(1)} ms)`,
    `record: ${b.sequentialWithRows.count} sequential, rows passed along  ${(b.sequentialWithRows.totalMs / 1000).toFixed(2)} s (${b.sequentialWithRows.perRecordMs.toFixed(1)} ms/record)`,
    `record: 1 CLI process                     ${ms(b.oneCliProcessMs)}`,
    `record: 1 CLI process with --commit       ${ms(b.oneCliCommitMs)}`,
  ].join('\n');
}

if (process.argv[1] && /bench[\\/]record\.(js|ts)$/.test(process.argv[1])) {
  const count = countArg(process.argv.slice(2), 1000, 100);
  benchRecord(count).then(
    (b) => process.stdout.write(`${formatRecordBench(b)}\n`),
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

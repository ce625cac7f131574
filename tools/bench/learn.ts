/**
 * Learning-engine benchmark: generates 10,000 executions (a balanced history with planted facts),
 * then times pattern extraction and synthesis, in memory and through the CLI on a real Git
 * repository (cold: first parse; warm: build cache present).
 *
 *   npm run build:ts && node dist/tools/bench/learn.js [count]
 *
 * Prints one JSON document with the timings in milliseconds.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { DEFAULT_CONFIG } from '../../scripts/core/config.js';
import { controlHistory, hoursAfterBase, makeExecution, scoresFor } from '../examples/generate-history.js';
import { allPatterns, extractPatternSet } from '../../scripts/core/learn/patterns.js';
import { detectAntiPatterns } from '../../scripts/core/learn/anti-patterns.js';
import { synthesize } from '../../scripts/core/learn/synthesis.js';
import { recordPath, type ExecutionRecord } from '../../scripts/core/records/kinds.js';
import { renderRecord } from '../../scripts/core/records/write.js';
import { main } from '../../scripts/cli/main.js';
import type { RecordsTable } from '../../scripts/core/records/table.js';
import { countArg } from './args.js';

const count = countArg(process.argv.slice(2), 10000, 1000);

function history(n: number): ExecutionRecord[] {
  const base = controlHistory(n - 40);
  const end = (n - 40) * 3;
  const planted: ExecutionRecord[] = [];
  for (let i = 0; i < 10; i++)
    planted.push(
      makeExecution(`ex-bench-pair-${i}`, end + i, {
        component: 'booking-form',
        outcome: 'failure',
        scores: scoresFor(40),
        pre: { dependencies: ['square-sdk'] },
        errors: [`Timeout after ${1000 + i}ms calling https://example.test/v2/p/${i}`],
      }),
    );
  for (let i = 0; i < 10; i++) planted.push(makeExecution(`ex-bench-reuse-${i}`, end + 20 + i, { reused: ['tpl-booking-flow'], scores: scoresFor(92) }));
  for (let i = 0; i < 10; i++) planted.push(makeExecution(`ex-bench-slow-${i}`, end + 40 + i, { task_type: 'report', duration_s: 300 + 80 * i, started_at: hoursAfterBase(end + 40 + i) }));
  for (let i = 0; i < 10; i++)
    planted.push(makeExecution(`ex-bench-surprise-${i}`, end + 60 + i, { domains: ['square_api'], scores: { accuracy: 70, efficiency: 70, reusability: 70, surprise: 90 } }));
  return [...base, ...planted];
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, Math.round(performance.now() - t0)];
}

async function timeCli(cwd: string, args: string[]): Promise<{ ms: number; code: number; bytes: number }> {
  let out = '';
  const t0 = performance.now();
  const code = await main(args, { cwd, stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: { ...process.env, NO_COLOR: '1' }, isTTY: false, readStdin: async () => '' });
  return { ms: Math.round(performance.now() - t0), code, bytes: out.length };
}

async function run(): Promise<void> {
  const config = structuredClone(DEFAULT_CONFIG);
  const [execs, genMs] = time(() => history(count));
  const [set, patternsMs] = time(() => extractPatternSet(execs, config));
  const [flags, monitorsMs] = time(() => detectAntiPatterns(execs, config));
  const table: RecordsTable = { rows: execs.map((e) => ({ id: e.id, kind: 'execution' as const, file: recordPath(e), data: e, body: '' })), diagnostics: [] };
  const lastDay = execs
    .map((e) => e.started_at)
    .sort()
    .pop()!
    .slice(0, 10);
  const [syn, synthMs] = time(() => synthesize(table, config, 'week', lastDay));

  // The same through the CLI on a real Git repository.
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-learn-'));
  try {
    const [, writeMs] = time(() => {
      for (const e of execs) {
        const abs = join(dir, 'learning-loop', recordPath(e));
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, renderRecord(e, ''));
      }
      writeFileSync(join(dir, '.gitignore'), '.learning-loop/\n');
      const git = (...a: string[]): void => void execFileSync('git', a, { cwd: dir, stdio: 'ignore' });
      git('init', '-q', '-b', 'main');
      git('-c', 'user.email=bench@example.com', '-c', 'user.name=bench', 'add', '-A');
      git('-c', 'user.email=bench@example.com', '-c', 'user.name=bench', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'bench history');
    });
    const patternsCold = await timeCli(dir, ['patterns', '--json']);
    const patternsWarm = await timeCli(dir, ['patterns', '--json']);
    const synthWarm = await timeCli(dir, ['synthesize', '--period', 'week', '--date', lastDay, '--dry-run', '--json']);
    console.log(
      JSON.stringify(
        {
          executions: execs.length,
          generate_ms: genMs,
          in_memory: {
            patterns_ms: patternsMs,
            anti_patterns_ms: monitorsMs,
            synthesize_ms: synthMs,
            patterns_found: allPatterns(set).length,
            flags: flags.map((f) => f.monitor),
            synthesis_changes: syn.changes.length,
          },
          cli: {
            write_and_commit_ms: writeMs,
            patterns_cold_ms: patternsCold.ms,
            patterns_warm_ms: patternsWarm.ms,
            synthesize_dry_run_warm_ms: synthWarm.ms,
            exit_codes: [patternsCold.code, patternsWarm.code, synthWarm.code],
          },
        },
        null,
        2,
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await run();

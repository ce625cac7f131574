/**
 * Hostile single files inside the 1 MiB limit: how long `validate` (a real CLI process) takes
 * for one record with N unknown keys, N duplicate keys, N broken links or N nested id lists, and how many
 * diagnostics it prints. Linear means the time grows with N, not with N². Prints figures;
 * `tools/bench/run.ts` runs it. Run: `npm run build:ts && node dist/tools/bench/hostile.js [--quick] [--cli path/to/bin/learning-loop.js]`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packageRoot } from './cli.js';

const ROOT = packageRoot();
const cliAt = process.argv.indexOf('--cli');
/** The CLI measured (`--cli <launcher>` measures another build, e.g. an older one, for comparison). */
const CLI = cliAt >= 0 ? process.argv[cliAt + 1]! : join(ROOT, 'bin', 'learning-loop.js');

/** Each shape at a size and at five times it (the larger just under 1 MiB). */
const SHAPES: Record<string, { n: number; make: (n: number) => string }> = {
  'unknown keys': {
    n: 20_000,
    make: (n) =>
      record(
        'rule-x',
        Array.from({ length: n }, (_, i) => `k${i}: v`),
      ),
  },
  'duplicate keys': {
    n: 14_000,
    make: (n) =>
      record(
        'rule-x',
        Array.from({ length: n }, (_, i) => `title: t${i}`),
      ),
  },
  'broken links': { n: 9_000, make: (n) => record('rule-x', ['from_patterns:', ...Array.from({ length: n }, (_, i) => `  - pat-missing-${i}`)]) },
  // Each item fails a shared schema fragment (an id list) that the validators call: the errors of
  // such calls were once concatenated, quadratic in their number (80,000 items: 25 s).
  'nested id lists': {
    n: 4_500,
    make: (n) =>
      `---\nkind: reflection\nid: rule-x\ncreated_at: 2026-11-01T00:00:00Z\nreflection_type: free\nexecutions: [ex-1]\nevidence:\n  recurring_errors:\n${Array.from({ length: n }, () => '    - {fingerprint: x, count: 1, executions: 1}').join('\n')}\n---\n`,
  },
};

function record(id: string, extra: string[]): string {
  return `---\nkind: rule\nid: ${id}\ncreated_at: 2026-11-01T00:00:00Z\nstatus: proposed\nstatement: x\n${extra.join('\n')}\n---\n`;
}

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-hostile-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync(process.execPath, [CLI, 'init'], { cwd: dir, stdio: 'ignore' });
  return dir;
}

/** One `validate --json` process over a knowledge base holding the file: seconds and diagnostics. */
function timeValidate(dir: string, text: string): { s: number; diagnostics: number; bytes: number } {
  const file = join(dir, 'learning-loop', 'rules', 'rule-x.md');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, 'validate', '--json'], { cwd: dir, maxBuffer: 1 << 30, encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  rmSync(file);
  return { s, diagnostics: (JSON.parse(r.stdout) as { diagnostics: unknown[] }).diagnostics.length, bytes: Buffer.byteLength(text) };
}

const quick = process.argv.includes('--quick');
const dir = repo();
process.stdout.write(`hostile files: one validate process per file (node start-up included)\n`);
process.stdout.write(`${'shape'.padEnd(16)}${'N'.padStart(9)}${'bytes'.padStart(10)}${'seconds'.padStart(9)}${'diagnostics'.padStart(13)}\n`);
for (const [name, { n: base, make }] of Object.entries(SHAPES)) {
  for (const n of quick ? [base] : [base, base * 5]) {
    const r = timeValidate(dir, make(n));
    process.stdout.write(`${name.padEnd(16)}${String(n).padStart(9)}${String(r.bytes).padStart(10)}${r.s.toFixed(2).padStart(9)}${String(r.diagnostics).padStart(13)}\n`);
  }
}
rmSync(dir, { recursive: true, force: true });

/**
 * Site benchmark: generates knowledge bases (1k and 10k executions by default; `--sizes
 * 1000,10000,100000` for more) in temporary Git repos, then builds the site in a fresh process
 * per size and prints wall time, CPU time and peak RSS (the child's maximum resident set).
 *
 *   node dist/tools/bench/site.js [--sizes 1000,10000] [--keep]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateKb } from './site-kb.js';

interface Row {
  executions: number;
  records: number;
  pages: number;
  executionPages: number;
  wallS: number;
  cpuS: number;
  peakRssMb: number;
  phases: Record<string, number>;
  cpu: Record<string, number>;
}

/** Builds the site for the repo in this process and prints one JSON line (child mode). */
async function child(repo: string): Promise<void> {
  const { openWorkspace } = await import('../../scripts/io/workspace.js');
  const { buildSite } = await import('../../scripts/agents/publish/site.js');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await buildSite(openWorkspace({ cwd: repo }), {});
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({ pages: r.pages, records: r.records, executionPages: r.executionPages, wallS: (performance.now() - t0) / 1000, cpuS: (cpu.user + cpu.system) / 1e6, phases: r.phases, cpu: r.cpu, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

async function parent(sizes: number[], keep: boolean): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const rows: Row[] = [];
  for (const n of sizes) {
    const repo = mkdtempSync(join(tmpdir(), `ll-site-bench-${n}-`));
    execFileSync('git', ['init', '-q', repo]);
    const records = generateKb(repo, { executions: n });
    // A fresh process per size, so peak RSS belongs to this build alone.
    const res = spawnSync(process.execPath, ['--max-old-space-size=8192', self, '--child', repo], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (res.status !== 0) {
      process.stderr.write(`size ${n}: build failed (exit ${res.status})\n${res.stderr.slice(-4000)}\n`);
      continue;
    }
    const line = res.stdout.trim().split('\n').pop()!;
    const r = JSON.parse(line) as Omit<Row, 'executions'>;
    rows.push({ ...r, executions: n, records });
    process.stdout.write(
      `${n} executions (${records} records): ${r.pages} pages (${r.executionPages} execution pages) in ${r.wallS.toFixed(1)} s wall, ${r.cpuS.toFixed(1)} s CPU, peak RSS ${Math.round(r.peakRssMb)} MB; wall ms ${JSON.stringify(r.phases)}, CPU ms ${JSON.stringify(r.cpu)}\n`,
    );
    if (!keep) rmSync(repo, { recursive: true, force: true });
    else process.stdout.write(`  kept ${repo}\n`);
  }
  process.stdout.write(`${JSON.stringify({ bench: 'site', rows })}\n`);
}

const argv = process.argv.slice(2);
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (argv[0] === '--child') await child(argv[1]!);
  else {
    const i = argv.indexOf('--sizes');
    const sizes =
      i >= 0
        ? argv[i + 1]!.split(',')
            .map(Number)
            .filter((x) => x > 0)
        : [1000, 10000];
    await parent(sizes, argv.includes('--keep'));
  }
}

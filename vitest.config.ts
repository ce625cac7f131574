import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure functions and the library in memory) and `e2e` (anything that starts a
 * process, a Git repository, a server or a browser). A test file is e2e when it uses the repo helpers,
 * child processes, playwright or the kill -9 / fuzz suites; everything else is unit. Run one with `npx vitest run --project unit`.
 */
const E2E_MARKERS = /from '(\.\.\/)+helpers\/repo\.js'|from '\.\/helpers\/repo\.js'|node:child_process|playwright-core|tools\/bench\/(kill9|fuzz|hostile)\.js/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'fixtures' ? [] : testFiles(path);
    return d.name.endsWith('.test.ts') ? [path] : [];
  });
}

const e2e = testFiles('test').filter((f) => E2E_MARKERS.test(readFileSync(f, 'utf8')));

export default defineConfig({
  test: {
    // Real Git repos, processes and a real browser: generous per-test timeouts, no wall-clock asserts.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: e2e } },
      { extends: true, test: { name: 'e2e', include: e2e } },
    ],
  },
});

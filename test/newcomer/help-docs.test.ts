/** Issue 16: every doc `--help` points to ships in the npm package, at the path the help names. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, REPO_ROOT, runCli, tempDir } from '../helpers/repo.js';
import { COMMAND_LOADERS } from '../../scripts/cli/commands/index.js';

afterAll(cleanupTemp);

/** The paths `npm pack` would ship. */
function packedFiles(): Set<string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const pack = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
  return new Set(pack[0]!.files.map((f) => f.path));
}

describe('the package ships what a user runs', () => {
  it('has the CLI, the library, schemas, docs, the site source and the example; no dev tools, tests or build leftovers', () => {
    const shipped = [...packedFiles()];
    for (const need of [
      'bin/learning-loop.js',
      'dist/scripts/index.js',
      'dist/scripts/index.d.ts',
      'dist/scripts/cli/main.js',
      'schemas/execution.schema.json',
      'docs/errors.md',
      'site/src/pages/index.astro',
      'learning-loop/config/triggers.yaml',
    ]) {
      expect(shipped, need).toContain(need);
    }
    const unwanted = shipped.filter((p) => /^(dist\/(tools|test)\/|tools\/|test\/|site\/(\.astro|dist|node_modules)\/|\.learning-loop\/)|\.tsbuildinfo$/.test(p));
    expect(unwanted).toEqual([]);
  });
});

describe('--help points to docs installed users have', () => {
  it("names docs/*.md pages that npm pack ships, with the path of this installation's copy", async () => {
    const shipped = packedFiles();
    const cwd = tempDir();
    const helps = [(await runCli(cwd, ['--help'])).stdout];
    for (const [name] of COMMAND_LOADERS) helps.push((await runCli(cwd, [name, '--help'])).stdout);
    const pages = new Set(helps.flatMap((h) => [...h.matchAll(/\bdocs\/([a-z-]+\.md)\b/g)].map((m) => `docs/${m[1]}`)));
    expect(pages.size).toBeGreaterThanOrEqual(3);
    for (const page of pages) expect(shipped.has(page), page).toBe(true);
    // Each pointer says where the page is on this machine, and it is there.
    const paths = helps.flatMap((h) => [...h.matchAll(/docs\/[a-z-]+\.md \(([^)]+)\)/g)].map((m) => m[1]!));
    expect(paths.length).toBeGreaterThanOrEqual(3);
    for (const p of paths) expect(existsSync(p), p).toBe(true);
  });
});

/** Helpers the bench scripts share: the CLI run in-process, and the package root. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../scripts/cli/main.js';

/** Runs the CLI in this process (the same code path as the binary) and collects its output; `env` is added to the process's. */
export async function runCliInProcess(cwd: string, args: string[], stdin = '', env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: async () => stdin,
    env: { ...process.env, NO_COLOR: '1', ...env },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

/** The package root: the nearest folder above this module with a package.json (works from bench/ and dist/tools/bench/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

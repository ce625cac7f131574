/**
 * Installs the shipped GitHub workflows (`.github/workflows/learning-loop-*.yml` of this
 * package) into a user's repository. Never overwrites a file the user already has.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileExclusive } from '../io/fs.js';

/** The package's own root (works from `scripts/` via tsx and from `dist/scripts/`). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dir;
}

/** The workflow files this package ships (names only). */
export function shippedWorkflows(): string[] {
  const dir = join(packageRoot(), '.github', 'workflows');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /^learning-loop-.*\.ya?ml$/.test(f)).sort();
}

/** Copies the shipped workflows into `<repoRoot>/.github/workflows/`; existing files are kept. */
export function installWorkflows(repoRoot: string): { written: string[]; kept: string[] } {
  const src = join(packageRoot(), '.github', 'workflows');
  const written: string[] = [];
  const kept: string[] = [];
  for (const name of shippedWorkflows()) {
    const rel = `.github/workflows/${name}`;
    if (writeFileExclusive(join(repoRoot, rel), readFileSync(join(src, name)))) written.push(rel);
    else kept.push(rel);
  }
  return { written, kept };
}

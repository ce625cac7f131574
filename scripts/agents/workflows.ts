/**
 * Installs the shipped GitHub workflows (`.github/workflows/learning-loop-*.yml` of this
 * package) into a user's repository. Never overwrites a file the user already has.
 */
import { join } from 'node:path';
import { exists, listDir, packageRoot, readBytes, writeFileExclusive } from '../io/fs.js';

/** The workflow files this package ships (names only). */
export function shippedWorkflows(): string[] {
  const dir = join(packageRoot(), '.github', 'workflows');
  if (!exists(dir)) return [];
  return listDir(dir)
    .map((e) => e.name)
    .filter((f) => /^learning-loop-.*\.ya?ml$/.test(f))
    .sort();
}

/** Copies the shipped workflows into `<repoRoot>/.github/workflows/`; existing files are kept. */
export function installWorkflows(repoRoot: string): { written: string[]; kept: string[] } {
  const src = join(packageRoot(), '.github', 'workflows');
  const written: string[] = [];
  const kept: string[] = [];
  for (const name of shippedWorkflows()) {
    const rel = `.github/workflows/${name}`;
    if (writeFileExclusive(join(repoRoot, rel), readBytes(join(src, name)))) written.push(rel);
    else kept.push(rel);
  }
  return { written, kept };
}

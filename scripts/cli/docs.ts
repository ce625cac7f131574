/**
 * Pointers from `--help` to the documentation. The docs ship in the npm package (`files` in
 * package.json), so a pointer names the page and where this installation keeps it: an installed
 * user has no repository checkout to look in.
 */
import { join } from 'node:path';
import { packageRoot } from '../io/fs.js';

/** `docs/<page> (<absolute path of this installation's copy>)`. */
export function docRef(page: string): string {
  return `docs/${page} (${join(packageRoot(), 'docs', page)})`;
}

/** This installation's docs folder. */
export function docsDir(): string {
  return join(packageRoot(), 'docs');
}

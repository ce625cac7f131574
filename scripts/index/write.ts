/**
 * Writes for derived files (build outputs, cache): temp file + rename, so a reader never sees a
 * half-written file, but without the fsync of record writes — derived files can always be
 * rebuilt, and fsyncing hundreds of them dominated small incremental builds.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sweepStaleTemps, tempPath } from '../io/fs.js';

/** Replaces `target` with `content` atomically (rename), creating folders as needed. */
export function writeDerived(target: string, content: string | Uint8Array): void {
  const dir = dirname(target);
  mkdirSync(dir, { recursive: true });
  sweepStaleTemps(dir); // leftovers of a build killed mid-write
  const tmp = tempPath(target);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

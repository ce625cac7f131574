/**
 * Refreshing the derived knowledge after a build. Its own module so a build or a recall with
 * nothing to learn loads none of the learning code (it is imported only when needed).
 */
import type { Workspace } from '../core/workspace.js';
import { readManifest } from './outputs.js';
import { LEARN_INLINE_MAX } from '../core/learn/derived.js';
import { isLearnedCurrent } from './learned-state.js';

/**
 * Brings the derived knowledge up to date after a build, when the history is small enough for
 * that to be quick (or `force`): loads the table, analyses it and writes the store and the
 * learning snapshot. Returns whether it wrote.
 */
export async function refreshLearned(ws: Workspace, opts: { force?: boolean } = {}): Promise<boolean> {
  if (isLearnedCurrent(ws)) return false;
  const manifest = readManifest(ws.outDir);
  if (!manifest) return false;
  if (!opts.force && (manifest.by_kind.execution ?? 0) > LEARN_INLINE_MAX) return false;
  const { writeLearnSnapshot } = await import('./snapshot.js');
  await writeLearnSnapshot(ws);
  return true;
}

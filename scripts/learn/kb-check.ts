/**
 * Edge: the learning commands need a knowledge base; this reports a missing one as the
 * `kb/missing` diagnostic (instead of silently analysing nothing).
 */
import { existsSync } from 'node:fs';
import type { Workspace } from '../adapters/workspace.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';

/** `kb/missing` when the knowledge-base folder does not exist, else undefined. */
export function missingKb(ws: Workspace): Diagnostic | undefined {
  return existsSync(ws.kbRoot) ? undefined : diag('kb/missing', ws.kbPrefix || ws.kbRoot, `No knowledge base at ${ws.kbRoot}.`);
}

/**
 * Whether the derived knowledge (learn/learned.ts) is current, read cheaply: the build manifest
 * and `learned/state.json`. Kept apart so that a build or recall that finds nothing to do does not
 * load the learning engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../core/workspace.js';
import { readManifest } from './outputs.js';
import type { ExtractedPattern, LearnSnapshot } from '../core/learn/types.js';

/** `learned/state.json`. */
export interface LearnedState {
  version: 1;
  /** The build's input key (`manifest.json#source`) the knowledge was derived from. */
  source: string;
  executions: number;
  latest_execution: string | null;
  documents: number;
}

/** The folder of the derived-knowledge store. */
export function learnedDir(outDir: string): string {
  return join(outDir, 'learned');
}

/** Reads the state; undefined when missing or unreadable. */
export function readLearnedState(outDir: string): LearnedState | undefined {
  try {
    const s = JSON.parse(readFileSync(join(learnedDir(outDir), 'state.json'), 'utf8')) as LearnedState;
    return s.version === 1 ? s : undefined;
  } catch {
    return undefined;
  }
}

/** The patterns of the last learning snapshot (`learn.json`), for explaining an execution in a large history. */
export function snapshotPatterns(outDir: string): ExtractedPattern[] | undefined {
  try {
    const snap = JSON.parse(readFileSync(join(outDir, 'learn.json'), 'utf8')) as LearnSnapshot;
    return snap.version === 1 && Array.isArray(snap.patterns) ? snap.patterns : undefined;
  } catch {
    return undefined;
  }
}

/** True when the derived knowledge was derived from the current build. */
export function isLearnedCurrent(ws: Workspace): boolean {
  const m = readManifest(ws.outDir);
  return Boolean(m && readLearnedState(ws.outDir)?.source === m.source);
}

/**
 * Light readers of the build folder's outputs (manifest, diagnostics, aggregates, learning
 * snapshot): what a command reads without loading the build pipeline.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { Aggregates } from '../core/aggregates.js';
import type { LearnSnapshot } from '../core/learn/types.js';

/** Bumped when the output layout changes. */
export const BUILD_VERSION = 6;

/** `manifest.json`: what the build folder holds. */
export interface BuildManifest {
  version: number;
  /** KB root relative to the repo. */
  kb: string;
  records: number;
  by_kind: Record<string, number>;
  diagnostics: { error: number; warning: number; info: number };
  /** Every output file (relative to the build folder) -> SHA-1 of its content. */
  outputs: Record<string, string>;
  /** Key of the build's input (config and every file's blob id): equal keys, equal outputs. */
  source: string;
  /** Files scanned (records and invalid files). */
  files: number;
  /**
   * Input key of each segment's outputs (table shard, recall segment); '' for an
   * empty segment. A segment whose key is unchanged is not rebuilt.
   */
  segment_keys: string[];
}

/** Reads `manifest.json` of a build folder. */
export function readManifest(outDir: string): BuildManifest | undefined {
  const m = readJson<BuildManifest>(join(outDir, 'manifest.json'));
  return m && m.version === BUILD_VERSION && m.outputs && typeof m.outputs === 'object' && Array.isArray(m.segment_keys) ? m : undefined;
}

/** The last build's diagnostics (`diagnostics.json`; empty when there is none). */
export function readBuildDiagnostics(outDir: string): Diagnostic[] {
  const d = readJson<Diagnostic[]>(join(outDir, 'diagnostics.json'));
  return Array.isArray(d) ? d : [];
}

/** Reads a JSON file from the build folder; undefined when missing or unreadable. */
export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Reads `aggregates.json` of a build folder (undefined before the first build). */
export function readAggregates(outDir: string): Aggregates | undefined {
  const a = readJson<Aggregates>(join(outDir, 'aggregates.json'));
  return a && a.version === 1 ? a : undefined;
}

/** Reads `learn.json`, the last learning snapshot (undefined before the first, or when it is of another version). */
export function readLearnSnapshot(outDir: string): LearnSnapshot | undefined {
  const s = readJson<LearnSnapshot>(join(outDir, 'learn.json'));
  return s && s.version === 1 && s.dashboard ? s : undefined;
}

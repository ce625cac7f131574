/**
 * Freshness: is the build folder up to date with the knowledge base? The source key (config and
 * every file's blob id) compared with the last build's, found by the scan digest when nothing
 * changed and by a scan (no parsing) otherwise. Kept light on purpose: a one-shot `recall`
 * imports this, and the whole build pipeline only when something changed.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Workspace } from '../core/workspace.js';
import { isIgnoredKbFile } from '../core/records/kb-files.js';
import { STORE_VERSION } from '../core/recall/store.js';
import { CACHE_VERSION } from './cache.js';
import { sha1 } from './digest.js';
import { segmentSources } from './layout.js';
import { gitListing, gitListingAsync, scanKnowledgeBase, type GitListing, type ScanResult } from './scan.js';
import { writeDerived } from './write.js';
import { BUILD_VERSION, readJson, readManifest, type BuildManifest } from './outputs.js';

/** Everything besides file content that changes the per-file results. */
export function cacheSalt(ws: Workspace): string {
  return sha1(JSON.stringify([CACHE_VERSION, ws.kbPrefix, ws.config, ws.configDiagnostics]));
}

/** Hash of the salt and every (file, blob) pair (by segment: see layout.ts). */
export function sourceKeyOf(salt: string, files: readonly ScanResult['files'][number][]): string {
  const source = createHash('sha1').update(salt);
  for (const src of segmentSources(files).src) source.update(`\0${src}`);
  return source.digest('hex');
}

const candidatesOf = new WeakMap<ScanResult, ScanResult['files']>();

/** The knowledge-base files a build looks at (README, .gitkeep and the config are not records). */
export function candidateFiles(scan: ScanResult): ScanResult['files'] {
  let list = candidatesOf.get(scan);
  if (!list) candidatesOf.set(scan, (list = scan.files.filter((f) => !isIgnoredKbFile(f.file))));
  return list;
}

/**
 * The key of the current knowledge base (config + every file's blob id), without parsing
 * anything: compare it with `manifest.json#source` to know whether the build is up to date.
 */
export function currentSourceKey(ws: Workspace, scan: ScanResult = scanKnowledgeBase(ws)): string {
  return sourceKeyOf(cacheSalt(ws), candidateFiles(scan));
}

/** The build's input key: the knowledge base's source key plus the output format versions. */
export function outputKey(sourceKey: string): string {
  return sha1(`${sourceKey}|${BUILD_VERSION}|${STORE_VERSION}`);
}

/** The source key of the knowledge base, and the scan when one had to be made. */
export interface FreshKey {
  key: string;
  /** The digest the key was looked up by (undefined outside Git). */
  digest?: string;
  /** The full scan, when the digest was not known (the caller may reuse it). */
  scan?: ScanResult;
}

function digestFile(outDir: string): string {
  return join(outDir, 'cache', 'scan.json');
}

/** The key remembered for a listing's digest, when it is known. */
function knownKey(ws: Workspace, salt: string, listing: GitListing | undefined): FreshKey | undefined {
  if (!listing) return undefined;
  const known = readJson<{ digest?: string; salt?: string; key?: string }>(digestFile(ws.outDir));
  return known?.digest === listing.digest && known.salt === salt && typeof known.key === 'string' ? { key: known.key, digest: listing.digest } : undefined;
}

function scannedKey(ws: Workspace, salt: string, listing: GitListing | undefined): FreshKey {
  // The scan comes from the same listing as the digest, so the pair can be remembered, unless
  // the Git index changed while the listing was made (another process committed).
  const scan = scanKnowledgeBase(ws, listing);
  return { key: sourceKeyOf(salt, candidateFiles(scan)), digest: listing?.settled() ? listing.digest : undefined, scan };
}

/**
 * The source key, cheaply when nothing changed: the scan digest (`gitListing`) is looked up in
 * `cache/scan.json`, written by the last build; only a new digest costs a full scan.
 */
export function freshKey(ws: Workspace): FreshKey {
  const listing = gitListing(ws);
  const salt = cacheSalt(ws);
  return knownKey(ws, salt, listing) ?? scannedKey(ws, salt, listing);
}

/**
 * `freshKey` with the Git calls side by side. With `staged` (a caller that will build when
 * something changed) the index listing is fetched at the same time, and stopped when the digest
 * is known after all; with `scan` (a full build) the scan is made in any case.
 */
export async function freshKeyAsync(ws: Workspace, opts: { staged?: boolean; scan?: boolean } = {}): Promise<FreshKey> {
  const listing = await gitListingAsync(ws, opts);
  const salt = cacheSalt(ws);
  const known = opts.scan ? undefined : knownKey(ws, salt, listing);
  if (known) {
    listing?.cancel?.();
    return known;
  }
  await listing?.ready;
  return scannedKey(ws, salt, listing);
}

/** Remembers that `digest` means source key `key` (both from one `gitListing`). */
export function rememberDigest(ws: Workspace, digest: string, key: string): void {
  try {
    writeDerived(digestFile(ws.outDir), `${JSON.stringify({ digest, salt: cacheSalt(ws), key })}\n`);
  } catch {
    // best effort: the next check scans again
  }
}

function currentBy(ws: Workspace, manifest: BuildManifest, fresh: FreshKey): boolean {
  const current = manifest.source === outputKey(fresh.key);
  // A build made before this cache existed: the next check can go by the digest.
  if (current && fresh.scan && fresh.digest) rememberDigest(ws, fresh.digest, fresh.key);
  return current;
}

/** True when the build folder is up to date with the knowledge base (no parsing; usually no scan). */
export function isBuildCurrent(ws: Workspace): boolean {
  const manifest = readManifest(ws.outDir);
  return manifest !== undefined && currentBy(ws, manifest, freshKey(ws));
}

/**
 * `isBuildCurrent` with the Git calls running side by side, and alongside the caller's work
 * until it awaits the answer (recall opens its store meanwhile).
 */
export async function isBuildCurrentAsync(ws: Workspace): Promise<boolean> {
  const manifest = readManifest(ws.outDir);
  if (!manifest) return false;
  return currentBy(ws, manifest, await freshKeyAsync(ws));
}

/**
 * Scan: which files the knowledge base holds and a content key for each. In a Git work tree the
 * key is the Git blob id: `git ls-files -s` gives it for every clean file without reading it,
 * and only the dirty and untracked files (from `git ls-files -m -o`) are hashed here, the way
 * Git hashes a blob. Outside Git every file is hashed. `gitListing`'s digest tells whether
 * anything changed without listing every file.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { walkFiles } from '../adapters/fs.js';
import type { Workspace } from '../adapters/workspace.js';

/** One file of the knowledge base with its content key. */
export interface ScannedFile {
  /** Path relative to the knowledge-base root (POSIX). */
  file: string;
  /** Git blob id of the content (or a blob-style SHA-1 computed here). */
  blob: string;
  /** File content when it was read during the scan (dirty or untracked files). */
  buf?: Buffer;
}

/** The scan result, sorted by path. */
export interface ScanResult {
  files: ScannedFile[];
  /** `git` when blob ids came from the index, `fs` when every file was hashed. */
  method: 'git' | 'fs';
}

/** Git's blob id of some content: SHA-1 of `blob <size>\0<content>`. */
export function blobId(buf: Buffer): string {
  return createHash('sha1').update(`blob ${buf.length}\0`).update(buf).digest('hex');
}

// walkFiles skips dot-folders; the Git path must skip them too so both agree on the file set.
function hiddenDir(rel: string): boolean {
  const parts = rel.split('/');
  for (let i = 0; i < parts.length - 1; i++) if (parts[i]!.startsWith('.')) return true;
  return false;
}

function readOrUndefined(abs: string): Buffer | undefined {
  try {
    return readFileSync(abs);
  } catch {
    return undefined;
  }
}

/** Hashes every file below the KB root (no Git). */
export function scanFs(kbRoot: string): ScanResult {
  const files: ScannedFile[] = [];
  for (const rel of walkFiles(kbRoot)) {
    const buf = readOrUndefined(join(kbRoot, rel));
    if (buf === undefined) continue;
    files.push({ file: rel, blob: blobId(buf), buf });
  }
  return { files, method: 'fs' };
}

const STAGED = /^\d{6} [0-9a-f]{40,64} \d$/;

function kbPathspec(ws: Workspace): string[] | undefined {
  const prefix = ws.kbPrefix;
  if (!ws.inGit || prefix.startsWith('/') || /^[A-Za-z]:/.test(prefix)) return undefined;
  return prefix ? [`:(literal)${prefix.replace(/\/$/, '')}`] : ['.'];
}

/**
 * What Git says about the knowledge base: the index entries under it (`git ls-files -s`, raw
 * bytes, read lazily) and the modified, deleted and untracked files (`git ls-files -m -o`, read
 * here). The digest covers the index file itself and the dirty files' content, so equal digests
 * mean equal scans; checking freshness then costs one Git call, not a listing of every file.
 */
export interface GitListing {
  /** `git ls-files -s` output for the knowledge base (run on first use). */
  staged(): Buffer;
  /** Repo-relative dirty or untracked files -> content (undefined when deleted). */
  dirty: Map<string, Buffer | undefined>;
  /** Hash of the index file and the dirty files' content: equal digests mean equal scans. */
  digest: string;
}

/** Lists the knowledge base with Git; undefined outside Git (or when Git fails). */
export function gitListing(ws: Workspace): GitListing | undefined {
  const pathspec = kbPathspec(ws);
  if (!pathspec) return undefined;
  try {
    const opts = { cwd: ws.repoRoot, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'] };
    const git = (args: string[]) => execFileSync('git', args, opts);
    // The index file decides what `ls-files -s` prints; hashing it is much cheaper than the listing.
    const indexPath = git(['rev-parse', '--git-path', 'index']).toString('utf8').trim();
    let index: Buffer;
    try {
      index = readFileSync(resolve(ws.repoRoot, indexPath));
    } catch {
      index = Buffer.alloc(0); // no index yet (nothing staged)
    }
    const listed = git(['ls-files', '-m', '-o', '--exclude-standard', '-z', '--full-name', '--', ...pathspec]).toString('utf8');
    const h = createHash('sha1').update(`${pathspec.join('\0')}\0`).update(index);
    const dirty = new Map<string, Buffer | undefined>();
    for (const full of [...new Set(listed.split('\0').filter(Boolean))].sort()) {
      const buf = readOrUndefined(join(ws.repoRoot, full));
      dirty.set(full, buf);
      h.update(`\0${full}\0${buf === undefined ? '-' : blobId(buf)}`);
    }
    let staged: Buffer | undefined;
    return { staged: () => (staged ??= git(['ls-files', '-s', '-z', '--full-name', '--', ...pathspec])), dirty, digest: h.digest('hex') };
  } catch {
    return undefined;
  }
}

/**
 * Scans the knowledge base. Uses Git when the KB is inside the work tree (pass a listing made
 * already to save the Git calls); falls back to hashing every file when Git is unavailable or
 * fails.
 */
export function scanKnowledgeBase(ws: Workspace, listing: GitListing | undefined = gitListing(ws)): ScanResult {
  if (!listing) return scanFs(ws.kbRoot);
  let staged: Buffer;
  try {
    staged = listing.staged();
  } catch {
    return scanFs(ws.kbRoot);
  }
  const prefix = ws.kbPrefix;
  const byFile = new Map<string, ScannedFile>();
  const plen = prefix.length;
  for (const line of staged.toString('utf8').split('\0')) {
    if (!line) continue;
    // A staged entry is `<mode> <blob> <stage>\t<path>`. The tab position (blob of 40 or 64 hex
    // digits) is checked first: this loop runs per file.
    const tab = line.indexOf('\t');
    if ((tab !== 49 && tab !== 73) || !STAGED.test(line.slice(0, tab))) continue;
    const full = line.slice(tab + 1);
    // Regular files only (no symlinks or submodules), like the file-system walk. An unmerged
    // path is listed once per stage; it is in the dirty list, where the work tree decides.
    const mode = line.slice(0, 6);
    if (mode !== '100644' && mode !== '100755') {
      byFile.set(full, { file: '', blob: '' }); // a placeholder, dropped below
      continue;
    }
    byFile.set(full, { file: full.slice(plen), blob: line.slice(7, tab - 2) });
  }
  for (const [full, buf] of listing.dirty) {
    if (buf === undefined) {
      byFile.delete(full); // deleted in the work tree
      continue;
    }
    byFile.set(full, { file: full.slice(plen), blob: blobId(buf), buf });
  }
  const files = [...byFile.values()].filter((f) => f.file.length > 0 && !((f.file.startsWith('.') || f.file.includes('/.')) && hiddenDir(f.file)));
  // Git lists paths in byte order; dirty and untracked files were appended. Sort only if needed.
  const byPath = (a: ScannedFile, b: ScannedFile) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  let sorted = true;
  for (let i = 1; i < files.length && sorted; i++) if (byPath(files[i - 1]!, files[i]!) > 0) sorted = false;
  if (!sorted) files.sort(byPath);
  return { files, method: 'git' };
}

/**
 * Scan: which files the knowledge base holds and a content key for each. In a Git work tree the
 * key is the Git blob id: `git ls-files -s` gives it for every clean file without reading it,
 * and only the dirty and untracked files (from `git ls-files -m -o`) are hashed here, the way
 * Git hashes a blob. Outside Git every file is hashed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

function gitZ(cwd: string, args: string[]): string[] {
  const out = execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\0').filter((s) => s.length > 0);
}

function kbPathspec(ws: Workspace): string[] | undefined {
  const prefix = ws.kbPrefix;
  if (!ws.inGit || prefix.startsWith('/') || /^[A-Za-z]:/.test(prefix)) return undefined;
  return prefix ? [`:(literal)${prefix.replace(/\/$/, '')}`] : ['.'];
}

/**
 * A cheap digest of what `scanKnowledgeBase` would see, without parsing its output: the raw
 * bytes of `git ls-files -s` (every index entry with its blob id) plus the content id of each
 * dirty or untracked file. Equal digests mean equal scans, so a freshness check can skip the
 * per-file work when nothing changed. Undefined outside Git (or when Git fails).
 */
export function scanDigest(ws: Workspace): string | undefined {
  const pathspec = kbPathspec(ws);
  if (!pathspec) return undefined;
  try {
    const opts = { cwd: ws.repoRoot, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'] };
    const staged = execFileSync('git', ['ls-files', '-s', '-z', '--full-name', '--', ...pathspec], opts);
    const dirty = execFileSync('git', ['ls-files', '-m', '-o', '--exclude-standard', '-z', '--full-name', '--', ...pathspec], { ...opts, encoding: 'utf8' });
    const h = createHash('sha1').update(staged);
    for (const full of dirty.split('\0').filter(Boolean).sort()) {
      const buf = readOrUndefined(join(ws.repoRoot, full));
      h.update(`\0${full}\0${buf === undefined ? '-' : blobId(buf)}`);
    }
    return h.digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * Scans the knowledge base. Uses Git when the KB is inside the work tree; falls back to hashing
 * every file when Git is unavailable or fails.
 */
export function scanKnowledgeBase(ws: Workspace): ScanResult {
  const prefix = ws.kbPrefix;
  const pathspec = kbPathspec(ws);
  if (!pathspec) return scanFs(ws.kbRoot);
  // One Git call: `-s` lists every index entry with its blob id; `-m` repeats the entries whose
  // work-tree file differs (modified or deleted), and `-o` adds untracked files (no stage info).
  let lines: string[];
  try {
    lines = gitZ(ws.repoRoot, ['-c', 'core.quotepath=off', 'ls-files', '-s', '-m', '-o', '--exclude-standard', '-z', '--full-name', '--', ...pathspec]);
  } catch {
    return scanFs(ws.kbRoot);
  }
  const byFile = new Map<string, ScannedFile>();
  const dirty = new Set<string>();
  const plen = prefix.length;
  for (const line of lines) {
    // A staged entry is `<mode> <blob> <stage>\t<path>`; anything else is an untracked path. The
    // tab position (blob of 40 or 64 hex digits) is checked first: this loop runs per file.
    const tab = line.indexOf('\t');
    if ((tab !== 49 && tab !== 73) || !STAGED.test(line.slice(0, tab))) {
      dirty.add(line); // untracked
      continue;
    }
    const full = line.slice(tab + 1);
    if (byFile.has(full) || dirty.has(full)) {
      dirty.add(full); // listed again by -m (or an unmerged entry): the work tree decides
      continue;
    }
    // Regular files only (no symlinks or submodules), like the file-system walk.
    const mode = line.slice(0, 6);
    if (mode !== '100644' && mode !== '100755') {
      byFile.set(full, { file: '', blob: '' }); // a placeholder, dropped below
      continue;
    }
    byFile.set(full, { file: full.slice(plen), blob: line.slice(7, tab - 2) });
  }
  for (const full of dirty) {
    const buf = readOrUndefined(join(ws.repoRoot, full));
    if (buf === undefined) {
      byFile.delete(full); // deleted in the work tree
      continue;
    }
    byFile.set(full, { file: full.slice(prefix.length), blob: blobId(buf), buf });
  }
  // (A hidden folder needs a leading dot somewhere: test that cheaply before splitting the path.)
  const files = [...byFile.values()].filter((f) => f.file.length > 0 && !((f.file.startsWith('.') || f.file.includes('/.')) && hiddenDir(f.file)));
  // Git lists paths in byte order; dirty and untracked files were appended. Sort only if needed.
  const byPath = (a: ScannedFile, b: ScannedFile) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  let sorted = true;
  for (let i = 1; i < files.length && sorted; i++) if (byPath(files[i - 1]!, files[i]!) > 0) sorted = false;
  if (!sorted) files.sort(byPath);
  return { files, method: 'git' };
}

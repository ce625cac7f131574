/**
 * Scan: which files the knowledge base holds and a content key for each. In a Git work tree the
 * key is the Git blob id: `git ls-files -s` gives it for every clean file without reading it,
 * and only the modified and untracked files (`git diff-files`, `git ls-files -o`) are hashed
 * here, the way Git hashes a blob. Outside Git every file is hashed. `gitListing`'s digest tells
 * whether anything changed without listing every file.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { writeDerived } from './write.js';
import { join, resolve } from 'node:path';
import { readFileSafe, walkFiles } from '../io/fs.js';
import type { Workspace } from '../core/workspace.js';
import { gitStart, gitSync } from '../io/git.js';

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

/** A file as the scan saw it: a content key, and the content when it was read (undefined: gone). */
interface Seen {
  blob: string;
  buf?: Buffer;
}

/**
 * Reads a file for the scan without going through a symbolic link and without reading one
 * larger than the limit. What is not read still gets a key (a link by what it says, a large
 * file by its size and time, an unreadable one by its error), so the file stays in the scan and
 * its check reports it exactly as `validate` does.
 */
function see(root: string, rel: string, maxBytes: number, repoRoot: string): Seen | undefined {
  const r = readFileSafe(root, rel, maxBytes, repoRoot);
  switch (r.kind) {
    case 'file':
      return { blob: blobId(r.buf), buf: r.buf };
    case 'missing':
      return undefined;
    case 'link':
      // Behind a folder that is a link: not a file of the knowledge base (the folder link is
      // listed, and reported, itself), as for the file-system walk, which never enters it.
      if (r.link !== rel) return undefined;
      return { blob: blobId(Buffer.from(`link\0${r.target}\0${r.inside}`)) };
    case 'too-large': {
      let stamp = '';
      try {
        const st = statSync(join(root, rel));
        stamp = `${st.mtimeMs}:${st.ino}`;
      } catch {
        // gone meanwhile: the check says so
      }
      return { blob: blobId(Buffer.from(`large\0${r.size}\0${stamp}`)) };
    }
    case 'error':
      return { blob: blobId(Buffer.from(`error\0${r.message}`)) };
  }
}

/** Hashes every file below the KB root (no Git); symbolic links are listed, never followed. */
export function scanFs(kbRoot: string, maxBytes = Number.MAX_SAFE_INTEGER, repoRoot = kbRoot): ScanResult {
  const files: ScannedFile[] = [];
  const links: string[] = [];
  const regular = walkFiles(kbRoot, links);
  for (const rel of [...regular, ...links].sort()) {
    const seen = see(kbRoot, rel, maxBytes, repoRoot);
    if (seen) files.push({ file: rel, ...seen });
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
 * bytes) and the modified, deleted and untracked files. The digest covers the index file itself
 * and the dirty files' content, so equal digests mean equal scans; checking freshness then costs
 * no listing of every file.
 */
export interface GitListing {
  /** `git ls-files -s` output for the knowledge base (run on first use unless already known). */
  staged(): Buffer;
  /** Repo-relative dirty or untracked files -> content key and content (undefined when deleted). */
  dirty: Map<string, { blob: string; buf?: Buffer } | undefined>;
  /** Hash of the index file and the dirty files' content: equal digests mean equal scans. */
  digest: string;
  /** Settles when an index listing started ahead (`gitListingAsync`) is in; `staged()` then has it. */
  ready?: Promise<void>;
  /** Stops an index listing started ahead that turned out not to be needed. */
  cancel?: () => void;
  /**
   * True when the Git index is still the one the listing started from (another process may
   * commit meanwhile): only then may the digest be remembered for the scan made from it.
   */
  settled(): boolean;
}

/** Git's listings of a large knowledge base are long. */
const GIT_OPTS = { maxBuffer: 1 << 30 };

/** The Git calls behind a listing; the sync and async listings run the same ones. */
interface ListingSetup {
  cwd: string;
  /** Files above this size are not read (see `see`). */
  maxBytes: number;
  pathspec: string[];
  /** Hash of the index file's identity and the listing mode (identifies `ls-files -s` output). */
  indexKey: string;
  indexPath: string;
  /** The index file's identity when the listing started. */
  indexId: Buffer;
  /** Where the last `ls-files -s` output is kept, keyed by `indexKey`. */
  stagedCache: string;
  dirtyArgs: string[];
  untrackedArgs: string[];
  stagedArgs: string[];
}

/** How a listing is made. */
export interface ListingOptions {
  /** Start the index listing ahead (async listing only; see `gitListingAsync`). */
  staged?: boolean;
  /** Force the two-process listing (true) or the one-process one (false); by index size otherwise. */
  split?: boolean;
}

/** Index files above this size (about 30,000 entries) are listed by two Git processes side by side. */
const SPLIT_LISTING_BYTES = 4 << 20;

/**
 * What identifies the index file's content: Git ends it with a checksum of everything before it,
 * so its last 32 bytes do (read without the rest); the whole file when the checksum is off
 * (`index.skipHash`). Empty when there is no index yet.
 */
function indexIdentity(path: string): { id: Buffer; size: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { id: Buffer.alloc(0), size: 0 }; // no index yet (nothing staged)
  }
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(32, size));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const checksummed = tail.length >= 20 && tail.subarray(tail.length - 20).some((b) => b !== 0);
    return { id: checksummed ? Buffer.concat([Buffer.from(`${size}\0`), tail]) : readFileSync(path), size };
  } finally {
    closeSync(fd);
  }
}

/** The index file: `.git/index` of an ordinary work tree, else what Git says (worktrees, GIT_DIR). */
function indexFile(ws: Workspace, git: (args: string[]) => Buffer): string {
  if (process.env.GIT_INDEX_FILE) return resolve(ws.repoRoot, process.env.GIT_INDEX_FILE);
  const dotGit = join(ws.repoRoot, '.git');
  try {
    if (!process.env.GIT_DIR && statSync(dotGit).isDirectory()) return join(dotGit, 'index');
  } catch {
    // no .git folder here: ask Git
  }
  return resolve(ws.repoRoot, git(['rev-parse', '--git-path', 'index']).toString('utf8').trim());
}

function listingSetup(ws: Workspace, opts: ListingOptions): ListingSetup | undefined {
  const pathspec = kbPathspec(ws);
  if (!pathspec) return undefined;
  const git = (args: string[]) => gitSync(ws.repoRoot, args, GIT_OPTS);
  const indexPath = indexFile(ws, git);
  const index = indexIdentity(indexPath);
  // A large index: modified files from diff-files (which checks file stats on all cores) beside
  // the untracked listing; a small one: one `ls-files -m -o` costs less than a second process.
  const split = opts.split ?? index.size > SPLIT_LISTING_BYTES;
  return {
    cwd: ws.repoRoot,
    maxBytes: ws.config.build.max_file_bytes,
    pathspec,
    indexKey: createHash('sha1')
      .update(`${pathspec.join('\0')}\0${split ? 'split' : 'one'}\0`)
      .update(index.id)
      .digest('hex'),
    indexPath,
    indexId: index.id,
    stagedCache: join(ws.outDir, 'cache', 'staged.bin'),
    dirtyArgs: split ? ['diff-files', '--name-only', '-z', '--', ...pathspec] : ['ls-files', '-m', '-o', '--exclude-standard', '-z', '--full-name', '--', ...pathspec],
    untrackedArgs: split ? ['ls-files', '-o', '--exclude-standard', '-z', '--full-name', '--', ...pathspec] : [],
    stagedArgs: ['ls-files', '-s', '-z', '--full-name', '--', ...pathspec],
  };
}

/** Whether the kept `ls-files -s` output belongs to this index file (reads its first line only). */
function stagedKept(setup: ListingSetup): boolean {
  try {
    const fd = openSync(setup.stagedCache, 'r');
    try {
      const head = Buffer.alloc(setup.indexKey.length + 1);
      return readSync(fd, head, 0, head.length, 0) === head.length && head.toString('latin1') === `${setup.indexKey}\n`;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The kept `ls-files -s` output when the index file is unchanged since it was kept. */
function cachedStaged(setup: ListingSetup): Buffer | undefined {
  try {
    const buf = readFileSync(setup.stagedCache);
    const nl = buf.indexOf(10);
    return nl > 0 && buf.toString('latin1', 0, nl) === setup.indexKey ? buf.subarray(nl + 1) : undefined;
  } catch {
    return undefined;
  }
}

function sameIndex(setup: ListingSetup): boolean {
  return indexIdentity(setup.indexPath).id.equals(setup.indexId);
}

function keepStaged(setup: ListingSetup, out: Buffer): Buffer {
  if (!sameIndex(setup)) return out; // the index changed meanwhile: this output belongs to neither
  try {
    writeDerived(setup.stagedCache, Buffer.concat([Buffer.from(`${setup.indexKey}\n`, 'latin1'), out]));
  } catch {
    // best effort: the next scan asks Git again
  }
  return out;
}

function assemble(setup: ListingSetup, dirtyOut: Buffer, untrackedOut: Buffer, staged: () => Buffer): GitListing {
  const h = createHash('sha1').update(setup.indexKey);
  const dirty = new Map<string, { blob: string; buf?: Buffer } | undefined>();
  const names = `${dirtyOut.toString('utf8')}\0${untrackedOut.toString('utf8')}`.split('\0').filter(Boolean);
  for (const full of [...new Set(names)].sort()) {
    const seen = see(setup.cwd, full, setup.maxBytes, setup.cwd);
    dirty.set(full, seen);
    h.update(`\0${full}\0${seen === undefined ? '-' : seen.blob}`);
  }
  return { staged, dirty, digest: h.digest('hex'), settled: () => sameIndex(setup) };
}

/** Lists the knowledge base with Git, one call after another; undefined outside Git (or when Git fails). */
export function gitListing(ws: Workspace, opts: ListingOptions = {}): GitListing | undefined {
  try {
    const setup = listingSetup(ws, opts);
    if (!setup) return undefined;
    const git = (args: string[]) => gitSync(setup.cwd, args, GIT_OPTS);
    let staged: Buffer | undefined;
    return assemble(
      setup,
      git(setup.dirtyArgs),
      setup.untrackedArgs.length ? git(setup.untrackedArgs) : Buffer.alloc(0),
      () => (staged ??= cachedStaged(setup) ?? keepStaged(setup, git(setup.stagedArgs))),
    );
  } catch {
    return undefined;
  }
}

/**
 * The same listing with the Git calls running side by side (and alongside the caller's own work
 * until it awaits the result). With `staged`, the index listing is started too (unless kept
 * from an earlier scan of the same index file); it is awaited through `ready`, or `cancel`led.
 */
export async function gitListingAsync(ws: Workspace, opts: ListingOptions = {}): Promise<GitListing | undefined> {
  let setup: ListingSetup | undefined;
  try {
    setup = listingSetup(ws, opts);
  } catch {
    return undefined;
  }
  if (!setup) return undefined;
  const s = setup;
  const children: Array<{ kill: () => void }> = [];
  const run = (args: string[]): Promise<Buffer> => {
    const child = gitStart(s.cwd, args, GIT_OPTS);
    children.push(child);
    return child.output;
  };
  // The index listing is started ahead only when it is not kept from a scan of this index file.
  let staged: Buffer | undefined;
  const ahead = opts.staged && !stagedKept(s) ? run(s.stagedArgs) : undefined;
  const ready = ahead?.then(
    (out) => void (staged = keepStaged(s, out)),
    () => undefined, // staged() asks Git again
  );
  try {
    const [dirtyOut, untrackedOut] = await Promise.all([run(s.dirtyArgs), s.untrackedArgs.length ? run(s.untrackedArgs) : Buffer.alloc(0)]);
    const listing = assemble(s, dirtyOut, untrackedOut, () => (staged ??= cachedStaged(s) ?? keepStaged(s, gitSync(s.cwd, s.stagedArgs, GIT_OPTS))));
    return {
      ...listing,
      ready,
      cancel: () => {
        for (const c of children) c.kill();
      },
    };
  } catch {
    for (const c of children) c.kill();
    return undefined;
  }
}

/**
 * Scans the knowledge base. Uses Git when the KB is inside the work tree (pass a listing made
 * already to save the Git calls); falls back to hashing every file when Git is unavailable or
 * fails.
 */
export function scanKnowledgeBase(ws: Workspace, listing: GitListing | undefined = gitListing(ws)): ScanResult {
  const fs = () => scanFs(ws.kbRoot, ws.config.build.max_file_bytes, ws.repoRoot);
  if (!listing) return fs();
  let staged: Buffer;
  try {
    staged = listing.staged();
  } catch {
    return fs();
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
    // Regular files and symbolic links (reported, never followed), like the file-system walk; no
    // submodules. An unmerged path is listed once per stage; it is in the dirty list, where the
    // work tree decides.
    const mode = line.slice(0, 6);
    if (mode !== '100644' && mode !== '100755' && mode !== '120000') {
      byFile.set(full, { file: '', blob: '' }); // a placeholder, dropped below
      continue;
    }
    byFile.set(full, { file: full.slice(plen), blob: line.slice(7, tab - 2) });
  }
  for (const [full, seen] of listing.dirty) {
    if (seen === undefined) {
      byFile.delete(full); // deleted in the work tree
      continue;
    }
    byFile.set(full, { file: full.slice(plen), blob: seen.blob, ...(seen.buf ? { buf: seen.buf } : {}) });
  }
  const files = [...byFile.values()].filter((f) => f.file.length > 0 && !((f.file.startsWith('.') || f.file.includes('/.')) && hiddenDir(f.file)));
  // Git lists paths in byte order; dirty and untracked files were appended. Sort only if needed.
  const byPath = (a: ScannedFile, b: ScannedFile) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  let sorted = true;
  for (let i = 1; i < files.length && sorted; i++) if (byPath(files[i - 1]!, files[i]!) > 0) sorted = false;
  if (!sorted) files.sort(byPath);
  return { files, method: 'git' };
}

/**
 * The segment layout (see segments.ts): how many segments a knowledge base has, which one a file
 * belongs to, and a content hash per segment. Light on purpose: the freshness check uses it.
 */
import { createHash, type Hash } from 'node:crypto';
import { fnv1a } from '../core/recall/hash.js';

/**
 * Files per segment, roughly; the count is a power of two so it changes rarely. Smaller segments
 * make a one-record change cheaper (one recall segment, one cache file) and queries read more
 * segment files; measured at 10,000 records, 200 rebuilt a changed record about 6% faster than
 * 400 with the same one-shot recall time, and 100 gained nothing more. Changing it changes the
 * outputs: bump BUILD_VERSION.
 */
export const SEGMENT_SIZE = 200;

/** How many segments a knowledge base of `files` files gets (1 to 256). */
export function segmentCount(files: number): number {
  let s = 1;
  while (s < 256 && s * SEGMENT_SIZE < files) s *= 2;
  return s;
}

/** The segment of a KB-relative path. */
export function segmentOf(file: string, segments: number): number {
  return fnv1a(file) % segments;
}

/** Zero-padded segment number used in file names (`seg-007`). */
export function segName(n: number): string {
  return String(n).padStart(3, '0');
}

/** The files of each segment and a hash of each segment's (file, blob) pairs. */
export interface SegmentSources {
  /** KB-relative files of each segment, in path order. */
  files: string[][];
  /** Blob id of each of those files. */
  blobs: string[][];
  /** Hash of each segment's (file, blob) pairs: equal hashes, equal segment content. */
  src: string[];
}

const memo = new WeakMap<object, SegmentSources>();

/**
 * Splits scanned files (in path order) into segments and hashes each segment's content. The
 * result is kept per list, so the source key and the refresh plan share one pass.
 */
export function segmentSources(list: ReadonlyArray<{ file: string; blob: string }>): SegmentSources {
  const known = memo.get(list);
  if (known) return known;
  const segments = segmentCount(list.length);
  const files: string[][] = Array.from({ length: segments }, () => []);
  const blobs: string[][] = Array.from({ length: segments }, () => []);
  const hashes: Hash[] = Array.from({ length: segments }, () => createHash('sha1'));
  for (const f of list) {
    const n = segmentOf(f.file, segments);
    files[n]!.push(f.file);
    blobs[n]!.push(f.blob);
    hashes[n]!.update(`${f.file}\0${f.blob}\n`);
  }
  const out = { files, blobs, src: hashes.map((h) => h.digest('hex')) };
  memo.set(list, out);
  return out;
}

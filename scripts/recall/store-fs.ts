/**
 * The recall store on disk (`<outDir>/recall/`): a line source that reads single lines of the
 * segment files by their byte offsets, so a question reads only the postings and doc chunks it
 * needs. The store itself (`store.ts`) is pure.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parseStoreFile, RecallStore, type LineSource, type StoreFile, type StoreSegment } from './store.js';

/** Reads `recall/meta.json`; undefined when missing, unreadable or of another version. */
export function readStoreFile(outDir: string): StoreFile | undefined {
  try {
    return parseStoreFile(readFileSync(join(outDir, 'recall', 'meta.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** A line source over the segment files in `dir`. */
export function diskLines(dir: string): LineSource {
  return {
    line(seg: StoreSegment, line: number): unknown {
      const start = seg.lines[line];
      const end = seg.lines[line + 1];
      if (start === undefined || end === undefined) return undefined;
      const buf = Buffer.allocUnsafe(end - start - 1);
      const fd = openSync(join(dir, seg.file), 'r');
      try {
        readSync(fd, buf, 0, buf.length, start);
      } finally {
        closeSync(fd);
      }
      return JSON.parse(buf.toString('utf8'));
    },
  };
}

/** Opens the store in `<outDir>/recall`; undefined when missing or unreadable. */
export function openStoreDir(outDir: string): RecallStore | undefined {
  const file = readStoreFile(outDir);
  return file ? RecallStore.fromSource(file, diskLines(join(outDir, 'recall'))) : undefined;
}

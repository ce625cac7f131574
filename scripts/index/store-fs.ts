/**
 * The recall store on disk (`<outDir>/recall/`): a line source that reads single lines of the
 * segment files by their byte offsets, so a question reads only the postings and doc chunks it
 * needs. The store itself (`store.ts`) is pure.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parseStoreFile, RecallStore, type LineSource, type StoreFile, type StoreSegment } from '../core/recall/store.js';
import { mergeVocabulary } from '../core/recall/terms.js';

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

/** Reads the derived-knowledge store's meta (`<outDir>/learned/meta.json`); undefined when absent. */
export function readDerivedStoreFile(outDir: string): StoreFile | undefined {
  try {
    return parseStoreFile(readFileSync(join(outDir, 'learned', 'meta.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * One store over the records' segments and the derived-knowledge segment (patterns, themes and
 * effects the learning engine found), so both are ranked together: document counts, lengths
 * and vocabulary are summed. `derivedPrefix` is the derived segment's path relative to the
 * records' segments (`../learned/` on disk, nothing in the site's flat `search/` folder).
 */
export function mergeStoreFiles(main: StoreFile, derived: StoreFile | undefined, derivedPrefix: string): StoreFile {
  if (!derived || !derived.n) return main;
  const n = main.n + derived.n;
  const vocab = mergeVocabulary([flatVocab(main.vocab), flatVocab(derived.vocab)]);
  return {
    ...main,
    n,
    avgLen: n ? Math.round(((main.avgLen * main.n + derived.avgLen * derived.n) / n) * 100) / 100 : 0,
    vocab,
    segments: [...main.segments, ...derived.segments.map((s) => ({ ...s, file: `${derivedPrefix}${s.file}` }))],
  };
}

function flatVocab(v: StoreFile['vocab']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [type, values] of Object.entries(v)) for (const [value, n] of Object.entries(values as Record<string, number>)) out[`${type}:${value}`] = n;
  return out;
}

/** Opens the store in `<outDir>/recall` (with the derived knowledge in `<outDir>/learned`); undefined when missing or unreadable. */
export function openStoreDir(outDir: string): RecallStore | undefined {
  const file = readStoreFile(outDir);
  return file ? RecallStore.fromSource(mergeStoreFiles(file, readDerivedStoreFile(outDir), '../learned/'), diskLines(join(outDir, 'recall'))) : undefined;
}

/**
 * The recall store as one copy would hold it (the site's search): the records' and the derived
 * knowledge's segments in one folder, with one merged description. Undefined before the first build.
 */
export function searchStoreFiles(outDir: string): { store: StoreFile; files: string[] } | undefined {
  const main = readStoreFile(outDir);
  if (!main) return undefined;
  const derived = readDerivedStoreFile(outDir);
  return {
    store: mergeStoreFiles(main, derived, ''),
    files: [...main.segments.map((s) => join(outDir, 'recall', s.file)), ...(derived?.segments ?? []).map((s) => join(outDir, 'learned', s.file))],
  };
}

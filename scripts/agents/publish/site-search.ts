/**
 * Search data for the site: the recall store that `learning-loop build` writes
 * (`<build>/recall/`) and the derived knowledge (`<build>/learned/`), copied next to the pages
 * with the page link of every record (`links.json`). The browser runs the same intent parser, ranker and answer as the CLI, the
 * library and MCP (see site/src/lib/search-client.ts), reading the store's lines over HTTP as it
 * needs them, so a question gets the same answer in the same order everywhere. Without a build,
 * search says "not available yet".
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../../io/workspace.js';
import { mergeStoreFiles, readDerivedStoreFile, readStoreFile } from '../../index/store-fs.js';
import type { SiteRecords } from '../../core/publish/site-data.js';

/** What the search page needs to know at build time. */
export interface SearchManifest {
  documents: number;
  segments: number;
}

/** Result of preparing search. */
export interface SearchFiles {
  available: boolean;
  manifest: SearchManifest | null;
  /** Writes the store and the page links into the built site's `search/` folder. */
  copyTo: (dir: string) => void;
}

/** Finds the build's recall store and plans its copy into the site. */
export function prepareSearch(ws: Workspace, records: SiteRecords): SearchFiles {
  const main = readStoreFile(ws.outDir);
  if (!main) return { available: false, manifest: null, copyTo: () => undefined };
  // Records and derived knowledge in one store, as recall opens them (flat in `search/`).
  const derived = readDerivedStoreFile(ws.outDir);
  const store = mergeStoreFiles(main, derived, '');
  return {
    available: true,
    manifest: { documents: store.n, segments: store.segments.length },
    copyTo: (dir) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'meta.json'), `${JSON.stringify(store)}\n`);
      for (const s of main.segments) copyFileSync(join(ws.outDir, 'recall', s.file), join(dir, s.file));
      for (const s of derived?.segments ?? []) copyFileSync(join(ws.outDir, 'learned', s.file), join(dir, s.file));
      const links: Record<string, string> = {};
      for (const [id, href] of [...records.hrefs].sort((a, b) => (a[0] < b[0] ? -1 : 1))) links[id] = href;
      writeFileSync(join(dir, 'links.json'), JSON.stringify(links));
    },
  };
}

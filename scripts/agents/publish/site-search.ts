/**
 * Search data for the site: the recall store that `learning-loop build` writes
 * (`<build>/recall/`) and the derived knowledge (`<build>/learned/`), copied next to the pages
 * with the page link of every record (`links.json`). The browser runs the same intent parser, ranker and answer as the CLI, the
 * library and MCP (see site/src/lib/search-client.ts), reading the store's lines over HTTP as it
 * needs them, so a question gets the same answer in the same order everywhere. Without a build,
 * search says "not available yet".
 */
import { basename, join } from 'node:path';
import type { SearchStoreFiles } from '../../index/api.js';
import type { SiteRecords } from '../../core/publish/site-data.js';
import { copyFile, ensureDir, writeText } from '../../io/fs.js';

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

/** Plans the copy of the build's recall store (`files`, from the index; undefined before a build) into the site. */
export function prepareSearch(files: SearchStoreFiles | undefined, records: SiteRecords): SearchFiles {
  if (!files) return { available: false, manifest: null, copyTo: () => undefined };
  const { store } = files;
  return {
    available: true,
    manifest: { documents: store.n, segments: store.segments.length },
    copyTo: (dir) => {
      ensureDir(dir);
      writeText(join(dir, 'meta.json'), `${JSON.stringify(store)}\n`);
      for (const file of files.files) copyFile(file, join(dir, basename(file)));
      const links: Record<string, string> = {};
      for (const [id, href] of [...records.hrefs].sort((a, b) => (a[0] < b[0] ? -1 : 1))) links[id] = href;
      writeText(join(dir, 'links.json'), JSON.stringify(links));
    },
  };
}

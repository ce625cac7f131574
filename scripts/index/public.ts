/**
 * The derived index's functions that the package exports to library users (scripts/index.ts).
 * In-repo callers use `openIndex` (./api.ts) instead; this file only re-exports.
 */
export { loadTable } from './table.js';
export { checkKnowledgeBase, type KbCheck } from './check-kb.js';
export { runBuild, type BuildResult, type BuildOptions } from './build.js';
export { readAggregates, readManifest, type BuildManifest } from './outputs.js';
export { startWatch, type Watcher, type WatchEvent, type WatchOptions } from './watch.js';
export { recall, similar } from './recall.js';
export { writeLearnSnapshot } from './snapshot.js';

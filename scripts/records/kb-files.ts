/** Which knowledge-base files are records (kept apart from validation so light callers need not load it). */

/** Files that may sit in the knowledge base without being records. */
export function isIgnoredKbFile(kbRelative: string): boolean {
  const base = kbRelative.slice(kbRelative.lastIndexOf('/') + 1);
  return base === '.gitkeep' || base === 'README.md' || base === '.gitignore' || kbRelative === 'config/triggers.yaml';
}

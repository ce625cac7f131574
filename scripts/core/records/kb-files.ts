/** Which knowledge-base files are records (kept apart from validation so light callers need not load it). */

/**
 * Temporary files of atomic writes: `.ll-<pid>-<12 hex>.tmp` (the writer's process id lets a
 * later run tell a file whose writer was killed from one being written), and `.<12 hex>.tmp` as
 * earlier versions named them. No reader ever treats one as a record.
 */
const TEMP_FILE = /^\.(?:ll-(\d{1,10})-)?[0-9a-f]{12}\.tmp$/;

/** The name of a new temporary file for process `pid` (`hex`: 12 random hex digits). */
export function tempFileName(pid: number, hex: string): string {
  return `.ll-${pid}-${hex}.tmp`;
}

/**
 * Whether a file name (not a path) is one of our temporary files; `pid` is the writer's process
 * id when the name carries it, undefined for the older names.
 */
export function parseTempFileName(name: string): { pid?: number } | undefined {
  const m = TEMP_FILE.exec(name);
  if (!m) return undefined;
  return m[1] === undefined ? {} : { pid: Number(m[1]) };
}

/** Files that may sit in the knowledge base without being records. */
export function isIgnoredKbFile(kbRelative: string): boolean {
  const base = kbRelative.slice(kbRelative.lastIndexOf('/') + 1);
  return base === '.gitkeep' || base === 'README.md' || base === '.gitignore' || kbRelative === 'config/triggers.yaml' || TEMP_FILE.test(base);
}

/** The line every reading command prints when invalid records were left out of what it reports. */
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';

/** How many files were skipped as invalid, and the sentence that says so (undefined when none). */
export function skippedNote(diagnostics: readonly Diagnostic[]): { count: number; text: string } | undefined {
  const files = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  if (!files.size) return undefined;
  const n = files.size;
  return { count: n, text: `${n} invalid record file${n === 1 ? ' was' : 's were'} skipped: run \`learning-loop validate\` to see and fix ${n === 1 ? 'it' : 'them'}.` };
}

/** Flag parsers shared by the commands, so one spelling means one thing everywhere. */

/**
 * A list flag: comma-separated and repeatable (`--domains a,b --domains c` → [a, b, c]), blanks
 * dropped. Used as a commander argument parser with `[]` as the default.
 */
export function listFlag(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  ];
}

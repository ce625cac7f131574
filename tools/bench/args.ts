/**
 * Shared argument handling for the standalone bench scripts: a positional count wins; otherwise
 * `--quick` gives the small size; `--sizes` (passed by `tools/bench/run.ts`) is accepted and ignored,
 * because each script measures the size its issue names.
 */
export function countArg(argv: readonly string[], fallback: number, quick: number): number {
  const positional = argv.find((a, i) => /^\d+$/.test(a) && argv[i - 1] !== '--sizes');
  if (positional) return Number(positional);
  return argv.includes('--quick') ? quick : fallback;
}

/**
 * The CLI's view of the outside world, injectable so every command runs in a test without a
 * process (Astro-style ports and adapters).
 */

/** Minimal writable used by the CLI. */
export interface Out {
  write(chunk: string): unknown;
}

/** Everything a command may touch besides the workspace. */
export interface CliIo {
  stdout: Out;
  stderr: Out;
  /** Reads all of standard input (for `--input -`). */
  readStdin: () => Promise<string>;
  cwd: string;
  env: Record<string, string | undefined>;
  /** True when stdout is a terminal (colours and progress only then). */
  isTTY: boolean;
}

/** The real process I/O. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return Buffer.concat(chunks).toString('utf8');
    },
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/** Exit codes scripts can trust. */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** The command ran and found problems (invalid records, failed check, nothing found...). */
  PROBLEMS: 1,
  /** Usage error: unknown command or flag, bad flag value, unreadable input. */
  USAGE: 2,
} as const;

/** Thrown by commands for a usage error; the CLI prints it and exits 2. */
export class UsageError extends Error {
  /** Creates a usage error with an optional hint. */
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

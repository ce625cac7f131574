/**
 * Child processes that are not Git (Git has its own adapter, ./git.ts): `run` starts the user's
 * command with this.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** How a command ended. */
export interface TeedRun {
  /** Its exit code; 128 + the signal's number when a signal ended it (as a shell reports it); 127 when it could not start. */
  code: number;
  /** The signal that ended it, if one did. */
  signal?: string;
  /** The last `keepChars` characters of its stderr. */
  stderrTail: string;
  /** Why it could not start (the command is missing, not executable). */
  spawnError?: string;
}

/** Options for {@link runTeed}. */
export interface TeeOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Receives stdout when it is not inherited. */
  stdout: (s: string) => void;
  /** Receives stderr as it comes. */
  stderr: (s: string) => void;
  /** Let the child write to our stdout directly (keeps a terminal's colours and progress bars). */
  inheritStdout: boolean;
  /** How much of stderr's end to keep. */
  keepChars: number;
}

/** Runs a command with inherited stdin, stderr teed to `stderr` and its tail kept. */
export function runTeed(argv: readonly string[], opts: TeeOptions): Promise<TeedRun> {
  return new Promise((resolve) => {
    let tail = '';
    const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, stdio: ['inherit', opts.inheritStdout ? 'inherit' : 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => opts.stdout(d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => {
      const s = d.toString('utf8');
      opts.stderr(s);
      tail = (tail + s).slice(-opts.keepChars);
    });
    child.on('error', (e) => resolve({ code: 127, stderrTail: '', spawnError: e.message }));
    child.on('close', (code, signal) => {
      const signalCode = signal ? 128 + ((constants.signals as Record<string, number>)[signal] ?? 0) : 1;
      resolve({ code: code ?? signalCode, stderrTail: tail, ...(signal ? { signal } : {}) });
    });
  });
}

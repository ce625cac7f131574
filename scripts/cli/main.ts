/**
 * The `learning-loop` CLI entry. Commands are small modules (read flags -> call core -> print);
 * only this layer decides exit codes: 0 ok, 1 problems found, 2 usage error.
 */
import { Command, CommanderError } from 'commander';
import type { CliContext } from './context.js';
import { EXIT, UsageError, processIo, type CliIo } from './io.js';
import { loadCommands } from './commands/index.js';
import { VERSION } from '../core/version.js';
import { docsDir } from './docs.js';

/** Global options that take a value (so the command name after them can be found). */
const VALUE_OPTIONS = new Set(['--root']);

/** Builds the commander program for one run (loading only the commands `argv` needs). */
export async function buildProgram(io: CliIo, argv: readonly string[] = []): Promise<{ program: Command; ctx: CliContext }> {
  // Loaded here, not at the top: the context reaches the config parser and the record validators,
  // which `--version` does not need.
  const { createContext } = await import('./context.js');
  const ctx = createContext(io);
  const program = new Command('learning-loop')
    .description('Git-native learning memory for AI agents: record, score, recall, learn, publish.')
    .version(VERSION, '-v, --version')
    .option('--root <dir>', 'knowledge base folder (default: <repo>/learning-loop, or $LEARNING_LOOP_ROOT)')
    .option('--no-color', 'never colour output (NO_COLOR is honoured too)')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  for (const register of await loadCommands(argv, VALUE_OPTIONS)) register(program, ctx);
  for (const cmd of program.commands) cmd.exitOverride();
  program.addHelpText('after', `\nRun \`learning-loop <command> --help\` for a command's flags and an example.\nDocs: ${docsDir()} (docs/*.md and README.md ship with the package).`);
  return { program, ctx };
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], ioOverrides: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = { ...processIo(), ...ioOverrides };
  // Scripts and hooks ask for the version often; answer it without loading any command.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.OK;
  }
  const { program, ctx } = await buildProgram(io, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.OK;
      return EXIT.USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`learning-loop: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
      return EXIT.USAGE;
    }
    throw error;
  } finally {
    await reportRecovery(io, ctx);
  }
}

/**
 * A change a killed process left unfinished was finished (or could not be) when the workspace was
 * opened: said on stderr, once, whatever the command, its output format or how it opened the
 * workspace.
 */
async function reportRecovery(io: CliIo, ctx: CliContext): Promise<void> {
  const { takeRecoveryReport } = await import('../io/changeset.js');
  const report = takeRecoveryReport();
  if (!report.length) return;
  const { formatPretty } = await import('./output.js');
  io.stderr.write(formatPretty(report, ctx.color()));
}

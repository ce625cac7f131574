/**
 * The command registry: one module per command, loaded on demand so a one-shot command (an
 * agent's `record` or `recall`) does not pay for importing the site builder or the MCP SDK.
 */
import type { CommandModule } from '../context.js';

type Loader = () => Promise<{ register: CommandModule }>;

/** Every command, in the order `--help` lists them, with its module loader. */
export const COMMAND_LOADERS: ReadonlyArray<readonly [string, Loader]> = [
  ['init', () => import('./init.js')],
  ['validate', () => import('./validate.js')],
  ['record', () => import('./record.js')],
  ['show', () => import('./show.js')],
  ['list', () => import('./list.js')],
  ['status', () => import('./status.js')],
  ['build', () => import('./build.js')],
  ['watch', () => import('./watch.js')],
  ['recall', () => import('./recall.js')],
  ['similar', () => import('./similar.js')],
  ['patterns', () => import('./patterns.js')],
  ['effect', () => import('./effect.js')],
  ['reflect', () => import('./reflect.js')],
  ['dashboard', () => import('./dashboard.js')],
  ['synthesize', () => import('./synthesize.js')],
  ['accept', () => import('./accept.js')],
  ['reject', () => import('./reject.js')],
  ['run', () => import('./run.js')],
  ['site', () => import('./site.js')],
  ['mcp', () => import('./mcp.js')],
  ['hooks', () => import('./hooks.js')],
  ['export', () => import('./export.js')],
  ['import', () => import('./import.js')],
  ['capture', () => import('./capture.js')],
  ['ci', () => import('./ci.js')],
  ['explain', () => import('./explain.js')],
  ['demo', () => import('./demo.js')],
];

/**
 * The modules needed for `argv`: only the named command's when the first word is a known
 * command, otherwise all of them (for `--help`, `help <cmd>` and "did you mean" suggestions).
 */
export async function loadCommands(argv: readonly string[], valueOptions: ReadonlySet<string>): Promise<CommandModule[]> {
  let first: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (valueOptions.has(a)) i += 1;
      continue;
    }
    first = a;
    break;
  }
  // `--version` alone needs no command at all.
  if (first === undefined && (argv.includes('--version') || argv.includes('-v'))) return [];
  const only = COMMAND_LOADERS.find(([name]) => name === first);
  const chosen = only ? [only] : COMMAND_LOADERS;
  const modules = await Promise.all(chosen.map(([, load]) => load()));
  return modules.map((m) => m.register);
}

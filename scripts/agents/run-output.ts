/**
 * What `learning-loop run` keeps of a command and its output (pure). A record is committed and
 * read by others, so it keeps what explains a failure and nothing that only describes one
 * machine: the stderr lines that carry an error (not npm's banner or warnings), paths made
 * repo-relative or `~`-relative, and the command line with its quoting, so it can be re-run.
 */

/** Characters an argument may have and still be written without quotes. */
const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument as a POSIX shell would need it: bare, "double-quoted" when safe, else 'single-quoted'. */
export function quoteArg(arg: string): string {
  if (arg !== '' && BARE.test(arg)) return arg;
  if (!/["$`\\!]/.test(arg)) return `"${arg}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line as typed, quoting kept: `node -e "console.log('ok')"`. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

/** Machine-specific folders and what each is written as in a record. */
export interface PathPlaces {
  /** The repository root: paths under it become repo-relative. */
  repoRoot: string;
  /** The user's home folder: paths under it become `~/…`. */
  home?: string;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces machine-absolute paths: the repository root (and anything under it) becomes
 * repo-relative (`.` for the root itself), the home folder `~`. The longest folder wins, so a
 * repository inside the home folder is still written repo-relative.
 */
export function relativizePaths(text: string, places: PathPlaces): string {
  const roots: Array<[string, string]> = [];
  const add = (dir: string | undefined, as: string): void => {
    const d = dir?.replace(/[\\/]+$/, '');
    if (d && d.length > 1) roots.push([d, as]);
  };
  add(places.repoRoot, '.');
  add(places.home, '~');
  roots.sort((a, b) => b[0].length - a[0].length);
  let out = text;
  for (const [dir, as] of roots) {
    // `<dir>/x` → `x` (repo) or `~/x` (home); `<dir>` alone → `.` or `~`. Not inside a longer name.
    const re = new RegExp(`${escapeRe(dir)}(?:[\\\\/]([^\\s"'\`]*))?(?![A-Za-z0-9_.-])`, 'g');
    out = out.replace(re, (_m, rest: string | undefined) => (rest ? (as === '.' ? rest : `${as}/${rest}`) : as));
  }
  return out;
}

/**
 * The command line as recorded: quoting kept, repo and home paths relativized, and a program
 * given by an absolute path elsewhere on the machine (`/usr/local/bin/node`) written by its
 * name, as PATH finds it.
 */
export function recordedCommand(argv: readonly string[], places: PathPlaces): string {
  const [program = '', ...args] = argv;
  const relative = relativizePaths(program, places);
  const name = /^(?:[A-Za-z]:)?[\\/]/.test(relative) ? relative.split(/[\\/]/).pop() || relative : relative;
  return relativizePaths(commandLine([name, ...args]), places);
}

/** A readable task name for a command: the program's base name and the arguments, at most `max` characters. */
export function commandSummary(argv: readonly string[], places: PathPlaces, max = 60): string {
  const [program, ...args] = argv;
  const name = (program ?? '').split(/[\\/]/).pop() || (program ?? '');
  const text = relativizePaths(commandLine([name, ...args]), places);
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/**
 * Tool banners: lines that describe the run, not the error (npm's `npm error code …`,
 * `path`, `command`, the debug-log pointer; `npm warn`; Node's `(node:123) …Warning`).
 */
const BANNER = [
  /^npm (?:error|ERR!) (?:code|errno|syscall|path|command|cwd|workspace|location|signal|A complete log of this run|Lifecycle script)\b/i,
  /^npm (?:error|ERR!)\s*$/i,
  /^npm (?:error|ERR!)\s+(?:To see a list of scripts|npm run\b|Did you mean)/i,
  /^npm (?:warn|notice|WARN)\b/i,
  /^A complete log of this run can be found in/i,
  /^\(node:\d+\) \[?\w*Warning/,
  /^\(Use `node --trace-/,
];

/** Words that mark a line as carrying an error. */
const ERROR_WORDS =
  /\b(?:error|err!|exception|fail(?:ed|ure|s)?|fatal|panic|traceback|assert(?:ion)?|denied|refused|not found|no such|cannot|can't|could not|unable|invalid|undefined|timed? ?out|abort(?:ed)?|segmentation|killed|terminated|missing|unexpected|E[A-Z]{3,})\b|✗|×/i;

/** A tool's prefix on every line it prints (`npm error `, `npm ERR! `). */
const TOOL_PREFIX = /^npm (?:error|ERR!)\s+/i;

/** Stack-frame lines (`    at fn (file:1:2)`): where, not what. */
const FRAME = /^\s*at\s+\S/;

/**
 * The stderr lines worth recording as errors: lines that carry an error, without banners or
 * stack frames, last `max` kept. When no line looks like an error, the last `fallback` lines that
 * are not banners are kept, so a terse failure is not lost.
 */
export function errorLines(lines: readonly string[], max = 10, fallback = 3): string[] {
  const meaningful = lines.map((l) => l.trim()).filter((l) => l && !BANNER.some((re) => re.test(l)) && !FRAME.test(l));
  // `npm error …` says nothing by its prefix: judge the rest of the line.
  const errors = meaningful.filter((l) => ERROR_WORDS.test(l.replace(TOOL_PREFIX, '')));
  return (errors.length ? errors : meaningful.slice(-fallback)).slice(-max);
}

/**
 * The error catalog: every rule id learning-loop reports, with its default severity, title and
 * hint. Ids are permanent (never renamed) so scripts, CI annotations and docs can rely on them.
 * `learning-loop explain [rule]` prints it.
 */
/** How bad a diagnostic is: errors fail `validate`, warnings fail only with `--strict`. */
export type Severity = 'error' | 'warning' | 'info';

/** One catalog entry. */
export interface CatalogEntry {
  severity: Severity;
  title: string;
  hint: string;
}

function e(severity: Severity, title: string, hint: string): CatalogEntry {
  return { severity, title, hint };
}

/** All rules, keyed by their stable id. */
export const CATALOG = {
  // --- files and frontmatter -------------------------------------------------------------
  'file/not-markdown': e(
    'error',
    'File under the knowledge base is not a Markdown record',
    'Only `.md` records belong in the knowledge base (and README.md notes). Move other files elsewhere or convert them to a record.',
  ),
  'file/too-large': e('error', 'File is larger than the configured limit', 'Keep records small (move logs to an artifact and link them), or raise `build.max_file_bytes` in config/triggers.yaml.'),
  'file/unreadable': e('error', 'File could not be read', 'Check the file exists and is readable, then run the command again.'),
  'file/symlink': e(
    'error',
    'Symbolic link in the knowledge base',
    'Records must be regular files: learning-loop never reads through a symbolic link (one that leaves the repository could publish any file on the machine). Replace the link with the file itself, or remove it.',
  ),
  'file/encoding': e('error', 'File is not valid UTF-8', 'Save the file as UTF-8 without a byte-order mark.'),
  'file/more-problems': e(
    'error',
    'More problems in the file than are shown',
    'Only the first problems of a file are listed (the count says how many more there are); fix those and run the command again to see the rest.',
  ),
  'frontmatter/missing': e('error', 'No YAML frontmatter', 'Start the file with a `---` line, the YAML fields, and a closing `---` line, e.g.\n---\nkind: rule\nid: rule-example\n---'),
  'frontmatter/unclosed': e('error', 'Frontmatter is never closed', 'Add a line containing only `---` after the last YAML field.'),
  'frontmatter/not-mapping': e('error', 'Frontmatter is not a YAML mapping', 'Frontmatter must be `key: value` pairs, not a list or a scalar.'),
  'yaml/syntax': e('error', 'YAML syntax error', 'Fix the YAML at the position shown; quote values that contain `: `, `#` or start with a special character.'),
  'yaml/duplicate-key': e('error', 'Duplicate key in YAML', 'Each key may appear once in a mapping; remove or merge the repeated key.'),
  'yaml/alias': e('error', 'YAML anchors and aliases are refused', 'Write the value out in full instead of using `&anchor` / `*alias` (aliases allow "billion laughs" expansion).'),
  'yaml/custom-tag': e('error', 'Custom YAML tags are refused', 'Remove the `!tag` (e.g. `!!js/function`); records hold plain data only.'),
  'yaml/too-deep': e('error', 'YAML nested too deeply', 'Records need a few levels of nesting: flatten the structure (at most 64 levels of mappings, lists and brackets).'),
  'yaml/complex-key': e('error', 'A mapping key is a list or a mapping', 'Use a plain word as the key (e.g. `component: booking-form`); records never need lists or mappings as keys.'),
  'yaml/prototype-key': e('error', 'Key that could pollute prototypes', 'Rename the key; `__proto__`, `constructor` and `prototype` are refused everywhere.'),
  // --- schema --------------------------------------------------------------------------------
  'schema/kind': e('error', 'Unknown or missing record kind', 'Set `kind:` to one of execution, reflection, pattern, template, rule, assumption, synthesis, metrics.'),
  'schema/required': e('error', 'Required field is missing', 'Add the field; see the schema for the kind in schemas/<kind>.schema.json.'),
  'schema/type': e('error', 'Field has the wrong type', 'Change the value to the type the schema expects.'),
  'schema/range': e('error', 'Number out of range', 'Use a value inside the allowed range (scores are numbers from 0 to 100; decimals are kept).'),
  'schema/enum': e('error', 'Value is not one of the allowed values', 'Use one of the listed values.'),
  'schema/format': e('error', 'Value does not have the expected format', 'Follow the format shown in the message (ids: letters, digits, "_" and "-"; times: 2026-11-02T14:05:00Z).'),
  'schema/unknown-field': e('error', 'Unknown field', 'Remove the field or fix its spelling; the schema does not allow extra fields.'),
  'schema/length': e('error', 'Value is too long or too short', 'Shorten the value (or add items) to fit the limit shown.'),
  'schema/invalid': e('error', 'Value does not match the schema', 'Compare the value with schemas/<kind>.schema.json.'),
  // --- ids and links ---------------------------------------------------------------------------
  'id/unsafe': e('error', 'Id is not file-name safe', 'Use letters, digits, "_" and "-" only (no "/", "\\" or ".."), e.g. ex-01JD3Z6T0M2K8W7Q9A1B2C3D4E.'),
  'id/duplicate': e('error', 'Two records share one id', 'Ids must be unique; give one of the records a new id (`learning-loop record` generates collision-free ids).'),
  'id/filename': e('warning', 'File name does not match the record id', 'Rename the file to `<id>.md` so links and tools can find it.'),
  'link/missing': e('error', 'Link to a record that does not exist', 'Fix the id, or add the missing record; links must name existing ids.'),
  'link/unknown-reused': e(
    'warning',
    '`reused` names a record id that does not exist',
    'Fix the id (the hint names the closest one), or write a free-form name such as `component:TimeSlotGrid`; an unknown id does not count towards reusability.',
  ),
  'path/wrong-folder': e('error', 'Record is in the wrong folder for its kind', 'Move the file to the folder shown in the hint (see the knowledge base layout in the README).'),
  'score/overall-mismatch': e(
    'warning',
    '`overall` is not the mean of the scores',
    'Set `overall` to the mean of the scores the record carries (accuracy, efficiency, reusability and surprise, or those of them that were measured), or drop it and let `learning-loop record` compute it.',
  ),
  'score/trigger-mismatch': e('warning', '`trigger` does not follow the thresholds in config/triggers.yaml', 'Use the trigger the score card computes (see the README: Scoring), or drop it.'),
  'time/order': e('warning', 'Timestamps are out of order', '`started_at` should not be after `created_at`.'),
  // --- config ----------------------------------------------------------------------------------
  'config/missing': e('info', 'No config/triggers.yaml; defaults apply', 'Run `learning-loop init` to write the default config.'),
  'config/invalid': e('error', 'config/triggers.yaml is invalid', 'Fix the value at the position shown; see schemas/config.schema.json.'),
  'config/threshold-order': e('error', 'Thresholds are inconsistent', '`low_performance` must be lower than `high_performance`.'),
  // --- security --------------------------------------------------------------------------------
  'secret/detected': e(
    'error',
    'A secret appears to be pasted into the record',
    'Remove the secret and rotate it; write a placeholder such as `<REDACTED>` or the name of the environment variable instead.',
  ),
  // --- input to commands -------------------------------------------------------------------
  'input/json': e('error', 'Input is not valid JSON', 'Pass one JSON object, e.g. {"task_id":"t-1","task_type":"component","agent":"claude","outcome":"success","duration_s":120}.'),
  'input/field': e('error', 'Input field is invalid', 'Fix the field; `learning-loop record --help` lists the fields and their types.'),
  'input/flag': e('error', 'Invalid command-line flag or value', 'Run the command with --help to see the accepted flags and values.'),
  'input/query': e('warning', 'Question could not be fully understood', 'Ask in plain words, e.g. "what failed last time we tried the booking component?".'),
  'input/not-found': e('error', 'No record with that id', 'Check the id (`learning-loop recall` and the site list ids).'),
  'input/exists': e('error', 'A file already exists there', 'Nothing was overwritten; choose another id or remove the existing file first.'),
  // --- repository / git --------------------------------------------------------------------
  'git/not-a-repo': e(
    'error',
    'Not inside a Git repository',
    'Run `git init` first. `init` takes --no-git to work without Git; `record` and `run` write without committing when --commit/--push are left out.',
  ),
  'git/commit-failed': e('error', 'Git commit failed', 'Read the Git message above; the record file was written and can be committed by hand.'),
  'git/stale-lock': e(
    'error',
    'A Git lock file was left by a process that was killed',
    'Remove the lock file named in the message (e.g. `rm .git/index.lock`) and run the command again: no running process holds it, so nothing is writing what it locks.',
  ),
  'git/push-failed': e('error', 'Git push failed after retries', 'The record is committed locally; run `git pull --rebase && git push` when the remote is reachable.'),
  'kb/missing': e('error', 'Knowledge base folder not found', 'Run `learning-loop init` to create it, or pass --root to point at it.'),
  'kb/pending-change': e(
    'warning',
    'A change of several files was left unfinished by its writer (killed, or failed half way)',
    'When its files still hold what they held before, the next command finishes it and says which files it wrote; otherwise the journal named in the message is left: compare it with the knowledge base, then remove it or run the command that made it again.',
  ),
  'build/cache-corrupt': e('warning', 'Build cache was unreadable and has been rebuilt', 'Nothing to do; the cache is rebuilt automatically.'),
  'stale/learning': e('warning', 'Learning may be stale', 'The files or components it is about changed a lot or disappeared; review it and archive or update it.'),
  'import/format': e('error', 'Import source is malformed', 'Fix the source file at the position shown, or import the other entries and fix this one later.'),
  'import/row': e(
    'error',
    'A history row could not become an execution',
    'Fix the row at the position shown and import the file again: rows already imported are skipped, so only the fixed row is added.',
  ),
  'import/column': e('warning', 'Column is not imported', 'Name the column after a field (task_id, agent, accuracy, cost_usd, …) or map it with `--map field=column`; see docs/interop.md.'),
  'export/markers': e('error', 'Generated block markers are broken', 'Restore the matching `<!-- learning-loop:begin -->` / `<!-- learning-loop:end -->` pair, or remove both to regenerate.'),
  // --- interop (export / import / capture) -----------------------------------------------
  'export/foreign-file': e(
    'warning',
    'A file the export would write exists and was not generated',
    'learning-loop only rewrites files that carry its generated marker; rename or remove the hand-written file, or keep it and ignore this warning.',
  ),
  'export/unsafe-path': e(
    'error',
    'Export target is outside the repository',
    'A target path (or a symlink on the way to it) points outside the repository; nothing was written there. Replace the symlink with a regular file or folder.',
  ),
  'export/out-of-date': e('error', 'Exported instruction file is out of date', 'Run `learning-loop export --to all` (or the targets your CI checks) and commit the result.'),
  'import/duplicate': e('info', 'Entry was already imported', 'Nothing to do: the record with the same content digest exists.'),
  'import/near-duplicate': e(
    'warning',
    'Entry is nearly the same as an existing learning',
    'Merge the two by hand: edit the existing record (or accept one and reject the other); the near-duplicate was not written.',
  ),
  'capture/failed': e(
    'warning',
    'Automatic capture could not record the execution',
    'The agent session is not affected; run `learning-loop record` by hand, or fix the cause shown and let the next hook run record it.',
  ),
  // --- automation (workflows, hooks, MCP) --------------------------------------------------
  'workflow/syntax': e('error', 'Workflow file is not valid YAML', 'Fix the YAML at the position shown.'),
  'workflow/permissions': e('error', 'Workflow permissions are not least privilege', 'Set top-level `permissions: {}` (or `contents: read`) and widen per job only where needed.'),
  'workflow/untrusted-input': e(
    'error',
    'Expression interpolated into a `run:` script',
    'Pass the value through `env:` (e.g. `env: { TITLE: ${{ github.event.issue.title }} }`) and use "$TITLE" in the script.',
  ),
  'workflow/unpinned-action': e('error', 'Third-party action not pinned by full commit SHA', 'Use `owner/repo@<40-hex commit sha> # vX.Y.Z` so a moved tag cannot change what runs.'),
  'workflow/concurrency': e('error', 'Workflow has no concurrency group', 'Add `concurrency: { group: <name>-${{ github.ref }} }` at the top level or on every job.'),
  'workflow/dangerous-trigger': e('error', 'Workflow uses a privileged trigger', 'Do not use `pull_request_target`: it runs untrusted code with write access. Use `pull_request`.'),
  'hooks/conflict': e('error', 'An existing Git hook is in the way', 'Nothing was changed; pass --chain to call the existing hook from ours, or remove it first.'),
  'mcp/argument': e('error', 'Invalid tool arguments', 'Call the tool again with the arguments shown in the message.'),
} as const satisfies Record<string, CatalogEntry>;

/** A stable rule id. */
export type RuleId = keyof typeof CATALOG;

/** Whether a string is a known rule id. */
export function isRuleId(value: string): value is RuleId {
  return Object.prototype.hasOwnProperty.call(CATALOG, value);
}

/** Where a rule is documented: its entry in docs/errors.md (shipped with the package). */
export function ruleDocLink(rule: string): string {
  return `docs/errors.md#${ruleAnchor(rule)}`;
}

/** The heading anchor of a rule in docs/errors.md (GitHub's slug of the rule id: `/` dropped). */
export function ruleAnchor(rule: string): string {
  return rule.toLowerCase().replace(/[^a-z0-9 _-]/g, '');
}

/** docs/errors.md: every rule of the catalog, grouped by its prefix, in catalog order. Generated (`npm run gen`). */
export function renderErrorsDoc(): string {
  const out = [
    '# Diagnostics',
    '',
    '<!-- Generated from scripts/core/diagnostics/catalog.ts by `npm run gen`; do not edit by hand. -->',
    '',
    'Every problem learning-loop reports carries one of these rule ids. Ids are permanent: scripts, CI',
    'annotations and links may rely on them. `learning-loop explain <rule>` prints an entry; JSON output',
    'gives each diagnostic a `docs` link to its entry here. Errors fail `validate`; warnings fail it only with',
    '`--strict`; info is never a failure.',
    '',
  ];
  let group = '';
  for (const [rule, entry] of Object.entries(CATALOG) as Array<[string, CatalogEntry]>) {
    const prefix = rule.split('/')[0]!;
    if (prefix !== group) {
      group = prefix;
      out.push(`## ${prefix}/`, '');
    }
    // A hint's first line is prose; further lines are an example record (frontmatter).
    const [first, ...example] = entry.hint.split('\n');
    out.push(`### ${rule}`, '', `**${entry.severity}** — ${entry.title}.`, '', first!, '');
    if (example.length) out.push('```yaml', ...example, '```', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * `--version` / `-v`: scripts and hooks ask for it often, so it answers without loading any
 * command, the config parser or the record validators.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_BIN, cleanupTemp, runCli, spawnNode, tempDir } from '../helpers/repo.js';
import { VERSION } from '../../scripts/core/version.js';

afterAll(cleanupTemp);

describe('--version', () => {
  it('prints the version and exits 0 (-v too); -V is a usage error', async () => {
    const dir = tempDir();
    for (const flag of ['--version', '-v']) {
      const r = await runCli(dir, [flag]);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, `${VERSION}\n`, '']);
    }
    expect((await runCli(dir, ['-V'])).code).toBe(2);
  });

  it('loads no command, config parser or validator (a module loader hook lists what a real process loads)', async () => {
    const dir = tempDir();
    const hook = join(dir, 'hook.mjs');
    writeFileSync(hook, "export async function load(url, context, next) { if (url.includes('/dist/')) process.stderr.write(`LOADED ${url}\\n`); return next(url, context); }\n");
    const register = join(dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hook}`)});\n`);
    const loaded = async (args: string[]): Promise<string[]> => {
      const r = await spawnNode(['--import', register, CLI_BIN, ...args], { cwd: dir });
      return r.stderr
        .split('\n')
        .filter((l) => l.startsWith('LOADED '))
        .map((l) => l.slice(l.indexOf('/dist/') + 6));
    };
    const version = await loaded(['--version']);
    expect(version).toContain('scripts/cli/main.js');
    for (const heavy of ['scripts/core/records/validators.generated.js', 'scripts/core/config.js', 'scripts/cli/context.js', 'scripts/core/records/validate.js']) expect(version).not.toContain(heavy);
    // The control: a command does load them (the hook sees what it should).
    expect(await loaded(['explain', 'yaml/alias'])).toContain('scripts/core/records/validators.generated.js');
  });
});

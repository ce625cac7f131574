/** Issue 16: `site preview` with its port taken moves to the next free one and says so; never an internal error. */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_BIN, cleanupTemp, tempRepo } from '../helpers/repo.js';
import { PORT_TRIES } from '../../scripts/io/static-server.js';

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  cleanupTemp();
});

/** Listens on a port (0: any); resolves the port, or undefined when it is taken. */
function occupy(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen(port, '127.0.0.1', () => {
      servers.push(s);
      resolve((s.address() as { port: number }).port);
    });
  });
}

/** Runs `site preview` until it prints its URL (then stops it) or exits on its own. */
function preview(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BIN, 'site', 'preview', ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (/http:\/\/127\.0\.0\.1:\d+\//.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function builtSite(): { repo: string; out: string } {
  const repo = tempRepo();
  const out = join(repo, '_site');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'index.html'), '<!doctype html><title>t</title>');
  return { repo, out };
}

describe('site preview', () => {
  it('takes the next free port when the one asked for is taken, and names it', async () => {
    const { repo, out } = builtSite();
    const taken = (await occupy(0))!;
    const r = await preview(repo, ['--out', out, '--port', String(taken)]);
    expect(r.stderr).not.toContain('internal error');
    const m = /Port (\d+) is in use; serving on port (\d+) instead\./.exec(r.stdout);
    expect(m, r.stdout + r.stderr).not.toBeNull();
    expect(Number(m![1])).toBe(taken);
    expect(Number(m![2])).toBeGreaterThan(taken);
    expect(r.stdout).toContain(`http://127.0.0.1:${m![2]}/`);
  });

  it('says so and exits 1 when every port it tries is taken', async () => {
    const { repo, out } = builtSite();
    const first = (await occupy(0))!;
    for (let p = first + 1; p < first + PORT_TRIES && p < 65536; p += 1) await occupy(p);
    const r = await preview(repo, ['--out', out, '--port', String(first)]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).toContain(`Ports ${first}–${first + PORT_TRIES - 1} are all in use.`);
    expect(r.stderr).toContain('--port');
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_BIN, cleanupTemp, git, runCli, spawnCli, tempDir, tempRepo, writeFiles } from '../helpers/repo.js';
import { parseFrontmatter } from '../../scripts/core/records/parse.js';
import { CLAUDE_SETTINGS_SNIPPET, claudeHookInput, componentOf, parseTranscript } from '../../scripts/agents/capture.js';

afterAll(cleanupTemp);

const KB = { 'learning-loop/rules/.gitkeep': '' };

function transcript(testFailed: boolean): string {
  const lines = [
    { type: 'user', message: { role: 'user', content: '<command-name>/clear</command-name>' }, timestamp: '2026-11-20T09:59:00.000Z' },
    { type: 'user', message: { role: 'user', content: 'Add a loading state to the booking form submit button' }, timestamp: '2026-11-20T10:00:00.000Z' },
    {
      type: 'assistant',
      message: { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'npm test -- booking' } }] },
      timestamp: '2026-11-20T10:05:00.000Z',
    },
    {
      type: 'user',
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'FAIL booking.test.ts\nExpected spinner', is_error: true }] },
      timestamp: '2026-11-20T10:06:00.000Z',
    },
    {
      type: 'assistant',
      message: { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_2', name: 'Bash', input: { command: 'npm test -- booking' } }] },
      timestamp: '2026-11-20T10:10:00.000Z',
    },
    { type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'Tests 12 passed', is_error: testFailed }] }, timestamp: '2026-11-20T10:12:30.000Z' },
    'not json at all',
  ];
  return lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
}

function readRecord(dir: string, path: string): Record<string, unknown> {
  return parseFrontmatter(path, readFileSync(join(dir, path), 'utf8')).data!;
}

describe('capture claude-hook', () => {
  it('records the session: task from the first prompt, timing from the transcript, outcome from the last test run, component from changes', async () => {
    const dir = tempRepo({ ...KB, 'src/components/booking/BookingForm.tsx': 'old\n' }, { commit: true });
    writeFiles(dir, { 'src/components/booking/BookingForm.tsx': 'new\n', 'src/components/booking/Spinner.tsx': 'x\n', 'session.jsonl': transcript(false) });
    const payload = JSON.stringify({ session_id: 'sess-42', transcript_path: join(dir, 'session.jsonl'), cwd: dir, hook_event_name: 'SessionEnd', reason: 'prompt_input_exit' });
    const run = await runCli(dir, ['capture', 'claude-hook', '--json'], { stdin: payload });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ ok: true, recorded: true, id: 'ex-cc-sess-42' });
    const ex = readRecord(dir, out.path);
    expect(ex).toMatchObject({
      task_id: 'add-a-loading-state-to-the-booking-form-submit-button',
      title: 'Add a loading state to the booking form submit button',
      agent: 'claude-code',
      task_type: 'agent-session',
      outcome: 'success',
      started_at: '2026-11-20T09:59:00Z',
      duration_s: 810,
      component: 'booking',
      errors: ['FAIL booking.test.ts'],
    });
    expect(ex.produced).toEqual(['session.jsonl', 'src/components/booking/BookingForm.tsx', 'src/components/booking/Spinner.tsx']);
    // A second hook run for the same session records nothing new and still exits 0.
    const again = await runCli(dir, ['capture', 'claude-hook', '--json'], { stdin: payload });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ recorded: false, skipped: 'already recorded as ex-cc-sess-42' });
  });

  it('a failing last test run is a failure (and the reflection stub is written)', async () => {
    const dir = tempRepo(KB, { commit: true });
    writeFiles(dir, { 't.jsonl': transcript(true) });
    // Run from another folder: the payload's cwd decides the repository (and the transcript's base).
    const run = await runCli(tempDir(), ['capture', 'claude-hook', '--json'], { stdin: JSON.stringify({ session_id: 's2', transcript_path: 't.jsonl', cwd: dir, hook_event_name: 'Stop' }) });
    const out = JSON.parse(run.stdout);
    expect(readRecord(dir, out.path).outcome).toBe('failure');
    expect(existsSync(join(dir, 'learning-loop/memory/short-term/reflections/2026/11/rf-cc-s2.md'))).toBe(true);
  });

  it('never breaks the session: bad payloads, missing transcripts and missing knowledge bases exit 0 with a warning', async () => {
    const dir = tempRepo(KB, { commit: true });
    const bad = await runCli(dir, ['capture', 'claude-hook'], { stdin: '{not json' });
    expect(bad.code).toBe(0);
    expect(bad.stderr).toContain('capture/failed');
    // No transcript: still recorded, honestly as partial with the session id as the task.
    const bare = await runCli(dir, ['capture', 'claude-hook', '--json'], { stdin: JSON.stringify({ session_id: 'x1', transcript_path: '/nonexistent/t.jsonl' }) });
    expect(bare.code).toBe(0);
    const out = JSON.parse(bare.stdout);
    expect(readRecord(dir, out.path)).toMatchObject({ task_id: 'claude-x1', outcome: 'partial', duration_s: 0 });
    const noKb = tempRepo({ 'a.txt': 'x' }, { commit: true });
    const r = await runCli(noKb, ['capture', 'claude-hook'], { stdin: '{"session_id":"y"}' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('No knowledge base');
    expect((await runCli(dir, ['capture', 'cursor-hook'])).code).toBe(2);
  });

  it('leaves a prompt holding a secret out of the record', () => {
    const info = parseTranscript(JSON.stringify({ type: 'user', message: { content: `deploy with ghp_${'b'.repeat(36)}` }, timestamp: '2026-11-20T10:00:00Z' }));
    expect(info.prompt).toContain('ghp_');
    const input = claudeHookInput({ session_id: 's' }, info, [], 'learning-loop/', new Date('2026-11-20T10:00:00Z'));
    expect(JSON.stringify(input)).not.toContain('ghp_');
    expect(input.task_id).toBe('claude-s');
    expect(componentOf('src/components/booking/Form.tsx')).toBe('booking');
    expect(componentOf('packages/api/index.ts')).toBe('api');
    expect(componentOf('README.md')).toBeUndefined();
  });
});

describe('capture git-commit', () => {
  it('records the last commit: subject -> task, Conventional type, files -> component, sha', async () => {
    const dir = tempRepo({ ...KB, 'src/lib/square/pay.ts': 'a\n' }, { commit: true });
    writeFiles(dir, { 'src/lib/square/pay.ts': 'b\n', 'src/lib/square/refund.ts': 'c\n' });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'fix(square): send amounts in cents\n\nThe deposit was charged as 0.20.');
    const sha = git(dir, 'rev-parse', 'HEAD').trim();
    const run = await runCli(dir, ['capture', 'git-commit', '--json']);
    const out = JSON.parse(run.stdout);
    expect(out.recorded).toBe(true);
    const ex = readRecord(dir, out.path);
    expect(ex).toMatchObject({ task_id: 'fix-square-send-amounts-in-cents', task_type: 'bugfix', agent: 'git', outcome: 'success', commit: sha, component: 'square' });
    expect(ex.produced).toEqual(['src/lib/square/pay.ts', 'src/lib/square/refund.ts']);
    // Committing the record itself must not be captured again (no loop).
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'learning-loop: record');
    const loop = JSON.parse((await runCli(dir, ['capture', 'git-commit', '--json'])).stdout);
    expect(loop).toMatchObject({ recorded: false, skipped: 'the commit only changed the knowledge base' });
  });

  it('works from a real post-commit hook and the documented Claude Code settings snippet', async () => {
    const dir = tempRepo(KB, { commit: true });
    // The documented hook, with the launcher spelled out (tests have no installed package).
    const hook = join(dir, '.git/hooks/post-commit');
    writeFileSync(hook, `#!/bin/sh\nnode '${CLI_BIN}' capture git-commit >/dev/null 2>&1 || true\n`);
    chmodSync(hook, 0o755);
    writeFiles(dir, { 'src/components/gallery/Grid.tsx': 'x\n' });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'feat: gallery grid');
    const sha = git(dir, 'rev-parse', 'HEAD').trim();
    const status = git(dir, 'status', '--porcelain', '--untracked-files=all');
    const file = status
      .split('\n')
      .map((l) => l.slice(3))
      .find((l) => l.includes(`ex-git-${sha.slice(0, 20)}`));
    expect(file).toBeDefined();
    expect(readRecord(dir, file!)).toMatchObject({ task_type: 'feature', component: 'gallery' });

    const cmd = CLAUDE_SETTINGS_SNIPPET.hooks.SessionEnd[0].hooks[0].command;
    expect(cmd).toMatch(/learning-loop capture claude-hook$/);
    const run = await spawnCli(dir, cmd.split(' ').slice(3), { stdin: JSON.stringify({ session_id: 'real-1', hook_event_name: 'SessionEnd', cwd: dir }) });
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'learning-loop/memory/short-term/executions'))).toBe(true);
    expect(run.stdout).toContain('recorded ex-cc-real-1');
  });
});

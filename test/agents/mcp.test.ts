/**
 * The MCP server over a real stdio process (`node bin/learning-loop.js mcp`), driven by the
 * SDK's own Client: schemas listed, progressive disclosure, idempotent writes, tool errors
 * that state the corrected call, and a server that survives bad arguments.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_BIN, cleanupTemp, git, runCli, tempRepo } from '../helpers/repo.js';
import { inputSchema } from '../../scripts/core/records/execution-input.js';

let dir: string;
let client: Client;
const ids: string[] = [];

type ToolReply = { isError?: boolean; content: Array<{ type: string; text: string }>; structuredContent?: Record<string, unknown> };
const call = async (name: string, args: Record<string, unknown>): Promise<ToolReply> => (await client.callTool({ name, arguments: args })) as ToolReply;
const tokens = (r: ToolReply): number => Math.ceil(JSON.stringify(r).length / 4);

beforeAll(async () => {
  dir = tempRepo({ 'README.md': '# t\n' });
  expect((await runCli(dir, ['init'])).code).toBe(0);
  const inputs = [
    {
      task_id: 'booking-1',
      task_type: 'component',
      component: 'booking-form',
      agent: 'claude',
      outcome: 'failure',
      duration_s: 3000,
      errors: ['Square SDK timeout after 3000ms calling payments API'],
      domains: ['square_api'],
    },
    { task_id: 'booking-2', task_type: 'component', component: 'booking-form', agent: 'codex', outcome: 'success', duration_s: 1200, domains: ['square_api'] },
    { task_id: 'hero-1', task_type: 'component', component: 'hero-section', agent: 'claude', outcome: 'success', duration_s: 600 },
  ];
  for (const input of inputs) {
    const r = await runCli(dir, ['record', '--input', '-', '--json'], { stdin: JSON.stringify(input) });
    expect(r.code).toBe(0);
    ids.push(JSON.parse(r.stdout).id);
  }
  client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI_BIN, 'mcp'], cwd: dir, stderr: 'ignore' }));
});

afterAll(async () => {
  await client?.close();
  cleanupTemp();
});

describe('learning-loop mcp', () => {
  it('lists six tools with input and output schemas and descriptions', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['dashboard', 'get', 'recall', 'record', 'reflect', 'similar']);
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
      expect((t.description ?? '').length).toBeGreaterThan(60);
    }
    const recall = tools.find((t) => t.name === 'recall')!;
    expect(recall.inputSchema.required).toEqual(['question']);
    // The record tool takes its limits from the execution input schema: one definition, no drift.
    const record = tools.find((t) => t.name === 'record')!.inputSchema as { required?: string[]; properties: Record<string, { maxLength?: number; maximum?: number; items?: { maxLength?: number } }> };
    const input = inputSchema() as { required: string[]; properties: Record<string, { maxLength?: number; maximum?: number; items?: { maxLength?: number } }> };
    expect([...(record.required ?? [])].sort()).toEqual([...input.required].sort());
    for (const field of ['task_id', 'agent', 'title', 'body', 'sprint']) expect(record.properties[field]!.maxLength, field).toBe(input.properties[field]!.maxLength);
    expect(record.properties.title!.maxLength).toBe(300);
    expect(record.properties.agent!.maxLength).toBe(100);
    expect(record.properties.body!.maxLength).toBe(200_000);
    expect(record.properties.duration_s!.maximum).toBe(input.properties.duration_s!.maximum);
    expect(record.properties.errors!.items!.maxLength).toBe(input.properties.errors!.items!.maxLength);
  });

  it('recall returns compact rows with why they matched, failures first for a failure question', async () => {
    const r = await call('recall', { question: 'what failed last time we tried the booking component?', limit: 5 });
    expect(r.isError).toBeFalsy();
    const rows = r.structuredContent!.rows as Array<{ id: string; kind: string; insight: string; why: string }>;
    expect(rows[0]).toMatchObject({ id: ids[0], kind: 'execution' });
    expect(rows[0]!.insight).toContain('failure component on booking-form');
    expect(rows[0]!.why).toMatch(/book/);
    expect(rows.some((x) => x.id === ids[2])).toBe(false); // a success on hero-section is not an answer
    for (const row of rows) expect(Math.ceil(JSON.stringify(row).length / 4)).toBeLessThan(100);
  });

  it('recall respects limit and the token budget', async () => {
    const r = await call('recall', { question: 'component booking hero square', limit: 1 });
    expect((r.structuredContent!.rows as unknown[]).length).toBe(1);
    expect(r.structuredContent!.truncated).toBe(true);
    const small = await call('recall', { question: 'component booking hero square', limit: 25, max_tokens: 100 });
    expect(tokens(small)).toBeLessThan(600);
  });

  it('get returns full records and lists unknown ids', async () => {
    const r = await call('get', { ids: [ids[0], 'ex-nope'] });
    const out = r.structuredContent as { records: Array<{ id: string; data: { errors: string[] }; body: string }>; missing: string[] };
    expect(out.records[0]!.id).toBe(ids[0]);
    expect(out.records[0]!.data.errors[0]).toContain('Square SDK timeout');
    expect(out.missing).toEqual(['ex-nope']);
    expect(tokens(r)).toBeLessThan(25_000);
  });

  it('sees records other agents write while it runs', async () => {
    const r = await runCli(dir, ['record', '--input', '-', '--json'], { stdin: JSON.stringify({ task_id: 'later', task_type: 'docs', agent: 'other', outcome: 'success', duration_s: 30 }) });
    const id = JSON.parse(r.stdout).id as string;
    const got = await call('get', { ids: [id] });
    expect((got.structuredContent!.records as Array<{ id: string }>)[0]!.id).toBe(id);
  });

  it('similar ranks the same component first', async () => {
    const r = await call('similar', { task_type: 'component', component: 'booking-form' });
    const rows = r.structuredContent!.rows as Array<{ id: string; why: string }>;
    expect(
      rows
        .slice(0, 2)
        .map((x) => x.id)
        .sort(),
    ).toEqual([ids[0], ids[1]].sort());
    expect(rows[0]!.why).toContain('same component booking-form');
  });

  it('record writes once; the same call again is a replay, not a duplicate', async () => {
    const input = { task_id: 'mcp-1', task_type: 'bugfix', agent: 'claude', outcome: 'success', duration_s: 300, recalled: [ids[0]] };
    const first = await call('record', input);
    expect(first.isError).toBeFalsy();
    expect(first.structuredContent).toMatchObject({ replayed: false });
    const again = await call('record', input);
    expect(again.structuredContent).toMatchObject({ id: first.structuredContent!.id, replayed: true });
    const keyed = await call('record', { ...input, task_id: 'mcp-2', idempotency_key: 'job-42-attempt' });
    const keyedAgain = await call('record', { ...input, task_id: 'mcp-2-retry', idempotency_key: 'job-42-attempt' });
    expect(keyedAgain.structuredContent).toMatchObject({ id: keyed.structuredContent!.id, replayed: true });
    const files = readdirSync(join(dir, 'learning-loop/memory/short-term/executions'), { recursive: true }).filter((f) => String(f).endsWith('.md'));
    expect(files.length).toBe(6); // 3 fixtures + 'later' + mcp-1 + mcp-2, no duplicates
  });

  it('record keeps decimal scores and usage', async () => {
    const r = await call('record', {
      task_id: 'mcp-decimal',
      task_type: 'benchmark',
      agent: 'gemini',
      outcome: 'partial',
      duration_s: 7830,
      scores: { accuracy: 35.6, efficiency: 70, reusability: 50, surprise: 33.35 },
      usage: { model: 'gemini-2.0-pro', input_tokens: 1200, output_tokens: 300, cost_usd: 0.25 },
    });
    expect(r.isError, r.content[0]?.text).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ overall: 47.24 });
    const got = await call('get', { ids: [r.structuredContent!.id] });
    const data = (got.structuredContent!.records as Array<{ data: Record<string, unknown> }>)[0]!.data;
    expect(data.scores).toMatchObject({ accuracy: 35.6, surprise: 33.35 });
    expect(data.usage).toEqual({ model: 'gemini-2.0-pro', input_tokens: 1200, output_tokens: 300, cost_usd: 0.25 });
    const badTokens = await call('record', { task_id: 'mcp-bad', task_type: 'benchmark', agent: 'a', outcome: 'success', duration_s: 1, usage: { input_tokens: 1.5 } });
    expect(badTokens.isError).toBe(true);
  });

  it('a replay survives a server restart (the id is derived from the key)', async () => {
    const other = new Client({ name: 'test2', version: '1.0.0' });
    await other.connect(new StdioClientTransport({ command: process.execPath, args: [CLI_BIN, 'mcp'], cwd: dir, stderr: 'ignore' }));
    const r = (await other.callTool({
      name: 'record',
      arguments: { task_id: 'x', task_type: 'bugfix', agent: 'a', outcome: 'success', duration_s: 1, idempotency_key: 'job-42-attempt' },
    })) as ToolReply;
    await other.close();
    expect(r.structuredContent).toMatchObject({ replayed: true });
  });

  it('refuses a record with a secret and says why', async () => {
    const r = await call('record', { task_id: 'leak', task_type: 'bugfix', agent: 'claude', outcome: 'success', duration_s: 5, body: `used ${'AKIA'}IOSFODNN7EXAMPLQ here` });
    expect(r.isError).toBe(true);
    expect(r.content[0]!.text).toContain('AWS access key');
    // The corrected-call example would not fix a secret: it is not appended.
    expect(r.content[0]!.text).not.toContain('Corrected call');
  });

  it('record commits like the CLI (commit / push) and takes the code commit as commit_sha (old spelling: commit)', async () => {
    const r = await call('record', { task_id: 'mcp-commit', task_type: 'bugfix', agent: 'claude', outcome: 'success', duration_s: 5, commit_sha: 'abc1234', commit: true });
    expect(r.isError, r.content[0]!.text).toBeFalsy();
    const sha = r.structuredContent!.git_commit as string;
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(git(dir, 'log', '-1', '--format=%H %s').trim()).toBe(`${sha} learning-loop: record ${r.structuredContent!.id} (mcp-commit, success, ${r.structuredContent!.overall})`);
    const got = await call('get', { ids: [r.structuredContent!.id] });
    expect((got.structuredContent!.records as Array<{ data: { commit: string } }>)[0]!.data.commit).toBe('abc1234');
    const old = await call('record', { task_id: 'mcp-old-commit', task_type: 'bugfix', agent: 'claude', outcome: 'success', duration_s: 5, commit: 'def5678' });
    expect(old.structuredContent).toMatchObject({ git_commit: null });
    const oldGot = await call('get', { ids: [old.structuredContent!.id] });
    expect((oldGot.structuredContent!.records as Array<{ data: { commit: string } }>)[0]!.data.commit).toBe('def5678');
  });

  it('bad arguments are tool errors that state the corrected call, and the server keeps serving', async () => {
    const missing = await call('recall', {});
    expect(missing.isError).toBe(true);
    expect(missing.content[0]!.text).toMatch(/`question`/);
    expect(missing.content[0]!.text).toContain('Corrected call, for example: recall {"question"');
    const wrongType = await call('record', { task_id: 'x', task_type: 'bugfix', agent: 'a', outcome: 'exploded', duration_s: 'long' });
    expect(wrongType.isError).toBe(true);
    expect(wrongType.content[0]!.text).toContain('`outcome`');
    expect(wrongType.content[0]!.text).toContain('`duration_s`');
    const unknownKey = await call('get', { ids: [ids[0]], everything: true });
    expect(unknownKey.isError).toBe(true);
    const unknownTool = await call('remember', {});
    expect(unknownTool.isError).toBe(true);
    expect(unknownTool.content[0]!.text).toContain('recall');
    const badId = await call('reflect', { execution_id: '../../etc/passwd' });
    expect(badId.isError).toBe(true);
    expect((await call('recall', { question: 'booking' })).isError).toBeFalsy();
  });

  it('reflect builds the stub for a failed execution; dashboard answers compactly', async () => {
    const r = await call('reflect', { execution_id: ids[0] });
    expect(r.structuredContent).toMatchObject({ execution_id: ids[0], trigger: 'mandatory_reflection' });
    expect((r.structuredContent!.existing as string[]).length).toBe(1); // record wrote the stub already
    const notFound = await call('reflect', { execution_id: 'ex-00000000000000000000000000' });
    expect(notFound.isError).toBe(true);
    expect(notFound.content[0]!.text).not.toContain('Corrected call');
    const d = await call('dashboard', {});
    expect(d.isError).toBeFalsy();
    expect(d.structuredContent!.metrics).toHaveProperty('component_reuse_rate');
    expect(tokens(d)).toBeLessThan(25_000);
  });
});

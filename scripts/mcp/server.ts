/**
 * The MCP server: recall / get / similar / record / reflect / dashboard as tools for coding
 * agents. Progressive disclosure: `recall` and `similar` return compact rows (id, kind, one-line
 * insight, why it matched) under a token budget; `get` returns full records by id. Every answer
 * is capped far below the 25,000-token limit clients enforce. Writes are safe: `record` never
 * overwrites and a repeated call (same input, or same `idempotency_key`) returns the first
 * result instead of recording twice. Bad arguments come back as tool errors (`isError: true`)
 * that state the corrected call; the server never crashes on them.
 */
import { createHash } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z, type ZodTypeAny } from 'zod';
import { openWorkspace } from '../io/workspace.js';
import { type Workspace } from '../core/workspace.js';
import { openIndex } from '../index/api.js';
import { type RecordRow, type RecordsTable } from '../core/records/table.js';
import type { ExecutionRecord } from '../core/records/kinds.js';
import { fieldsOf, KINDS } from '../core/records/kinds.js';
import { recordExecution } from '../agents/record.js';
import { derivedId, keySuffix } from '../core/records/ids.js';
import { buildReflection } from '../core/learn/reflection.js';
import { derivedPatternsFor, reflectionIdFor } from '../agents/reflect.js';
import { derivedLookup } from '../agents/explain.js';
import { analyzeWorkspace } from '../agents/analyze.js';
import { VERSION } from '../core/version.js';
import { withArticle } from '../core/diagnostics/words.js';
import { recallRows, similarTaskRows, type CompactRow } from './recall.js';
import { shapeFromSchema, type JsonSchemaNode } from './schema-zod.js';
import { inputSchema } from '../core/records/execution-input.js';

/** Rough token estimate (4 characters per token), used for every budget here. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Hard cap for any one answer, far below the 25,000 tokens clients accept. */
export const ANSWER_TOKEN_CAP = 8_000;

const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'ids are letters, digits, "_" and "-", e.g. ex-01JD3Z6T0M2K8W7Q9A1B2C3D4E');
/** Fields of the `record` tool that are the execution input's own, with what each means to an agent. */
const RECORD_HELP = {
  task_id: 'your task id, e.g. "booking-form-validation"',
  task_type: 'e.g. component, bugfix, api-integration',
  agent: 'who did the work, e.g. "claude"',
  outcome: 'success, partial or failure',
  duration_s: 'how long the task took, in seconds',
  component: 'e.g. booking-form',
  domains: 'e.g. ["square_api"]',
  tags: 'free labels, lower case',
  scores: 'scores you know (0-100, decimals kept); missing ones are computed',
  usage: 'model usage: model, input/output tokens, cost in US dollars',
  errors: 'error messages met during the task',
  reused: 'templates, components or rules reused',
  recalled: 'ids of the records recall returned before the task (not the rows marked derived)',
  produced: 'artefacts produced',
  sprint: 'the sprint or iteration',
  title: 'a one-line title',
  started_at: 'ISO time, e.g. 2026-11-02T14:05:00Z (default: now)',
  checks: 'automated checks: passed / failed',
  pre: 'before the task: assumptions, dependencies, initial state',
  during: 'decision points, alternatives considered',
  post: 'outcomes, deviations, discoveries',
  body: 'Markdown notes',
} as const;

/** The `record` tool's input fields, limits taken from the execution input schema (one definition). */
function recordInputShape(): Record<string, ZodTypeAny> {
  const shape = shapeFromSchema(inputSchema() as JsonSchemaNode, Object.keys(RECORD_HELP));
  for (const [name, help] of Object.entries(RECORD_HELP)) shape[name] = shape[name]!.describe(help);
  shape.recalled = z.array(idSchema).optional().describe(RECORD_HELP.recalled);
  return shape;
}

const rowSchema = z.object({
  id: z.string(),
  kind: z.string(),
  insight: z.string().describe('one line: what this record says'),
  why: z.string().describe('why it matched the question'),
  derived: z.literal(true).optional().describe('derived from the history by the learning engine (a pattern, theme or effect): not a record; leave it out of `recalled`'),
});
const rowsOutput = {
  rows: z.array(rowSchema),
  truncated: z.boolean().describe('true when more rows matched than fit in limit/max_tokens'),
  next: z.string().describe('what to call next'),
};

/** One tool: schemas, an example of a correct call, and the handler. */
interface ToolSpec {
  name: string;
  title: string;
  description: string;
  input: Record<string, ZodTypeAny>;
  output: Record<string, ZodTypeAny>;
  example: Record<string, unknown>;
  readOnly: boolean;
  run: (args: Record<string, unknown>) => Promise<Record<string, unknown>>;
}

/** What the tools work on; one per server. Reloads the table when the knowledge base changes. */
export class McpSession {
  private table: RecordsTable | undefined;
  /** idempotency key -> result of the first call (this process). */
  private readonly replies = new Map<string, Record<string, unknown>>();

  /** Creates a session on a workspace. */
  constructor(readonly ws: Workspace) {}

  /** The records table (loaded lazily, refreshed after writes). */
  async rows(): Promise<RecordRow[]> {
    this.table ??= await openIndex(this.ws).table();
    return this.table.rows;
  }

  /** Forgets the cached table (after a write). */
  invalidate(): void {
    this.table = undefined;
  }

  /** The tools this server offers. */
  tools(): ToolSpec[] {
    return [this.recallTool(), this.getTool(), this.similarTool(), this.recordTool(), this.reflectTool(), this.dashboardTool()];
  }

  /** The `recall` tool. */
  private recallTool(): ToolSpec {
    return {
      name: 'recall',
      title: 'Recall learnings before a task',
      description:
        'Call BEFORE starting a task. Ask in plain words ("what failed last time we tried the booking component?"). Returns compact rows (id, kind, one-line insight, why it matched), best first, within `limit` rows and `max_tokens`. Then call `get` with the ids you want in full. Put the ids of the records you used in `recalled` when you call `record` (rows marked `derived` are not records: leave them out).',
      input: {
        question: z.string().min(3, 'ask a question of at least 3 characters').max(500, 'keep the question under 500 characters').describe('the task or question in plain words'),
        limit: z.number().int().min(1).max(25).default(8).describe('maximum rows (1-25, default 8)'),
        max_tokens: z.number().int().min(100).max(4000).default(1500).describe('token budget for the answer (100-4000, default 1500)'),
      },
      output: { question: z.string(), ...rowsOutput },
      example: { question: 'what failed last time we tried the booking component?', limit: 5 },
      readOnly: true,
      run: async (a) => this.recall(String(a.question), Number(a.limit), Number(a.max_tokens)),
    };
  }

  /** The `get` tool. */
  private getTool(): ToolSpec {
    return {
      name: 'get',
      title: 'Get full records by id',
      description:
        'Returns the full records (frontmatter fields and Markdown body) for up to 10 ids returned by `recall`, `similar` or `record`. Long bodies are cut at `max_chars` each. Ids of rows marked `derived` (patterns, themes and effects found in the history, not records) come back under `derived` with their statement, evidence and figures. Unknown ids are listed in `missing`.',
      input: {
        ids: z.array(idSchema).min(1, 'pass at least one id').max(10, 'ask for at most 10 ids per call').describe('record ids, e.g. ["ex-01JD3Z6T0M2K8W7Q9A1B2C3D4E"]'),
        max_chars: z.number().int().min(200).max(8000).default(4000).describe('maximum characters of each body (default 4000)'),
      },
      output: {
        records: z.array(z.object({ id: z.string(), kind: z.string(), file: z.string(), data: z.record(z.unknown()), body: z.string(), body_truncated: z.boolean() })),
        derived: z.array(
          z.object({
            id: z.string(),
            kind: z.string(),
            title: z.string(),
            statement: z.string(),
            evidence: z.array(z.string()).describe('the executions it was derived from (the newest 50)'),
            figures: z.record(z.union([z.number(), z.string(), z.null()])),
          }),
        ),
        missing: z.array(z.string()),
      },
      example: { ids: ['ex-01JD3Z6T0M2K8W7Q9A1B2C3D4E'] },
      readOnly: true,
      run: async (a) => this.get(a.ids as string[], Number(a.max_chars)),
    };
  }

  /** The `similar` tool. */
  private similarTool(): ToolSpec {
    return {
      name: 'similar',
      title: 'Find similar past executions',
      description:
        'Finds past executions comparable to a task (same task type, component, domains, shared words), best first, as compact rows. Use it to estimate effort and reuse what worked; `get` the ids for details.',
      input: {
        task_type: z.string().max(80).optional().describe('e.g. component, bugfix, api-integration'),
        component: z.string().max(80).optional().describe('e.g. booking-form'),
        domains: z.array(z.string().max(80)).max(10).optional().describe('e.g. ["square_api"]'),
        description: z.string().max(500).optional().describe('the task in a few words'),
        limit: z.number().int().min(1).max(25).default(5).describe('maximum rows (default 5)'),
      },
      output: rowsOutput,
      example: { task_type: 'component', component: 'booking-form', limit: 5 },
      readOnly: true,
      run: async (a) => this.similar(a),
    };
  }

  /** The `record` tool. */
  private recordTool(): ToolSpec {
    return {
      name: 'record',
      title: 'Record an execution after a task',
      description:
        'Call AFTER finishing a task. Scores it (missing scores are computed), writes the execution record and, when a trigger fires, a reflection stub. Required: task_id, task_type, agent, outcome (success|partial|failure), duration_s. Never overwrites; repeating the same call (or the same idempotency_key) returns the first result instead of recording twice. Never paste secrets: records with tokens or keys are refused.',
      input: {
        ...recordInputShape(),
        commit_sha: z
          .string()
          .regex(/^[0-9a-f]{7,64}$/, 'a commit id: 7-64 lower-case hex digits')
          .optional()
          .describe('the code commit the task produced (the record field `commit`; CLI --commit-sha)'),
        commit: z
          .union([z.boolean(), z.string().regex(/^[0-9a-f]{7,64}$/, 'true/false, or (old spelling of commit_sha) a commit id')])
          .optional()
          .describe('true: commit the new record files, one commit per record (CLI --commit). A commit id here is the old spelling of commit_sha.'),
        push: z.boolean().optional().describe('commit and push, rebasing and retrying when the remote moved (CLI --push)'),
        idempotency_key: z.string().min(8).max(200).optional().describe('optional: the same key never records twice (default: a hash of the input)'),
      },
      output: {
        id: z.string(),
        path: z.string(),
        overall: z.number(),
        trigger: z.string().nullable(),
        reflection: z.string().nullable().describe('id of the reflection stub written, if any'),
        git_commit: z.string().nullable().describe('the commit made for the record, with commit/push'),
        pushed: z.boolean().nullable().describe('whether the push succeeded, with push'),
        replayed: z.boolean().describe('true when this call repeated an earlier one and nothing new was written'),
      },
      example: { task_id: 'booking-form-validation', task_type: 'component', agent: 'claude', outcome: 'success', duration_s: 900, component: 'booking-form' },
      readOnly: false,
      run: async (a) => this.record(a),
    };
  }

  /** The `reflect` tool. */
  private reflectTool(): ToolSpec {
    return {
      name: 'reflect',
      title: 'Reflection for an execution',
      description:
        'Builds the reflection an execution calls for (root-cause analysis for low scores, template extraction for high ones, assumption review for surprises), pre-filled with similar failures, recurring errors and assumptions from the history. Read it, then write your analysis in the reflection file.',
      input: { execution_id: idSchema.describe('the execution id, e.g. from `record`') },
      output: {
        execution_id: z.string(),
        trigger: z.string().nullable(),
        existing: z.array(z.string()).describe('ids of reflections already linked to the execution'),
        reflection: z.object({ id: z.string(), title: z.string(), reflection_type: z.string(), evidence: z.record(z.unknown()), body: z.string() }).nullable(),
      },
      example: { execution_id: 'ex-01JD3Z6T0M2K8W7Q9A1B2C3D4E' },
      readOnly: true,
      run: async (a) => this.reflect(String(a.execution_id)),
    };
  }

  /** The `dashboard` tool. */
  private dashboardTool(): ToolSpec {
    return {
      name: 'dashboard',
      title: 'Learning dashboard',
      description:
        'The learning metrics: component reuse rate, API integration time, agent effectiveness, pattern stability, overall improvement, the success criteria, trends, anti-pattern flags and recommendations.',
      input: {},
      output: {
        metrics: z.record(z.unknown()),
        trends: z.record(z.unknown()),
        success_criteria: z.array(z.unknown()),
        recommendations: z.array(z.string()),
        flags: z.array(z.object({ monitor: z.string(), action: z.string(), message: z.string() })),
      },
      example: {},
      readOnly: true,
      run: async () => this.dashboard(),
    };
  }

  /** `recall`: compact rows within the limit and token budget. */
  async recall(question: string, limit: number, maxTokens: number): Promise<Record<string, unknown>> {
    const all = await recallRows(this.ws, await this.rows(), question, 100);
    const { rows, truncated } = fitRows(all, limit, maxTokens);
    return { question, rows, truncated, next: rows.length ? 'Call `get` with the ids you want in full.' : 'Nothing matched; try other words, a component name or a task type.' };
  }

  /** `get`: full records by id. */
  async get(ids: string[], maxChars: number): Promise<Record<string, unknown>> {
    const byId = new Map((await this.rows()).map((r) => [r.id, r]));
    const records: Array<Record<string, unknown>> = [];
    const missing: string[] = [];
    let budget = ANSWER_TOKEN_CAP * 4 - 2000;
    const derived: Array<Record<string, unknown>> = [];
    let lookup: ReturnType<typeof derivedLookup> | undefined;
    for (const id of [...new Set(ids)]) {
      const r = byId.get(id);
      if (!r) {
        // A derived row recall showed: not a record, but explained (statement, evidence, figures).
        lookup ??= derivedLookup(this.ws, [...byId.values()], { noRefresh: true });
        const d = await lookup(id);
        if (d) derived.push({ id: d.id, kind: d.kind, title: d.title, statement: d.statement, evidence: d.evidence, figures: d.figures });
        else missing.push(id);
        continue;
      }
      const dataText = JSON.stringify(r.data);
      const room = Math.max(0, Math.min(maxChars, budget - dataText.length));
      const body = r.body.length > room ? r.body.slice(0, room) : r.body;
      budget -= dataText.length + body.length;
      records.push({ id: r.id, kind: r.kind, file: r.file, data: { ...fieldsOf(r.data) }, body, body_truncated: body.length < r.body.length });
    }
    return { records, derived, missing };
  }

  /** `similar`: comparable executions as compact rows. */
  async similar(a: Record<string, unknown>): Promise<Record<string, unknown>> {
    const q = {
      ...(typeof a.task_type === 'string' ? { task_type: a.task_type } : {}),
      ...(typeof a.component === 'string' ? { component: a.component } : {}),
      ...(Array.isArray(a.domains) ? { domains: a.domains as string[] } : {}),
      ...(typeof a.description === 'string' ? { description: a.description } : {}),
    };
    if (!Object.keys(q).length) throw new ToolArgumentError('`similar` needs at least one of task_type, component, domains or description.', { example: true });
    const all = await similarTaskRows(this.ws, await this.rows(), q, 25);
    const { rows, truncated } = fitRows(all, Number(a.limit ?? 5), 1500);
    return { rows, truncated, next: rows.length ? 'Call `get` with the ids you want in full.' : 'No comparable execution yet.' };
  }

  /** `record`: idempotent, never overwrites. */
  async record(a: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { idempotency_key: key, commit: commitArg, push: pushArg, commit_sha: sha, ...input } = a;
    // One vocabulary with the CLI: `commit`/`push` are what to do, `commit_sha` is the record's `commit` field.
    const commitSha = typeof sha === 'string' ? sha : typeof commitArg === 'string' ? commitArg : undefined;
    if (commitSha !== undefined) input.commit = commitSha;
    const push = pushArg === true;
    const commit = commitArg === true || push;
    const ikey = typeof key === 'string' ? `key:${key}` : `hash:${hashInput(input)}`;
    const seen = this.replies.get(ikey);
    if (seen) return { ...seen, replayed: true };
    // Across processes: the id's random part is derived from the key, so a repeat finds the record.
    const suffix = keySuffix(ikey);
    const existing = (await this.rows()).find((r) => r.kind === 'execution' && r.id.endsWith(suffix));
    if (existing) {
      const e = existing.data as ExecutionRecord;
      const reflection = (await this.rows()).find((r) => r.kind === 'reflection' && ((r.data as { executions?: string[] }).executions ?? []).includes(e.id));
      const reply = { id: e.id, path: existing.file, overall: e.overall, trigger: e.trigger ?? null, reflection: reflection?.id ?? null, git_commit: null, pushed: null, replayed: true };
      this.replies.set(ikey, reply);
      return reply;
    }
    const now = new Date();
    const id = derivedId('execution', now.getTime(), ikey);
    const result = await recordExecution(this.ws, { ...input, id }, { now, source: '<record arguments>', commit, push });
    this.invalidate();
    const problems = result.diagnostics.map((d) => `- ${d.message}${d.hint ? ` (${d.hint.split('\n')[0]})` : ''}`).join('\n');
    if (!result.execution || !result.path) throw new ToolArgumentError(`Nothing was recorded:\n${problems}`);
    // Written but not committed or not pushed: say so; the record itself is kept.
    if (!result.ok) throw new ToolArgumentError(`The execution ${result.execution.id} was written to ${result.path}, but:\n${problems}`);
    const reply = {
      id: result.execution.id,
      path: result.path,
      overall: result.execution.overall,
      trigger: result.execution.trigger ?? null,
      reflection: result.reflection?.id ?? null,
      git_commit: result.commit ?? null,
      pushed: result.pushed ?? null,
      replayed: false,
    };
    this.replies.set(ikey, reply);
    return reply;
  }

  /** `reflect`: the reflection stub for an execution (not written). */
  async reflect(executionId: string): Promise<Record<string, unknown>> {
    const rows = await this.rows();
    const row = rows.find((r) => r.id === executionId);
    if (!row || row.kind !== 'execution') throw new ToolArgumentError(`No execution has the id \`${executionId}\`${row ? ` (it is ${withArticle(row.kind)})` : ''}.`);
    const e = row.data as ExecutionRecord;
    const existing = rows.filter((r) => r.kind === 'reflection' && ((r.data as { executions?: string[] }).executions ?? []).includes(e.id)).map((r) => r.id);
    const derived = await derivedPatternsFor(this.ws, rows);
    const built = buildReflection(e, rows, this.ws.config, { id: reflectionIdFor(e.id), ...(derived ? { derived } : {}) });
    const reflection = built
      ? {
          id: built.record.id,
          title: built.record.title ?? '',
          reflection_type: built.record.reflection_type,
          evidence: (built.record.evidence ?? {}) as Record<string, unknown>,
          body: built.body.slice(0, 8000),
        }
      : null;
    return { execution_id: e.id, trigger: e.trigger ?? null, existing, reflection };
  }

  /** `dashboard`: metrics, criteria, trends, flags. */
  async dashboard(): Promise<Record<string, unknown>> {
    const a = await analyzeWorkspace(this.ws, { rows: await this.rows(), diagnostics: [] });
    const flags = a.flags.slice(0, 20).map((f) => ({ monitor: f.monitor, action: f.action, message: f.message }));
    return {
      metrics: { ...a.report.metrics },
      trends: { ...a.report.trends },
      success_criteria: a.report.success_criteria,
      recommendations: a.report.recommendations,
      flags,
    };
  }
}

/**
 * A problem a tool reports as a tool error. `example` adds a corrected call, for calls whose
 * shape was wrong; a refusal of the content (a secret, an unknown id) gets none, since the
 * example would not fix it.
 */
export class ToolArgumentError extends Error {
  /** Whether the corrected-call example helps with this error. */
  readonly example: boolean;

  /** Creates the error; pass `{ example: true }` when the call's shape was wrong. */
  constructor(message: string, opts: { example?: boolean } = {}) {
    super(message);
    this.example = opts.example ?? false;
  }
}

/** Fits rows into a row limit and a token budget (rows are short; the budget is a safety net). */
export function fitRows(all: CompactRow[], limit: number, maxTokens: number): { rows: CompactRow[]; truncated: boolean } {
  const rows: CompactRow[] = [];
  let used = 20;
  for (const r of all) {
    if (rows.length >= limit) break;
    const cost = estimateTokens(JSON.stringify(r));
    if (used + cost > maxTokens) break;
    rows.push(r);
    used += cost;
  }
  return { rows, truncated: rows.length < all.length };
}

/** Stable hash of a JSON value (keys sorted). */
export function hashInput(value: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v as object)
              .sort()
              .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canon(value)))
    .digest('hex');
}

/** Renders a call as the agent should have made it. */
function callText(tool: string, args: Record<string, unknown>): string {
  return `${tool} ${JSON.stringify(args)}`;
}

function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Keeps any answer under the hard token cap (a last line of defence; tools already budget). */
function capAnswer(text: string): string {
  const max = ANSWER_TOKEN_CAP * 4;
  return text.length <= max ? text : `${text.slice(0, max - 80)}\n… (answer cut at ${ANSWER_TOKEN_CAP} tokens; ask for fewer ids or rows)`;
}

/**
 * Builds the MCP server for a workspace. Tools are listed with JSON Schemas for inputs and
 * outputs; calls are validated here so that an argument error names the corrected call.
 */
export function createMcpServer(ws: Workspace): McpServer {
  const session = new McpSession(ws);
  const server = new McpServer(
    { name: 'learning-loop', version: VERSION },
    { instructions: 'Git-native learning memory. Before a task: `recall` (then `get` the ids you need). After a task: `record`. When a record triggers a reflection: `reflect`.' },
  );
  const specs = session.tools();
  for (const spec of specs) {
    server.registerTool(
      spec.name,
      {
        title: spec.title,
        description: spec.description,
        inputSchema: spec.input,
        outputSchema: spec.output,
        annotations: { readOnlyHint: spec.readOnly, idempotentHint: true, openWorldHint: false },
      },
      async () => errorResult('unreachable: calls are dispatched by learning-loop'),
    );
  }
  const byName = new Map(specs.map((s) => [s.name, s]));
  // Our own dispatcher replaces the SDK's so argument errors say what the corrected call is.
  server.server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const spec = byName.get(request.params.name);
    if (!spec)
      return errorResult(`There is no tool \`${request.params.name}\`. Tools: ${[...byName.keys()].join(', ')}. Example: ${callText('recall', { question: 'what failed with the booking form?' })}`);
    const parsed = z
      .object(spec.input)
      .strict()
      .safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `- ${i.path.length ? `\`${i.path.join('.')}\`: ` : ''}${i.message}`).join('\n');
      return errorResult(`Invalid arguments for \`${spec.name}\`:\n${problems}\nCorrected call, for example: ${callText(spec.name, spec.example)}`);
    }
    try {
      // Other agents commit records while the server runs: read the (incrementally built) table afresh.
      session.invalidate();
      const out = await spec.run(parsed.data as Record<string, unknown>);
      return { content: [{ type: 'text', text: capAnswer(JSON.stringify(out)) }], structuredContent: out };
    } catch (error) {
      if (error instanceof ToolArgumentError) return errorResult(error.example ? `${error.message}\nCorrected call, for example: ${callText(spec.name, spec.example)}` : error.message);
      return errorResult(`\`${spec.name}\` failed: ${(error as Error).message}. The server is still running; check the knowledge base with \`learning-loop validate\`.`);
    }
  });
  return server;
}

/** Opens the workspace for `learning-loop mcp` (kept here so the command stays thin). */
export function mcpWorkspace(cwd: string, root?: string): Workspace {
  return openWorkspace({ cwd, root });
}

/** The kinds a recall row may have (for docs and tests). */
export const ROW_KINDS = KINDS;

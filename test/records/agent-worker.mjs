// One simulated agent: records N executions in its own clone through the built CLI, in-process,
// each with --commit --push. Prints one JSON line per record (the CLI's --json output).
// Usage: node agent-worker.mjs <clone> <agent> <count>
import { main } from '../../dist/scripts/cli/main.js';

const [cwd, agent, count] = process.argv.slice(2);
let failures = 0;
for (let i = 0; i < Number(count); i += 1) {
  let out = '';
  const code = await main(
    ['record', '--json', '--commit', '--push', '--task-id', `${agent}-${i}`, '--type', 'component', '--component', 'booking-form', '--agent', agent, '--outcome', 'success', '--duration', String(300 + i), '--scores', 'accuracy=90,reusability=80,surprise=40'],
    { cwd, stdout: { write: (s) => (out += s) }, stderr: { write: (s) => process.stderr.write(s) }, env: { ...process.env, NO_COLOR: '1' }, isTTY: false },
  );
  if (code !== 0) failures += 1;
  process.stdout.write(`${JSON.stringify({ code, ...JSON.parse(out) })}\n`);
}
process.exitCode = failures ? 1 : 0;

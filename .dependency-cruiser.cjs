/**
 * The layer rules of learning-loop (docs/architecture.md), checked by `npm test`
 * (test/architecture.test.ts) and by `npx depcruise scripts`.
 *
 *   core/    pure: data in, data and diagnostics out
 *   io/      the one I/O shell: file system, Git, processes, clock, config files
 *   index/   the derived index; only index/api.ts is its interface
 *   agents/  orchestration shared by the CLI and the MCP server
 *   mcp/     the MCP server
 *   cli/     the command line; the only layer that decides exit codes
 */
const IO_MODULES = '^(node:)?(fs|fs/promises|child_process|worker_threads|os|net|http|https|readline|cluster|dgram|inspector|v8|vm)$';
const IO_LIBRARIES = '(^|/)node_modules/(simple-git|isomorphic-git|nodegit|chokidar)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules depend on each other in one direction; a cycle means two modules are one, or a type is in the wrong place.',
      from: { path: '^scripts/' },
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'core/ takes data and returns data: no file system, process, worker, network or Git access.',
      from: { path: '^scripts/core/' },
      to: { path: [IO_MODULES, IO_LIBRARIES] },
    },
    {
      name: 'core-stands-alone',
      severity: 'error',
      comment: 'core/ imports only core/ (and libraries): the shell, the index and the command layers build on it, not the other way.',
      from: { path: '^scripts/core/' },
      to: { path: '^scripts/', pathNot: '^scripts/core/' },
    },
    {
      name: 'io-is-the-shell',
      severity: 'error',
      comment: 'io/ may use core/ (types, parsing) but knows nothing of the index or the command layers.',
      from: { path: '^scripts/io/' },
      to: { path: '^scripts/', pathNot: '^scripts/(core|io)/' },
    },
    {
      name: 'index-below-commands',
      severity: 'error',
      comment: 'index/ builds on core/ and io/ only.',
      from: { path: '^scripts/index/' },
      to: { path: '^scripts/', pathNot: '^scripts/(core|io|index)/' },
    },
    {
      name: 'index-has-one-interface',
      severity: 'error',
      comment: 'Outside index/, only index/api.ts is imported: segments, pools, caches and freshness are its private business.',
      from: { path: '^scripts/', pathNot: '^scripts/(index/|index\\.ts$)' },
      to: { path: '^scripts/index/', pathNot: '^scripts/index/api\\.ts$' },
    },
    {
      name: 'library-surface-via-public',
      severity: 'error',
      comment: 'The package entry (scripts/index.ts) reaches the index through index/api.ts or index/public.ts (the library functions it re-exports), nothing deeper.',
      from: { path: '^scripts/index\\.ts$' },
      to: { path: '^scripts/index/', pathNot: '^scripts/index/(api|public)\\.ts$' },
    },
    {
      name: 'agents-below-entry-points',
      severity: 'error',
      comment: 'agents/ is shared by the CLI and the MCP server, so it imports neither.',
      from: { path: '^scripts/agents/' },
      to: { path: '^scripts/(cli|mcp)/' },
    },
    {
      name: 'mcp-not-cli',
      severity: 'error',
      comment: 'The MCP server does not depend on the command line.',
      from: { path: '^scripts/mcp/' },
      to: { path: '^scripts/cli/' },
    },
    {
      name: 'io-only-in-the-shell',
      severity: 'error',
      comment: 'Files, processes and Git are reached through io/ (index/ keeps its own caches and worker pools).',
      from: { path: '^scripts/', pathNot: '^scripts/(io|index)/' },
      to: { path: [IO_MODULES, IO_LIBRARIES] },
    },
    {
      name: 'one-git-library',
      severity: 'error',
      comment: 'Git is driven from io/git.ts only.',
      from: { path: '^scripts/', pathNot: '^scripts/io/git\\.ts$' },
      to: { path: '(^|/)node_modules/(simple-git|isomorphic-git|nodegit)/' },
    },
    {
      name: 'validators-compiled-ahead',
      severity: 'error',
      comment: 'Validators are compiled ahead of time (npm run gen: core/records/validators.generated.ts); shipped code never loads the ajv compiler, only the small runtime helpers the compiled validators call.',
      from: { path: '^scripts/' },
      to: { path: '(^|/)node_modules/ajv/', pathNot: '(^|/)node_modules/ajv/dist/runtime/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'product-not-tools',
      severity: 'error',
      comment: 'tools/ (generators, benchmarks) is not shipped: the product never imports it.',
      from: { path: '^scripts/' },
      to: { path: '^tools/' },
    },
    {
      name: 'product-not-dev-dependencies',
      severity: 'error',
      comment: 'What ships imports runtime dependencies only.',
      from: { path: '^scripts/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|site/\\.astro)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

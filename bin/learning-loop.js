#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled TypeScript (npm run build:ts / prepare).
import { main } from '../dist/scripts/cli/main.js';

// A closed pipe (`learning-loop --help | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error && error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`learning-loop: internal error: ${error && error.stack ? error.stack : error}`);
    console.error('This is a bug. Please report it with the command you ran.');
    process.exitCode = 70;
  },
);

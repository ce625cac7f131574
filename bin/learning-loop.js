#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled TypeScript (npm run build:ts / prepare).
import { main } from '../dist/scripts/cli/main.js';

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

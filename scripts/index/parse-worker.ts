/**
 * Worker thread for the parse step of a large (full) build: checks a slice of the files and
 * hands the parsed files back through a message port, signalling completion through shared
 * memory so the caller can wait synchronously (`loadTable` is synchronous).
 */
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { Workspace } from '../core/workspace.js';
import { parseFile } from './segments.js';

const data = workerData as { ws: Workspace; files: Array<[string, string]>; port: MessagePort; signal: SharedArrayBuffer; index: number };
const entries = data.files.map(([file, blob]) => parseFile(data.ws, file, blob, undefined));
data.port.postMessage(entries);
const flags = new Int32Array(data.signal);
Atomics.store(flags, data.index, 1);
Atomics.notify(flags, data.index);

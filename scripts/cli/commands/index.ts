/** The command registry: one module per command. */
import type { CommandModule } from '../context.js';
import { register as init } from './init.js';
import { register as validate } from './validate.js';
import { register as record } from './record.js';
import { register as build } from './build.js';
import { register as watch } from './watch.js';
import { register as recall } from './recall.js';
import { register as similar } from './similar.js';
import { register as patterns } from './patterns.js';
import { register as reflect } from './reflect.js';
import { register as dashboard } from './dashboard.js';
import { register as synthesize } from './synthesize.js';
import { register as accept } from './accept.js';
import { register as reject } from './reject.js';
import { register as run } from './run.js';
import { register as site } from './site.js';
import { register as mcp } from './mcp.js';
import { register as hooks } from './hooks.js';
import { register as exportCmd } from './export.js';
import { register as importCmd } from './import.js';
import { register as capture } from './capture.js';
import { register as ci } from './ci.js';
import { register as explain } from './explain.js';
import { register as demo } from './demo.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: CommandModule[] = [
  init,
  validate,
  record,
  build,
  watch,
  recall,
  similar,
  patterns,
  reflect,
  dashboard,
  synthesize,
  accept,
  reject,
  run,
  site,
  mcp,
  hooks,
  exportCmd,
  importCmd,
  capture,
  ci,
  explain,
  demo,
];

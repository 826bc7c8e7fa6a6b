// `node --import ./register.mjs ...`: every module the process loads is appended, one URL a line,
// to the file named by MODULE_TRACE_FILE (test/cli/runtime-modules.test.ts).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url, { data: { file: process.env.MODULE_TRACE_FILE } });

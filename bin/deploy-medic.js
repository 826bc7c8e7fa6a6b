#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (`npm run build`); TypeScript is not needed at run time.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+: keep V8's compiled code between runs (in the OS temp dir; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
module.enableCompileCache?.();

const entry = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(`deploy-medic: ${entry.pathname} is missing; build it first with: npm run build\n`);
  process.exit(2);
}
// `deploy-medic ... | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e) => (e.code === 'EPIPE' ? process.exit(0) : Promise.reject(e)));
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));

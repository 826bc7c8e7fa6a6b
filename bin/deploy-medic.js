#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so a clone works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
// `deploy-medic ... | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e) => (e.code === 'EPIPE' ? process.exit(0) : Promise.reject(e)));
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));

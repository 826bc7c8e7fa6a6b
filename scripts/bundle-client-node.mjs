#!/usr/bin/env node
/**
 * Second step of `npm run build`: replaces dist/src/adapters/kube/client-node.js
 * (tsc's output: a re-export of @kubernetes/client-node) with one ES module
 * holding the package's own code, tree-shaken to what the re-export names.
 * The package's dependencies (node-fetch, ws, js-yaml, openid-client, ...)
 * stay imports of the installed packages. Why: src/adapters/kube/client-node.ts.
 */
import { build } from 'esbuild';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = `${root}src/adapters/kube/client-node.ts`;
const out = `${root}dist/src/adapters/kube/client-node.js`;
const pkg = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@kubernetes/client-node/package.json'), 'utf8'));

const result = await build({
  entryPoints: [entry],
  bundle: true,
  write: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }),
  logLevel: 'warning',
  banner: { js: `// @kubernetes/client-node ${pkg.version} (${pkg.license}), bundled by scripts/bundle-client-node.mjs from src/adapters/kube/client-node.ts` },
});
const text = result.outputFiles[0].text;
// Other processes may be running dist/ right now (tests in parallel): never let them read a half-written file.
if (!existsSync(out) || readFileSync(out, 'utf8') !== text) {
  writeFileSync(`${out}.tmp-${process.pid}`, text);
  renameSync(`${out}.tmp-${process.pid}`, out);
}
rmSync(`${out}.map`, { force: true });
// The end of `npm run build`: test/helpers/build-dist.ts rebuilds when a source is newer than this.
writeFileSync(`${root}dist/.build-stamp`, `${new Date().toISOString()}\n`);

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '../helpers/bot-commands.js';
import { runCli, startCli, stopCli } from '../helpers/cli.js';
import { startSim, type SimFixture } from '../helpers/sim.js';
import { BOT_TOKEN, SIGNING_SECRET, startSlackEmulator } from '../helpers/slack.js';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';

/**
 * What `deploy-medic` loads at run time, recorded by a module-loading hook
 * (module-trace/, `node --import`): compiled JavaScript from dist/, and for
 * `serve` and the read commands nothing of the test world (dist/src/sim/),
 * the tests or the benches, and no TypeScript loader.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const TRACE = pathToFileURL(join(import.meta.dirname, 'module-trace/register.mjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'medic-modules-'));
let traces = 0;

let f: SimFixture;
let slack: SlackEmulator;
beforeAll(async () => {
  f = await startSim({ scenarios: ['image-tag-not-found', 'healthy'] });
  slack = await startSlackEmulator();
});
afterAll(async () => {
  await slack.stop();
  await f.sim.stop();
});

/** Environment for a traced process: its trace file, and the hook preloaded. */
function traced(): { env: Record<string, string>; modules: () => string[] } {
  const file = join(dir, `trace-${++traces}.txt`);
  return {
    env: { MODULE_TRACE_FILE: file, NODE_OPTIONS: `--import=${TRACE}` },
    modules: () => readFileSync(file, 'utf8').split('\n').filter(Boolean),
  };
}

/** The loaded modules of ours, repository-relative (dist/src/cli.js ...), and anything that is not compiled output. */
function summarize(modules: string[]) {
  const ours = modules.filter((u) => u.startsWith(pathToFileURL(ROOT).href + '/') && !u.includes('/node_modules/')).map((u) => u.slice(pathToFileURL(ROOT).href.length + 1));
  return {
    ours,
    sim: ours.filter((p) => p.startsWith('dist/src/sim/')),
    outsideDist: ours.filter((p) => !p.startsWith('dist/') && !p.startsWith('bin/') && !p.startsWith('test/cli/module-trace/')),
    typescript: modules.filter((u) => /\.[cm]?tsx?$/.test(u) || u.includes('/node_modules/tsx/')),
  };
}

describe('deploy-medic runs compiled JavaScript and loads no test world for serve and the read commands', () => {
  it.each([
    ['diagnose', ['diagnose', 'api-server', '-n', 'production'], 1],
    ['status', ['status', 'api-server', '-n', 'production'], 1],
    ['history', ['history', 'api-server', '-n', 'production'], 0],
    ['rollout-status', ['rollout-status', 'web-frontend', '-n', 'production', '--timeout', '30s'], 0],
  ] as const)('%s', async (command, args, exit) => {
    const t = traced();
    const r = await runCli([...args, '--kubeconfig', f.kubectl.kubeconfigPath], t.env);
    expect(r.code, r.stderr).toBe(exit);
    const s = summarize(t.modules());
    expect(s.ours).toContain('bin/deploy-medic.js');
    expect(s.ours).toContain(`dist/src/cli/${command}.js`);
    expect(s.ours).toContain('dist/src/adapters/kube/client-node.js');
    expect(s.sim).toEqual([]);
    expect(s.outsideDist).toEqual([]);
    expect(s.typescript).toEqual([]);
  });

  it('serve, answering a slash command', async () => {
    const t = traced();
    const env = {
      ...t.env,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      KUBECONFIG: f.kubectl.kubeconfigPath,
      DATABASE_URL: `sqlite://${join(dir, 'serve.db')}`,
      PORT: '0',
      LOG_LEVEL: 'warn',
    };
    const { child, match } = await startCli(['serve'], /listening on port (\d+)/, env);
    try {
      slack.setRequestUrl(`http://127.0.0.1:${match[1]}/slack/events`);
      const answer = await deploy({ slack }, 'diagnose api-server -n production');
      expect(answer.text).toContain('IMAGE_TAG_NOT_FOUND');
    } finally {
      await stopCli(child);
    }
    const s = summarize(t.modules());
    expect(s.ours).toContain('dist/src/main.js');
    expect(s.ours.filter((p) => p.startsWith('dist/commands/')).length).toBeGreaterThan(0);
    expect(s.sim).toEqual([]);
    expect(s.outsideDist).toEqual([]);
    expect(s.typescript).toEqual([]);
  });

  it('sim does load the test world, lazily: the trace sees what the others do not', async () => {
    const t = traced();
    const r = await runCli(['sim', '--list-scenarios', '--output', 'json'], t.env);
    expect(r.code, r.stderr).toBe(0);
    const s = summarize(t.modules());
    expect(s.sim).toContain('dist/src/sim/kube/catalog/scenarios.js');
    expect(s.typescript).toEqual([]);
  });
});

import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/sim/kube/catalog/scenarios.js';
import { runCli, startCli, stopCli } from '../helpers/cli.js';
import { Kubectl } from '../helpers/kubectl.js';

describe('deploy-medic sim', () => {
  it('serves a scenario, writes a kubeconfig kubectl can use, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medic-sim-cli-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const { child, match } = await startCli(['sim', '--port', '0', '--scenario', 'image-tag-not-found', '--kubeconfig-out', kubeconfig], /listening on (http:\/\/127\.0\.0\.1:(\d+))\n/);
    try {
      expect(Number(match[2])).toBeGreaterThan(0);
      expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
      expect(readFileSync(kubeconfig, 'utf8')).toContain(`server: ${match[1]}`);
      const kubectl = new Kubectl(readFileSync(kubeconfig, 'utf8'));
      const out = await kubectl.ok('get', 'pods', '-n', 'production', '-l', 'app=api-server');
      expect(out).toContain('ImagePullBackOff');
    } finally {
      expect(await stopCli(child)).toBe(0);
    }
  });

  it('lists the scenario catalog as JSON', async () => {
    const r = await runCli(['sim', '--list-scenarios', '--output', 'json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ name: string; namespace: string; deployment: string; expect: string[] }>;
    expect(list.map((s) => s.name)).toEqual(SCENARIOS.map((s) => s.name));
    expect(list.find((s) => s.name === 'image-tag-not-found')).toEqual({
      name: 'image-tag-not-found',
      namespace: 'production',
      deployment: 'api-server',
      expect: ['IMAGE_TAG_NOT_FOUND', 'PROGRESS_DEADLINE_EXCEEDED'],
    });
  });

  it.each([
    [['sim', '--bogus'], "Unknown option '--bogus' (accepted options for sim: --port VALUE"],
    [['sim', '--port', 'eighty'], '--port: expected an integer from 0 to 65535, got "eighty"'],
    [['sim', '--scenario', 'nope'], '--scenario: unknown scenario "nope"; known: all, healthy,'],
    [['sim', '--scenario', 'all', '--no-controllers'], 'scenarios need the controllers'],
    [['sim', '--list-scenarios', '--output', 'yaml'], '--output: expected one of text, json, got "yaml"'],
    [['frobnicate'], 'deploy-medic: unknown command "frobnicate"'],
  ])('rejects %j with exit 2 and a message naming the problem', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

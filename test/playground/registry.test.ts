import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createLogger } from '../../src/log.js';
import { startPlayground } from '../../src/playground/playground.js';
import type { PlaygroundRegistryChoice } from '../../src/playground/registry.js';

/**
 * The playground's image check names the nearest existing tags, with Debian's
 * docker-registry ("auto" on a machine that has it) and with the simulated
 * registry: a scenario is broken in the console, and `/deploy diagnose` in
 * the Slack emulator answers from the playground's registry.
 */
interface State {
  slack: { messages: Record<string, unknown[]> };
  cluster: Array<{ namespace: string; name: string; pods: Array<{ status: string }> }>;
}

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function until<T>(url: string, what: string, probe: (s: State) => T | undefined, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe((await (await fetch(`${url}/api/state`)).json()) as State);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const pullFailing = (name: string) => (s: State) =>
  s.cluster.find((d) => d.namespace === 'production' && d.name === name)?.pods.some((p) => /ErrImagePull|ImagePullBackOff/.test(p.status));

/** The bot's answer in #prod about a deployment, as the Slack emulator holds it (text and blocks). */
const answerAbout = (name: string, code: string) => (s: State) =>
  (s.slack.messages.C0PROD ?? []).map((m) => JSON.stringify(m)).find((m) => m.includes(`production/${name}: ${code}`));

const cases: Array<[PlaygroundRegistryChoice, 'docker-registry' | 'simulated']> = [
  ['auto', 'docker-registry'],
  ['simulated', 'simulated'],
];

describe('the playground image registry', () => {
  it.each(cases)('registry %s: the diagnosis names the nearest tags and tells a refused pull (%s)', async (choice, kind) => {
    const pg = await startPlayground({ port: 0, registry: choice }, createLogger({ level: 'silent' }));
    try {
      expect(pg.registry.kind, 'auto uses docker-registry where it is installed (apt-get install docker-registry)').toBe(kind);
      const policy = parse(readFileSync(join(dirname(pg.kubeconfigPath), 'policy.yaml'), 'utf8')) as { registries: unknown[]; access: unknown };
      // Appended to the playground's own policy, which stays whole.
      expect(policy.registries).toEqual([{ host: 'registry.example.com', endpoint: pg.registry.settings.endpoint }]);
      expect(policy.access).toMatchObject({ operators: ['U0ALICE'] });

      for (const scenario of ['image-tag-not-found', 'image-pull-unauthorized']) {
        expect(await (await post(`${pg.url}/api/scenarios/${scenario}/break`, {})).json()).toEqual({ ok: true });
      }
      await until(pg.url, 'api-server pods failing to pull', pullFailing('api-server'));
      await until(pg.url, 'billing-worker pods failing to pull', pullFailing('billing-worker'));

      for (const name of ['api-server', 'billing-worker']) {
        const sent = await post(`${pg.url}/api/command`, { text: `diagnose ${name} -n production`, userId: 'U0ALICE', channelId: 'C0PROD' });
        expect(await sent.json()).toEqual({ ok: true, status: 200 });
      }
      const tagCard = await until(pg.url, 'the api-server diagnosis', answerAbout('api-server', 'IMAGE_TAG_NOT_FOUND'));
      expect(tagCard).toContain('v2.0.1 does not exist in registry.example.com/api-server; v2.0.0 and v2.1.0 do.');
      expect(tagCard).toContain('the nearest existing tags are v2.0.0, v2.1.0, v1.9.3');
      expect(tagCard).toContain('Propose image registry.example.com/api-server:v2.0.0');
      expect(tagCard).not.toContain('does not resolve');

      // The private repository behind token auth: the registry refuses the rotated token, as the nodes were told.
      const authCard = await until(pg.url, 'the billing-worker diagnosis', answerAbout('billing-worker', 'IMAGE_PULL_UNAUTHORIZED'));
      expect(authCard).toContain('The registry rejects the credentials the nodes use for registry.example.com/private/billing-worker');
      expect(authCard).not.toContain('Our registry check can fetch the image');
    } finally {
      await pg.stop();
    }
  }, 120_000);
});

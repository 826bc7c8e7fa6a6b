import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, stopCli } from '../helpers/cli.js';

interface State {
  version: number;
  slack: { messages: Record<string, Array<{ text: string; ts: string; thread_ts?: string }>> };
  pagerduty: { incidents: Array<{ incidentKey: string; status: string }> };
  cluster: Array<{ namespace: string; name: string; revision: number; scenario?: { atBaseline: boolean } }>;
}

const post = (url: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** Reads the world until `probe` holds, waiting on the console's long poll (it answers when anything changed). */
async function until<T>(url: string, what: string, probe: (s: State) => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = (await (await fetch(`${url}/api/state`)).json()) as State;
    const found = probe(state);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await fetch(`${url}/api/view?since=${state.version}`, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) }).catch(() => undefined);
  }
}

describe('deploy-medic playground', () => {
  it('serves the console; breaking a scenario opens an incident and pages PagerDuty; /deploy diagnose answers', async () => {
    const { child, match } = await startCli(['playground', '--port', '0'], /open (http:\/\/127\.0\.0\.1:\d+)/);
    const url = match[1]!;
    try {
      const page = await fetch(url);
      expect(await page.text()).toContain('<title>Deploy Medic playground</title>');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect((await fetch(`${url}/console.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      const start = (await (await fetch(`${url}/api/state`)).json()) as State;
      expect(start.cluster.find((d) => d.name === 'api-server')).toMatchObject({ namespace: 'production', revision: 1, scenario: { atBaseline: true } });

      expect(await (await post(`${url}/api/scenarios/image-tag-not-found/break`, {})).json()).toEqual({ ok: true });
      const again = await post(`${url}/api/scenarios/image-tag-not-found/break`, {});
      expect(again.status).toBe(409);
      expect(((await again.json()) as { error: string }).error).toContain('reset it before breaking it again');
      const unknown = await post(`${url}/api/scenarios/no-such-scenario/break`, {});
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: string }).error).toMatch(/no scenario "no-such-scenario"; the catalog has: healthy, image-tag-not-found, /);

      const incident = await until(url, 'the incident thread', (s) => (s.slack.messages.C0INCIDENTS ?? []).find((m) => /incident (inc-[0-9a-f]{10}) on production\/api-server/.test(m.text)));
      const id = /inc-[0-9a-f]{10}/.exec(incident.text)![0];
      await until(url, 'the page', (s) => s.pagerduty.incidents.find((i) => i.incidentKey === id && i.status === 'triggered'));

      const sent = await post(`${url}/api/command`, { text: 'diagnose api-server -n production', userId: 'U0ALICE', channelId: 'C0PROD' });
      expect(await sent.json()).toEqual({ ok: true, status: 200 });
      await until(url, 'the diagnosis in #prod', (s) => (s.slack.messages.C0PROD ?? []).find((m) => m.text.includes('production/api-server: IMAGE_TAG_NOT_FOUND')));

      const noJson = await post(`${url}/api/command`, '{"text": 1}', {});
      expect(noJson.status).toBe(400);
      expect(((await noJson.json()) as { error: string }).error).toBe('expected Content-Type: application/json');
      const badBody = await post(`${url}/api/command`, { text: 1, userId: 'U0ALICE', channelId: 'C0PROD' });
      expect(badBody.status).toBe(400);
      expect(((await badBody.json()) as { error: string }).error).toMatch(/text[\s\S]*expected a JSON body such as/);
      const stranger = await post(`${url}/api/command`, { text: 'help', userId: 'U0MALLORY', channelId: 'C0PROD' });
      expect(stranger.status).toBe(400);
      expect(((await stranger.json()) as { error: string }).error).toBe('unknown user U0MALLORY; the workspace has: U0ALICE, U0BOB, U0CAROL');

      expect(await (await post(`${url}/api/scenarios/reset`, {})).json()).toEqual({ ok: true, reset: ['image-tag-not-found'] });
      await until(url, 'api-server back at its first revision', (s) => s.cluster.find((d) => d.name === 'api-server' && d.scenario?.atBaseline));
    } finally {
      expect(await stopCli(child)).toBe(0);
    }
  }, 120_000);

  it('a port in use is named, with how to pick another', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const { port } = taken.address() as AddressInfo;
    try {
      const r = await runCli(['playground', '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`deploy-medic playground: Usage error: port ${port} on 127.0.0.1 is already in use (another playground?); pick another with --port N, or --port 0 for a free one\n`);
    } finally {
      taken.close();
    }
  });
});

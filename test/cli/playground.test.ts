import { describe, expect, it } from 'vitest';
import { startCli, stopCli } from '../helpers/cli.js';

describe('deploy-medic playground', () => {
  it('runs the bot against the simulated cluster and serves a Slack console', async () => {
    const { child, match } = await startCli(['playground', '--port', '0'], /open (http:\/\/127\.0\.0\.1:\d+)/);
    const url = match[1]!;
    try {
      const page = await (await fetch(url)).text();
      expect(page).toContain('<title>Deploy Medic playground</title>');
      const sent = await fetch(`${url}/api/command`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: 'diagnose api-server -n production', userId: 'U0ALICE', channelId: 'C0PROD' }),
      });
      expect(await sent.json()).toEqual({ ok: true, status: 200 });
      let text = '';
      for (let i = 0; i < 200 && !text.includes('IMAGE_TAG_NOT_FOUND'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        const state = (await (await fetch(`${url}/api/state`)).json()) as { messages: Record<string, Array<{ text: string }>> };
        text = (state.messages.C0PROD ?? []).map((m) => m.text).join('\n');
      }
      expect(text).toContain('production/api-server: IMAGE_TAG_NOT_FOUND');
      const bad = await fetch(`${url}/api/command`, { method: 'POST', body: '{"text": 1}' });
      expect(bad.status).toBe(400);
    } finally {
      expect(await stopCli(child)).toBe(0);
    }
  });
});

import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import { BOT_TOKEN, waitForMessage } from '../helpers/slack.js';
import { startEmulatorWithHttpApp } from './bolt-app.js';

async function call(emulator: SlackEmulator, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${emulator.url}/_emulator/${path}`, {
    method,
    ...(body ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('the /_emulator/ JSON API (playground)', () => {
  let emulator: SlackEmulator;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ emulator, stop } = await startEmulatorWithHttpApp());
  });
  afterAll(() => stop());

  it('runs a slash command and a click as a user, then shows the workspace', async () => {
    const run = await call(emulator, 'POST', 'slash-command', { command: '/deploy', text: 'status web', userId: 'U0ALICE', channelId: 'C0PROD' });
    expect(run).toMatchObject({ status: 200, json: { transport: 'http', status: 200 } });
    const root = await waitForMessage(emulator, 'C0PROD', 'Rollout report');
    await emulator.waitFor(() => emulator.thread('C0PROD', root.ts).length === 2, { description: 'the thread reply' });

    const click = await call(emulator, 'POST', 'click', { userId: 'U0BOB', channelId: 'C0PROD', messageTs: root.ts, actionId: 'approve' });
    expect(click.json).toMatchObject({ status: 200 });
    await emulator.waitFor(() => emulator.messages('C0PROD')[0]?.text.startsWith('Approved'), { description: 'approval' });

    const { json: state } = await call(emulator, 'GET', 'state');
    expect(state).toMatchObject({ app: { teamId: 'T0MEDIC' }, socketConnections: 0 });
    expect((state.channels as Array<{ id: string }>).map((c) => c.id)).toEqual(['C0PROD', 'C0INCIDENTS', 'C0STAGING']);
    const prod = (state.messages as Record<string, Array<{ text: string }>>).C0PROD!;
    expect(prod.map((m) => m.text)).toEqual(['Approved by <@U0BOB>', 'Diagnosis: ImagePullBackOff']);
    expect((state.ephemerals as Array<{ user: string }>).map((e) => e.user)).toEqual(['U0ALICE']);

    const { json: calls } = await call(emulator, 'GET', 'calls?method=chat.postMessage');
    expect(calls).toHaveLength(2);
  });

  it('injects faults and validates its input', async () => {
    expect((await call(emulator, 'POST', 'faults', { method: 'chat.postMessage', error: 'channel_not_found' })).status).toBe(200);
    const client = new WebClient(BOT_TOKEN, { slackApiUrl: emulator.apiUrl, logLevel: LogLevel.ERROR });
    await expect(client.chat.postMessage({ channel: 'C0STAGING', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    expect((await client.chat.postMessage({ channel: 'C0STAGING', text: 'x' })).ok).toBe(true);

    expect((await call(emulator, 'POST', 'slash-command', { command: 'deploy', userId: 'U0ALICE', channelId: 'C0PROD' })).status).toBe(400);
    const stranger = await call(emulator, 'POST', 'slash-command', { command: '/deploy', userId: 'U0NOBODY', channelId: 'C0PROD' });
    expect(stranger).toEqual({ status: 409, json: { ok: false, error: 'unknown user U0NOBODY' } });
  });
});

import type { App } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../adapters/store/sqlite/store.js';
import { createLogger } from '../log.js';
import { systemClock } from '../ports.js';
import { Inbox } from '../services/inbox.js';
import { signedHeaders } from '../sim/slack/signing.js';
import { AckFirstReceiver } from './receiver.js';

const SECRET = 'receiver-test-signing-secret-000';
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

let receiver: AckFirstReceiver | undefined;
let store: SqliteStore | undefined;
afterEach(async () => {
  await receiver?.stop();
  await store?.close().catch(() => {});
});

async function start(processed: unknown[]) {
  store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'medic-receiver-')), 'inbox.db'));
  const inbox = new Inbox(store, systemClock, 'test');
  receiver = new AckFirstReceiver(SECRET, [{ path: '/healthz', method: 'GET', handler: (_q, s) => s.end('ok') }], silent, (body) => inbox.accept(body));
  receiver.init({ processEvent: async (e: { body: unknown }) => void processed.push(e.body) } as unknown as App);
  const server = await receiver.start(0);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (url: string, body: string, headers: Record<string, string>) =>
  fetch(`${url}/slack/events`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body });

describe('AckFirstReceiver', () => {
  it('acks a signed slash command with an empty 200, then hands it to Bolt', async () => {
    const processed: unknown[] = [];
    const url = await start(processed);
    const body = 'command=%2Fdeploy&text=status+api&user_id=U1';
    const res = await post(url, body, signedHeaders(SECRET, body));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await new Promise((r) => setTimeout(r, 50));
    expect(processed).toEqual([{ command: '/deploy', text: 'status api', user_id: 'U1' }]);
  });

  it('decodes interactive payloads from the payload field', async () => {
    const processed: unknown[] = [];
    const url = await start(processed);
    const body = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', actions: [] }))}`;
    expect((await post(url, body, signedHeaders(SECRET, body))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(processed).toEqual([{ type: 'block_actions', actions: [] }]);
  });

  it('refuses bad signatures, replays and oversized bodies before Bolt sees them', async () => {
    const processed: unknown[] = [];
    const url = await start(processed);
    const body = 'command=%2Fdeploy';
    expect((await post(url, body, signedHeaders(SECRET, body, { signature: 'wrong' }))).status).toBe(401);
    expect((await post(url, body, signedHeaders(SECRET, body, { signature: 'missing' }))).status).toBe(401);
    expect((await post(url, body, signedHeaders(SECRET, body, { timestampSec: Math.floor(Date.now() / 1000) - 301 }))).status).toBe(401);
    const big = `text=${'x'.repeat(1024 * 1024)}`;
    expect((await post(url, big, signedHeaders(SECRET, big)).catch(() => ({ status: 413 }))).status).toBe(413);
    await new Promise((r) => setTimeout(r, 50));
    expect(processed).toEqual([]);
  });

  it('records each delivery before its 200: a duplicate is acked but handled once; an unrecordable one gets 500', async () => {
    const processed: unknown[] = [];
    const url = await start(processed);
    const body = 'command=%2Fdeploy&text=status+api&user_id=U1&trigger_id=13345224609.738474920.8088930838d88f008e0';
    expect((await post(url, body, signedHeaders(SECRET, body))).status).toBe(200);
    expect((await post(url, body, signedHeaders(SECRET, body))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(processed).toHaveLength(1);
    expect(await store!.claimUnhandled({ holder: 'other', now: new Date(Date.now() + 120_000), leaseMs: 1000 }, 10)).toHaveLength(1);
    await store!.close();
    const other = 'command=%2Fdeploy&text=status+web&user_id=U1&trigger_id=2';
    expect((await post(url, other, signedHeaders(SECRET, other))).status).toBe(500);
    await new Promise((r) => setTimeout(r, 50));
    expect(processed).toHaveLength(1);
  });

  it('serves extra routes and 404s the rest', async () => {
    const url = await start([]);
    expect(await (await fetch(`${url}/healthz`)).text()).toBe('ok');
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/slack/events`)).status).toBe(404);
  });
});

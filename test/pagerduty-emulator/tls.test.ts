import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { event } from '@pagerduty/pdjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { L1, startPd, trigger, type Pd } from './helpers.js';

const run = promisify(execFile);

describe('PagerDuty emulator: its certificate, and the two ways a Node client trusts it', () => {
  let pd: Pd;
  beforeAll(async () => {
    pd = await startPd();
  });
  afterAll(() => pd.stop());

  it('serves a certificate for 127.0.0.1 and localhost signed by the CA in caFile', async () => {
    expect(readFileSync(pd.em.caFile, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const viaLocalhost = await event({ server: pd.em.server.replace('127.0.0.1', 'localhost'), data: trigger('tls-localhost') as never, ...({ agent: pd.agent } as object) });
    expect(viaLocalhost.status).toBe(202);
  });

  it('is not trusted without the CA: pdjs fails the TLS handshake', async () => {
    await expect(event({ server: pd.em.server, data: trigger('tls-untrusted') as never })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(pd.em.events({ dedupKey: 'tls-untrusted' })).toEqual([]);
  });

  it('is trusted by a process started with NODE_EXTRA_CA_CERTS, with no agent given to pdjs', async () => {
    const script = `
      import { event } from '@pagerduty/pdjs';
      const res = await event({ server: ${JSON.stringify(pd.em.server)}, data: ${JSON.stringify(trigger('tls-extra-ca'))} });
      console.log(JSON.stringify({ status: res.status, data: res.data }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: pd.em.caFile }, cwd: process.cwd() });
    expect(JSON.parse(stdout)).toEqual({ status: 202, data: { status: 'success', message: 'Event processed', dedup_key: 'tls-extra-ca' } });
    expect(pd.em.events({ dedupKey: 'tls-extra-ca' })[0]).toMatchObject({ routingKey: L1, outcome: 'created' });
  });

  it('gives the bot its settings in one place', () => {
    expect(pd.em.env()).toEqual({
      PAGERDUTY_EVENTS_URL: pd.em.url,
      PAGERDUTY_API_URL: pd.em.url,
      PAGERDUTY_API_TOKEN: pd.em.apiToken,
      PAGERDUTY_CA_FILE: pd.em.caFile,
    });
    expect(pd.em.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });
});

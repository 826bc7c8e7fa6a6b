import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotFixture } from '../helpers/bot.js';

/**
 * /readyz against the real things it checks: the simulated cluster's API
 * server, the SQLite file, the watcher's informers. Each taken away turns the
 * bot not ready, naming it; each given back turns it ready again.
 */
let b: BotFixture;

const policy = `
channels:
  - {channel: C0PROD, cluster: default, namespaces: [production]}
access:
  readers: ["*"]
  operators: [U0ALICE]
incidents:
  channel: C0PROD
  watchNamespaces: [production]
`;

beforeAll(async () => {
  b = await startBot({ policy });
  await b.sim.kubectl.ok('create', 'namespace', 'production');
}, 120_000);
afterAll(() => b?.stop());

const faults = (method: 'POST' | 'DELETE', rule?: object) => fetch(`${b.sim.sim.url}/_sim/v1/faults`, { method, ...(rule ? { body: JSON.stringify(rule) } : {}) });

/** Polls /readyz (real time) until its status is `status`; its body then. */
async function readyz(status: 200 | 503, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${b.url}/readyz`);
    const body = await res.text();
    if (res.status === status) return body;
    if (Date.now() > deadline) throw new Error(`/readyz still ${res.status} after ${timeoutMs} ms:\n${body}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('/readyz', () => {
  it('is ready with every check named', async () => {
    expect(await readyz(200)).toBe('ready\nslack: ok\ncluster default: ok\nstore: ok\nwatcher default: ok\n');
  });

  it('turns not ready while the API server fails, and ready when it answers again', async () => {
    await faults('POST', { path: '^/version$', status: 503 });
    expect(await readyz(503)).toMatch(/^not ready\nslack: ok\ncluster default: the server is currently unable to handle the request\nstore: ok\nwatcher default: ok\n$/);
    await faults('DELETE');
    expect(await readyz(200)).toContain('cluster default: ok\n');
  });

  it('turns not ready while the watcher cannot list pods, and ready once it has re-listed', async () => {
    await faults('POST', { path: '/pods$', status: 503 });
    // The API server ends the live watches and has compacted their history (410): the informer must list again, and cannot.
    await fetch(`${b.sim.sim.url}/_sim/v1/compact`, { method: 'POST', body: '{}' });
    const ended = (await (await fetch(`${b.sim.sim.url}/_sim/v1/watches/end`, { method: 'POST' })).json()) as { ended: number };
    expect(ended.ended).toBeGreaterThanOrEqual(3);
    expect(await readyz(503)).toContain('\nwatcher default: not watching (re-listing after a failed or silent watch)\n');
    await faults('DELETE');
    expect(await readyz(200)).toContain('\nwatcher default: ok\n');
  });

  it('turns not ready while the store cannot take a write, and ready when it can', async () => {
    const other = new Database(b.databaseUrl.slice('sqlite://'.length));
    other.exec('BEGIN EXCLUSIVE');
    try {
      expect(await readyz(503)).toMatch(/\nstore: .*(locked|busy)/i);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await readyz(200)).toContain('\nstore: ok\n');
  });
});

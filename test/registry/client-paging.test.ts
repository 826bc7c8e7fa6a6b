import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/adapters/registry/client.js';
import { listen } from '../helpers/stub-servers.js';

/**
 * Distribution 2.8 answers the whole tag list at once, so paging and answers
 * it never gives (5xx) come from a small stand-in that pages like Docker Hub
 * and Distribution 3: two tags a page, `Link: <...?last=X&n=2>; rel="next"`.
 */
const TAGS: Record<string, string[]> = {
  app: ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v2.0.0', 'v2.0.2'],
  // Its second page points at another origin: our credentials must not follow.
  elsewhere: ['v1.0.0', 'v1.0.2', 'v1.0.1'],
};
let server: Server;
let url: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://stub');
    seen.push(`${req.method} ${u.pathname}${u.search}`);
    const m = /^\/v2\/(.+)\/(manifests|tags)\/(.+)$/.exec(u.pathname);
    if (!m) return void res.writeHead(404).end();
    const [, repo, kind] = m as unknown as [string, string, string];
    if (repo === 'broken') return void res.writeHead(500).end();
    if (kind === 'manifests') return void res.writeHead(404).end();
    const all = TAGS[repo] ?? [];
    const start = u.searchParams.has('last') ? all.indexOf(u.searchParams.get('last')!) + 1 : 0;
    const page = all.slice(start, start + 2);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (start + 2 < all.length) {
      const next = `/v2/${repo}/tags/list?last=${page.at(-1)}&n=2`;
      headers.Link = `<${repo === 'elsewhere' ? `http://other.invalid${next}` : next}>; rel="next"`;
    }
    res.writeHead(200, headers).end(JSON.stringify({ name: repo, tags: page }));
  });
  url = `http://127.0.0.1:${await listen(server)}`;
});
afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));

const client = (maxTags?: number) => new RegistryClient({ registries: [{ host: 'r.example', endpoint: url }], maxTags, nearestTagCount: 5 });

describe('tag listing', () => {
  it('follows Link pages to see every tag', async () => {
    const c = client();
    const r = await c.check('r.example/app:v2.0.1', []);
    expect(r.nearestTags).toEqual(['v2.0.2', 'v2.0.0', 'v1.2.0', 'v1.1.0', 'v1.0.0']);
    expect(seen.filter((s) => s.startsWith('GET /v2/app/tags/list'))).toEqual([
      'GET /v2/app/tags/list?n=1000',
      'GET /v2/app/tags/list?last=v1.1.0&n=2',
      'GET /v2/app/tags/list?last=v2.0.0&n=2',
    ]);
    c.close();
  });

  it('stops at the tag cap', async () => {
    const c = client(3);
    expect((await c.check('r.example/app:v2.0.1', [])).nearestTags).toEqual(['v1.2.0', 'v1.1.0', 'v1.0.0']);
    c.close();
  });

  it('does not follow a next page on another origin', async () => {
    const c = client();
    expect((await c.check('r.example/elsewhere:v1.0.3', [])).nearestTags).toEqual(['v1.0.2', 'v1.0.0']);
    c.close();
  });

  it('classifies an unexpected status as an error, naming it', async () => {
    const c = client();
    expect(await c.check('r.example/broken:v1', [])).toMatchObject({
      status: 'error',
      httpStatus: 500,
      detail: 'r.example answered HTTP 500 to HEAD /v2/broken/manifests/v1',
    });
    c.close();
  });
});

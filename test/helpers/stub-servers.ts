import { createServer, request, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

/** Listens on loopback, on a free port unless one is given. */
export function listen(server: Server | ReturnType<typeof createTcpServer>, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** A port nothing listens on (free a moment ago): connections to it are refused. */
export async function freePort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise((r) => server.close(r));
  return port;
}

export interface StubServer {
  url: string;
  host: string;
  /** Requests (or connections, for the silent server) seen so far. */
  count: number;
  close(): Promise<void>;
}

/** Accepts connections and never answers: what a hung registry looks like. */
export async function startSilentServer(): Promise<StubServer> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((s) => {
    stub.count++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  const stub: StubServer = {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    count: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
  return stub;
}

/** A plain HTTP reverse proxy that counts the requests it forwards, to see what reaches the registry. */
export async function startCountingProxy(target: string): Promise<StubServer> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    stub.count++;
    const fwd = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    fwd.on('error', () => res.writeHead(502).end());
    req.pipe(fwd);
  });
  const port = await listen(server);
  const stub: StubServer = {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    count: 0,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
  return stub;
}

import { createServer, connect, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of one server (the API server, PostgreSQL) for one client:
 * `cut` drops every open connection and resets new ones, as a network partition between that
 * client and the server would; `restore` lets connections through again. Others reach the
 * server directly and see nothing.
 */
export interface TcpProxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let open = true;
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (!open) return void client.resetAndDestroy();
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut() {
      open = false;
      for (const s of [...sockets]) s.resetAndDestroy();
    },
    restore() {
      open = true;
    },
    async close() {
      for (const s of [...sockets]) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MedicError } from '../../errors.js';
import { handleConsole, type ConsoleWorld } from './api.js';

export interface ConsoleServer {
  url: string;
  /** Serves the world once it is up; until then requests wait for it. */
  serve(world: ConsoleWorld): void;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Binds the console's port first, before the test world starts, so a port
 * in use is reported at once (and how to choose another), not after the
 * cluster has loaded.
 */
export async function listenConsole(port: number): Promise<ConsoleServer> {
  let ready!: (w: ConsoleWorld) => void;
  const world = new Promise<ConsoleWorld>((resolve) => (ready = resolve));
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void world.then((w) => handleConsole(w, req, res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new MedicError('USAGE', `port ${port} on ${HOST} is already in use (another playground?); pick another with --port N, or --port 0 for a free one`, { cause: e }));
      else if (e.code === 'EACCES') reject(new MedicError('USAGE', `port ${port} on ${HOST} needs privileges this user does not have; pick one above 1023 with --port N`, { cause: e }));
      else reject(e);
    });
    server.listen(port, HOST, () => resolve());
  });
  return {
    url: `http://${HOST}:${(server.address() as AddressInfo).port}`,
    serve: ready,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * The HTTPS listener, which can be taken down and brought back on the same
 * port: while it is down a client's connect is refused by the kernel, which
 * is what an outage looks like from the bot.
 */
export class HttpsListener {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private reopenTimer: NodeJS.Timeout | undefined;

  constructor(
    tls: { cert: Buffer; key: Buffer },
    handler: (req: IncomingMessage, res: ServerResponse) => void,
    private readonly host: string,
    private readonly onChange: () => void,
  ) {
    this.server = createServer({ cert: tls.cert, key: tls.key }, handler);
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
  }

  get listening(): boolean {
    return this.server.listening;
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.onChange();
    return this.port;
  }

  /** Closes the port and cuts every open connection; reopens after `forMs` if given. */
  async refuse(forMs?: number): Promise<void> {
    clearTimeout(this.reopenTimer);
    if (this.server.listening) {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const s of this.sockets) s.destroy();
      await closed;
      this.onChange();
    }
    if (forMs !== undefined) this.reopenTimer = setTimeout(() => void this.accept(), forMs);
  }

  async accept(): Promise<void> {
    clearTimeout(this.reopenTimer);
    if (!this.server.listening) await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.refuse();
  }
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';

/** One request a client sent to the API server through the recorder, with who sent it (its bearer token). */
export interface RecordedKubeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  token: string | undefined;
  userAgent: string | undefined;
  /** The API server's answer; undefined while a watch is still open. */
  status?: number;
}

/**
 * A pass-through HTTP proxy in front of the Kubernetes API simulator that
 * records every request, as an API server's audit log would: the method,
 * path and query, and the bearer token of the client that sent it, so that
 * the calls of one process (one kubeconfig) can be told from another's.
 * Watches stream through untouched.
 */
export class KubeRecorder {
  readonly requests: RecordedKubeRequest[] = [];
  private server?: http.Server;
  url = '';

  private constructor(private readonly upstream: URL) {}

  static async start(upstreamUrl: string): Promise<KubeRecorder> {
    const recorder = new KubeRecorder(new URL(upstreamUrl));
    await recorder.listen();
    return recorder;
  }

  /** A kubeconfig pointing at the recorder whose user sends `token`. */
  kubeconfig(token: string): string {
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'recorded', cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: token, user: { token } }],
      contexts: [{ name: 'recorded', context: { cluster: 'recorded', user: token, namespace: 'default' } }],
      'current-context': 'recorded',
    });
  }

  /** The requests one client sent. */
  of(token: string): RecordedKubeRequest[] {
    return this.requests.filter((r) => r.token === token);
  }

  private async listen(): Promise<void> {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://recorder');
      const auth = req.headers.authorization;
      const entry: RecordedKubeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, token: auth?.startsWith('Bearer ') ? auth.slice(7) : undefined, userAgent: req.headers['user-agent'] };
      this.requests.push(entry);
      const forward = http.request(
        { host: this.upstream.hostname, port: this.upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: this.upstream.host } },
        (upstream) => {
          entry.status = upstream.statusCode;
          res.writeHead(upstream.statusCode ?? 502, upstream.headers);
          // A watch answers its headers at once and its events later: pass the headers on now, as the server did.
          res.flushHeaders();
          upstream.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      // A client that gives up (an informer stopping its watch) closes the upstream request too.
      res.on('close', () => forward.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

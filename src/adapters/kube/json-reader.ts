import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { MedicError, networkErrorCode } from '../../errors.js';

/**
 * GETs Kubernetes JSON as the API serves it. Reads are the diagnosis' hot
 * path: client-node's typed clients rebuild every object as class instances
 * with Dates (five times the cost of JSON.parse for 5,000 events), so reads
 * go through Node's http(s) with the kubeconfig's credentials, TLS settings
 * and proxy applied by client-node itself; writes keep the typed clients.
 */
export class KubeJsonReader {
  private keepAlive?: http.Agent;

  constructor(
    private readonly kc: KubeConfig,
    private readonly server: string,
    private readonly timeoutMs: number,
  ) {}

  async get<T>(path: string, query: Record<string, string | undefined> = {}, what = path): Promise<T> {
    return JSON.parse(await this.getText(path, query, what, 'application/json')) as T;
  }

  /** GETs a text resource such as pods/log. */
  async getText(path: string, query: Record<string, string | undefined>, what: string, accept = '*/*'): Promise<string> {
    const url = new URL(this.server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: accept } };
    await this.kc.applyToHTTPSOptions(opts);
    // client-node builds a fresh agent per call; without a proxy, one keep-alive agent with the same TLS material saves a handshake per read.
    if (!this.kc.getCurrentCluster()?.proxyUrl) opts.agent = this.agentFor(url, opts);
    const { status, body } = await this.request(url, opts, what);
    if (status >= 200 && status < 300) return body;
    throw statusError(status, body, what);
  }

  /** Sends a JSON body (preflight's dry runs): the API's answer whatever its status, with its Warning headers. */
  async send(method: 'POST' | 'PUT', path: string, query: Record<string, string | undefined>, body: unknown, what: string): Promise<{ status: number; body: string; warnings: string[] }> {
    const url = new URL(this.server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
    const payload = JSON.stringify(body);
    const opts: https.RequestOptions = { method, headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } };
    await this.kc.applyToHTTPSOptions(opts);
    if (!this.kc.getCurrentCluster()?.proxyUrl) opts.agent = this.agentFor(url, opts);
    return this.request(url, opts, what, payload);
  }

  private agentFor(url: URL, opts: https.RequestOptions): http.Agent {
    this.keepAlive ??=
      url.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, ca: opts.ca, cert: opts.cert, key: opts.key, pfx: opts.pfx, passphrase: opts.passphrase, rejectUnauthorized: opts.rejectUnauthorized, servername: opts.servername })
        : new http.Agent({ keepAlive: true });
    return this.keepAlive;
  }

  private request(url: URL, opts: https.RequestOptions, what: string, payload?: string): Promise<{ status: number; body: string; warnings: string[] }> {
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(url, { ...opts, signal: AbortSignal.timeout(this.timeoutMs) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), warnings: res.headersDistinct.warning ?? [] }));
        res.on('error', reject);
      });
      req.on('error', (e) => reject(transportError(e, what, this.server)));
      req.end(payload);
    });
  }
}

export function statusError(status: number, body: string, what: string): MedicError {
  let parsed: { message?: string; reason?: string } | undefined;
  try {
    parsed = JSON.parse(body) as { message?: string; reason?: string };
  } catch {
    parsed = undefined;
  }
  const message = parsed?.message ?? `HTTP ${status}`;
  const code = status === 404 ? 'NOT_FOUND' : status === 401 || status === 403 ? 'FORBIDDEN' : status === 409 ? 'CONFLICT' : 'KUBE_API';
  return new MedicError(code, message, { details: { httpStatus: status, reason: parsed?.reason, what } });
}

export function transportError(e: unknown, what: string, server: string): MedicError {
  const name = (e as Error)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') return new MedicError('TIMEOUT', `reading ${what} from ${server} timed out`, { cause: e });
  const net = networkErrorCode(e);
  if (net) return new MedicError('CLUSTER_UNREACHABLE', `cannot connect to the Kubernetes API at ${server} (${net})`, { cause: e });
  return new MedicError('KUBE_API', `reading ${what}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

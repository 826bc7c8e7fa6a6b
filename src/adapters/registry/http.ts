import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';

/** Certificate handling for one registry. */
export interface TlsSettings {
  /** PEM bundle added to the trusted CAs. */
  ca?: string;
  /** false: HTTPS without certificate checks (an "insecure" registry). */
  verify: boolean;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Repeated headers kept apart (WWW-Authenticate may come several times). */
  headersDistinct: NodeJS.Dict<string[]>;
  body: string;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD';
  url: URL;
  headers: Record<string, string>;
  tls: TlsSettings;
  signal: AbortSignal;
}

/** Registry answers we read are small JSON documents; anything bigger is cut off rather than buffered. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * HTTP on node:http/https rather than fetch, because each registry needs its
 * own certificate settings (CA bundle, or no verification) and no redirect
 * may carry credentials to another host.
 */
export class HttpTransport {
  private readonly agents = new Map<string, https.Agent>();
  private readonly plain = new http.Agent({ keepAlive: true });

  request(req: HttpRequest): Promise<HttpResponse> {
    const isHttps = req.url.protocol === 'https:';
    const options: https.RequestOptions = {
      method: req.method,
      headers: req.headers,
      signal: req.signal,
      agent: isHttps ? this.agentFor(req.tls) : this.plain,
    };
    return new Promise((resolve, reject) => {
      const r = (isHttps ? https : http).request(req.url, options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_BODY_BYTES) chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, headersDistinct: res.headersDistinct, body: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      r.on('error', reject);
      r.end();
    });
  }

  close(): void {
    this.plain.destroy();
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }

  private agentFor(tls: TlsSettings): https.Agent {
    const key = `${tls.verify}\0${tls.ca ?? ''}`;
    let agent = this.agents.get(key);
    if (!agent) {
      // Node's `ca` replaces the default trust store; a registry's own CA should add to it.
      agent = new https.Agent({ keepAlive: true, rejectUnauthorized: tls.verify, ...(tls.ca ? { ca: [...rootCertificates, tls.ca] } : {}) });
      this.agents.set(key, agent);
    }
    return agent;
  }
}

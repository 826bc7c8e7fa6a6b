import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** One request the simulated API server received, in arrival order. */
export interface KubeRequest {
  method: string;
  path: string;
  query: string;
  /** performance.now() of this process when the request was logged (its arrival). */
  at: number;
}

/**
 * The simulator's request log: the API server logs every request it
 * receives (debug "request"), so a test hands it a logger and reads the
 * sequence back: which GETs and PATCHes reached it, and in what order.
 */
export class KubeRequestLog {
  readonly entries: KubeRequest[] = [];
  readonly logger: Logger;

  constructor() {
    const destination = new Writable({
      write: (chunk, _enc, cb) => {
        for (const line of String(chunk).split('\n').filter(Boolean)) {
          const entry = JSON.parse(line) as { msg?: string; method?: string; url?: string };
          if (entry.msg !== 'request' || !entry.method || !entry.url) continue;
          const [path, query = ''] = entry.url.split('?');
          this.entries.push({ method: entry.method, path: path!, query, at: performance.now() });
        }
        cb();
      },
    });
    this.logger = pino({ level: 'debug' }, destination);
  }

  /** Requests to one deployment (not its watch, not its subresources), from entry `from` on. */
  ofDeployment(namespace: string, name: string, from = 0): KubeRequest[] {
    const path = `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;
    return this.entries.slice(from).filter((e) => e.path === path);
  }

  /** "GET PATCH GET PATCH": the methods of a deployment's requests, for order assertions. */
  sequence(namespace: string, name: string, from = 0): string {
    return this.ofDeployment(namespace, name, from).map((e) => e.method).join(' ');
  }

  get length(): number {
    return this.entries.length;
  }
}

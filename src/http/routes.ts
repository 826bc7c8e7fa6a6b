import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoreCounts } from '../ports.js';
import type { Metrics } from './metrics.js';

/** An HTTP route served beside Bolt's /slack/events (Bolt's customRoutes shape). */
export interface Route {
  path: string;
  method: string | string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** One thing /readyz depends on, and why it is not ready. */
export interface ReadinessCheck {
  name: string;
  problem?: string;
}

/**
 * /healthz (the process answers), /readyz (every check passes: 503 naming
 * each that does not), /metrics (Prometheus text).
 */
export function operationalRoutes(metrics: Metrics, readiness: () => Promise<ReadinessCheck[]>, counts: () => Promise<StoreCounts>): Route[] {
  const text = (res: ServerResponse, code: number, body: string, type = 'text/plain; charset=utf-8') => {
    res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(body);
  };
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => text(res, 200, 'ok\n') },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => {
        readiness().then(
          (checks) => {
            const failing = checks.filter((c) => c.problem);
            const lines = checks.map((c) => `${c.name}: ${c.problem ?? 'ok'}`).join('\n');
            text(res, failing.length ? 503 : 200, `${failing.length ? 'not ready' : 'ready'}\n${lines}\n`);
          },
          (e: unknown) => text(res, 503, `not ready\n${e instanceof Error ? e.message : String(e)}\n`),
        );
      },
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: (_req, res) => {
        // A store that cannot be read still leaves the process's own metrics to scrape.
        counts().then(
          (c) => text(res, 200, metrics.render(c), 'text/plain; version=0.0.4; charset=utf-8'),
          () => text(res, 200, metrics.render(), 'text/plain; version=0.0.4; charset=utf-8'),
        );
      },
    },
  ];
}

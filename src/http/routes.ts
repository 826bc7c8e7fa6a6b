import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics.js';

/** An HTTP route served beside Bolt's /slack/events (Bolt's customRoutes shape). */
export interface Route {
  path: string;
  method: string | string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** /healthz (the process answers), /readyz (Slack connection up), /metrics (Prometheus text). */
export function operationalRoutes(metrics: Metrics, ready: () => boolean): Route[] {
  const text = (res: ServerResponse, code: number, body: string, type = 'text/plain; charset=utf-8') => {
    res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(body);
  };
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => text(res, 200, 'ok\n') },
    { path: '/readyz', method: 'GET', handler: (_req, res) => (ready() ? text(res, 200, 'ready\n') : text(res, 503, 'not ready\n')) },
    { path: '/metrics', method: 'GET', handler: (_req, res) => text(res, 200, metrics.render(), 'text/plain; version=0.0.4; charset=utf-8') },
  ];
}

import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { webhookProblem, type AlertmanagerWebhook } from '../domain/alertmanager.js';
import type { Logger } from '../log.js';
import { readBody } from './body.js';
import type { Route } from './routes.js';

const MAX_BODY = 4 * 1024 * 1024;

const answer = (res: ServerResponse, code: number, message: string) => {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ status: code < 300 ? 'success' : 'error', message }));
};

/** Compared in constant time, so the token cannot be guessed byte by byte from response times. */
function authorized(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * POST /webhooks/alertmanager: Alertmanager's `http_config.authorization`
 * bearer token, the version 4 payload, 2xx once the notification is
 * persisted and 5xx only when it could not be (Alertmanager retries 5xx; in
 * HA it also sends duplicates, which the store recognises).
 */
export function alertmanagerRoute(token: string | undefined, receive: (webhook: AlertmanagerWebhook) => Promise<void>, log: Logger): Route {
  return {
    path: '/webhooks/alertmanager',
    method: 'POST',
    handler: (req: IncomingMessage, res: ServerResponse) => {
      if (!token) return answer(res, 404, 'the Alertmanager webhook is off: set ALERTMANAGER_TOKEN to turn it on');
      if (!authorized(req.headers.authorization, token)) return answer(res, 401, 'missing or wrong bearer token (http_config.authorization in the Alertmanager receiver)');
      readBody(req, MAX_BODY).then(
        async (raw) => {
          let json: unknown;
          try {
            json = JSON.parse(raw);
          } catch {
            return answer(res, 400, 'the body is not JSON');
          }
          const parsed = webhookProblem(json);
          if (!parsed.ok) return answer(res, 400, parsed.problem);
          try {
            await receive(parsed.webhook);
            answer(res, 200, `${parsed.webhook.alerts.length} alert(s) recorded`);
          } catch (err) {
            log.error({ err, groupKey: parsed.webhook.groupKey }, 'could not record an Alertmanager notification; answered 503 so it is sent again');
            answer(res, 503, 'could not record the alerts; Alertmanager will retry');
          }
        },
        (err: Error) => answer(res, 413, err.message),
      );
    },
  };
}

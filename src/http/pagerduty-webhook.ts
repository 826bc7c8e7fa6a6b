import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { readBody } from './body.js';
import type { Route } from './routes.js';

const MAX_BODY = 1024 * 1024;

/** The v3 envelope, as much of it as the bot reads. */
const WebhookSchema = z.object({
  event: z.object({
    id: z.string(),
    event_type: z.string(),
    resource_type: z.string(),
    occurred_at: z.string(),
    agent: z.object({ summary: z.string().optional(), id: z.string().optional() }).nullable().optional(),
    data: z
      .object({
        id: z.string(),
        incident_key: z.string().nullable().optional(),
        status: z.string().optional(),
        title: z.string().optional(),
        html_url: z.string().optional(),
        /** incident.annotated: the note, and the incident it is on. */
        content: z.string().optional(),
        incident: z.object({ id: z.string() }).passthrough().optional(),
      })
      .passthrough(),
  }),
});

export type PagerDutyWebhook = z.infer<typeof WebhookSchema> & { webhookId: string };

/**
 * X-PagerDuty-Signature carries one `v1=<hex HMAC-SHA256 of the raw body>`
 * per secret while a secret rotates: any match will do, each compared in
 * constant time.
 */
export function signatureMatches(raw: string, header: string | undefined, secret: string): boolean {
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  return (header ?? '')
    .split(',')
    .map((s) => Buffer.from(s.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}

const answer = (res: ServerResponse, code: number, message: string) => {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ message }));
};

/**
 * POST /webhooks/pagerduty: a badly signed delivery gets 401 and changes
 * nothing; a good one is handed on with its X-Webhook-Id, by which the store
 * recognises a retry or a replay.
 */
export function pagerDutyWebhookRoute(secret: string | undefined, receive: (webhook: PagerDutyWebhook) => Promise<void>, log: Logger): Route {
  return {
    path: '/webhooks/pagerduty',
    method: 'POST',
    handler: (req: IncomingMessage, res: ServerResponse) => {
      if (!secret) return answer(res, 404, 'PagerDuty webhooks are off: set PAGERDUTY_WEBHOOK_SECRET to turn them on');
      readBody(req, MAX_BODY).then(
        async (raw) => {
          const header = req.headers['x-pagerduty-signature'];
          if (!signatureMatches(raw, typeof header === 'string' ? header : undefined, secret)) return answer(res, 401, 'X-PagerDuty-Signature does not match');
          const webhookId = req.headers['x-webhook-id'];
          let parsed: z.infer<typeof WebhookSchema>;
          try {
            parsed = WebhookSchema.parse(JSON.parse(raw));
          } catch {
            return answer(res, 400, 'not a PagerDuty v3 webhook envelope');
          }
          try {
            await receive({ ...parsed, webhookId: typeof webhookId === 'string' && webhookId ? webhookId : parsed.event.id });
            answer(res, 200, 'ok');
          } catch (err) {
            log.error({ err, webhook: webhookId }, 'could not record a PagerDuty webhook; answered 503 so it is sent again');
            answer(res, 503, 'could not record the webhook');
          }
        },
        (err: Error) => answer(res, 413, err.message),
      );
    },
  };
}

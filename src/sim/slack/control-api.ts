import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseJsonObject, readBody, sendJson } from './http.js';
import type { SlackEmulator } from './emulator.js';

/**
 * The emulator's own JSON API under /_emulator/, for the browser playground:
 * read the workspace, act as a user, inject faults. Not part of Slack.
 */

const SlashCommandBody = z.object({
  command: z.string().startsWith('/'),
  text: z.string().default(''),
  userId: z.string(),
  channelId: z.string(),
});

const ClickBody = z.object({
  userId: z.string(),
  channelId: z.string(),
  messageTs: z.string(),
  actionId: z.string(),
  blockId: z.string().optional(),
});

const FaultBody = z.object({
  method: z.string(),
  error: z.string().optional(),
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
  retryAfterSeconds: z.number().int().min(0).default(1),
  times: z.number().int().min(1).default(1),
});

export async function handleControl(emulator: SlackEmulator, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = `${req.method ?? 'GET'} ${path}`;
  switch (route) {
    case 'GET /_emulator/state':
      return sendJson(res, 200, emulator.snapshot());
    case 'GET /_emulator/calls':
      return sendJson(res, 200, emulator.calls(new URL(req.url ?? '/', 'http://slack').searchParams.get('method') ?? undefined));
    case 'POST /_emulator/slash-command':
      return act(req, res, SlashCommandBody, (body) => emulator.slashCommand(body));
    case 'POST /_emulator/click':
      return act(req, res, ClickBody, (body) => emulator.clickButton(body));
    case 'POST /_emulator/faults':
      return act(req, res, FaultBody, async (body) => {
        const spec = body.status === 429 ? { status: 429 as const, retryAfterSeconds: body.retryAfterSeconds } : body.status ? { status: body.status } : body.error;
        if (!spec) throw new Error('give an error code or a status');
        emulator.failNext(body.method, spec, body.times);
        return { ok: true };
      });
    default:
      return sendJson(res, 404, { ok: false, error: 'not_found' });
  }
}

async function act<S extends z.ZodType>(
  req: IncomingMessage,
  res: ServerResponse,
  schema: S,
  run: (body: z.infer<S>) => Promise<unknown>,
): Promise<void> {
  const parsed = schema.safeParse(parseJsonObject(await readBody(req)) ?? {});
  if (!parsed.success) return sendJson(res, 400, { ok: false, error: 'invalid_arguments', detail: z.prettifyError(parsed.error) });
  try {
    sendJson(res, 200, await run(parsed.data));
  } catch (e) {
    sendJson(res, 409, { ok: false, error: (e as Error).message });
  }
}

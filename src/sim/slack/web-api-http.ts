import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultPlan } from './faults.js';
import { mediaType, parseJsonObject, readBody, sendJson } from './http.js';
import type { ApiCall } from './types.js';
import { METHODS, type ApiArgs, type ApiResult, type TokenKind, type WebApiContext } from './web-api.js';

export interface WebApiHttpDeps extends WebApiContext {
  tokens: Map<string, TokenKind>;
  faults: FaultPlan;
  now(): number;
  /** Every call is recorded here, tokens removed. */
  record(call: ApiCall): void;
}

/**
 * `POST /api/<method>` as slack.com serves it: form or JSON bodies, the token
 * from `Authorization: Bearer` (or, in form bodies only, a `token` field), HTTP
 * 200 for every answer except injected 429s and 5xx.
 */
export async function handleWebApi(deps: WebApiHttpDeps, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { args, bodyToken, jsonWithoutCharset } = await readArgs(req);
  const token = bearer(req) ?? bodyToken;
  const call = (status: number, result: ApiResult): void =>
    deps.record({ method, args, at: deps.now(), status, ok: result.ok, ...(result.error ? { error: result.error } : {}) });

  const spec = METHODS[method];
  if (!spec) return answer(res, call, { ok: false, error: 'unknown_method', req_method: method }, jsonWithoutCharset);

  const fault = deps.faults.take(method);
  if (fault?.kind === 'ratelimited') {
    call(429, { ok: false, error: 'ratelimited' });
    return sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(fault.retryAfterSeconds) });
  }
  if (fault?.kind === 'http') {
    call(fault.status, { ok: false, error: `http_${fault.status}` });
    res.writeHead(fault.status, { 'Content-Type': 'text/plain' }).end('upstream service error');
    return;
  }
  if (fault) return answer(res, call, { ok: false, error: fault.error }, jsonWithoutCharset);

  const kind = token ? deps.tokens.get(token) : undefined;
  const result: ApiResult = !token
    ? { ok: false, error: 'not_authed' }
    : !kind
      ? { ok: false, error: 'invalid_auth' }
      : kind !== spec.token
        ? { ok: false, error: 'not_allowed_token_type' }
        : spec.handle(args, deps);
  answer(res, call, result, jsonWithoutCharset);
}

function answer(res: ServerResponse, call: (status: number, r: ApiResult) => void, result: ApiResult, jsonWithoutCharset: boolean): void {
  call(200, result);
  // Slack accepts JSON without a charset but says so in every answer.
  const body = jsonWithoutCharset ? withWarning(result, 'missing_charset') : result;
  sendJson(res, 200, body);
}

function withWarning(result: ApiResult, warning: string): ApiResult {
  const meta = (result.response_metadata ?? {}) as Record<string, unknown>;
  const warnings = Array.isArray(meta.warnings) ? (meta.warnings as string[]) : [];
  return { ...result, warning, response_metadata: { ...meta, warnings: [...warnings, warning] } };
}

async function readArgs(req: IncomingMessage): Promise<{ args: ApiArgs; bodyToken?: string; jsonWithoutCharset: boolean }> {
  const url = new URL(req.url ?? '/', 'http://slack');
  const args: ApiArgs = Object.fromEntries(url.searchParams);
  const text = await readBody(req);
  const type = mediaType(req);
  let bodyToken: string | undefined;
  let jsonWithoutCharset = false;
  if (type === 'application/json') {
    // Slack ignores a token inside a JSON body: JSON callers must use the Authorization header.
    const { token: _ignored, ...json } = parseJsonObject(text) ?? {};
    Object.assign(args, json);
    jsonWithoutCharset = !/charset=/i.test(req.headers['content-type'] ?? '');
  } else if (text) {
    const form = Object.fromEntries(new URLSearchParams(text));
    if (typeof form.token === 'string') bodyToken = form.token;
    Object.assign(args, form);
  }
  // Tokens in query strings are not accepted (Slack stopped honouring them); drop them from the record too.
  delete args.token;
  return { args, ...(bodyToken ? { bodyToken } : {}), jsonWithoutCharset };
}

function bearer(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

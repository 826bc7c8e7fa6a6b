import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { StatusError } from '../status-error.js';
import { decodeKubernetesProtobuf, PROTOBUF_MEDIA_TYPE } from './protobuf/decode.js';

/** etcd's default request size limit, which the apiserver enforces too. */
const MAX_BODY = 3 * 1024 * 1024;

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function sendStatus(res: ServerResponse, err: StatusError): void {
  const headers: Record<string, string> = {};
  if (err.details?.retryAfterSeconds !== undefined) headers['Retry-After'] = String(err.details.retryAfterSeconds);
  const text = JSON.stringify(err.toStatus());
  res.writeHead(err.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new StatusError(413, 'BadRequest', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

/** What the apiserver decodes request bodies from (CBOR is alpha and off by default in 1.32). */
const BODY_MEDIA_TYPES = ['application/json', 'application/yaml', PROTOBUF_MEDIA_TYPE];

/**
 * A request body in any encoding the apiserver accepts, by Content-Type:
 * JSON (also when unset), YAML, or Kubernetes protobuf (client-go's typed
 * clients, e.g. `kubectl create secret`); anything else is a 415.
 */
export async function readObject(req: IncomingMessage): Promise<unknown> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === PROTOBUF_MEDIA_TYPE) {
    const bytes = await readBytes(req);
    return bytes.length ? decodeKubernetesProtobuf(bytes) : undefined;
  }
  if (mediaType === 'application/yaml') {
    const text = await readBody(req);
    if (!text.trim()) return undefined;
    try {
      return parseYaml(text) as unknown;
    } catch (e) {
      throw new StatusError(400, 'BadRequest', `the object provided is unrecognized (${(e as Error).message})`);
    }
  }
  if (mediaType && mediaType !== 'application/json' && mediaType !== '*/*') {
    throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${BODY_MEDIA_TYPES.join(', ')}`);
  }
  return readJson(req);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new StatusError(400, 'BadRequest', `the object provided is unrecognized (${(e as Error).message})`);
  }
}

export function toStatusError(e: unknown): StatusError {
  if (e instanceof StatusError) return e;
  return new StatusError(500, 'InternalError', `Internal error occurred: ${(e as Error)?.message ?? String(e)}`);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { thaw, type KubeObject } from '../object.js';
import { applyPatch } from '../patch/index.js';
import { goRoundTrip, goTypeOf } from './go-json.js';
import { apiVersionOf, qualifiedName, type ResourceType } from '../resources.js';
import { parseFieldSelector } from '../field-selectors.js';
import { formatLabelSelector, fromLabelSelectorSpec, parseLabelSelector } from '../selectors.js';
import { StatusError, badRequest } from '../status-error.js';
import type { Query } from '../store.js';
import { tableFor } from '../tables/index.js';
import { readBody, readObject, sendJson } from './http-util.js';
import { checkLogsAvailable, formatLine, parseIntParam, resolveContainer, selectLines, writeLogs } from './logs.js';
import type { ApiServerDeps } from './server.js';
import { serveWatch } from './watch.js';

type ResourceRoute = { resource: ResourceType; namespace?: string; name?: string; subresource?: string };
interface RequestInfo {
  url: URL;
  method: string;
  watch: boolean;
  dropAfterMs?: number;
}

const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export async function handleResource(deps: ApiServerDeps, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, info: RequestInfo): Promise<void> {
  const { store } = deps;
  const { resource, namespace, name, subresource } = route;
  const params = info.url.searchParams;
  const dryRun = params.getAll('dryRun').includes('All');
  const wantsTable = (req.headers.accept ?? '').includes('as=Table');
  const includeObject = (params.get('includeObject') as 'None' | 'Metadata' | 'Object' | null) ?? 'Metadata';
  const table = (objects: KubeObject[], listMeta: { resourceVersion: string; continue?: string; remainingItemCount?: number }) =>
    tableFor(resource.plural, objects, { now: store.clock.now(), includeObject, listMeta });

  if (!name) {
    const query: Query = {
      namespace,
      labels: parseLabelSelector(params.get('labelSelector')),
      fields: parseFieldSelector(params.get('fieldSelector'), resource),
    };
    switch (info.method) {
      case 'GET':
        if (info.watch) {
          return serveWatch(req, res, store, resource, {
            query,
            resourceVersion: params.get('resourceVersion') ?? undefined,
            timeoutSeconds: parseIntParam(params.get('timeoutSeconds'), 'timeoutSeconds'),
            allowBookmarks: params.get('allowWatchBookmarks') === 'true',
            sendInitialEvents: params.get('sendInitialEvents') === 'true',
            render: (obj) => (wantsTable ? table([obj], { resourceVersion: obj.metadata.resourceVersion! }) : obj),
            dropAfterMs: info.dropAfterMs,
          });
        }
        return list(deps, res, resource, query, params, wantsTable ? table : undefined);
      case 'POST': {
        const body = asObject(await readObject(req));
        if (resource.namespaced) {
          if (!namespace) throw new StatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
          if (body.metadata?.namespace && body.metadata.namespace !== namespace) {
            throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
          }
          body.metadata = { ...body.metadata, namespace };
        }
        checkKind(body, resource);
        validateFields(params, res, resource, body, 'decode');
        return sendJson(res, 201, store.create(resource, body, { dryRun }));
      }
      case 'DELETE': {
        const opts = deleteOptions(params, asOptional(await readObject(req)));
        const deleted = store.list(resource, query).map((o) => store.delete(resource, o.metadata.namespace, o.metadata.name!, { ...opts, dryRun: dryRun || opts.dryRun }));
        return sendJson(res, 200, { kind: `${resource.kind}List`, apiVersion: apiVersionOf(resource), metadata: { resourceVersion: String(store.resourceVersion) }, items: deleted });
      }
      default:
        throw methodNotAllowed();
    }
  }

  if (subresource === 'log') {
    if (info.method !== 'GET') throw methodNotAllowed();
    return serveLogs(deps, res, store.mustGet(resource, namespace, name), params);
  }
  if (subresource === 'scale') return serveScale(deps, req, res, route as Required<Pick<ResourceRoute, 'name'>> & ResourceRoute, info.method, dryRun);

  const sub = subresource === 'status' ? ('status' as const) : undefined;
  switch (info.method) {
    case 'GET': {
      const obj = store.mustGet(resource, namespace, name);
      if (wantsTable) return sendJson(res, 200, table([obj], { resourceVersion: obj.metadata.resourceVersion! }), TABLE_CONTENT_TYPE);
      return sendJson(res, 200, obj);
    }
    case 'PUT': {
      const body = asObject(await readObject(req));
      if (body.metadata?.name && body.metadata.name !== name) {
        throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
      }
      if (resource.namespaced && body.metadata?.namespace && body.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      checkKind(body, resource);
      validateFields(params, res, resource, body, 'decode');
      body.metadata = { ...body.metadata, name, namespace };
      return sendJson(res, 200, store.update(resource, body, { dryRun, subresource: sub }));
    }
    case 'PATCH': {
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      const raw = await readBody(req);
      let patch: unknown;
      try {
        patch = JSON.parse(raw);
      } catch (e) {
        throw badRequest(`error decoding patch: ${(e as Error).message}`);
      }
      const current = store.mustGet(resource, namespace, name);
      const patched = asObject(applyPatch(contentType, thaw(current), patch, resource.kind));
      patched.metadata = { ...patched.metadata, name, namespace: current.metadata.namespace };
      // A patch carries no resourceVersion precondition unless it names one itself.
      if (patched.metadata.resourceVersion === current.metadata.resourceVersion) delete patched.metadata.resourceVersion;
      validateFields(params, res, resource, patched, 'patch');
      return sendJson(res, 200, store.update(resource, patched, { dryRun, subresource: sub }));
    }
    case 'DELETE': {
      if (sub) throw methodNotAllowed();
      const opts = deleteOptions(params, asOptional(await readObject(req)));
      const deleted = store.delete(resource, namespace, name, { ...opts, dryRun: dryRun || opts.dryRun });
      if (resource.returnDeletedObject) return sendJson(res, 200, deleted);
      // Store.finalizeDelete: a Success Status whose details name the resource (plural as "kind") and the uid.
      return sendJson(res, 200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, ...(resource.group ? { group: resource.group } : {}), kind: resource.plural, uid: deleted.metadata.uid },
      });
    }
    default:
      throw methodNotAllowed();
  }
}

function list(
  deps: ApiServerDeps,
  res: ServerResponse,
  resource: ResourceType,
  query: Query,
  params: URLSearchParams,
  table: ((objects: KubeObject[], meta: { resourceVersion: string; continue?: string; remainingItemCount?: number }) => unknown) | undefined,
): void {
  const { store } = deps;
  let items = store.list(resource, query);
  const limit = parseIntParam(params.get('limit'), 'limit');
  const token = params.get('continue');
  if (token) {
    const start = decodeContinue(token);
    // Reading resumes at the start key itself (the encoded key is "<last key>\u0000").
    items = items.filter((o) => keyOf(o) >= start);
  }
  let cont: string | undefined;
  let remaining: number | undefined;
  if (limit && items.length > limit) {
    remaining = items.length - limit;
    items = items.slice(0, limit);
    // As storage.EncodeContinue: RawURLEncoding of {"v","rv","start"}, start being the next key to read ("<last key>\u0000").
    cont = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: store.resourceVersion, start: `${keyOf(items[items.length - 1]!)}\u0000` })).toString('base64url');
  }
  const listMeta = { resourceVersion: String(store.resourceVersion), ...(cont ? { continue: cont, remainingItemCount: remaining } : {}) };
  if (table) return sendJson(res, 200, table(items, listMeta), TABLE_CONTENT_TYPE);
  sendJson(res, 200, { kind: `${resource.kind}List`, apiVersion: apiVersionOf(resource), metadata: listMeta, items });
}

const keyOf = (o: KubeObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!);

/** storage.DecodeContinue, with the etcd3 store's "invalid continue token" wrapping of its errors. */
function decodeContinue(token: string): string {
  const invalid = (why: string) => badRequest(`invalid continue token: continue key is not valid${why}`);
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalid('');
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.v !== 'meta.k8s.io/v1') {
    throw invalid(`: server does not recognize this encoded version ${String((parsed as { v?: unknown } | null)?.v ?? '')}`);
  }
  if (!parsed.rv) throw invalid(': incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof parsed.start !== 'string' || !parsed.start) throw invalid(': encoded start key empty (version meta.k8s.io/v1)');
  return parsed.start;
}

function serveLogs(deps: ApiServerDeps, res: ServerResponse, pod: KubeObject, params: URLSearchParams): void {
  const container = resolveContainer(pod, params.get('container') ?? undefined);
  const previous = params.get('previous') === 'true';
  checkLogsAvailable(pod, container, previous);
  const p = {
    previous,
    timestamps: params.get('timestamps') === 'true',
    follow: params.get('follow') === 'true' && !previous,
    tailLines: parseIntParam(params.get('tailLines'), 'tailLines'),
    limitBytes: parseIntParam(params.get('limitBytes'), 'limitBytes'),
    sinceSeconds: parseIntParam(params.get('sinceSeconds'), 'sinceSeconds'),
  };
  const ns = pod.metadata.namespace!;
  const podName = pod.metadata.name!;
  const lines = selectLines(deps.logs.lines(ns, podName, container, previous), p, deps.store.clock.nowMs());
  let { remaining } = writeLogs(res, lines.map((l) => formatLine(l, p.timestamps)).join(''), p.limitBytes, p.follow);
  if (!p.follow) return;
  const stop = deps.logs.follow(ns, podName, container, (line) => {
    let text = formatLine(line, p.timestamps);
    if (remaining !== undefined) {
      text = Buffer.from(text).subarray(0, remaining).toString('utf8');
      remaining -= Buffer.byteLength(text);
    }
    res.write(text);
    if (remaining === 0) res.end();
  });
  const unsubscribePod = deps.store.subscribe((ev) => {
    if (ev.type === 'DELETED' && ev.resource.kind === 'Pod' && ev.object.metadata.uid === pod.metadata.uid) res.end();
  });
  res.on('close', () => {
    stop();
    unsubscribePod();
  });
}

async function serveScale(deps: ApiServerDeps, req: IncomingMessage, res: ServerResponse, route: ResourceRoute & { name: string }, method: string, dryRun: boolean): Promise<void> {
  const { store } = deps;
  const obj = store.mustGet(route.resource, route.namespace, route.name);
  const scale = toScale(obj);
  if (method === 'GET') return sendJson(res, 200, scale);
  let next: KubeObject;
  if (method === 'PUT') next = asObject(await readObject(req));
  else if (method === 'PATCH') {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    next = asObject(applyPatch(contentType, thaw(scale), JSON.parse(await readBody(req)), 'Scale'));
  } else throw methodNotAllowed();
  const replicas = (next.spec as { replicas?: unknown } | undefined)?.replicas;
  if (!Number.isInteger(replicas) || (replicas as number) < 0) {
    const body = `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`;
    throw new StatusError(422, 'Invalid', `Scale.autoscaling "${route.name}" is invalid: spec.replicas: ${body}`, {
      name: route.name,
      group: 'autoscaling',
      kind: 'Scale',
      causes: [{ reason: 'FieldValueInvalid', message: body, field: 'spec.replicas' }],
    });
  }
  const updated = thaw(obj);
  (updated.spec as { replicas: number }).replicas = replicas as number;
  if (next.metadata?.resourceVersion) updated.metadata.resourceVersion = next.metadata.resourceVersion;
  else delete updated.metadata.resourceVersion;
  sendJson(res, 200, toScale(store.update(route.resource, updated, { dryRun })));
}

function toScale(obj: KubeObject) {
  const spec = obj.spec as { replicas?: number; selector?: Parameters<typeof fromLabelSelectorSpec>[0] };
  const status = (obj.status ?? {}) as { replicas?: number };
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: formatLabelSelector(fromLabelSelectorSpec(spec.selector)) },
  };
}

/**
 * Server-side field validation (fieldValidation=Ignore|Warn|Strict, Warn when
 * unset): fields the Go type does not have are dropped when the object is
 * decoded; Warn says so in Warning headers, Strict refuses the request
 * (kubectl create/replace/apply/patch send Strict).
 */
function validateFields(params: URLSearchParams, res: ServerResponse, resource: ResourceType, obj: KubeObject, stage: 'decode' | 'patch'): void {
  const mode = params.get('fieldValidation') ?? 'Warn';
  if (mode !== 'Ignore' && mode !== 'Warn' && mode !== 'Strict') {
    throw badRequest(`Invalid value: ${JSON.stringify(mode)}: fieldValidation must be one of "Ignore", "Warn", or "Strict"`);
  }
  const type = goTypeOf(apiVersionOf(resource), resource.kind);
  if (!type) return;
  const decoded = goRoundTrip(type, obj as unknown as Record<string, unknown>);
  const cannot = (why: string) => badRequest(`${resource.kind} in version ${JSON.stringify(resource.version)} cannot be handled as a ${resource.kind}: ${why}`);
  // A value of the wrong JSON type fails decoding whatever the validation mode (the first one is reported).
  if (decoded.typeErrors.length) throw cannot(decoded.typeErrors[0]!);
  if (mode === 'Ignore') return;
  const unknown = decoded.unknownFields.map((f) => `unknown field ${JSON.stringify(f)}`);
  if (!unknown.length) return;
  if (mode === 'Strict') {
    const strict = `strict decoding error: ${unknown.join(', ')}`;
    throw stage === 'decode' ? cannot(strict) : badRequest(strict);
  }
  res.setHeader('Warning', unknown.map((w) => `299 - ${JSON.stringify(w)}`));
}

/**
 * DeleteOptions come as query parameters or as a body (kubectl sends the body:
 * {"kind":"DeleteOptions","dryRun":["All"],"propagationPolicy":"Background"}).
 */
function deleteOptions(params: URLSearchParams, body: Record<string, unknown> | undefined) {
  const pre = body?.preconditions as { uid?: string; resourceVersion?: string } | undefined;
  return {
    dryRun: Array.isArray(body?.dryRun) && (body.dryRun as unknown[]).includes('All'),
    propagationPolicy: params.get('propagationPolicy') ?? (body?.propagationPolicy as string | undefined),
    preconditionUid: pre?.uid,
    preconditionResourceVersion: pre?.resourceVersion,
  };
}

function asObject(v: unknown): KubeObject {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badRequest('the body of the request was in an unknown format - accepted media types include: application/json');
  const obj = v as KubeObject;
  obj.metadata ??= {};
  return obj;
}

function asOptional(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
}

function checkKind(body: KubeObject, resource: ResourceType): void {
  if (body.kind && body.kind !== resource.kind) {
    throw badRequest(`the kind in the data (${body.kind}) does not match the kind of ${qualifiedName(resource)} (${resource.kind})`);
  }
  if (body.apiVersion && body.apiVersion !== apiVersionOf(resource)) {
    throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersionOf(resource)})`);
  }
}

const methodNotAllowed = () => new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

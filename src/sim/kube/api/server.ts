import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { apiGroup, apiGroupList, apiVersions, resourceList, VERSION_INFO } from '../discovery.js';
import type { ObjectStore } from '../store.js';
import { StatusError } from '../status-error.js';
import { faultError, type FaultInjector } from './faults.js';
import { sendJson, sendStatus, toStatusError } from './http-util.js';
import type { ContainerUsage } from '../kubelet/usage.js';
import type { ContainerLogSource } from './logs.js';
import { serveMetrics } from './metrics.js';
import { handleResource } from './resource-handlers.js';
import { openApiV3 } from './openapi.js';
import { matchRoute } from './routes.js';

export interface ControlHandler {
  (method: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export interface ApiServerDeps {
  store: ObjectStore;
  logs: ContainerLogSource;
  usage: ContainerUsage;
  faults: FaultInjector;
  /** The simulator's own /_sim/ endpoints (clock, faults, scenarios). */
  control: ControlHandler;
  log?: Logger;
}

/** The simulated kube-apiserver: discovery, resources, watches, logs and the /_sim control API. */
export function createApiServer(deps: ApiServerDeps): Server {
  const server = createServer((req, res) => {
    handle(deps, req, res).catch((e: unknown) => {
      const err = toStatusError(e);
      if (err.code >= 500) deps.log?.error({ err: e, url: req.url }, 'simulator request failed');
      if (!res.headersSent) sendStatus(res, err);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  return server;
}

async function handle(deps: ApiServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const method = req.method ?? 'GET';
  const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
  deps.log?.debug({ method, url: req.url }, 'request');
  const route = matchRoute(url.pathname);

  let dropAfterMs: number | undefined;
  if (route.kind !== 'control') {
    const fault = deps.faults.decide(method, url.pathname, watch);
    if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault.status) {
      const r = route.kind === 'resource' ? route : undefined;
      throw faultError({ ...fault, status: fault.status }, { method, watch, path: url.pathname, resource: r?.resource, namespace: r?.namespace, name: r?.name, subresource: r?.subresource });
    }
    dropAfterMs = fault.dropAfterMs;
  }

  switch (route.kind) {
    case 'version':
      return sendJson(res, 200, VERSION_INFO);
    case 'health':
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    case 'api':
      return sendJson(res, 200, apiVersions(req.headers.host ?? '127.0.0.1'));
    case 'apis':
      return sendJson(res, 200, apiGroupList());
    case 'group': {
      const g = apiGroup(route.group);
      if (!g) throw pathNotFound();
      return sendJson(res, 200, g);
    }
    case 'resourceList': {
      const list = resourceList(route.apiVersion);
      if (!list) throw pathNotFound();
      return sendJson(res, 200, list);
    }
    case 'control':
      if (await deps.control(method, route.path, req, res)) return;
      throw pathNotFound();
    case 'resource':
      if (route.resource.computed) return serveMetrics(deps, req, res, route, url);
      return handleResource(deps, req, res, route, { url, method, watch, dropAfterMs });
    case 'openapi': {
      const doc = openApiV3(route.path);
      if (!doc) throw pathNotFound();
      return sendJson(res, 200, doc);
    }
    case 'notFound':
      throw pathNotFound();
  }
}

/** What the apiserver's not-found handler sends for a path it does not serve (note the empty details). */
function pathNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

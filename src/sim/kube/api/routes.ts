import { resourceAt, type ResourceType } from '../resources.js';

export type Route =
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'group'; group: string }
  | { kind: 'resourceList'; apiVersion: string }
  | { kind: 'openapi'; path: string }
  | { kind: 'control'; path: string }
  | { kind: 'resource'; resource: ResourceType; namespace?: string; name?: string; subresource?: string }
  | { kind: 'notFound' };

/**
 * Maps a request path onto the Kubernetes URL scheme:
 * /api/v1[/namespaces/NS]/PLURAL[/NAME[/SUB]] and /apis/GROUP/VERSION/... .
 */
export function matchRoute(pathname: string): Route {
  if (pathname === '/version' || pathname === '/version/') return { kind: 'version' };
  if (['/healthz', '/readyz', '/livez'].includes(pathname)) return { kind: 'health' };
  if (pathname.startsWith('/_sim/')) return { kind: 'control', path: pathname.slice('/_sim'.length) };
  if (pathname.startsWith('/openapi/')) return { kind: 'openapi', path: pathname };
  const seg = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let apiVersion: string;
  let rest: string[];
  if (seg[0] === 'api') {
    if (seg.length === 1) return { kind: 'api' };
    if (seg[1] !== 'v1') return { kind: 'notFound' };
    apiVersion = 'v1';
    rest = seg.slice(2);
  } else if (seg[0] === 'apis') {
    if (seg.length === 1) return { kind: 'apis' };
    if (seg.length === 2) return { kind: 'group', group: seg[1]! };
    apiVersion = `${seg[1]}/${seg[2]}`;
    rest = seg.slice(3);
  } else return { kind: 'notFound' };

  if (rest.length === 0) return { kind: 'resourceList', apiVersion };
  // /namespaces/NS/PLURAL/... addresses namespaced resources; /namespaces/NAME[/status] the namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && rest[2] === 'status')) {
    const resource = resourceAt(apiVersion, rest[2]!);
    if (!resource || !resource.namespaced || rest.length > 5) return { kind: 'notFound' };
    return withSub(resource, rest[1], rest[3], rest[4]);
  }
  const resource = resourceAt(apiVersion, rest[0]!);
  if (!resource || rest.length > 3) return { kind: 'notFound' };
  if (resource.namespaced && rest.length > 1) return { kind: 'notFound' };
  return withSub(resource, undefined, rest[1], rest[2]);
}

function withSub(resource: ResourceType, namespace: string | undefined, name: string | undefined, sub: string | undefined): Route {
  if (sub !== undefined && !resource.subresources.includes(sub)) return { kind: 'notFound' };
  return { kind: 'resource', resource, namespace, name, subresource: sub };
}

import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { Dependency } from '../catalog/types.js';
import { resourceOfKind } from '../resources.js';
import type { ObjectStore } from '../store.js';

const SERVICES = resourceOfKind('Service');
const ENDPOINTS = resourceOfKind('Endpoints');

/** "redis://cache.production.svc.cluster.local:6379/0" → host and port. */
function hostPort(value: string, defaultPort: number): { host: string; port: number } {
  const withoutScheme = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '');
  const hp = withoutScheme.split('/')[0]!;
  const i = hp.lastIndexOf(':');
  return i > 0 ? { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) || defaultPort } : { host: hp, port: defaultPort };
}

/**
 * What happens when the app dials its dependency: cluster DNS names resolve
 * only if the Service exists, and connect only if it has ready endpoints.
 * Names outside the cluster are taken to work.
 */
export function dependencyFailure(
  store: ObjectStore,
  namespace: string,
  dep: Dependency,
  env: Record<string, string>,
): { lines: string[]; vars: Record<string, string> } | undefined {
  const { host, port } = hostPort(env[dep.env] ?? 'localhost', dep.port);
  if (host === 'localhost' || host === '127.0.0.1') return { lines: dep.onRefused, vars: { host, address: `127.0.0.1:${port}` } };
  const m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?$/.exec(host);
  if (!m) return undefined;
  const svc = store.get(SERVICES, m[2] ?? namespace, m[1]!) as unknown as Service | undefined;
  if (!svc) return { lines: dep.onDnsFailure, vars: { host, address: `${host}:${port}` } };
  const ep = store.get(ENDPOINTS, m[2] ?? namespace, m[1]!) as unknown as Endpoints | undefined;
  if (ep?.subsets?.some((s) => s.addresses?.length)) return undefined;
  return { lines: dep.onRefused, vars: { host, address: `${svc.spec?.clusterIP ?? host}:${port}` } };
}

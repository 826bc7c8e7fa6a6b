import type { Endpoints, EndpointAddress, Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1.js';
import { jsonEqual } from '../../../domain/json.js';
import { formatQuotaValue, sumUsage } from '../quota-usage.js';
import { resourceOfKind } from '../resources.js';
import { fromLabelSelectorSpec, matchesLabels } from '../selectors.js';
import { as, copy, toKube, type ControllerContext } from './context.js';

const NAMESPACES = resourceOfKind('Namespace');
const SERVICE_ACCOUNTS = resourceOfKind('ServiceAccount');
const SERVICES = resourceOfKind('Service');
const ENDPOINTS = resourceOfKind('Endpoints');
const PODS = resourceOfKind('Pod');
const QUOTAS = resourceOfKind('ResourceQuota');

/**
 * The small controllers a cluster runs without anyone noticing: the default
 * ServiceAccount of each namespace, Endpoints of selector-based Services, and
 * ResourceQuota usage.
 */
export function startHousekeeping(ctx: ControllerContext): void {
  ctx.store.subscribe((ev) => {
    const ns = ev.object.metadata.namespace ?? ev.object.metadata.name!;
    if (ev.resource === NAMESPACES && ev.type === 'ADDED') ctx.runtime.enqueue(`sa/${ns}`, () => ensureDefaultServiceAccount(ctx, ns));
    if (ev.resource === PODS || ev.resource === SERVICES) ctx.runtime.enqueue(`endpoints/${ns}`, () => syncEndpoints(ctx, ns));
    if (ev.resource === PODS || ev.resource === QUOTAS) ctx.runtime.enqueue(`quota/${ns}`, () => syncQuotaUsage(ctx, ns));
  });
}

function ensureDefaultServiceAccount(ctx: ControllerContext, namespace: string): void {
  if (!ctx.store.get(NAMESPACES, undefined, namespace) || ctx.store.get(SERVICE_ACCOUNTS, namespace, 'default')) return;
  ctx.store.create(SERVICE_ACCOUNTS, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
}

function syncEndpoints(ctx: ControllerContext, namespace: string): void {
  const pods = ctx.store.list(PODS, { namespace }).map((p) => as<Pod>(p));
  for (const svcObj of ctx.store.list(SERVICES, { namespace })) {
    const svc = as<Service>(svcObj);
    if (!svc.spec?.selector) continue;
    const selector = fromLabelSelectorSpec({ matchLabels: svc.spec.selector });
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const p of pods) {
      if (!p.status?.podIP || !matchesLabels(selector, p.metadata?.labels)) continue;
      const address = { ip: p.status.podIP, nodeName: p.spec?.nodeName, targetRef: { kind: 'Pod', namespace, name: p.metadata!.name!, uid: p.metadata!.uid! } };
      (p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? ready : notReady).push(address);
    }
    const ports = (svc.spec.ports ?? []).map((sp) => ({
      ...(sp.name ? { name: sp.name } : {}),
      port: typeof sp.targetPort === 'number' ? sp.targetPort : namedPort(pods, String(sp.targetPort ?? sp.port)) ?? sp.port,
      protocol: sp.protocol ?? 'TCP',
    }));
    const byIp = (a: EndpointAddress, b: EndpointAddress) => a.ip.localeCompare(b.ip);
    const subsets = ready.length || notReady.length
      ? [{ ...(ready.length ? { addresses: ready.sort(byIp) } : {}), ...(notReady.length ? { notReadyAddresses: notReady.sort(byIp) } : {}), ports }]
      : undefined;
    const name = svc.metadata!.name!;
    const existing = ctx.store.get(ENDPOINTS, namespace, name);
    const desired: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels: svc.metadata?.labels }, ...(subsets ? { subsets } : {}) };
    if (!existing) ctx.store.create(ENDPOINTS, toKube(desired));
    else if (!jsonEqual(as<Endpoints>(existing).subsets, desired.subsets)) {
      const next = copy(as<Endpoints>(existing));
      next.subsets = desired.subsets;
      ctx.store.update(ENDPOINTS, toKube(next));
    }
  }
}

function namedPort(pods: Pod[], name: string): number | undefined {
  for (const p of pods) for (const c of p.spec?.containers ?? []) for (const port of c.ports ?? []) if (port.name === name) return port.containerPort;
  return Number(name) || undefined;
}

function syncQuotaUsage(ctx: ControllerContext, namespace: string): void {
  const quotas = ctx.store.list(QUOTAS, { namespace });
  if (!quotas.length) return;
  const used = sumUsage(ctx.store.list(PODS, { namespace }).map((p) => as<Pod>(p)));
  for (const q of quotas) {
    const quota = as<ResourceQuota>(q);
    const hard = (quota.spec?.hard ?? {}) as Record<string, string>;
    const status = { hard, used: Object.fromEntries(Object.keys(hard).map((r) => [r, formatQuotaValue(r, used[r] ?? 0)])) };
    if (jsonEqual(quota.status, status)) continue;
    const next = copy(quota);
    next.status = status;
    ctx.store.update(QUOTAS, toKube(next), { subresource: 'status' });
  }
}

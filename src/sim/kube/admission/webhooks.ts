import type { RuleWithOperations, ValidatingWebhook, ValidatingWebhookConfiguration } from 'kubernetes-types/admissionregistration/v1.js';
import type { KubeObject } from '../object.js';
import { apiVersionOf, resourceOfKind, type ResourceType } from '../resources.js';
import { fromLabelSelectorSpec, matchesLabels } from '../selectors.js';
import { StatusError, type StatusReason } from '../status-error.js';
import type { AdmissionHook, ObjectStore } from '../store.js';
import { BUILTIN_WEBHOOKS } from './builtin-webhooks.js';

/** The Go type inlines Rule (resources, scope), which kubernetes-types leaves out. */
type Rule = RuleWithOperations & { resources?: string[]; scope?: string };

const CONFIGS = resourceOfKind('ValidatingWebhookConfiguration');
const NAMESPACES = resourceOfKind('Namespace');
const SERVICES = resourceOfKind('Service');

/** admission.k8s.io/v1 AdmissionReview, as the apiserver sends and the webhook answers it. */
export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request?: {
    uid: string;
    kind: { group: string; version: string; kind: string };
    resource: { group: string; version: string; resource: string };
    subResource?: string;
    name?: string;
    namespace?: string;
    operation: 'CREATE' | 'UPDATE';
    userInfo: { username: string; groups: string[] };
    object: unknown;
    oldObject: unknown;
    dryRun: boolean;
  };
  response?: { uid: string; allowed: boolean; status?: { code?: number; reason?: string; message?: string }; warnings?: string[] };
}

/**
 * The ValidatingAdmissionWebhook plugin: every webhook whose rules,
 * namespaceSelector and objectSelector match the request is sent an
 * AdmissionReview, and a denial becomes the request's error, worded as the
 * apiserver words it.
 *
 * Admission runs synchronously inside the simulated controllers' writes, so
 * a webhook is reached in-process: a clientConfig.service naming one of the
 * simulator's built-in webhook servers gets the review (serialised as JSON,
 * as on the wire). Anything else is a call that fails, settled by the
 * webhook's failurePolicy, as when its Service is missing on a real cluster.
 */
export const callValidatingWebhooks: AdmissionHook = (obj, { op, resource, subresource, old, store, dryRun = false }) => {
  if (op === 'delete' || resource.kind === 'ValidatingWebhookConfiguration' || resource.kind === 'Event') return;
  const operation = op === 'create' ? 'CREATE' : 'UPDATE';
  for (const config of store.list(CONFIGS).map((c) => c as unknown as ValidatingWebhookConfiguration)) {
    for (const webhook of config.webhooks ?? []) {
      if (!((webhook.rules ?? []) as Rule[]).some((r) => ruleMatches(r, operation, resource, subresource))) continue;
      if (!selectorsMatch(webhook, obj, old, resource, store)) continue;
      const review = reviewFor(obj, old, operation, resource, subresource, store, dryRun);
      const outcome = dispatch(webhook, review, store);
      if ('error' in outcome) {
        if (webhook.failurePolicy === 'Ignore') continue;
        throw new StatusError(500, 'InternalError', `Internal error occurred: failed calling webhook "${webhook.name}": ${outcome.error}`);
      }
      if (!outcome.response.allowed) throw denial(webhook.name, outcome.response.status);
    }
  }
};

function ruleMatches(rule: Rule, operation: string, resource: ResourceType, subresource: string | undefined): boolean {
  const any = (list: string[] | undefined, value: string) => (list ?? []).some((x) => x === '*' || x === value);
  if (!any(rule.operations, operation) || !any(rule.apiGroups, resource.group) || !any(rule.apiVersions, resource.version)) return false;
  const scope = rule.scope ?? '*';
  if ((scope === 'Namespaced' && !resource.namespaced) || (scope === 'Cluster' && resource.namespaced)) return false;
  const wanted = subresource ? `${resource.plural}/${subresource}` : resource.plural;
  return (rule.resources ?? []).some((r) => r === wanted || r === '*/*' || (r === '*' && !subresource) || (subresource !== undefined && r === `${resource.plural}/*`));
}

function selectorsMatch(webhook: ValidatingWebhook, obj: KubeObject, old: KubeObject | undefined, resource: ResourceType, store: ObjectStore): boolean {
  const objectSelector = fromLabelSelectorSpec(webhook.objectSelector);
  if (objectSelector.length && !matchesLabels(objectSelector, obj.metadata.labels) && !matchesLabels(objectSelector, old?.metadata.labels)) return false;
  const nsSelector = fromLabelSelectorSpec(webhook.namespaceSelector);
  if (!nsSelector.length) return true;
  const nsLabels = resource.kind === 'Namespace' ? obj.metadata.labels : resource.namespaced ? store.get(NAMESPACES, undefined, obj.metadata.namespace!)?.metadata.labels : undefined;
  // Cluster-scoped objects other than namespaces are never filtered by namespaceSelector.
  return !resource.namespaced && resource.kind !== 'Namespace' ? true : matchesLabels(nsSelector, nsLabels);
}

function reviewFor(obj: KubeObject, old: KubeObject | undefined, operation: 'CREATE' | 'UPDATE', resource: ResourceType, subresource: string | undefined, store: ObjectStore, dryRun: boolean): AdmissionReview {
  const creator = obj.metadata.ownerReferences?.find((r) => r.controller)?.kind;
  const username = creator === 'ReplicaSet' ? 'system:serviceaccount:kube-system:replicaset-controller' : creator === 'Deployment' ? 'system:serviceaccount:kube-system:deployment-controller' : 'kubernetes-admin';
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: store.random.uuid(),
      kind: { group: resource.group, version: resource.version, kind: resource.kind },
      resource: { group: resource.group, version: resource.version, resource: resource.plural },
      ...(subresource ? { subResource: subresource } : {}),
      ...(obj.metadata.name ? { name: obj.metadata.name } : {}),
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      operation,
      userInfo: { username, groups: username === 'kubernetes-admin' ? ['kubeadm:cluster-admins', 'system:authenticated'] : ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] },
      object: { ...obj, apiVersion: apiVersionOf(resource), kind: resource.kind },
      oldObject: old ?? null,
      dryRun,
    },
  };
}

function dispatch(webhook: ValidatingWebhook, review: AdmissionReview, store: ObjectStore): { response: NonNullable<AdmissionReview['response']> } | { error: string } {
  const timeout = `?timeout=${webhook.timeoutSeconds ?? 10}s`;
  const svc = webhook.clientConfig.service;
  if (!svc) {
    const url = webhook.clientConfig.url ?? '';
    const host = /^https:\/\/([^/]+)/.exec(url)?.[1] ?? url;
    return { error: `failed to call webhook: Post "${url}${timeout}": dial tcp ${host.includes(':') ? host : `${host}:443`}: connect: connection refused` };
  }
  const path = svc.path ?? '/';
  const server = BUILTIN_WEBHOOKS[`${svc.namespace}/${svc.name}`];
  if (!server || !store.get(SERVICES, svc.namespace, svc.name)) return { error: `failed to call webhook: Post "https://${svc.name}.${svc.namespace}.svc:${svc.port ?? 443}${path}${timeout}": service "${svc.name}" not found` };
  const answer = JSON.parse(JSON.stringify(server(JSON.parse(JSON.stringify(review)) as AdmissionReview, store, path))) as AdmissionReview;
  if (!answer.response || answer.response.uid !== review.request!.uid) {
    return { error: `received invalid webhook response: expected response.uid="${review.request!.uid}", got "${answer.response?.uid ?? ''}"` };
  }
  return { response: answer.response };
}

/** webhookerrors.ToStatusErr: the webhook's own Status, its message prefixed with who denied it. */
function denial(name: string, status: NonNullable<AdmissionReview['response']>['status']): StatusError {
  const deniedBy = `admission webhook "${name}" denied the request`;
  const code = (status?.code ?? 0) < 400 ? 400 : status!.code!;
  const message = status?.message ? `${deniedBy}: ${status.message}` : status?.reason ? `${deniedBy}: ${status.reason}` : `${deniedBy} without explanation`;
  return new StatusError(code, (status?.reason ?? '') as StatusReason, message);
}

import type { ConfigMap, Container, Pod } from 'kubernetes-types/core/v1.js';
import { parseImageRef } from '../../../domain/image-ref.js';
import { resourceOfKind } from '../resources.js';
import type { ObjectStore } from '../store.js';
import type { AdmissionReview } from './webhooks.js';

const CONFIG_MAPS = resourceOfKind('ConfigMap');

/** A webhook server the simulated cluster runs: an AdmissionReview in, one out. */
export type WebhookServer = (review: AdmissionReview, store: ObjectStore, path: string) => AdmissionReview;

export const IMAGE_POLICY_NAMESPACE = 'policy-system';
export const IMAGE_POLICY_SERVICE = 'image-policy-webhook';

/**
 * An image-provenance policy webhook, the kind a platform team runs:
 * containers may only use images from the registries listed in the
 * ConfigMap `image-policy` (key `allowedRegistries`, comma-separated) in its
 * own namespace. It answers as a controller-runtime webhook does: 403 Forbidden.
 */
const imagePolicy: WebhookServer = (review, store) => {
  const req = review.request!;
  const allow = (allowed: boolean, message?: string): AdmissionReview => ({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: req.uid, allowed, ...(message ? { status: { code: 403, reason: 'Forbidden', message } } : {}) },
  });
  if (req.kind.kind !== 'Pod') return allow(true);
  const config = store.get(CONFIG_MAPS, IMAGE_POLICY_NAMESPACE, 'image-policy') as unknown as ConfigMap | undefined;
  const allowed = (config?.data?.allowedRegistries ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const pod = req.object as Pod;
  const containers: Container[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const c of containers) {
    const ref = parseImageRef(c.image ?? '');
    const registry = ref.ok ? ref.ref.registry : '';
    if (!allowed.includes(registry)) {
      return allow(false, `container "${c.name}" uses image "${c.image}" from registry "${registry}", which is not an approved registry (approved: ${allowed.join(', ') || 'none'})`);
    }
  }
  return allow(true);
};

/** Built-in webhook servers by "namespace/service". */
export const BUILTIN_WEBHOOKS: Record<string, WebhookServer> = {
  [`${IMAGE_POLICY_NAMESPACE}/${IMAGE_POLICY_SERVICE}`]: imagePolicy,
};

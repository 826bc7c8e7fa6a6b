import { IMAGE_POLICY_NAMESPACE, IMAGE_POLICY_SERVICE } from '../admission/builtin-webhooks.js';
import type { KubeObject } from '../object.js';
import { REGISTRY } from './images.js';
import { configMap, image, limitRange, namespace, service } from './objects.js';
import type { Scenario } from './scenario.js';

const IMAGE_POLICY_LABEL = 'policy.example.com/image-policy';

/** The platform team's image policy: its namespace, Service, configuration and webhook registration. */
const imagePolicyWebhook: KubeObject[] = [
  namespace(IMAGE_POLICY_NAMESPACE),
  // Reached by its ClusterIP, as the apiserver's webhook client does; the server itself is built in.
  service(IMAGE_POLICY_NAMESPACE, IMAGE_POLICY_SERVICE, undefined, 443, 9443),
  configMap(IMAGE_POLICY_NAMESPACE, 'image-policy', { allowedRegistries: REGISTRY }),
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'image-policy' },
    webhooks: [
      {
        name: 'images.policy.example.com',
        clientConfig: { service: { namespace: IMAGE_POLICY_NAMESPACE, name: IMAGE_POLICY_SERVICE, path: '/validate-pods' } },
        rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        failurePolicy: 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        namespaceSelector: { matchLabels: { [IMAGE_POLICY_LABEL]: 'enforce' } },
      },
    ],
  },
];

/** Pods the apiserver refuses to create: LimitRange, PodSecurity, a validating webhook. */
export const ADMISSION_SCENARIOS: Scenario[] = [
  {
    name: 'limitrange-exceeded',
    description: 'The new revision raises the memory limit to 2Gi; the namespace LimitRange allows at most 1Gi per container',
    namespace: 'analytics',
    deployment: 'etl-runner',
    expect: ['LIMIT_RANGE_EXCEEDED'],
    tag: 'v2.0.0',
    setup: [limitRange('analytics', 'container-limits', { memory: '1Gi' })],
    change: (_d, c) => {
      c.image = image('etl-runner', 'v2.1.0');
      c.resources = { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '2Gi' } };
    },
    changeCause: 'deploy etl-runner v2.1.0 with a 2Gi memory limit',
  },
  {
    name: 'pod-security-violation',
    description: 'The namespace enforces the restricted Pod Security Standard; the new revision dropped its securityContext',
    namespace: 'payments-pci',
    deployment: 'card-vault',
    expect: ['POD_SECURITY_VIOLATION'],
    tag: 'v1.8.0',
    namespaceLabels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
    base: (d, c) => {
      d.spec!.template!.spec!.securityContext = { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } };
      c.securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true };
    },
    change: (d, c) => {
      c.image = image('card-vault', 'v1.9.0');
      delete d.spec!.template!.spec!.securityContext;
      delete c.securityContext;
    },
    changeCause: 'deploy card-vault v1.9.0 from the new chart',
  },
  {
    name: 'admission-webhook-denied',
    description: 'The image policy webhook admits images from registry.example.com only; the new revision pulls from ghcr.io',
    namespace: 'fulfillment',
    deployment: 'fulfillment-api',
    expect: ['ADMISSION_WEBHOOK_DENIED'],
    tag: 'v2.0.0',
    namespaceLabels: { [IMAGE_POLICY_LABEL]: 'enforce' },
    setup: imagePolicyWebhook,
    change: (_d, c) => {
      c.image = 'ghcr.io/acme-oss/fulfillment-api:v2.1.0';
    },
    changeCause: 'deploy fulfillment-api v2.1.0 from the upstream image',
  },
];

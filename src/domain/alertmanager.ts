import { z } from 'zod';

/**
 * Alertmanager's webhook payload, version 4
 * (prometheus.io/docs/alerting/latest/configuration/#webhook_config), and
 * how an alert names the deployment it is about. Pure.
 */
const labels = z.record(z.string(), z.string());
const time = z.string().min(1);

export const AlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels,
  annotations: labels.default({}),
  startsAt: time,
  endsAt: z.string().default('0001-01-01T00:00:00Z'),
  generatorURL: z.string().default(''),
  fingerprint: z.string().min(1),
});

export const AlertmanagerWebhookSchema = z.object({
  version: z.literal('4', { error: 'expected version "4" (the Alertmanager webhook format)' }),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labels.default({}),
  commonLabels: labels.default({}),
  commonAnnotations: labels.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(AlertSchema).min(1, 'expected at least one alert'),
});

export type Alert = z.infer<typeof AlertSchema>;
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhookSchema>;

/** What an alert's labels point at, by kube-state-metrics' names: the deployment itself, or a pod or ReplicaSet of it. */
export type AlertSubject =
  | { kind: 'deployment'; namespace: string; name: string }
  | { kind: 'replicaset'; namespace: string; name: string }
  | { kind: 'pod'; namespace: string; name: string }
  | { kind: 'none' };

/**
 * DeploymentFailed/DeploymentStuck and the mixin's KubeDeploymentRolloutStuck
 * carry `deployment`; PodCrashLooping, ImagePullError and KubePodCrashLooping
 * carry `pod` (resolved through its owner ReplicaSet, as kube_pod_owner
 * would); some rules carry `replicaset`. Without a namespace label nothing
 * can be named.
 */
export function alertSubject(alert: Alert): AlertSubject {
  const { namespace, deployment, replicaset, pod } = alert.labels;
  if (!namespace) return { kind: 'none' };
  if (deployment) return { kind: 'deployment', namespace, name: deployment };
  if (replicaset) return { kind: 'replicaset', namespace, name: replicaset };
  if (pod) return { kind: 'pod', namespace, name: pod };
  return { kind: 'none' };
}

/** A message naming what is wrong with a payload, for the 400 (zod issues, path first). */
export function webhookProblem(body: unknown): { ok: true; webhook: AlertmanagerWebhook } | { ok: false; problem: string } {
  const r = AlertmanagerWebhookSchema.safeParse(body);
  if (r.success) return { ok: true, webhook: r.data };
  const issues = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  return { ok: false, problem: `invalid Alertmanager webhook payload: ${issues.join('; ')}` };
}

import { parseQuotaMessage } from '../analyzers/quota.js';
import type { PreflightWorld } from './world.js';

/** RBAC's refusal of the dry run itself: nothing about the pod, only about who asked. */
export const isPermissionRefusal = (message: string): boolean => /cannot create resource "pods"|cannot (?:update|create|patch) resource "deployments"/.test(message);

/**
 * Why the ReplicaSet controller could not create the new pods, in the
 * apiserver's words, as its FailedCreate events would quote them: the pod
 * dry run's refusal (LimitRange, PodSecurity, webhooks; quota is played out
 * step by step instead, since it depends on the rollout's progress), and a
 * ServiceAccount that does not exist.
 */
export function rsRefusals(world: PreflightWorld, podName: string): string[] {
  const out: string[] = [];
  const dry = world.podDryRun;
  if (dry && !dry.ok && !isPermissionRefusal(dry.message) && !parseQuotaMessage(dry.message)) out.push(dry.message);
  const sa = world.serviceAccount;
  const namespace = world.candidate.metadata?.namespace;
  if (sa && !sa.exists) out.push(`pods "${podName}" is forbidden: error looking up service account ${namespace}/${sa.name}: serviceaccount "${sa.name}" not found`);
  return out;
}

import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { ActionPlan } from './actions/index.js';
import { POD_TEMPLATE_HASH_LABEL, imagesOf, revisionOf } from './workload.js';

/**
 * What a proposal is bound to: the Deployment as it was when the change was
 * proposed. If it changed before execution (a new rollout from CI, someone's
 * kubectl), the approval is void.
 */
export interface Binding {
  namespace: string;
  name: string;
  uid: string;
  generation: number;
  resourceVersion: string;
  /** For a rollback: the revision it returns to and that revision's pod-template-hash. */
  targetRevision?: number;
  targetTemplateHash?: string;
}

export function bindingOf(d: Deployment, plan: ActionPlan, replicaSets: ReplicaSet[]): Binding {
  const target = plan.toRevision === undefined ? undefined : replicaSets.find((rs) => revisionOf(rs) === plan.toRevision);
  const hash = target?.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
  return {
    namespace: plan.namespace,
    name: plan.name,
    uid: d.metadata?.uid ?? '',
    generation: d.metadata?.generation ?? 0,
    resourceVersion: d.metadata?.resourceVersion ?? '',
    ...(plan.toRevision !== undefined ? { targetRevision: plan.toRevision } : {}),
    ...(hash ? { targetTemplateHash: hash } : {}),
  };
}

/**
 * What changed in the Deployment's spec since the proposal, in words for the
 * thread, or undefined when nothing did. Only the spec counts (generation):
 * the controller rewrites the status, and so the resourceVersion, all the
 * time. `plan` holds the revision and images it was made from.
 */
export function changeSince(binding: Binding, plan: Pick<ActionPlan, 'fromRevision' | 'imagesBefore'>, now: Deployment): string | undefined {
  if ((now.metadata?.uid ?? '') !== binding.uid) return `${binding.namespace}/${binding.name} was deleted and created again`;
  const generation = now.metadata?.generation ?? 0;
  if (generation === binding.generation) return undefined;
  const parts: string[] = [];
  const revision = revisionOf(now);
  if (revision !== plan.fromRevision) parts.push(`revision ${plan.fromRevision} → ${revision}`);
  const images = imagesOf(now.spec?.template);
  if (images.join() !== plan.imagesBefore.join()) parts.push(`images ${plan.imagesBefore.join(', ')} → ${images.join(', ')}`);
  const cause = now.metadata?.annotations?.['kubernetes.io/change-cause'];
  if (parts.length && cause) parts.push(`change cause "${cause}"`);
  if (!parts.length) parts.push(`its spec changed (generation ${binding.generation} → ${generation})`);
  return `${binding.namespace}/${binding.name} changed since the proposal: ${parts.join(', ')}`;
}

/**
 * The approved patch, with its precondition moved to the resourceVersion
 * just read: the spec was checked unchanged, and a change between that read
 * and the patch still fails the `test`.
 */
export function withPrecondition(patch: ActionPlan['patch'], resourceVersion: string): ActionPlan['patch'] {
  return [{ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion }, ...patch.filter((op) => !(op.op === 'test' && op.path === '/metadata/resourceVersion'))];
}

/** Lines of an application's output that say a database migration ran or failed (Flyway, Liquibase, Alembic, migrate). */
const MIGRATION = /flyway|liquibase|alembic|\bmigrat(?:e|ed|es|ing|ion|ions)\b|schema_migrations/i;

/**
 * Seeds 000 and 003: a rollback restores the old code, not the old schema.
 * When the failing revision's logs show a migration, the proposal says so.
 */
export function migrationWarning(logs: Array<{ pod: string; container: string; lines: string[] }>): string | undefined {
  for (const log of logs) {
    const line = log.lines.find((l) => MIGRATION.test(l));
    if (line) {
      return `The failing revision ran a database migration (pod ${log.pod}, container ${log.container}: "${line.trim().slice(0, 200)}"). The schema may already be changed: run the runbook's migration rollback first if the old code cannot read the new schema.`;
    }
  }
  return undefined;
}

/** `kubectl scale` fights an autoscaler that targets the deployment: the HPA sets the replica count back. */
export function autoscalerWarning(deployment: Deployment, hpas: HorizontalPodAutoscaler[]): string | undefined {
  const hpa = hpas.find((h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === deployment.metadata?.name);
  if (!hpa) return undefined;
  return `HorizontalPodAutoscaler ${hpa.metadata?.name} owns the replica count of this deployment (min ${hpa.spec?.minReplicas ?? 1}, max ${hpa.spec?.maxReplicas}): it will scale it back; change the HPA instead, or as well.`;
}

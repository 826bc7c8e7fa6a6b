import type { PersistentVolumeClaim, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Evidence, Finding, Fix } from '../finding.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { analysisContext, capitalise, eventsAbout, latestEventEvidence, podsPhrase, rollbackFixes, templateOfRevision, uniqueSorted, type AnalysisContext } from './context.js';
import { isVolumeReason, unschedulablePods } from './scheduling.js';

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

/** Claims the template mounts, by volume. */
function mountedClaims(t: PodTemplateSpec | undefined): Array<{ volume: string; claim: string }> {
  return (t?.spec?.volumes ?? []).filter((v) => v.persistentVolumeClaim?.claimName).map((v) => ({ volume: v.name, claim: v.persistentVolumeClaim!.claimName }));
}

/**
 * Pods that wait for storage: a PersistentVolumeClaim the template mounts
 * does not exist, or exists but is not bound (no StorageClass to provision
 * it, no volume to bind), as the scheduler and the volume controller say.
 */
export function analyzeVolumes(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  const claimsRead = !snapshot.notes.some((n) => n.source === 'persistentvolumeclaims');
  const stuck = unschedulablePods(ctx);
  const waiting = (claim: string) => stuck.filter((u) => u.message.includes(`persistentvolumeclaim "${claim}" not found`) || [...u.reasons.keys(), u.message].some(isVolumeReason));
  const findings: Finding[] = [];
  for (const { volume, claim } of mountedClaims(ctx.deployment.spec?.template)) {
    const pvc = snapshot.persistentVolumeClaims.find((c) => c.metadata?.name === claim);
    const blocked = waiting(claim);
    const said = blocked.find((u) => u.message.includes(`persistentvolumeclaim "${claim}" not found`));
    if ((!pvc && claimsRead && blocked.length) || said) {
      findings.push(notFoundFinding(ctx, volume, claim, blocked.map((u) => u.name)));
      continue;
    }
    const warnings = pvc ? eventsAbout(ctx, 'PersistentVolumeClaim', claim).filter((e) => e.type === 'Warning') : [];
    if (pvc && pvc.status?.phase !== 'Bound' && (blocked.length || warnings.length)) findings.push(unboundFinding(ctx, snapshot, pvc, blocked.map((u) => u.name)));
  }
  return findings;
}

function schedulerEvidence(ctx: AnalysisContext, pods: string[]): Evidence[] {
  return pods.length ? latestEventEvidence(eventsAbout(ctx, 'Pod', pods[0]!, 'FailedScheduling')) : [];
}

function notFoundFinding(ctx: AnalysisContext, volume: string, claim: string, blocked: string[]): Finding {
  const pods = uniqueSorted(blocked);
  const before = mountedClaims(templateOfRevision(ctx, ctx.lastHealthy)).some((m) => m.claim === claim);
  const since = ctx.lastHealthy !== null && ctx.lastHealthy !== ctx.revision && !before ? ` Revision ${ctx.revision} added this volume; revision ${ctx.lastHealthy} did not mount it.` : '';
  const fixes: Fix[] = [{ kind: 'manual', title: `Create PersistentVolumeClaim ${claim} (or fix the claim name)`, command: `kubectl get persistentvolumeclaims -n ${ctx.namespace}` }];
  return {
    code: 'PVC_NOT_FOUND',
    severity: ctx.impact,
    title: `PersistentVolumeClaim ${claim} not found`,
    summary: `The pod template mounts volume ${volume} from PersistentVolumeClaim ${claim}, which does not exist in ${ctx.namespace}, so ${podsPhrase(pods.length ? pods : ['of the new revision'])} cannot be scheduled.${since} Create the claim or roll back.`,
    evidence: [
      ...schedulerEvidence(ctx, pods),
      { kind: 'spec', name: `deployment/${ctx.name}`, detail: `volume ${volume}: persistentVolumeClaim.claimName=${claim}` },
      { kind: 'spec', name: `persistentvolumeclaim/${claim}`, detail: 'does not exist' },
    ],
    fixes: [...rollbackFixes(ctx), ...fixes],
    pods,
  };
}

function unboundFinding(ctx: AnalysisContext, snapshot: DeploymentSnapshot, pvc: PersistentVolumeClaim, blocked: string[]): Finding {
  const claim = pvc.metadata?.name ?? '';
  const pods = uniqueSorted(blocked);
  const classesRead = !snapshot.notes.some((n) => n.source === 'storageclasses');
  const fallback = snapshot.storageClasses.find((c) => c.metadata?.annotations?.[DEFAULT_CLASS] === 'true');
  const className = pvc.spec?.storageClassName ?? fallback?.metadata?.name;
  const sc = snapshot.storageClasses.find((c) => c.metadata?.name === className);
  const existing = uniqueSorted(snapshot.storageClasses.map((c) => `${c.metadata?.name}${c.metadata?.annotations?.[DEFAULT_CLASS] === 'true' ? ' (default)' : ''}`));
  const warnings = eventsAbout(ctx, 'PersistentVolumeClaim', claim).filter((e) => e.type === 'Warning');
  const said = warnings.at(-1)?.message;
  let why: string;
  if (!className) why = 'it names no StorageClass and the cluster has no default one, so nothing provisions a volume for it';
  else if (!sc && classesRead) why = `its StorageClass ${className} does not exist${existing.length ? ` (the cluster has ${existing.join(', ')})` : ''}`;
  else why = `StorageClass ${className}${sc ? ` (provisioner ${sc.provisioner}, ${sc.volumeBindingMode ?? 'Immediate'} binding)` : ''} has not provided a volume`;
  const evidence: Evidence[] = [
    { kind: 'status', name: `persistentvolumeclaim/${claim}`, detail: `phase ${pvc.status?.phase ?? 'Pending'}; storageClassName ${pvc.spec?.storageClassName ?? '(unset)'}; requests ${pvc.spec?.resources?.requests?.storage ?? '?'}` },
    ...latestEventEvidence(warnings),
    ...schedulerEvidence(ctx, pods),
    ...(classesRead ? [{ kind: 'spec' as const, name: 'storageclasses', detail: existing.length ? existing.join(', ') : 'none' }] : []),
  ];
  return {
    code: 'PVC_UNBOUND',
    severity: ctx.impact,
    title: `PersistentVolumeClaim ${claim} is not bound${className ? ` (StorageClass ${className})` : ''}`,
    summary: `${capitalise(podsPhrase(pods.length ? pods : ['of the new revision']))} wait${pods.length === 1 ? 's' : ''} for PersistentVolumeClaim ${claim}, which stays ${pvc.status?.phase ?? 'Pending'}: ${why}.${said ? ` The volume controller says: "${said}".` : ''} A claim's StorageClass cannot be changed: recreate the claim with an existing class, or roll back.`,
    evidence,
    fixes: [...rollbackFixes(ctx), { kind: 'manual', title: `See why claim ${claim} is not bound`, command: `kubectl describe persistentvolumeclaim ${claim} -n ${ctx.namespace}` }],
    pods,
  };
}

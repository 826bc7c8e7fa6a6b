import { performance } from 'node:perf_hooks';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { parseRefusal } from '../domain/analyzers/admission.js';
import { parseQuotaMessage } from '../domain/analyzers/quota.js';
import { preflightReport, type PreflightReport, type PreflightWorld } from '../domain/preflight/index.js';
import type { PreflightInput } from '../domain/preflight/manifests.js';
import { isPermissionRefusal } from '../domain/preflight/refusals.js';
import { MedicError } from '../errors.js';
import type { Clock, Clusters, DeploymentTarget } from '../ports.js';
import type { PreflightSource } from '../ports/preflight.js';

export interface PreflightOutcome {
  reports: PreflightReport[];
  /** Deployments the API server refuses as written (an unknown field, an invalid value, a missing namespace): bad input. */
  rejected: Array<{ source: string; deployment: string; message: string }>;
}

/** A change to a running Deployment, as `/deploy preflight NAME --image IMAGE` asks for it. */
export interface PreflightChange {
  image: string;
  /** The container to change; may be left out when the template has one. */
  container?: string;
}

/**
 * "Would it run here?" before `kubectl apply`: one collection for all the
 * candidates, then the pure preflight of each. Nothing is written; the dry
 * runs are the API server's own judgement of the objects.
 */
export class PreflightService {
  constructor(
    private readonly source: PreflightSource,
    private readonly clusters: Clusters,
    private readonly clock: Clock,
  ) {}

  async check(cluster: string, input: PreflightInput): Promise<PreflightOutcome> {
    const started = performance.now();
    const worlds = await this.source.collect(cluster, input);
    const now = this.clock.now();
    const rejected: PreflightOutcome['rejected'] = [];
    const accepted: PreflightWorld[] = [];
    for (const w of worlds) {
      const why = rejection(w);
      if (why) rejected.push({ source: w.source, deployment: `${w.candidate.metadata?.namespace}/${w.candidate.metadata?.name}`, message: why });
      else accepted.push(w);
    }
    const durationMs = Math.round(performance.now() - started);
    return { reports: accepted.map((w) => preflightReport(w, now, durationMs)), rejected };
  }

  /** The running Deployment with one image changed, preflighted: a bad change is USAGE, with what the API server said. */
  async checkChange(target: DeploymentTarget, change: PreflightChange, found?: () => Promise<void>): Promise<PreflightReport> {
    const live = await this.clusters.get(target.cluster).getDeployment(target.namespace, target.name);
    // A container that is not there is the requester's mistake: it fails before the progress line shows.
    const deployment = withImage(manifestOf(live), change);
    await found?.();
    const outcome = await this.check(target.cluster, { deployments: [{ source: `${target.namespace}/${target.name} with ${change.container ? `${change.container}=` : ''}${change.image}`, deployment }], objects: [], namespaces: [] });
    const refused = outcome.rejected[0];
    if (refused) throw new MedicError('USAGE', `the API server refuses the change: ${refused.message}`);
    return outcome.reports[0]!;
  }
}

/** Why the API server refuses the Deployment as written, or undefined when it does not (or could not be asked). */
function rejection(w: PreflightWorld): string | undefined {
  const dry = w.deploymentDryRun;
  if (!dry || dry.ok) return undefined;
  if (dry.status === 404) return /namespaces? "?([^"\s]+)"? not found/.test(dry.message) ? `${dry.message}: create the namespace first, or put the Namespace in the input` : dry.message;
  if (dry.status === 400 || dry.status === 422 || dry.status === 409) return dry.message;
  // Refusals at admission are findings; missing rights are notes.
  if (dry.status === 403 && !isPermissionRefusal(dry.message) && !parseQuotaMessage(dry.message) && parseRefusal(dry.message)?.code !== 'ADMISSION_WEBHOOK_DENIED') return dry.message;
  return undefined;
}

/** The live Deployment as a manifest: what the server sets (identity, status, managed fields) left out. */
function manifestOf(live: Deployment): Deployment {
  const { uid: _u, resourceVersion: _r, generation: _g, creationTimestamp: _c, managedFields: _m, ...metadata } = live.metadata ?? {};
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: structuredClone(live.spec!) };
}

function withImage(d: Deployment, change: PreflightChange): Deployment {
  const containers = d.spec?.template?.spec?.containers ?? [];
  const names = containers.map((c) => c.name).join(', ');
  const target = change.container ? containers.find((c) => c.name === change.container) : containers.length === 1 ? containers[0] : undefined;
  if (!target) {
    throw new MedicError('USAGE', change.container ? `container "${change.container}" is not in ${d.metadata?.name} (containers: ${names})` : `${d.metadata?.name} has several containers (${names}): name one, --image CONTAINER=IMAGE`);
  }
  target.image = change.image;
  return d;
}

import type { ActionPlan } from '../domain/actions/index.js';
import { currentReplicaSet } from '../domain/rollout.js';
import { selectorString } from '../domain/selector.js';
import type { DeploymentOutcomeNote } from '../domain/thread-note.js';
import { evaluateVerification, type SettleBaseline, type VerificationVerdict } from '../domain/verification.js';
import { controlledBy, revisionOf } from '../domain/workload.js';
import type { Logger } from '../log.js';
import type { Clock, Cluster, DeploymentBinding, DeploymentExecution, ProposalRecord, ProposalThread, Store } from '../ports.js';
import type { ExecutionOptions } from './execution.js';

/** What a running verification saves, so a restart carries on with the same baseline and progress message. */
interface SavedProgress {
  baseline?: SettleBaseline;
  messageTs?: string;
  note?: DeploymentOutcomeNote;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Follows one patched deployment with `kubectl rollout status` semantics,
 * one progress message updated in place, until it is verified (seed 004's
 * checklist, domain/verification.ts) or fails.
 */
export class Verifier {
  constructor(
    private readonly deps: { store: Store; cluster: Cluster; record: ProposalRecord; thread: ProposalThread; clock: Clock; log: Logger; options: ExecutionOptions },
  ) {}

  async verify(binding: DeploymentBinding, plan: ActionPlan, saved?: DeploymentExecution['verification']): Promise<DeploymentOutcomeNote> {
    const { store, thread, record, options } = this.deps;
    const progress = (saved?.detail ?? {}) as SavedProgress;
    if (saved && saved.state !== 'running' && progress.note) return progress.note;
    const ref = { namespace: binding.namespace, name: binding.name };
    let shown: string | undefined;
    let stored = saved ? JSON.stringify(progress) : undefined;
    for (;;) {
      const { verdict, previousRevision } = await this.check(binding, plan, progress.baseline);
      if (verdict.message !== shown) {
        progress.messageTs = await thread.note(record, { kind: 'progress', ...ref, message: verdict.message }, progress.messageTs);
        shown = verdict.message;
      }
      if (verdict.state === 'rolling' || verdict.state === 'settling') {
        progress.baseline = verdict.state === 'settling' ? verdict.baseline : undefined;
        // Saved when it changes, not every poll: the baseline starts the settle period, the ts is the message to update.
        if (JSON.stringify(progress) !== stored) {
          await this.save(ref, 'running', progress);
          stored = JSON.stringify(progress);
        }
        await sleep(options.pollMs);
        continue;
      }
      const note: DeploymentOutcomeNote = {
        ...ref,
        outcome: verdict.state,
        message: verdict.message,
        warnings: verdict.state === 'verified' ? verdict.warnings : [],
        stillRunning: verdict.state === 'failed' ? verdict.stillRunning : [],
        ...(verdict.state === 'failed' && previousRevision ? { previousRevision } : {}),
      };
      await this.save(ref, verdict.state, { ...progress, note });
      await store.appendAudit([
        { at: this.deps.clock.now(), actor: 'deploy-medic', kind: 'verification', detail: { outcome: verdict.state, message: verdict.message, warnings: note.warnings }, cluster: record.cluster, namespace: binding.namespace, deployment: binding.name, proposalId: record.id },
      ]);
      return note;
    }
  }

  private async save(ref: { namespace: string; name: string }, state: 'running' | 'verified' | 'failed', progress: SavedProgress): Promise<void> {
    const { store, record, options, clock } = this.deps;
    const ok = await store.saveVerification(record.id, options.holder, ref, { state, detail: progress as Record<string, unknown>, at: clock.now() });
    if (!ok) throw new Error(`lost the execution lease of proposal ${record.id}`);
  }

  /** One look at the rollout: the Deployment, its current ReplicaSet's pods, their memory use and any autoscaler. */
  private async check(binding: DeploymentBinding, plan: ActionPlan, baseline: SettleBaseline | undefined): Promise<{ verdict: VerificationVerdict; previousRevision?: number }> {
    const { cluster, clock, options, log } = this.deps;
    const { namespace, name } = binding;
    const deployment = await cluster.getDeployment(namespace, name);
    const selector = selectorString(deployment.spec?.selector);
    const [replicaSets, pods, metrics, hpas] = await Promise.all([
      cluster.listReplicaSets(namespace, selector).then((all) => controlledBy([deployment], all)),
      cluster.listPods(namespace, selector),
      cluster.listPodMetrics(namespace, selector).catch((err: unknown) => void log.debug({ err }, 'no pod metrics')),
      cluster.listHorizontalPodAutoscalers(namespace).catch(() => []),
    ]);
    const current = currentReplicaSet(deployment, replicaSets);
    const verdict = evaluateVerification({
      deployment,
      pods: current ? controlledBy([current], pods) : [],
      metrics: metrics ?? undefined,
      hpas,
      now: clock.now(),
      settleSeconds: options.settleSeconds,
      baseline,
      settles: plan.request.kind !== 'pause',
    });
    const below = replicaSets.map(revisionOf).filter((r) => plan.toRevision !== undefined && r > 0 && r < plan.toRevision);
    return { verdict, ...(below.length ? { previousRevision: Math.max(...below) } : {}) };
  }
}

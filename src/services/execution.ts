import type { ActionPlan } from '../domain/actions/index.js';
import { transition, type ApprovalEvent } from '../domain/approval.js';
import type { FixEvent } from '../domain/incident.js';
import { changeSince } from '../domain/proposal.js';
import type { DeploymentOutcomeNote } from '../domain/thread-note.js';
import { toMedicError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock, Clusters, DeploymentBinding, DeploymentExecution, Lease, ProposalRecord, ProposalThread, Store } from '../ports.js';
import { auditEntries, paramsOf, saveTransition } from './proposal-record.js';
import { applyApprovedPatch } from './patching.js';
import { Verifier } from './verifier.js';

export interface ExecutionOptions {
  /** Who holds a claimed execution: this process. */
  holder: string;
  /** How long a claim holds without renewal; a crashed holder's work is taken over after it. */
  leaseMs: number;
  /** How often verification reads the rollout. */
  pollMs: number;
  settleSeconds: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs approved proposals: claimed once in the store (across processes),
 * each deployment patched exactly as approved and then verified, the lease
 * renewed meanwhile so a crash hands the work to whoever starts next.
 */
export class ExecutionService {
  private readonly inFlight = new Set<Promise<void>>();
  /** Proposals this process is executing now: its own lease is renewed, not taken over by its own housekeeping. */
  private readonly running = new Set<string>();
  /** The thread message that says a deployment could not be read before patching, per proposal: updated in place on each retry. */
  private readonly unreadableNotes = new Map<string, string>();
  private stopped = false;

  constructor(
    private readonly deps: {
      store: Store;
      clusters: Clusters;
      thread: ProposalThread;
      clock: Clock;
      log: Logger;
      options: ExecutionOptions;
      /** An incident whose fix this is follows its progress (services/incidents.ts). */
      onFixEvent?: (event: FixEvent) => Promise<void>;
    },
  ) {}

  /** Claims and runs the execution in the background; a second call (or process) finds it claimed. */
  start(proposalId: string): void {
    this.track(async () => {
      if (await this.deps.store.claimExecution(proposalId, this.lease())) await this.executeOnce(proposalId);
    }, proposalId);
  }

  /** After a restart: executions whose holder stopped renewing are taken over and carried on. */
  async resumeAbandoned(): Promise<void> {
    for (const exec of await this.deps.store.listUnfinishedExecutions()) {
      if (exec.holder !== this.deps.options.holder && exec.leaseUntil.getTime() > this.deps.clock.now().getTime()) continue;
      // Our own running execution renews its lease; taking it over would patch twice at once.
      if (this.running.has(exec.proposalId)) continue;
      this.track(async () => {
        if (await this.deps.store.leaseExecution(exec.proposalId, this.lease())) await this.executeOnce(exec.proposalId);
      }, exec.proposalId);
    }
  }

  /** Waits for running work (tests and shutdown); new work is refused. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private track(job: () => Promise<void>, proposalId: string): void {
    if (this.stopped) return;
    const p = job()
      .catch((err: unknown) => this.deps.log.error({ err, proposal: proposalId }, 'execution stopped by an error; another start will take it over'))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Runs a claimed or leased execution, unless this process is already running it. */
  private async executeOnce(proposalId: string): Promise<void> {
    if (this.running.has(proposalId)) return;
    this.running.add(proposalId);
    try {
      await this.execute(proposalId);
    } finally {
      this.running.delete(proposalId);
    }
  }

  private lease(): Lease {
    return { holder: this.deps.options.holder, now: this.deps.clock.now(), leaseMs: this.deps.options.leaseMs };
  }

  private async execute(proposalId: string): Promise<void> {
    const { store, thread } = this.deps;
    let record = await store.getProposal(proposalId);
    if (!record) return;
    const { plans } = paramsOf(record);
    const renew = setInterval(() => void store.leaseExecution(proposalId, this.lease()).catch(() => false), Math.max(500, this.deps.options.leaseMs / 3));
    try {
      if (record.recordedStatus === 'approved') {
        const voided = await this.changedBeforeStart(record, plans);
        if (voided) {
          await this.advance(record, { kind: 'supersede', actor: 'deploy-medic', cause: 'deployment-changed', detail: voided });
          return;
        }
        record = await this.advance(record, { kind: 'start' });
        if (!record) return;
      }
      const execution = await store.getExecution(proposalId);
      const outcomes = await this.runDeployments(record, plans, execution?.deployments ?? []);
      const ok = outcomes.every((o) => o.outcome === 'verified');
      const detail = outcomes.map((o) => `${o.namespace}/${o.name}: ${o.outcome}`).join('; ');
      await thread.note(record, { kind: 'outcome', deployments: outcomes });
      await this.advance(record, { kind: 'finish', outcome: ok ? 'succeeded' : 'failed', detail });
      await this.deps.onFixEvent?.(ok ? { kind: 'fix-verified', proposalId } : { kind: 'fix-failed', proposalId, stage: outcomes.some((o) => o.outcome !== 'refused') ? 'verification' : 'execution', detail });
    } finally {
      clearInterval(renew);
    }
  }

  /** Every deployment's spec checked against its binding before anything is patched: one changed voids the approval. */
  private async changedBeforeStart(record: ProposalRecord, plans: ActionPlan[]): Promise<string | undefined> {
    for (const [i, binding] of record.deployments.entries()) {
      const now = await this.deps.clusters
        .get(record.cluster)
        .getDeployment(binding.namespace, binding.name)
        .catch((e: unknown) => this.noteUnreadable(record, binding, e));
      const change = changeSince(binding, plans[i]!, now);
      if (change) return change;
    }
    return undefined;
  }

  /** Patches in the order given (each once, even across a restart), then verifies them together. */
  private async runDeployments(record: ProposalRecord, plans: ActionPlan[], done: DeploymentExecution[]): Promise<DeploymentOutcomeNote[]> {
    const { store, clusters, options } = this.deps;
    const cluster = clusters.get(record.cluster);
    const results: Array<{ binding: DeploymentBinding; plan: ActionPlan; patched: boolean; detail: string }> = [];
    for (const [i, binding] of record.deployments.entries()) {
      const plan = plans[i]!;
      const recorded = done.find((d) => d.namespace === binding.namespace && d.name === binding.name)?.result;
      if (recorded) {
        results.push({ binding, plan, patched: recorded.outcome === 'patched', detail: String(recorded.detail.message ?? '') });
        continue;
      }
      // It throws only when the deployment cannot be read before the first PATCH: nothing was sent.
      const r = await applyApprovedPatch(cluster, binding, plan, sleep).catch((e: unknown) => this.noteUnreadable(record, binding, e));
      const ref = { namespace: binding.namespace, name: binding.name };
      if (!(await store.recordDeploymentResult(record.id, options.holder, ref, { outcome: r.outcome, detail: { message: r.detail }, at: this.deps.clock.now() }))) {
        throw new Error(`lost the execution lease of proposal ${record.id}`);
      }
      await store.appendAudit(auditEntries({ id: record.id, cluster: record.cluster, namespace: binding.namespace }, [
        { kind: 'audit', entry: { at: this.deps.clock.now(), actor: 'deploy-medic', kind: 'deployment-result', detail: { deployment: binding.name, outcome: r.outcome, message: r.detail, command: plan.kubectl } } },
      ]));
      results.push({ binding, plan, patched: r.outcome === 'patched', detail: r.detail });
    }
    if (results.some((r) => r.patched)) await this.deps.onFixEvent?.({ kind: 'fix-executed', proposalId: record.id });
    const verifier = new Verifier({ ...this.deps, cluster, record });
    return Promise.all(
      results.map(async ({ binding, plan, patched, detail }) => {
        if (!patched) return { namespace: binding.namespace, name: binding.name, outcome: 'refused' as const, message: detail, warnings: [], stillRunning: [] };
        const saved = done.find((d) => d.namespace === binding.namespace && d.name === binding.name)?.verification;
        return verifier.verify(binding, plan, saved);
      }),
    );
  }

  /**
   * A read before any PATCH failed: nothing was changed, and the execution
   * stops here to be started again by the next housekeeping tick (reads are
   * safe to retry). The thread says so, one message updated on each retry.
   */
  private async noteUnreadable(record: ProposalRecord, binding: DeploymentBinding, e: unknown): Promise<never> {
    const err = toMedicError(e);
    const message = `could not read the deployment before patching it (${err.message}); nothing was changed, trying again in a few seconds`;
    const ts = await this.deps.thread
      .note(record, { kind: 'progress', namespace: binding.namespace, name: binding.name, message }, this.unreadableNotes.get(record.id))
      .catch(() => undefined);
    if (ts) this.unreadableNotes.set(record.id, ts);
    throw err;
  }

  /** One machine event saved by compare-and-set (reloaded when another writer won), then its effects. */
  private async advance(record: ProposalRecord, event: ApprovalEvent): Promise<ProposalRecord | undefined> {
    const { store, clock, thread } = this.deps;
    let current: ProposalRecord | undefined = record;
    for (let attempt = 0; current && attempt < 5; attempt++) {
      const t = transition(current, event, clock.now());
      if (!t.accepted) return undefined;
      const saved = await saveTransition(store, current, t);
      if (saved.won) {
        const next = saved.record;
        // Queued in order per channel; the patch does not wait for Slack to answer.
        const told = [thread.refreshCard(next), ...t.effects.flatMap((e) => (e.kind === 'post' ? [thread.note(next, { kind: 'approval', notice: e.notice })] : []))];
        this.track(() => Promise.all(told).then(() => undefined), current.id);
        return next;
      }
      current = await store.getProposal(current.id);
    }
    return undefined;
  }
}

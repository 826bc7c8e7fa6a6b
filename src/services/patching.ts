import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { patchLanded } from '../domain/actions/plan.js';
import type { ActionPlan } from '../domain/actions/index.js';
import { changeSince, withPrecondition, type Binding } from '../domain/proposal.js';
import { toMedicError, type MedicError } from '../errors.js';
import type { Cluster } from '../ports.js';

export type PatchResult = { outcome: 'patched'; after: Deployment; detail: string } | { outcome: 'refused' | 'failed'; detail: string };

const ATTEMPTS = 3;

/** The API server may or may not have applied a patch that timed out or answered 5xx. */
const transient = (e: MedicError) =>
  e.code === 'TIMEOUT' || e.code === 'CLUSTER_UNREACHABLE' || (e.code === 'KUBE_API' && Number(e.details.httpStatus ?? 500) >= 500) || e.details.httpStatus === 429;

/**
 * The approved patch, applied once. The spec is checked unchanged since the
 * proposal, then the patch goes with a `test` of the resourceVersion just
 * read, so resending it can never apply it twice. After a conflict, a timeout
 * or a 5xx the Deployment is read back, never resent blindly: our patch
 * landed (done), someone else changed the spec (stop), or only the status
 * moved on (send again, tested against the new resourceVersion).
 */
export async function applyApprovedPatch(cluster: Cluster, binding: Binding, plan: ActionPlan, wait: (ms: number) => Promise<void>): Promise<PatchResult> {
  const { namespace, name } = binding;
  let current = await cluster.getDeployment(namespace, name);
  let last: MedicError | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const changed = changeSince(binding, plan, current);
    if (changed) {
      // Our own patch changes the spec too: applied before a crash, or before the error that hid it.
      if (patchLanded(current, plan.patch)) return { outcome: 'patched', after: current, detail: last ? `applied (confirmed by reading it back after: ${last.message})` : 'already applied before a restart' };
      return { outcome: 'refused', detail: last ? `${changed}, while the patch was being sent; nothing of ours was applied` : changed };
    }
    try {
      const after = await cluster.patchDeployment(namespace, name, withPrecondition(plan.patch, current.metadata?.resourceVersion ?? ''));
      return { outcome: 'patched', after, detail: attempt > 1 ? `applied on attempt ${attempt}` : 'applied' };
    } catch (e) {
      last = toMedicError(e);
      if (last.code !== 'CONFLICT' && !transient(last)) return { outcome: 'failed', detail: `the API server refused the patch: ${last.message}` };
      if (transient(last)) await wait(250 * 2 ** attempt);
      try {
        current = await cluster.getDeployment(namespace, name);
      } catch (readErr) {
        last = toMedicError(readErr);
      }
    }
  }
  return { outcome: 'failed', detail: `the API server kept failing (${ATTEMPTS} attempts, nothing applied): ${last?.message ?? 'unknown error'}` };
}

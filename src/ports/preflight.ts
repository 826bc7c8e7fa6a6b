import type { PreflightInput } from '../domain/preflight/manifests.js';
import type { PreflightWorld } from '../domain/preflight/world.js';

/**
 * What a preflight reads of a cluster: for each candidate Deployment,
 * everything its checks need, in one go (concurrent, registry checks
 * deduplicated by image), including the API server's answers to dry runs
 * (dryRun=All: admission runs, nothing is stored). Nothing is written.
 */
export interface PreflightSource {
  collect(cluster: string, input: PreflightInput): Promise<PreflightWorld[]>;
}

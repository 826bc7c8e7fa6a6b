import type { RegistryCredential } from './domain/docker-config.js';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { DeploymentSnapshot, RegistryCheck } from './domain/snapshot.js';

/** Time, injected everywhere so tests and the simulator control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Answers whether an image reference exists in its registry, with the caller's pull credentials. */
export interface ImageChecker {
  check(image: string, credentials: RegistryCredential[]): Promise<RegistryCheck>;
}

export interface DeploymentRef {
  namespace: string;
  name: string;
}

/** Everything a diagnosis reads, collected in one go (adapters/kube/collector.ts). */
export interface SnapshotSource {
  collect(ref: DeploymentRef): Promise<DeploymentSnapshot>;
}

/** The cluster reads and writes the remediation services make. */
export interface Cluster {
  getDeployment(namespace: string, name: string): Promise<Deployment>;
  listReplicaSets(namespace: string, labelSelector: string): Promise<ReplicaSet[]>;
  patchDeploymentJson(namespace: string, name: string, ops: unknown[]): Promise<Deployment>;
}

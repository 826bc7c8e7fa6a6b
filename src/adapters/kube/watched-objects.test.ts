import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { crashedWithin, rolloutFailureSignals } from '../../domain/failure-signals.js';
import { rolloutStatus } from '../../domain/rollout.js';
import { FAMILY_SNAPSHOTS } from '../../../test/fixtures/family-snapshots.js';
import { at, COLLECTED } from '../../../test/fixtures/fixture-time.js';
import { watchedObject } from './watched-objects.js';

/** What the watcher keeps of an object must judge a rollout exactly as the whole object does. */
const keep = <T>(what: 'deployments' | 'replicasets' | 'pods', o: T): T => watchedObject(what, o as never) as unknown as T;

describe('watchedObject', () => {
  const now = new Date(at(COLLECTED));
  for (const [name, build] of Object.entries(FAMILY_SNAPSHOTS)) {
    it(`keeps what the failure signals read: ${name}`, () => {
      const s = build();
      const whole = { deployment: s.deployment, replicaSets: s.replicaSets, pods: s.pods, events: [] };
      const kept = { deployment: keep<Deployment>('deployments', s.deployment), replicaSets: s.replicaSets.map((r) => keep<ReplicaSet>('replicasets', r)), pods: s.pods.map((p) => keep<Pod>('pods', p)), events: [] };
      expect(rolloutFailureSignals(kept, now)).toEqual(rolloutFailureSignals(whole, now));
      expect(rolloutStatus(kept.deployment)).toEqual(rolloutStatus(whole.deployment));
      expect(crashedWithin(kept, now, 300)).toBe(crashedWithin(whole, now, 300));
    });
  }

  it('is checked on failing rollouts: most families have signals to keep', () => {
    const failing = Object.values(FAMILY_SNAPSHOTS).filter((build) => {
      const s = build();
      return rolloutFailureSignals({ ...s, events: [] }, now).length > 0;
    });
    expect(failing.length).toBeGreaterThanOrEqual(Object.keys(FAMILY_SNAPSHOTS).length - 1);
  });

  it('keeps a pod small: no env, volumes, images or bookkeeping', () => {
    const pod = FAMILY_SNAPSHOTS['untolerated-taint']!().pods[0]!;
    const kept = JSON.stringify(keep('pods', { ...pod, metadata: { ...pod.metadata, managedFields: [{ manager: 'kubelet' }] } }));
    expect(kept).not.toMatch(/managedFields|imageID|"volumes"|"env"/);
    expect(kept.length).toBeLessThan(JSON.stringify(pod).length);
  });
});

import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import { autoscalerWarning, changeSince, migrationWarning } from './proposal.js';

const d = (generation: number, image: string, revision = '2'): Deployment => ({
  metadata: { name: 'web', namespace: 'prod', uid: 'u1', generation, resourceVersion: String(100 + generation), annotations: { 'deployment.kubernetes.io/revision': revision, 'kubernetes.io/change-cause': 'ci deploy' } },
  spec: { selector: {}, template: { spec: { containers: [{ name: 'web', image }] } } },
});
const binding = { namespace: 'prod', name: 'web', uid: 'u1', generation: 4, resourceVersion: '104' };
const plan = { fromRevision: 2, imagesBefore: ['web:2'] };

describe('what a proposal is bound to', () => {
  it('only a spec change voids it: status updates move the resourceVersion all the time', () => {
    expect(changeSince(binding, plan, { ...d(4, 'web:2'), metadata: { ...d(4, 'web:2').metadata, resourceVersion: '180' } })).toBeUndefined();
    expect(changeSince(binding, plan, d(5, 'web:3', '3'))).toBe('prod/web changed since the proposal: revision 2 → 3, images web:2 → web:3, change cause "ci deploy"');
    expect(changeSince(binding, plan, { ...d(4, 'web:2'), metadata: { ...d(4, 'web:2').metadata, uid: 'u2' } })).toBe('prod/web was deleted and created again');
  });

  it('warns of an autoscaler before a scale and of a migration before a rollback', () => {
    const hpa = { metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 8 } };
    expect(autoscalerWarning(d(4, 'web:2'), [hpa])).toContain('HorizontalPodAutoscaler web owns the replica count of this deployment (min 2, max 8)');
    expect(autoscalerWarning(d(4, 'web:2'), [])).toBeUndefined();
    expect(migrationWarning([{ pod: 'web-1', container: 'web', lines: ['starting', 'Flyway: Migrating schema `app` to version 42'] }])).toMatch(/^The failing revision ran a database migration \(pod web-1, container web: "Flyway: Migrating schema/);
    expect(migrationWarning([{ pod: 'web-1', container: 'web', lines: ['listening on 8080'] }])).toBeUndefined();
  });
});

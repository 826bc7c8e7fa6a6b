import { describe, expect, it } from 'vitest';
import { SnapshotBuilder, crashLoop } from '../../../test/fixtures/snapshot-builder.js';
import { analyzeServices } from './service.js';

const relabelled = (ready: number) =>
  new SnapshotBuilder('search-api')
    .base((_c, _s, labels) => void (labels.tier = 'backend'))
    .change((_c, _s, labels) => void (labels.tier = 'api'), 3)
    .complete()
    .readyPods(2, 3)
    .service('search-api', { app: 'search-api', tier: 'backend' }, ready)
    .build();

describe('analyzeServices', () => {
  it('reports a Service the new pod labels no longer match as critical, with a rollback to the matching revision', () => {
    const [f] = analyzeServices(relabelled(0));
    expect(f!.code).toBe('SERVICE_NO_ENDPOINTS');
    expect(f!.severity).toBe('critical');
    expect(f!.summary).toBe(
      'Service search-api selects app=search-api,tier=backend, but revision 2 changed the pod labels (tier=backend → tier=api), so the service has no endpoints and its traffic is dropped. Roll back to revision 1, or align the labels and the selector.',
    );
    expect(f!.evidence).toEqual([
      { kind: 'service', name: 'service/search-api', detail: 'selector app=search-api,tier=backend; endpoints: 0 ready' },
      { kind: 'spec', name: 'deployment/search-api', detail: 'revision 2 pod labels: app=search-api,tier=api' },
      { kind: 'spec', name: 'deployment/search-api', detail: 'revision 1 pod labels: app=search-api,tier=backend' },
    ]);
    expect(f!.fixes).toEqual([{ kind: 'rollback', title: 'Roll back to revision 1 (its pods match the selector)', toRevision: 1 }]);
  });

  it('is quiet while the Service has ready endpoints', () => {
    expect(analyzeServices(relabelled(2))).toEqual([]);
  });

  it('reports dropped traffic when the matching pods are all down, and not while some are available', () => {
    const down = new SnapshotBuilder('orders-api')
      .change((c) => void (c.image = 'x:v2'))
      .newPods(1, crashLoop(['boom']))
      .unavailable()
      .service('orders-api', { app: 'orders-api' }, 0)
      .build();
    const [f] = analyzeServices(down);
    expect(f!.summary).toBe("Service orders-api has no ready endpoints: none of orders-api's pods are ready, so its traffic is dropped.");
    expect(analyzeServices({ ...down, deployment: { ...down.deployment, status: { ...down.deployment.status, availableReplicas: 1 } } })).toEqual([]);
  });
});

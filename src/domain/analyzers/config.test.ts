import { describe, expect, it } from 'vitest';
import { SnapshotBuilder, configError } from '../../../test/fixtures/snapshot-builder.js';
import { analyzeConfig } from './config.js';

const jwt = { name: 'JWT_SIGNING_KEY', valueFrom: { secretKeyRef: { name: 'auth-service-jwt', key: 'signing-key' } } };

describe('analyzeConfig', () => {
  it('reports a missing Secret, who references it, and how to create it without a value', () => {
    const s = new SnapshotBuilder('auth-service')
      .change((c) => void (c.env = [jwt]))
      .readyPods(1, 3)
      .newPods(3, configError('secret "auth-service-jwt" not found'))
      .configRef({ kind: 'Secret', name: 'auth-service-jwt', exists: false, keys: [] })
      .build();
    const [f] = analyzeConfig(s);
    expect(f!.code).toBe('MISSING_SECRET');
    expect(f!.title).toBe('Secret auth-service-jwt not found');
    expect(f!.summary).toBe(
      'Secret auth-service-jwt does not exist in production, so containers on 3 pods cannot be created (used by env JWT_SIGNING_KEY → key signing-key). Revision 2 added this reference; revision 1 did not use it. Create it or roll back.',
    );
    expect(f!.pods).toHaveLength(3);
    expect(f!.fixes).toContainEqual({ kind: 'manual', title: 'Create Secret auth-service-jwt', command: 'kubectl create secret generic auth-service-jwt -n production --from-literal=signing-key=<value>' });
    expect(f!.fixes).toContainEqual({ kind: 'rollback', title: 'Roll back to revision 1 (auth-service:v1.0.0)', toRevision: 1 });
    expect(f!.evidence).toContainEqual({ kind: 'spec', name: 'secret/auth-service-jwt', detail: 'does not exist' });
  });

  it('reports a missing key with the keys that exist (names only) and the likely intended one', () => {
    const s = new SnapshotBuilder('email-sender')
      .base((c) => void (c.env = [{ name: 'SMTP_USER', valueFrom: { secretKeyRef: { name: 'email-sender-smtp', key: 'smtp-user' } } }]))
      .change((c) => void c.env!.push({ name: 'SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'email-sender-smtp', key: 'SMTP_PASSWORD' } } }))
      .readyPods(1, 3)
      .newPods(1, configError("couldn't find key SMTP_PASSWORD in Secret production/email-sender-smtp"))
      .configRef({ kind: 'Secret', name: 'email-sender-smtp', exists: true, keys: ['smtp-password', 'smtp-user'] })
      .build();
    const [f] = analyzeConfig(s);
    expect(f!.code).toBe('MISSING_CONFIG_KEY');
    expect(f!.title).toBe('Key SMTP_PASSWORD missing from Secret email-sender-smtp');
    expect(f!.summary).toContain('(it has smtp-password, smtp-user)');
    expect(f!.summary).toContain('Did you mean smtp-password?');
    expect(f!.summary).toContain('Revision 2 added this reference; revision 1 did not use SMTP_PASSWORD.');
  });

  it('reads FailedMount events for Secret and ConfigMap volumes', () => {
    const s = new SnapshotBuilder('reports')
      .change((_c, spec) => void (spec.volumes = [{ name: 'tls', secret: { secretName: 'reports-tls' } }, { name: 'cfg', configMap: { name: 'reports-cfg' } }]))
      .readyPods(1, 3)
      .newPods(1, (p) => {
        // The kubelet cannot set up the sandbox: pod-level FailedMount events, containers still ContainerCreating (§4.7).
        p.pod.status!.phase = 'Pending';
        p.status({ state: { waiting: { reason: 'ContainerCreating' } } });
        p.event('Warning', 'FailedMount', 'MountVolume.SetUp failed for volume "tls" : secret "reports-tls" not found', { count: 9, podLevel: true });
        p.event('Warning', 'FailedMount', 'MountVolume.SetUp failed for volume "cfg" : configmap "reports-cfg" not found', { podLevel: true });
      })
      .build();
    const findings = analyzeConfig(s).sort((a, b) => b.code.localeCompare(a.code));
    expect(findings.map((f) => [f.code, f.title])).toEqual([
      ['MISSING_SECRET', 'Secret reports-tls not found'],
      ['MISSING_CONFIGMAP', 'ConfigMap reports-cfg not found'],
    ]);
    expect(findings[0]!.evidence[0]).toMatchObject({ kind: 'event', detail: 'Warning FailedMount: MountVolume.SetUp failed for volume "tls" : secret "reports-tls" not found (x9)' });
    expect(findings[0]!.summary).toContain('(used by volume tls)');
  });

  it('finds nothing in a healthy deployment', () => {
    expect(analyzeConfig(new SnapshotBuilder('auth-service').readyPods(1, 3).build())).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

/** Wraps a PodSpec fragment where a Deployment keeps it. */
const inTemplate = (podSpec: object) => ({ spec: { template: { spec: podSpec } } });

const deploymentPatch = (doc: unknown, patch: unknown) => applyStrategicMergePatch(doc, patch, 'Deployment');

const status = (code: number, reason: string, message: string) => expect.objectContaining({ code, reason, message });

describe('applyStrategicMergePatch: what kubectl 1.32 sends', () => {
  const deployment = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'img:v1', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] },
      },
    },
  });

  it('kubectl set image', () => {
    const patch = JSON.parse(
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"image":"img:v2","name":"app"}]}}}}',
    );
    const expected = deployment();
    expected.spec.template.spec.containers[0]!.image = 'img:v2';
    expect(deploymentPatch(deployment(), patch)).toStrictEqual(expected);
  });

  it('kubectl set image on one of two containers keeps both, in order', () => {
    const doc = inTemplate({ containers: [{ name: 'app', image: 'img:v1' }, { name: 'proxy', image: 'envoy:1' }] });
    const patch = inTemplate({
      '$setElementOrder/containers': [{ name: 'app' }, { name: 'proxy' }],
      containers: [{ image: 'envoy:2', name: 'proxy' }],
    });
    expect(deploymentPatch(doc, patch)).toStrictEqual(
      inTemplate({ containers: [{ name: 'app', image: 'img:v1' }, { name: 'proxy', image: 'envoy:2' }] }),
    );
  });

  it('kubectl rollout restart', () => {
    const patch = JSON.parse('{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-22T10:00:00Z"}}}}}');
    const expected = deployment();
    Object.assign(expected.spec.template.metadata, { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T10:00:00Z' } });
    expect(deploymentPatch(deployment(), patch)).toStrictEqual(expected);
  });

  it('kubectl rollout pause and resume', () => {
    const paused = deploymentPatch(deployment(), { spec: { paused: true } });
    expect(paused).toStrictEqual({ ...deployment(), spec: { ...deployment().spec, paused: true } });
    expect(deploymentPatch(paused, { spec: { paused: null } })).toStrictEqual(deployment());
  });

  it('kubectl patch merges resources into the existing container', () => {
    const doc = inTemplate({ containers: [{ name: 'x', image: 'nginx', resources: { limits: { cpu: '1' } } }] });
    const patch = JSON.parse('{"spec":{"template":{"spec":{"containers":[{"name":"x","resources":{"requests":{"memory":"256Mi"}}}]}}}}');
    expect(deploymentPatch(doc, patch)).toStrictEqual(
      inTemplate({ containers: [{ name: 'x', image: 'nginx', resources: { limits: { cpu: '1' }, requests: { memory: '256Mi' } } }] }),
    );
  });

  it('kubectl set env: changes, deletes and keeps env order', () => {
    const doc = inTemplate({
      containers: [{ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: '3' }] }],
    });
    const patch = inTemplate({
      '$setElementOrder/containers': [{ name: 'app' }],
      containers: [
        {
          '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }],
          env: [{ name: 'B', value: '20' }, { $patch: 'delete', name: 'C' }],
          name: 'app',
        },
      ],
    });
    expect(deploymentPatch(doc, patch)).toStrictEqual(
      inTemplate({ containers: [{ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '20' }] }] }),
    );
  });
});

describe('applyStrategicMergePatch: "Update API Objects in Place Using kubectl patch"', () => {
  const doc = () =>
    inTemplate({
      containers: [{ name: 'patch-demo-ctr', image: 'nginx' }],
      tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team' }],
    });

  it('adds a container; the new one comes first, as the page shows', () => {
    expect(deploymentPatch(doc(), inTemplate({ containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] }))).toStrictEqual(
      inTemplate({
        containers: [
          { name: 'patch-demo-ctr-2', image: 'redis' },
          { name: 'patch-demo-ctr', image: 'nginx' },
        ],
        tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team' }],
      }),
    );
  });

  it('replaces tolerations, which have no patch strategy', () => {
    expect(deploymentPatch(doc(), inTemplate({ tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] }))).toStrictEqual(
      inTemplate({
        containers: [{ name: 'patch-demo-ctr', image: 'nginx' }],
        tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }],
      }),
    );
  });

  it('$retainKeys clears the strategy fields it does not list', () => {
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '30%', maxUnavailable: '30%' } };
    const patch = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } };
    expect(deploymentPatch({ spec: { replicas: 1, strategy } }, patch)).toStrictEqual({ spec: { replicas: 1, strategy: { type: 'Recreate' } } });
  });
});

describe('applyStrategicMergePatch: directives', () => {
  it('$retainKeys rejects a patch that sets an unlisted key', () => {
    const patch = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: 1 } } } };
    expect(() => deploymentPatch({ spec: { strategy: { type: 'RollingUpdate' } } }, patch)).toThrow(
      status(400, 'BadRequest', 'invalid patch format of retainKeys'),
    );
  });

  it('$retainKeys inside a list item switches a volume source', () => {
    const doc = inTemplate({ volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', emptyDir: {} }] });
    const patch = inTemplate({ volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] });
    expect(deploymentPatch(doc, patch)).toStrictEqual(
      inTemplate({ volumes: [{ name: 'v', configMap: { name: 'cm' } }, { name: 'w', emptyDir: {} }] }),
    );
  });

  it('$patch: replace in a list replaces the list', () => {
    const doc = inTemplate({ containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] });
    const patch = inTemplate({ containers: [{ name: 'c', image: 'c' }, { $patch: 'replace' }] });
    expect(deploymentPatch(doc, patch)).toStrictEqual(inTemplate({ containers: [{ name: 'c', image: 'c' }] }));
  });

  it('$patch: replace in a map replaces the map', () => {
    const doc = { spec: { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] } } };
    const patch = { spec: { selector: { $patch: 'replace', matchLabels: { app: 'api' } } } };
    expect(deploymentPatch(doc, patch)).toStrictEqual({ spec: { selector: { matchLabels: { app: 'api' } } } });
  });

  it('$patch: delete in a list removes every item with that key', () => {
    const doc = inTemplate({
      containers: [{ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'A', value: 'dup' }] }],
    });
    const patch = inTemplate({ containers: [{ name: 'app', env: [{ $patch: 'delete', name: 'A' }] }] });
    expect(deploymentPatch(doc, patch)).toStrictEqual(inTemplate({ containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }] }));
  });

  it('$patch: delete in a map empties it, and drops it where the object had none', () => {
    const doc = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
    expect(deploymentPatch(doc, { spec: { strategy: { rollingUpdate: { $patch: 'delete' } } } })).toStrictEqual({
      spec: { strategy: { type: 'RollingUpdate', rollingUpdate: {} } },
    });
    expect(deploymentPatch({ spec: {} }, { spec: { strategy: { $patch: 'delete' } } })).toStrictEqual({ spec: {} });
  });

  it('$patch: merge is refused as the apiserver refuses it', () => {
    const doc = inTemplate({ containers: [{ name: 'app' }] });
    expect(() => deploymentPatch(doc, inTemplate({ containers: [{ $patch: 'merge' }] }))).toThrow(
      status(500, 'InternalError', 'merging lists cannot yet be specified in the patch'),
    );
    expect(() => deploymentPatch({ metadata: { labels: {} } }, { metadata: { labels: { $patch: 'merge', a: 'b' } } })).toThrow(
      status(500, 'InternalError', 'unknown patch type: merge in map: map[$patch:merge a:b]'),
    );
  });

  it('$setElementOrder reorders a list the patch does not otherwise touch', () => {
    const doc = inTemplate({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] });
    const patch = inTemplate({ '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] });
    expect(deploymentPatch(doc, patch)).toStrictEqual(inTemplate({ containers: [{ name: 'c' }, { name: 'a' }, { name: 'b' }] }));
  });

  it('$setElementOrder on a list of primitives (the design doc example)', () => {
    const doc = { metadata: { finalizers: ['a', 'b', 'c'] } };
    expect(deploymentPatch(doc, { metadata: { '$setElementOrder/finalizers': ['b', 'c', 'a'] } })).toStrictEqual({
      metadata: { finalizers: ['b', 'c', 'a'] },
    });
  });

  // The next three are apimachinery's own patch_test.go cases ("Current" + "ThreeWay" = "Result").
  it('$setElementOrder slots server-only items by their server position', () => {
    const doc = inTemplate({
      containers: [
        { name: '1', other: 'a' },
        { name: '2', value: 2 },
        { name: '7' },
        { name: '9' },
        { name: '8' },
        { name: '3', value: 3 },
        { name: '4', value: 4 },
      ],
    });
    const patch = inTemplate({ '$setElementOrder/containers': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }] });
    expect(deploymentPatch(doc, patch)).toStrictEqual(
      inTemplate({
        containers: [
          { name: '2', value: 2 },
          { name: '1', other: 'a' },
          { name: '7' },
          { name: '9' },
          { name: '8' },
          { name: '4', value: 4 },
          { name: '3', value: 3 },
        ],
      }),
    );
  });

  it('$setElementOrder with added and deleted items', () => {
    const doc = inTemplate({ containers: [{ name: '1', other: 'a' }, { name: '2', value: 2, other: 'b' }, { name: '3', value: 3 }] });
    const patch = inTemplate({
      '$setElementOrder/containers': [{ name: '4' }, { name: '2' }, { name: '1' }],
      containers: [{ name: '4', value: 4 }, { name: '3', $patch: 'delete' }],
    });
    expect(deploymentPatch(doc, patch)).toStrictEqual(
      inTemplate({ containers: [{ name: '4', value: 4 }, { name: '2', value: 2, other: 'b' }, { name: '1', other: 'a' }] }),
    );
  });

  it('$setElementOrder keeps duplicates together', () => {
    const doc = inTemplate({
      containers: [{ name: '1' }, { name: '2', value: 'dup1' }, { name: '3' }, { name: '2', value: 'dup2' }, { name: '4' }],
    });
    const patch = inTemplate({ '$setElementOrder/containers': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }, { name: '2' }] });
    expect(deploymentPatch(doc, patch)).toStrictEqual(
      inTemplate({ containers: [{ name: '2', value: 'dup1' }, { name: '2', value: 'dup2' }, { name: '1' }, { name: '4' }, { name: '3' }] }),
    );
  });

  it('$setElementOrder must agree with the order of the patch list', () => {
    const doc = inTemplate({ containers: [{ name: 'a' }, { name: 'b' }] });
    const patch = inTemplate({ '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b', image: 'x' }] });
    expect(() => deploymentPatch(doc, patch)).toThrow(
      status(500, 'InternalError', "The order in patch list:\n[map[image:x name:b]]\n doesn't match $setElementOrder list:\n[map[name:a]]\n"),
    );
  });

  it('$deleteFromPrimitiveList removes values from a set', () => {
    const doc = { metadata: { finalizers: ['a', 'b', 'c', 'b'] } };
    expect(deploymentPatch(doc, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'c'] } })).toStrictEqual({
      metadata: { finalizers: ['a'] },
    });
  });

  it('$deleteFromPrimitiveList with $setElementOrder (patch_test.go "add and delete items in lists of scalars")', () => {
    const doc = { metadata: { finalizers: ['1', '2', '3', '4'] } };
    const patch = { metadata: { '$setElementOrder/finalizers': ['1', '2', '4'], '$deleteFromPrimitiveList/finalizers': ['3'] } };
    expect(deploymentPatch(doc, patch)).toStrictEqual({ metadata: { finalizers: ['1', '2', '4'] } });
  });

  it.each([
    [{ '$setElementOrder': [] }, 'invalid patch format of setElementOrder list'],
    [{ '$deleteFromPrimitiveListX/finalizers': ['a'] }, 'invalid patch format of primitive list'],
  ])('rejects a malformed directive key %j with 400', (metadata, message) => {
    expect(() => deploymentPatch({ metadata: { finalizers: ['a'] } }, { metadata })).toThrow(status(400, 'BadRequest', message));
  });
});

describe('applyStrategicMergePatch: merge keys by field path', () => {
  it.each([
    [
      'containers[].ports by containerPort',
      { containers: [{ name: 'app', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 9090, name: 'metrics' }] }] },
      { containers: [{ name: 'app', ports: [{ containerPort: 9090, name: 'prom' }] }] },
      { containers: [{ name: 'app', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 9090, name: 'prom' }] }] },
    ],
    [
      'containers[].volumeMounts by mountPath',
      { containers: [{ name: 'app', volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/cfg' }] }] },
      { containers: [{ name: 'app', volumeMounts: [{ mountPath: '/data', readOnly: true }] }] },
      {
        containers: [
          { name: 'app', volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }, { name: 'cfg', mountPath: '/etc/cfg' }] },
        ],
      },
    ],
    [
      'containers[].volumeDevices by devicePath',
      { containers: [{ name: 'app', volumeDevices: [{ name: 'a', devicePath: '/dev/a' }] }] },
      { containers: [{ name: 'app', volumeDevices: [{ name: 'b', devicePath: '/dev/a' }] }] },
      { containers: [{ name: 'app', volumeDevices: [{ name: 'b', devicePath: '/dev/a' }] }] },
    ],
    [
      'initContainers[].env by name',
      { initContainers: [{ name: 'init', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] },
      { initContainers: [{ name: 'init', env: [{ name: 'B', value: '3' }] }] },
      { initContainers: [{ name: 'init', env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }] }] },
    ],
    [
      'ephemeralContainers by name',
      { ephemeralContainers: [{ name: 'debug', image: 'busybox', targetContainerName: 'app' }] },
      { ephemeralContainers: [{ name: 'debug', image: 'alpine' }] },
      { ephemeralContainers: [{ name: 'debug', image: 'alpine', targetContainerName: 'app' }] },
    ],
    [
      'volumes by name',
      { volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'a', defaultMode: 420 } }] },
      { volumes: [{ name: 'cfg', configMap: { name: 'b' } }] },
      { volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'b', defaultMode: 420 } }] },
    ],
    [
      'imagePullSecrets by name (a new item goes first)',
      { imagePullSecrets: [{ name: 'a' }] },
      { imagePullSecrets: [{ name: 'b' }] },
      { imagePullSecrets: [{ name: 'b' }, { name: 'a' }] },
    ],
    [
      'hostAliases by ip',
      { hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }, { ip: '10.0.0.2', hostnames: ['c'] }] },
      { hostAliases: [{ ip: '10.0.0.1', hostnames: ['b'] }] },
      { hostAliases: [{ ip: '10.0.0.1', hostnames: ['b'] }, { ip: '10.0.0.2', hostnames: ['c'] }] },
    ],
    [
      'topologySpreadConstraints by topologyKey',
      { topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }] },
      { topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 2 }] },
      { topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule' }] },
    ],
    [
      'resourceClaims by name',
      { resourceClaims: [{ name: 'gpu', resourceClaimName: 'a' }, { name: 'fpga', resourceClaimName: 'f' }] },
      { resourceClaims: [{ name: 'gpu', resourceClaimName: 'b' }] },
      { resourceClaims: [{ name: 'gpu', resourceClaimName: 'b' }, { name: 'fpga', resourceClaimName: 'f' }] },
    ],
  ])('merges %s', (_name, podSpec, patch, expected) => {
    expect(deploymentPatch(inTemplate(podSpec), inTemplate(patch))).toStrictEqual(inTemplate(expected));
  });

  it.each([
    ['tolerations', { tolerations: [{ key: 'a', operator: 'Exists' }] }, { tolerations: [{ key: 'b', operator: 'Exists' }] }],
    [
      'envFrom',
      { containers: [{ name: 'app', envFrom: [{ configMapRef: { name: 'a' } }] }] },
      { containers: [{ name: 'app', envFrom: [{ secretRef: { name: 'b' } }] }] },
    ],
    ['args', { containers: [{ name: 'app', args: ['--a', '--b'] }] }, { containers: [{ name: 'app', args: ['--c'] }] }],
    ['command', { containers: [{ name: 'app', command: ['sh', '-c'] }] }, { containers: [{ name: 'app', command: ['run'] }] }],
  ])('replaces %s, which is atomic', (_name, podSpec, patch) => {
    expect(deploymentPatch(inTemplate(podSpec), inTemplate(patch))).toStrictEqual(inTemplate(patch));
  });

  it('merges Service spec.ports by port', () => {
    const doc = { spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }] } };
    expect(applyStrategicMergePatch(doc, { spec: { ports: [{ port: 443, targetPort: 9443 }] } }, 'Service')).toStrictEqual({
      spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 9443 }] },
    });
  });

  it('merges status conditions by type', () => {
    const doc = {
      status: {
        conditions: [
          { type: 'Available', status: 'True' },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
        ],
      },
    };
    const patch = { status: { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] } };
    expect(deploymentPatch(doc, patch)).toStrictEqual({
      status: {
        conditions: [
          { type: 'Available', status: 'True' },
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
        ],
      },
    });
  });

  it('handles a Node: unschedulable, conditions by type, taints replaced, podCIDRs as a set', () => {
    const node = {
      spec: { podCIDRs: ['10.0.0.0/24'], taints: [{ key: 'a', effect: 'NoSchedule' }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'False' }] },
    };
    const patch = {
      spec: { unschedulable: true, podCIDRs: ['fd00::/64'], taints: [{ key: 'b', effect: 'NoExecute' }] },
      status: { conditions: [{ type: 'Ready', status: 'False' }] },
    };
    expect(applyStrategicMergePatch(node, patch, 'Node')).toStrictEqual({
      spec: { podCIDRs: ['fd00::/64', '10.0.0.0/24'], taints: [{ key: 'b', effect: 'NoExecute' }], unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'MemoryPressure', status: 'False' }] },
    });
  });

  it('finds the PodSpec of a Pod and of a CronJob', () => {
    const containers = { containers: [{ name: 'app', image: 'v1', args: ['x'] }] };
    const patch = { containers: [{ name: 'app', image: 'v2' }] };
    const merged = { containers: [{ name: 'app', image: 'v2', args: ['x'] }] };
    expect(applyStrategicMergePatch({ spec: containers }, { spec: patch }, 'Pod')).toStrictEqual({ spec: merged });
    const cron = (spec: object) => ({ spec: { jobTemplate: { spec: { template: { spec } } } } });
    expect(applyStrategicMergePatch(cron(containers), cron(patch), 'CronJob')).toStrictEqual(cron(merged));
  });

  it('replaces lists of kinds it has no schema for, but still merges metadata.finalizers', () => {
    const doc = { metadata: { finalizers: ['a', 'b'] }, spec: { containers: [{ name: 'app', image: 'v1' }] } };
    const patch = { metadata: { finalizers: ['c', 'a'] }, spec: { containers: [{ name: 'app', image: 'v2' }] } };
    expect(applyStrategicMergePatch(doc, patch, 'Widget')).toStrictEqual({
      metadata: { finalizers: ['c', 'a', 'b'] },
      spec: { containers: [{ name: 'app', image: 'v2' }] },
    });
  });
});

describe('applyStrategicMergePatch: maps, values and errors', () => {
  it('null deletes a map key, and a null for a missing key is not stored', () => {
    const doc = { metadata: { labels: { a: '1', b: '2' } } };
    expect(deploymentPatch(doc, { metadata: { labels: { a: null, c: '3', z: null } } })).toStrictEqual({
      metadata: { labels: { b: '2', c: '3' } },
    });
  });

  it('stores new values without nulls or directive keys', () => {
    const patch = inTemplate({ securityContext: { runAsUser: 1000, fsGroup: null, $retainKeys: ['runAsUser'] } });
    expect(deploymentPatch(inTemplate({}), patch)).toStrictEqual(inTemplate({ securityContext: { runAsUser: 1000 } }));
  });

  it('replaces a value of another type', () => {
    const patch = { spec: { replicas: 3, selector: { matchLabels: { a: 'b' } } } };
    expect(deploymentPatch({ spec: { replicas: 2, selector: 'x' } }, patch)).toStrictEqual(patch);
  });

  it('a list item without its merge key is a 500 with the apiserver text', () => {
    const doc = inTemplate({ containers: [{ name: 'app', image: 'v1' }] });
    expect(() => deploymentPatch(doc, inTemplate({ containers: [{ image: 'x' }] }))).toThrow(
      status(500, 'InternalError', 'map: map[image:x] does not contain declared merge key: name'),
    );
  });

  it('lists of lists are a 422', () => {
    expect(() => deploymentPatch({ metadata: { finalizers: [] } }, { metadata: { finalizers: [['a']] } })).toThrow(
      status(422, 'Invalid', 'the server rejected our request due to an error in our request'),
    );
  });

  it('mixed element types are a 500', () => {
    expect(() => deploymentPatch({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: [1] } })).toThrow(
      status(500, 'InternalError', 'list element types are not identical: [[a] [1]]'),
    );
  });

  it('a body that is not an object is a 400; null changes nothing', () => {
    expect(() => deploymentPatch({}, [])).toThrow(
      status(400, 'BadRequest', 'json: cannot unmarshal array into Go value of type map[string]interface {}'),
    );
    expect(deploymentPatch({ a: 1 }, null)).toStrictEqual({ a: 1 });
  });

  it('never modifies the document or the patch', () => {
    const doc = inTemplate({ containers: [{ name: 'app', env: [{ name: 'A', value: '1' }] }] });
    const patch = inTemplate({ containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }, { name: 'new', env: [{ name: 'C' }] }] });
    const docBefore = structuredClone(doc);
    const patchBefore = structuredClone(patch);
    const result = deploymentPatch(doc, patch);
    expect(result).toStrictEqual(
      inTemplate({
        containers: [
          { name: 'app', env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }] },
          { name: 'new', env: [{ name: 'C' }] },
        ],
      }),
    );
    expect(doc).toStrictEqual(docBefore);
    expect(patch).toStrictEqual(patchBefore);
  });
});

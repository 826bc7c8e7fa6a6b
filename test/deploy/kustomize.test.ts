import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadPolicy } from '../../src/config.js';
import { EnvSchema, SECRET_ENV_KEYS } from '../../src/config/env.js';
import { DEPLOY_DIR, overlays, PRODUCTION_OVERLAY, renderKustomization, type K8sDoc } from '../helpers/kustomize.js';
import { grantsOf, hasWildcard, type RbacDoc } from '../helpers/rbac.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

/**
 * deploy/: every overlay renders with real kubectl's kustomize into what the
 * bot needs to run (least-privilege RBAC bound in the namespaces its policy
 * serves, a locked-down Deployment probing /healthz and /readyz, its policy
 * as a ConfigMap, its SQLite file on a PersistentVolumeClaim, its credentials
 * from the Secret the template describes), and an API server accepts it.
 * What the RBAC allows is compared with what the bot calls in rbac-calls.test.ts.
 */
interface Container {
  name: string;
  image: string;
  args?: string[];
  env: Array<{ name: string; value?: string }>;
  envFrom?: Array<{ secretRef?: { name: string } }>;
  ports: Array<{ name: string; containerPort: number }>;
  readinessProbe: { httpGet: { path: string; port: string | number } };
  livenessProbe: { httpGet: { path: string; port: string | number } };
  securityContext: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[]; add?: string[] } };
  volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
interface PodSpec {
  serviceAccountName: string;
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  containers: Container[];
  volumes: Array<{ name: string; emptyDir?: object; configMap?: { name: string }; persistentVolumeClaim?: { claimName: string } }>;
}
type DeploymentDoc = K8sDoc & { spec: { replicas?: number; strategy?: { type: string }; template: { spec: PodSpec } } };

const SECRET_TEMPLATE = join(DEPLOY_DIR, 'secret.template.yaml');
const secretTemplate = parse(readFileSync(SECRET_TEMPLATE, 'utf8')) as K8sDoc & { stringData: Record<string, string> };
const packageVersion = (JSON.parse(readFileSync(join(DEPLOY_DIR, '../package.json'), 'utf8')) as { version: string }).version;

/** rbac.authorization.k8s.io/v1, strictly: a misspelt field is an error here as it is for `kubectl apply --validate=strict`. */
const PolicyRuleSchema = z
  .object({ apiGroups: z.array(z.string()).optional(), resources: z.array(z.string()).optional(), resourceNames: z.array(z.string()).optional(), nonResourceURLs: z.array(z.string()).optional(), verbs: z.array(z.string()).min(1) })
  .strict()
  .refine((r) => Boolean(r.nonResourceURLs?.length) !== Boolean(r.resources?.length), 'a rule names either resources (with apiGroups) or nonResourceURLs')
  .refine((r) => !r.resources?.length || Boolean(r.apiGroups?.length), 'a rule with resources needs apiGroups');
const Metadata = z.object({ name: z.string().min(1), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }).strict();
const RBAC_SCHEMAS: Record<string, z.ZodType> = {
  ClusterRole: z.object({ apiVersion: z.literal('rbac.authorization.k8s.io/v1'), kind: z.literal('ClusterRole'), metadata: Metadata, rules: z.array(PolicyRuleSchema).min(1) }).strict(),
  Role: z.object({ apiVersion: z.literal('rbac.authorization.k8s.io/v1'), kind: z.literal('Role'), metadata: Metadata.required({ namespace: true }), rules: z.array(PolicyRuleSchema).min(1) }).strict(),
  ...Object.fromEntries(
    ['ClusterRoleBinding', 'RoleBinding'].map((kind) => [
      kind,
      z
        .object({
          apiVersion: z.literal('rbac.authorization.k8s.io/v1'),
          kind: z.literal(kind),
          metadata: kind === 'RoleBinding' ? Metadata.required({ namespace: true }) : Metadata,
          roleRef: z.object({ apiGroup: z.literal('rbac.authorization.k8s.io'), kind: z.enum(['ClusterRole', 'Role']), name: z.string() }).strict(),
          subjects: z.array(z.object({ kind: z.literal('ServiceAccount'), name: z.string(), namespace: z.string() }).strict()).min(1),
        })
        .strict(),
    ]),
  ),
};
/** The kinds the Kubernetes simulator serves, for the server-side dry run; RBAC is checked against the schema above. */
const SERVED_KINDS = ['Namespace', 'ServiceAccount', 'ConfigMap', 'Secret', 'Service', 'PersistentVolumeClaim', 'Deployment'];
/** The roles a policy's namespaces are bound to, and the one bound cluster-wide. */
const NAMESPACED_ROLES = ['deploy-medic-executor', 'deploy-medic-reader'];
const CLUSTER_ROLE = 'deploy-medic-cluster-reader';

let f: SimFixture;
beforeAll(async () => {
  f = await startSim({ controllers: false });
});
afterAll(() => f.sim.stop());

describe.each(overlays().map((dir) => [basename(dir), dir]))('deploy/overlays/%s', (_name, dir) => {
  const docs = renderKustomization(dir);
  const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'deploy-medic') as DeploymentDoc;
  const pod = deployment.spec.template.spec;
  const container = pod.containers.find((c) => c.name === 'deploy-medic')!;
  const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
  const mountOf = (path: string) => container.volumeMounts.filter((m) => path === m.mountPath || path.startsWith(`${m.mountPath}/`)).sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  const volume = (name: string) => pod.volumes.find((v) => v.name === name)!;
  const serviceAccount = { namespace: deployment.metadata.namespace!, name: pod.serviceAccountName };

  it('renders a Namespace, the ServiceAccount, the Deployment, its Service and its policy ConfigMap', () => {
    expect(docs.filter((d) => d.kind === 'Namespace').map((d) => d.metadata.name)).toEqual([serviceAccount.namespace]);
    expect(docs.some((d) => d.kind === 'ServiceAccount' && d.metadata.name === serviceAccount.name && d.metadata.namespace === serviceAccount.namespace)).toBe(true);
    expect(docs.some((d) => d.kind === 'Service' && d.metadata.namespace === serviceAccount.namespace)).toBe(true);
    // Released images only: the tag is the package's version.
    expect(container.image).toMatch(new RegExp(`:${packageVersion.replaceAll('.', '\\.')}$`));
  });

  it('RBAC: valid rbac/v1, no wildcard, every binding for the bot; namespaced roles bound in exactly the namespaces its policy serves', () => {
    const rbac = docs.filter((d) => d.apiVersion.startsWith('rbac.authorization.k8s.io/'));
    for (const d of rbac) {
      const schema = RBAC_SCHEMAS[d.kind];
      expect(schema, `${d.kind} ${d.metadata.name}`).toBeDefined();
      const parsed = schema!.safeParse(d);
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${d.kind} ${d.metadata.name} ${i.path.join('.')}: ${i.message}`)).toEqual([]);
    }
    const rules = (rbac as unknown as RbacDoc[]).flatMap((d) => d.rules ?? []);
    expect(rules.filter(hasWildcard)).toEqual([]);
    for (const b of rbac as unknown as RbacDoc[]) if (b.subjects) expect(b.subjects, b.metadata.name).toEqual([{ kind: 'ServiceAccount', ...serviceAccount }]);

    const grants = grantsOf(rbac as unknown as RbacDoc[], serviceAccount);
    const policy = policyOf(docs, env.DEPLOY_MEDIC_CONFIG!, container, pod);
    const served = [...new Set([...policy.channels.flatMap((c) => c.namespaces), ...policy.incidents.watchNamespaces])].sort();
    for (const role of NAMESPACED_ROLES) {
      const bindings = (rbac as unknown as RbacDoc[]).filter((b) => b.roleRef?.name === role);
      expect(bindings.map((b) => b.kind).filter((k) => k !== 'RoleBinding'), `${role} is never bound cluster-wide`).toEqual([]);
      expect(bindings.map((b) => b.metadata.namespace).sort(), `${role} is bound in the policy's namespaces`).toEqual(served);
    }
    expect(new Set(grants.filter((g) => g.scope === '').map((g) => g.via.split(' → ')[1]))).toEqual(new Set([`ClusterRole ${CLUSTER_ROLE}`]));
  });

  it('runs as non-root with a read-only root filesystem, no privilege escalation, no capabilities; /tmp is an emptyDir', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.securityContext.seccompProfile?.type).toBe('RuntimeDefault');
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container.securityContext.capabilities?.add).toBeUndefined();
    const tmp = mountOf('/tmp')!;
    expect(tmp.mountPath).toBe('/tmp');
    expect(volume(tmp.name).emptyDir).toBeDefined();
  });

  it('probes /healthz (liveness) and /readyz (readiness) on the port the bot listens on', () => {
    expect(container.args).toEqual(['serve']);
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    for (const probe of [container.livenessProbe, container.readinessProbe]) {
      const port = container.ports.find((p) => p.name === probe.httpGet.port || p.containerPort === probe.httpGet.port)!;
      expect(String(port.containerPort)).toBe(env.PORT);
    }
  });

  it('reads its policy from the ConfigMap mounted where DEPLOY_MEDIC_CONFIG points, and the bot accepts it', () => {
    const mount = mountOf(env.DEPLOY_MEDIC_CONFIG!)!;
    expect(mount.readOnly).toBe(true);
    expect(volume(mount.name).configMap).toBeDefined();
    expect(policyOf(docs, env.DEPLOY_MEDIC_CONFIG!, container, pod).access).toBeDefined();
  });

  it('keeps a SQLite DATABASE_URL on a PersistentVolumeClaim, written by one pod at a time', () => {
    expect(EnvSchema.safeParse({ DATABASE_URL: env.DATABASE_URL }).success).toBe(true);
    if (!env.DATABASE_URL?.startsWith('sqlite://')) return;
    const file = env.DATABASE_URL!.slice('sqlite://'.length);
    const mount = mountOf(file)!;
    expect(mount, `${file} is on a mounted volume, not the read-only root filesystem`).toBeDefined();
    const claim = volume(mount.name).persistentVolumeClaim!.claimName;
    expect(docs.some((d) => d.kind === 'PersistentVolumeClaim' && d.metadata.name === claim && d.metadata.namespace === serviceAccount.namespace)).toBe(true);
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy?.type).toBe('Recreate');
  });

  it('takes its credentials from the Secret deploy/secret.template.yaml describes', () => {
    expect(container.envFrom).toEqual([{ secretRef: { name: secretTemplate.metadata.name } }]);
    expect(secretTemplate.metadata.namespace).toBe(serviceAccount.namespace);
  });

  it('is accepted by an API server (server-side dry run of the kinds the simulator serves, and the Secret template)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'medic-deploy-'));
    const ns = serviceAccount.namespace;
    if ((await f.kubectl.run('get', 'namespace', ns)).code !== 0) await f.kubectl.ok('create', 'namespace', ns);
    const served = [...docs.filter((d) => SERVED_KINDS.includes(d.kind) && d.kind !== 'Namespace'), secretTemplate];
    writeFileSync(join(work, 'objects.yaml'), served.map((d) => stringify(d)).join('---\n'));
    const out = await f.kubectl.ok('apply', '--dry-run=server', '-f', join(work, 'objects.yaml'));
    for (const d of served) expect(out).toMatch(new RegExp(`/${d.metadata.name} (created|configured|unchanged) \\(server dry run\\)`));
  });
});

describe('deploy/secret.template.yaml', () => {
  it('holds exactly the secret keys of the environment, each documented, none filled in', () => {
    expect(Object.keys(secretTemplate.stringData).sort()).toEqual([...SECRET_ENV_KEYS].sort());
    expect(Object.values(secretTemplate.stringData).every((v) => v === '')).toBe(true);
    const text = readFileSync(SECRET_TEMPLATE, 'utf8');
    for (const key of SECRET_ENV_KEYS) expect(text, key).toMatch(new RegExp(`#[^\\n]*\\n\\s*${key}:`));
  });

  it('left unfilled, `serve` refuses to start and names what is missing', () => {
    expect(() => loadConfig({ ...secretTemplate.stringData }, 'serve')).toThrow(/SLACK_BOT_TOKEN: required to serve Slack[\s\S]*SLACK_SIGNING_SECRET: required for HTTP mode/);
  });

  it('is kept out of every kustomization, so that an apply never overwrites real credentials', () => {
    for (const dir of [join(DEPLOY_DIR, 'base'), ...overlays()]) {
      expect(renderKustomization(dir).filter((d) => d.kind === 'Secret')).toEqual([]);
    }
  });
});

describe('deploy/overlays/production', () => {
  it('ships a policy that binds #C0PROD to production and watches it', () => {
    const policy = loadPolicy(join(PRODUCTION_OVERLAY, 'policy.yaml'), (p) => readFileSync(p, 'utf8'));
    expect(policy.channels.map((c) => c.namespaces)).toEqual([['production']]);
    expect(policy.incidents.watchNamespaces).toEqual(['production']);
    expect(policy.approvals.protectedNamespaces).toEqual(['production']);
  });
});

/** The policy file the Deployment reads: the ConfigMap mounted at DEPLOY_MEDIC_CONFIG's directory, its key the file name; parsed as the bot parses it. */
function policyOf(docs: K8sDoc[], path: string, container: Container, pod: PodSpec) {
  const mount = container.volumeMounts.find((m) => m.mountPath === dirname(path))!;
  const name = pod.volumes.find((v) => v.name === mount.name)!.configMap!.name;
  const configMap = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === name) as K8sDoc & { data: Record<string, string> };
  const key = posix.basename(path);
  expect(Object.keys(configMap.data)).toContain(key);
  return loadPolicy(key, () => configMap.data[key]!);
}

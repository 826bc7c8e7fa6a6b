import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { findScenario } from '../../src/sim/kube/catalog/scenarios.js';
import { ACTION_IDS } from '../../src/slack/blocks/actions.js';
import { runCli } from '../helpers/cli.js';
import { codesIn, deploy } from '../helpers/bot-commands.js';
import { KubeRecorder, type RecordedKubeRequest } from '../helpers/kube-recorder.js';
import { Kubectl } from '../helpers/kubectl.js';
import { PRODUCTION_OVERLAY, renderKustomization } from '../helpers/kustomize.js';
import { describeAttributes, describeGrant, grantsOf, hasWildcard, requestAttributes, ruleAllows, type Grant, type RbacDoc, type RequestAttributes } from '../helpers/rbac.js';
import { startServeWorld, type ServeProcess, type ServeWorld } from '../helpers/serve-process.js';
import { visibleText } from '../helpers/slack.js';
import { makeTwins } from '../helpers/twins.js';

/**
 * The RBAC of the production overlay against the calls the bot makes: a real
 * `deploy-medic serve`, configured with the overlay's policy, talks to the
 * Kubernetes simulator through a recorder while it answers Slack commands,
 * watches its namespace, opens an incident from an alert, executes and
 * verifies every kind of approved action; the CLI runs the read commands,
 * the deploy gate and a rollback. Every request is turned into what the
 * API server's authorizer is asked (verb, group, resource, subresource,
 * namespace) and checked against the rendered roles and bindings: every
 * call allowed, every rule used by some call, no wildcard.
 */
const docs = renderKustomization(PRODUCTION_OVERLAY) as unknown as RbacDoc[];
const deployment = docs.find((d) => d.kind === 'Deployment') as unknown as { metadata: { namespace: string }; spec: { template: { spec: { serviceAccountName: string } } } };
const SERVICE_ACCOUNT = { namespace: deployment.metadata.namespace, name: deployment.spec.template.spec.serviceAccountName };
const SERVE_TOKEN = 'serve-as-the-serviceaccount';
const CLI_TOKEN = 'cli-as-a-ci-job';
const ALERTMANAGER_TOKEN = 'am-token-0123456789abcdef';
/** Scenarios whose diagnosis makes each kind of read: logs, a Secret, a ConfigMap, a claim and its StorageClass. */
const SCENARIOS = ['crash-missing-module', 'missing-secret', 'missing-configmap', 'pvc-unbound'].map((n) => findScenario(n)!);

// The shipped policy, verified after 2 s instead of a minute (the processes wait on the wall clock).
const policy = parse(readFileSync(join(PRODUCTION_OVERLAY, 'policy.yaml'), 'utf8')) as { approvals: Record<string, unknown>; incidents: { channel: string } };
policy.approvals.settleSeconds = 2;

let w: ServeWorld;
let recorder: KubeRecorder;
let serve: ServeProcess;
let cliKubeconfig: string;
let direct: Kubectl;

beforeAll(async () => {
  w = await startServeWorld(stringify(policy), { ALERTMANAGER_TOKEN });
  recorder = await KubeRecorder.start(w.sim.sim.url);
  // Serve processes read the world's kubeconfig file at start: from now on it points at the recorder. The test's own
  // kubectl talks to the simulator directly, so the recording holds the bot's calls and nothing else.
  writeFileSync(w.sim.kubectl.kubeconfigPath, recorder.kubeconfig(SERVE_TOKEN));
  cliKubeconfig = join(w.dir, 'cli-kubeconfig');
  writeFileSync(cliKubeconfig, recorder.kubeconfig(CLI_TOKEN));
  direct = new Kubectl(w.sim.sim.kubeconfig());
  await direct.ok('create', 'namespace', 'production');
  await makeTwins({ ...w.sim, kubectl: direct }, ['web-a', 'web-b'], [['set', 'image', 'deployment/NAME', '-n', 'production', 'app=registry.example.com/api-server:v2.1.0']]);
  serve = await w.spawnServing();
  // Failing rollouts arrive while the bot watches: its watcher sees them through its watches, not only its first lists.
  await w.sim.sim.loadScenarios(SCENARIOS);
}, 120_000);
afterAll(async () => {
  await w?.stop();
  await recorder?.stop();
});

const servedCalls = () => recorder.of(SERVE_TOKEN);
const recorded = (calls: RecordedKubeRequest[], method: string, path: string) => (calls.some((c) => c.method === method && c.path === path) ? true : undefined);

describe('the production overlay RBAC allows exactly the calls the bot makes', () => {
  it('Slack: status, history, logs and diagnoses that read logs, Secrets, ConfigMaps, claims; a deployment that does not exist', async () => {
    expect((await deploy(w, 'status checkout -n production')).text).toContain('production/checkout');
    expect((await deploy(w, 'history checkout -n production')).text).toMatch(/REVISION|revision/);
    expect((await deploy(w, 'logs checkout -n production')).text).toMatch(/Cannot find module|Error/);
    for (const s of SCENARIOS) {
      const answer = await deploy(w, `diagnose ${s.deployment} -n ${s.namespace}`);
      expect(codesIn(answer.text), answer.text).toEqual(expect.arrayContaining(s.expect));
    }
    expect((await deploy(w, 'diagnose no-such-app -n production')).text).toContain('deployment "no-such-app" not found in namespace "production"');
  }, 120_000);

  it('the watcher opens incidents by itself; an alert naming a pod is traced to its deployment', async () => {
    await w.until('an incident thread for production/auth-service, opened by the watcher', () =>
      w.slack.messages(policy.incidents.channel).find((m) => visibleText(m).includes('production/auth-service')),
    );
    const pods = JSON.parse(await direct.ok('get', 'pods', '-n', 'production', '-o', 'json')) as { items: Pod[] };
    const pod = pods.items.find((p) => p.metadata!.name!.startsWith('checkout-'))!.metadata!.name!;
    const alert = { status: 'firing', labels: { alertname: 'KubePodCrashLooping', namespace: 'production', pod, severity: 'warning' }, annotations: {}, startsAt: '2026-12-03T07:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: 'fp-crash' };
    const body = { version: '4', groupKey: '{}:{alertname="KubePodCrashLooping"}', truncatedAlerts: 0, status: 'firing', receiver: 'deploy-medic', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: '', alerts: [alert] };
    const res = await fetch(`http://127.0.0.1:${serve.port}/webhooks/alertmanager`, { method: 'POST', headers: { Authorization: `Bearer ${ALERTMANAGER_TOKEN}` }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    await w.until(`the bot reading pod ${pod}`, () => recorded(servedCalls(), 'GET', `/api/v1/namespaces/production/pods/${pod}`), { stepMs: 0 });
    const rs = pods.items.find((p) => p.metadata!.name === pod)!.metadata!.ownerReferences![0]!.name;
    await w.until(`the bot reading its replicaset ${rs}`, () => recorded(servedCalls(), 'GET', `/apis/apps/v1/namespaces/production/replicasets/${rs}`), { stepMs: 0 });
  }, 90_000);

  it('/readyz asks the API server for its version', async () => {
    const res = await fetch(`http://127.0.0.1:${serve.port}/readyz`);
    expect(res.status, await res.text()).toBe(200);
    expect(recorded(servedCalls(), 'GET', '/version')).toBe(true);
  });

  it('executes and verifies each approved action: rollback, restart, pause, resume, set image', async () => {
    const actions: Array<[string, string]> = [
      ['rollback web-a -n production', 'web-a'],
      ['restart web-b -n production', 'web-b'],
      ['pause web-b -n production', 'web-b'],
      ['resume web-b -n production', 'web-b'],
      ['set-image web-b app=registry.example.com/api-server:v2.0.0 -n production', 'web-b'],
    ];
    for (const [command, name] of actions) {
      const card = (await deploy(w, command)).message!;
      expect(card, command).toBeDefined();
      const before = w.slack.ephemerals({ userId: 'U0CAROL' }).length;
      // U0CAROL approves through the policy's approver group S0LEADS; U0ALICE, the requester, may not (four eyes).
      expect((await w.slack.clickButton({ userId: 'U0CAROL', channelId: 'C0PROD', messageTs: card.ts, actionId: ACTION_IDS.approve })).status).toBe(200);
      const answer = await w.slack.waitFor(() => w.slack.ephemerals({ userId: 'U0CAROL' })[before], { timeoutMs: 30_000, description: `the approval of ${command}` });
      expect(visibleText(answer), command).toContain('Your approval is recorded');
      const outcome = await w.untilThreadSays(card.ts, new RegExp(`^(Not )?[Vv]erified: production/${name}`), { timeoutMs: 60_000 });
      expect(outcome.text, command).toBe(`Verified: production/${name}`);
    }
  }, 240_000);

  it('the CLI: diagnose, status, history, the rollout-status gate, a rollback', async () => {
    const kc = ['-n', 'production', '--kubeconfig', cliKubeconfig];
    expect((await runCli(['diagnose', 'checkout', ...kc])).code).toBe(1);
    for (const args of [['status', 'web-a'], ['history', 'web-a'], ['rollout-status', 'web-a', '--timeout', '30s'], ['rollback', 'web-a', '--yes']]) {
      const r = await runCli([...args, ...kc]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect(recorder.of(CLI_TOKEN).length).toBeGreaterThan(10);
  }, 60_000);

  it('every call serve made is allowed, every rule is used, and no rule has a wildcard', () => {
    const calls = servedCalls();
    // Every request came from the bot (its kubeconfig), none from a kubectl of the test.
    expect(calls.filter((c) => /kubectl/.test(c.userAgent ?? ''))).toEqual([]);
    const grants = grantsOf(docs, SERVICE_ACCOUNT);
    expect(grants.filter((g) => hasWildcard(g.rule)).map((g) => g.via)).toEqual([]);
    const attrs = calls.map((c) => requestAttributes(c.method, c.path, c.query));

    const where = (a: RequestAttributes) => (a.kind === 'resource' && a.namespace ? ` in ${a.namespace}` : '');
    const denied = [...new Set(attrs.filter((a) => !grants.some((g) => ruleAllows(g, a))).map((a) => describeAttributes(a) + where(a)))];
    const unused = atoms(grants).filter((g) => !attrs.some((a) => ruleAllows(g, a))).map((g) => `${describeGrant(g)[0]} (${g.via})`);
    expect({ 'calls the RBAC does not allow': denied, 'rules no call needed': unused }).toEqual({ 'calls the RBAC does not allow': [], 'rules no call needed': [] });

    // The same, as one list each side: (verb, group, resource[/subresource]) and non-resource URLs.
    const called = [...new Set(attrs.map(describeAttributes))].sort();
    const granted = [...new Set(grants.flatMap(describeGrant))].sort();
    expect(called).toEqual(granted);
  });

  it('the CLI needs nothing more: a CI job bound to the same roles can run the deploy gate', () => {
    const grants = grantsOf(docs, SERVICE_ACCOUNT);
    const attrs = recorder.of(CLI_TOKEN).map((c) => requestAttributes(c.method, c.path, c.query));
    expect([...new Set(attrs.filter((a) => !grants.some((g) => ruleAllows(g, a))).map(describeAttributes))]).toEqual([]);
  });
});

/** Each grant split into one verb × group × resource (or URL): the unit a call uses or not. */
function atoms(grants: Grant[]): Grant[] {
  return grants.flatMap((g): Grant[] => {
    const { rule } = g;
    if (rule.nonResourceURLs?.length) return rule.verbs.flatMap((v) => rule.nonResourceURLs!.map((u) => ({ ...g, rule: { verbs: [v], nonResourceURLs: [u] } })));
    return rule.verbs.flatMap((v) => (rule.apiGroups ?? []).flatMap((grp) => (rule.resources ?? []).map((r) => ({ ...g, rule: { ...rule, verbs: [v], apiGroups: [grp], resources: [r] } }))));
  });
}

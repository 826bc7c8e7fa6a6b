import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { deploy } from '../helpers/bot-commands.js';

let b: BotFixture;
let base: string;
beforeAll(async () => {
  b = await startBot({ sim: { scenarios: ['healthy'] } });
  base = b.url;
});
afterAll(() => b?.stop());

it('serves /healthz, /readyz and Prometheus /metrics beside /slack/events', async () => {
  expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.text()).toBe('ready\nslack: ok\ncluster default: ok\nstore: ok\n');
  await deploy(b, 'status web-frontend -n production');
  await deploy(b, 'frobnicate');
  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toContain('# TYPE deploy_medic_commands_total counter');
  expect(metrics).toContain('deploy_medic_commands_total{command="status",outcome="ok"} 1');
  expect(metrics).toContain('deploy_medic_commands_total{command="help",outcome="usage"} 1');
  expect(metrics).toMatch(/deploy_medic_command_duration_seconds_count\{command="status"\} 1/);
});

it('counts diagnoses by root cause and Slack 429s, and shows the store: incidents, proposals, executions, outbox', async () => {
  b.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 }, 1);
  await deploy(b, 'diagnose web-frontend -n production');
  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toContain('deploy_medic_diagnoses_total{outcome="ok",root_cause="none"} 1');
  expect(metrics).toContain('deploy_medic_diagnosis_duration_seconds_count 1');
  expect(metrics).toContain('deploy_medic_slack_rate_limited_total{method="chat.postMessage"} 1');
  expect(metrics).toContain('# TYPE deploy_medic_incidents_open gauge\ndeploy_medic_incidents_open 0');
  for (const name of ['deploy_medic_incidents', 'deploy_medic_proposals', 'deploy_medic_executions', 'deploy_medic_outbox_messages', 'deploy_medic_outbox_attempts']) {
    expect(metrics).toContain(`# TYPE ${name} gauge`);
  }
});

it('never logs a token or the signing secret', () => {
  const text = JSON.stringify(b.logs);
  expect(text).not.toContain('xoxb-');
  expect(text).not.toContain('test-signing-secret');
});

it('answers /readyz with 503 naming what is not ready: here the cluster, gone', async () => {
  await b.sim.sim.stop();
  const res = await fetch(`${base}/readyz`);
  expect(res.status).toBe(503);
  expect(await res.text()).toMatch(/^not ready\nslack: ok\ncluster default: cannot connect to the Kubernetes API at http:\/\/127.0.0.1:\d+ \((ECONNREFUSED|ECONNRESET)\)\nstore: ok\n$/);
});

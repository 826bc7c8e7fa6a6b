/**
 * The write path, measured: (a) an Approve click (the signed block_actions
 * POST) → the approved PATCH arriving at the API server, p50/p99 over 100
 * approvals (target p99 ≤ 100 ms); (b) the ack p99 of 200 concurrent signed
 * /deploy commands while 20 verifications run (target ≤ 50 ms), beside the
 * floor of a bare Node HTTP server measured in the same run. The bot
 * (`deploy-medic serve`), the simulator and the Slack emulator each run in
 * their own process; this one only sends and measures.
 *   Run: npm run bench:approvals
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { signedHeaders } from '../src/sim/slack/signing.js';

const BIN = fileURLToPath(new URL('../bin/deploy-medic.js', import.meta.url));
const APPROVALS = 100;
const VERIFICATIONS = 20;
const CONCURRENT = 200;
const BURSTS = 3;
const SECRET = 'bench-signing-secret-0123456789';
const TOKEN = 'xoxb-bench-0000-token';
const NS = 'bench';
const wall = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

/** Starts a Node program and resolves with the first stdout match; later lines go to `onLine`. */
function start(args: string[], env: Record<string, string>, ready: RegExp, onLine?: (line: string) => void): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let matched = false;
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (!matched) {
        const m = out.match(ready);
        if (m) {
          matched = true;
          resolve({ child, match: m });
        }
      }
      const lines = out.split('\n');
      out = lines.pop()!;
      if (matched && onLine) lines.forEach(onLine);
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'medic-bench-approvals-'));
/** When each deployment's first PATCH reached the API server (wall clock, ms). */
const patchedAt = new Map<string, number>();
const sim = await start(['--import', 'tsx', fileURLToPath(new URL('./approvals-sim-server.ts', import.meta.url))], {}, /\{"url".*\}/, (line) => {
  if (!line.startsWith('{"patch"')) return;
  const { patch, at } = JSON.parse(line) as { patch: string; at: number };
  if (!patchedAt.has(patch)) patchedAt.set(patch, at);
});
const { url: simUrl, kubeconfig } = JSON.parse(sim.match[0]) as { url: string; kubeconfig: string };
writeFileSync(join(dir, 'kubeconfig'), kubeconfig);
const emulator = await start(['--import', 'tsx', fileURLToPath(new URL('./slack-emulator-server.ts', import.meta.url)), SECRET, TOKEN], {}, /\{.*\}/);
const slack = JSON.parse(emulator.match[0]) as { apiUrl: string; url: string };

// Deployments with two revisions each: revision 2 runs, the rollback returns to revision 1.
const names = Array.from({ length: APPROVALS + VERIFICATIONS }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
const kube = (method: string, path: string, body: unknown, type = 'application/json') =>
  fetch(simUrl + path, { method, headers: { 'Content-Type': type }, body: JSON.stringify(body) }).then(async (r) => {
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  });
await kube('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
const template = (image: string) => ({ metadata: { labels: { app: 'svc' } }, spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 8080 }] }] } });
await Promise.all(names.map((name) => kube('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: 'svc' } },
  spec: { replicas: 1, selector: { matchLabels: { app: 'svc', svc: name } }, template: { ...template('registry.example.com/api-server:v2.0.0'), metadata: { labels: { app: 'svc', svc: name } } } },
})));
await sleep(2_000);
await Promise.all(names.map((name) => kube('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/${name}`, { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.example.com/api-server:v2.1.0' }] } } } }, 'application/strategic-merge-patch+json')));
await sleep(5_000);
patchedAt.clear(); // the setup's own PATCHes

writeFileSync(
  join(dir, 'policy.yaml'),
  `channels:\n  - {channel: C0PROD, cluster: default, namespaces: [${NS}]}\naccess:\n  readers: ["*"]\n  operators: [U0ALICE]\n  approvers: [U0CAROL]\napprovals:\n  required: 1\n  ttlMinutes: 60\n  settleSeconds: 30\n`,
);
const bot = await start(
  [BIN, 'serve'],
  {
    SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, KUBECONFIG: join(dir, 'kubeconfig'),
    DEPLOY_MEDIC_CONFIG: join(dir, 'policy.yaml'), PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: `sqlite://${join(dir, 'medic.db')}`,
  },
  /listening on port (\d+)/,
);
const botPort = Number(bot.match[1]);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENT });

function commandForm(text: string, i: number): string {
  return new URLSearchParams({
    token: 'verification-token', team_id: 'T0MEDIC', team_domain: 'medic', channel_id: 'C0PROD', channel_name: 'prod', user_id: 'U0ALICE', user_name: 'alice',
    command: '/deploy', text, api_app_id: 'A0MEDIC', is_enterprise_install: 'false', response_url: `${slack.url}/response/bench-${i}`, trigger_id: `bench.${i}`,
  }).toString();
}

/** A signed form POST to the bot; resolves with the status once the answer's first byte is in. */
function post(body: string): Promise<number> {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)), ...signedHeaders(SECRET, body) };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: botPort, path: '/slack/events', method: 'POST', agent, headers }, (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Message { ts: string; text: string; thread_ts?: string; blocks?: Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }> }
async function messages(): Promise<Message[]> {
  const state = (await (await fetch(`${slack.url}/_emulator/state`)).json()) as { messages: Record<string, Message[]> };
  return state.messages.C0PROD ?? [];
}

/** Proposes rolling back each deployment; resolves with each card's ts and proposal ID. */
async function propose(list: string[]): Promise<Map<string, { ts: string; id: string }>> {
  for (const [i, name] of list.entries()) await post(commandForm(`rollback ${name} -n ${NS}`, i));
  const cards = new Map<string, { ts: string; id: string }>();
  while (cards.size < list.length) {
    for (const m of await messages()) {
      const name = /Roll bench\/(svc-\d+) back/.exec(m.text)?.[1] ?? /Roll bench\/(svc-\d+) back/.exec(JSON.stringify(m.blocks ?? []))?.[1];
      const approve = (m.blocks ?? []).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : [])).find((e) => e.action_id?.startsWith('deploy_approve'));
      if (name && approve?.value && list.includes(name)) cards.set(name, { ts: m.ts, id: approve.value });
    }
    await sleep(50);
  }
  return cards;
}

/** The signed block_actions POST Slack sends for a click on a card's Approve button. */
function approveForm(card: { ts: string; id: string }, i: number): string {
  const payload = {
    type: 'block_actions', user: { id: 'U0CAROL', username: 'carol', name: 'carol', team_id: 'T0MEDIC' }, api_app_id: 'A0MEDIC', token: 'verification-token',
    container: { type: 'message', message_ts: card.ts, channel_id: 'C0PROD', is_ephemeral: false }, trigger_id: `bench.click.${i}`,
    team: { id: 'T0MEDIC', domain: 'medic' }, enterprise: null, is_enterprise_install: false, channel: { id: 'C0PROD', name: 'prod' },
    message: { type: 'message', ts: card.ts, text: 'proposal' }, state: { values: {} }, response_url: `${slack.url}/response/click-${i}`,
    actions: [{ action_id: 'deploy_approve', block_id: 'actions', text: { type: 'plain_text', text: 'Approve' }, value: card.id, type: 'button', action_ts: String(Date.now() / 1000) }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** 200 signed commands at once over open connections; the milliseconds from each write to its answer's first byte. */
async function burst(port: number, text: string): Promise<{ acks: number[]; failed: number }> {
  const sockets = await Promise.all(Array.from({ length: CONCURRENT }, () => new Promise<net.Socket>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.setNoDelay(true);
  })));
  const requests = sockets.map((_, i) => {
    const body = commandForm(text, 5000 + i);
    const head = Object.entries({ Host: `127.0.0.1:${port}`, ...signedHeaders(SECRET, body), 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)) })
      .map(([k, v]) => `${k}: ${v}`).join('\r\n');
    return Buffer.from(`POST /slack/events HTTP/1.1\r\n${head}\r\n\r\n${body}`);
  });
  const answers = await Promise.all(sockets.map((s, i) => new Promise<{ ms: number; ok: boolean }>((resolve) => {
    const t = performance.now();
    s.once('data', (d: Buffer) => resolve({ ms: performance.now() - t, ok: d.toString('latin1').startsWith('HTTP/1.1 200') }));
    s.write(requests[i]!);
  })));
  sockets.forEach((s) => s.destroy());
  return { acks: answers.map((a) => a.ms), failed: answers.filter((a) => !a.ok).length };
}

const stillVerifying = async (list: string[]) => {
  const all = await messages();
  const threadOf = (ts: string) => all.filter((m) => m.thread_ts === ts && m.ts !== ts);
  return list.filter((name) => !threadOf(cards.get(name)!.ts).some((m) => /Verified: |Not verified: /.test(m.text))).length;
};

// (b) first: 20 approved rollbacks whose verifications (30 s settle, real clock) run during the bursts.
const verifying = names.slice(APPROVALS);
const approving = names.slice(0, APPROVALS);
const cards = await propose(names);
for (const [i, name] of verifying.entries()) await post(approveForm(cards.get(name)!, 10_000 + i));
while (verifying.some((n) => !patchedAt.has(n))) await sleep(20);
const acks: number[] = [];
let failed = 0;
/** Top-level answers in the channel that are final (not a progress line): cards and status replies. */
const answered = async () => (await messages()).filter((m) => (!m.thread_ts || m.thread_ts === m.ts) && !m.text.startsWith('⏳')).length;
for (let round = 0; round <= BURSTS; round++) {
  const before = await answered();
  const r = await burst(botPort, `status svc-000 -n ${NS}`);
  if (round > 0) acks.push(...r.acks); // the first burst warms the path
  failed += r.failed;
  // As bench/slack-ack.ts does: the next burst once this one's work is answered (the verifications keep running meanwhile).
  // Bounded: when answers stop coming for 2 s the work is done (some answers may replace a progress line in place).
  for (let last = -1, still = 0, n = await answered(); n < before + CONCURRENT && still < 20; n = await answered()) {
    still = n === last ? still + 1 : 0;
    last = n;
    await sleep(100);
  }
}
const runningAfterBursts = await stillVerifying(verifying);

const bare = await start(['--import', 'tsx', fileURLToPath(new URL('./bare-server.ts', import.meta.url))], {}, /listening on port (\d+)/);
const floor: number[] = [];
for (let round = 0; round <= BURSTS; round++) {
  const r = await burst(Number(bare.match[1]), `status svc-000 -n ${NS}`);
  if (round > 0) floor.push(...r.acks);
}
bare.child.kill('SIGTERM');

// (a) 100 approvals, one after another: the signed click POST → that deployment's PATCH in the API server's request log.
const latencies: number[] = [];
for (const [i, name] of approving.entries()) {
  const sent = wall();
  const status = await post(approveForm(cards.get(name)!, i));
  if (status !== 200) throw new Error(`approve ${name}: HTTP ${status}`);
  const deadline = Date.now() + 10_000;
  while (!patchedAt.has(name)) {
    if (Date.now() > deadline) throw new Error(`no PATCH of ${name} within 10 s`);
    await new Promise((r) => setImmediate(r));
  }
  latencies.push(patchedAt.get(name)! - sent);
}

for (const p of [bot, sim, emulator]) p.child.kill('SIGTERM');

console.log(`(a) Approve click (signed POST) → approved PATCH at the API server, ${APPROVALS} approvals, deploy-medic serve in its own process:`);
console.log(`  p50 ${percentile(latencies, 50).toFixed(1)} ms   p99 ${percentile(latencies, 99).toFixed(1)} ms   max ${Math.max(...latencies).toFixed(1)} ms   (target p99 ≤ 100 ms) ${percentile(latencies, 99) <= 100 ? 'MET' : 'NOT MET'}`);
console.log(`(b) ${BURSTS} bursts of ${CONCURRENT} concurrent signed /deploy status commands while ${VERIFICATIONS} verifications run (${runningAfterBursts} still running after the last burst):`);
console.log(`  ack latency  p50 ${percentile(acks, 50).toFixed(1)} ms   p99 ${percentile(acks, 99).toFixed(1)} ms   max ${Math.max(...acks).toFixed(1)} ms   (target p99 ≤ 50 ms) ${percentile(acks, 99) <= 50 ? 'MET' : 'NOT MET'}`);
console.log(`  bare Node HTTP server, same bursts: p50 ${percentile(floor, 50).toFixed(1)} ms   p99 ${percentile(floor, 99).toFixed(1)} ms   (the machine's floor)   ratio p99 ${(percentile(acks, 99) / percentile(floor, 99)).toFixed(1)}×`);
console.log(`  answered other than 200: ${failed}`);

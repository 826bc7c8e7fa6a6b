/**
 * Slack's 3-second rule, measured: 200 concurrent signed /deploy commands
 * against `deploy-medic serve` (target: ack p99 ≤ 50 ms), and the time from a
 * command to the full diagnosis card. The bot, the simulator and the Slack
 * emulator each run in their own process; this one only sends and measures.
 *   Run: npm run bench:slack
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
const CONCURRENT = 200;
const CARD_ROUNDS = 10;
const BURSTS = 3;
const SECRET = 'bench-signing-secret-0123456789';
const TOKEN = 'xoxb-bench-0000-token';

/** Starts a Node program and resolves with the first stdout match. */
function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(ready);
      if (m) resolve({ child, match: m });
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

const dir = mkdtempSync(join(tmpdir(), 'medic-bench-slack-'));
const kubeconfig = join(dir, 'kubeconfig');
const sim = await start([BIN, 'sim', '--port', '0', '--scenario', 'image-tag-not-found', '--kubeconfig-out', kubeconfig], {}, /listening on (\S+)/);
const emulator = await start(['--import', 'tsx', fileURLToPath(new URL('./slack-emulator-server.ts', import.meta.url)), SECRET, TOKEN], {}, /\{.*\}/);
const slack = JSON.parse(emulator.match[0]) as { apiUrl: string; url: string };
writeFileSync(join(dir, 'policy.yaml'), 'channels:\n  - {channel: C0PROD, cluster: default, namespaces: [production]}\n');
const bot = await start(
  [BIN, 'serve'],
  { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, KUBECONFIG: kubeconfig, DEPLOY_MEDIC_CONFIG: join(dir, 'policy.yaml'), PORT: '0', LOG_LEVEL: 'warn' },
  /listening on port (\d+)/,
);
const botPort = Number(bot.match[1]);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENT });

/** A slash command's form body, as Slack sends it. */
function formBody(text: string, i: number): string {
  return new URLSearchParams({
    token: 'verification-token', team_id: 'T0MEDIC', team_domain: 'medic', channel_id: 'C0PROD', channel_name: 'prod',
    user_id: 'U0ALICE', user_name: 'alice', command: '/deploy', text, api_app_id: 'A0MEDIC', is_enterprise_install: 'false',
    response_url: `${slack.url}/response/bench-${i}`, trigger_id: `bench.${i}`,
  }).toString();
}

/** One signed slash command; resolves with the milliseconds to the first response byte. */
function slashCommand(text: string, i: number): Promise<{ ms: number; status: number }> {
  const body = formBody(text, i);
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)), ...signedHeaders(SECRET, body) };
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = http.request({ host: '127.0.0.1', port: botPort, path: '/slack/events', method: 'POST', agent, headers }, (res) => {
      resolve({ ms: performance.now() - t, status: res.statusCode ?? 0 });
      res.resume();
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function channelMessages(): Promise<Array<{ text: string }>> {
  const state = (await (await fetch(`${slack.url}/_emulator/state`)).json()) as { messages: Record<string, Array<{ text: string }>> };
  return state.messages.C0PROD ?? [];
}

/**
 * The burst goes over 200 open connections, each request written in one piece,
 * so the time measured is the bot's and not an HTTP client's: from the write
 * to the first byte of the answer.
 */
async function burst(port: number, text: string): Promise<{ acks: number[]; failed: number }> {
  const sockets = await Promise.all(
    Array.from({ length: CONCURRENT }, () => new Promise<net.Socket>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(s));
      s.setNoDelay(true);
    })),
  );
  const requests = sockets.map((_, i) => {
    const body = formBody(text, i);
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

/** Waits until the channel holds `count` messages and none is still a progress line: the bot is idle again. */
async function allAnswered(count: number): Promise<void> {
  for (;;) {
    const messages = await channelMessages();
    if (messages.length >= count && !messages.some((m) => m.text.startsWith('⏳'))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

await slashCommand('status api-server -n production', 0); // loads every module the path needs
await allAnswered(1);
// A cold burst first (reported apart: a bot just started has not optimised its
// ack path yet), then three warm bursts of 200, each after the previous one's
// work is done; the percentiles are over the 600 warm acks.
const acks: number[] = [];
let cold: number[] = [];
let failed = 0;
for (let round = 0; round <= BURSTS; round++) {
  const before = (await channelMessages()).length;
  const r = await burst(botPort, 'status api-server -n production');
  if (round === 0) cold = r.acks;
  else acks.push(...r.acks);
  failed += r.failed;
  await allAnswered(before + CONCURRENT);
}

// The same bursts against a bare Node HTTP server: what this machine allows at best, measured now.
const bare = await start(['--import', 'tsx', fileURLToPath(new URL('./bare-server.ts', import.meta.url))], {}, /listening on port (\d+)/);
const floor: number[] = [];
for (let round = 0; round <= BURSTS; round++) {
  const r = await burst(Number(bare.match[1]), 'status api-server -n production');
  if (round > 0) floor.push(...r.acks);
}
bare.child.kill('SIGTERM');

const cardTimes: number[] = [];
for (let i = 0; i < CARD_ROUNDS; i++) {
  const before = (await channelMessages()).length;
  const t = performance.now();
  await slashCommand('diagnose api-server -n production', 1000 + i);
  for (;;) {
    const fresh = (await channelMessages()).slice(before);
    if (fresh.some((m) => m.text.includes('IMAGE_TAG_NOT_FOUND'))) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  cardTimes.push(performance.now() - t);
}

for (const p of [bot, sim, emulator]) p.child.kill('SIGTERM');

console.log(`${BURSTS} warm bursts of ${CONCURRENT} concurrent signed /deploy status commands, deploy-medic serve in its own process:`);
console.log(`  cold first burst  p50 ${percentile(cold, 50).toFixed(1)} ms   p99 ${percentile(cold, 99).toFixed(1)} ms`);
console.log(`  ack latency  p50 ${percentile(acks, 50).toFixed(1)} ms   p99 ${percentile(acks, 99).toFixed(1)} ms   max ${Math.max(...acks).toFixed(1)} ms   (target p99 ≤ 50 ms) ${percentile(acks, 99) <= 50 ? 'MET' : 'NOT MET'}`);
console.log(`  bare Node HTTP server, same bursts: p50 ${percentile(floor, 50).toFixed(1)} ms   p99 ${percentile(floor, 99).toFixed(1)} ms   (the machine's floor)`);
console.log(`  answered other than 200: ${failed}`);
console.log(`/deploy diagnose → full diagnosis card (${CARD_ROUNDS} rounds): p50 ${percentile(cardTimes, 50).toFixed(0)} ms   max ${Math.max(...cardTimes).toFixed(0)} ms`);

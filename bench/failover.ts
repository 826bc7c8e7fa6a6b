/**
 * Failover, measured: two `deploy-medic serve` replicas on one PostgreSQL database elect
 * their leader on a Lease in the Kubernetes simulator; the leader is SIGKILLed and at once a
 * critical alert reaches the other replica, which records it and queues its page, but only
 * a leader delivers pages. Measured: kill → the page arriving at the PagerDuty emulator (the
 * first leader action of the new leader), and kill → its "became the leader"; median of 10
 * runs, beside the design's bound (lease duration + retry period) in the same run. A new
 * replica replaces the killed one before the next run.
 *   Run: npm run bench:failover [-- --runs 10 --lease 15 --renew 10 --retry 2]
 */
import { parseArgs } from 'node:util';
import { startHaWorld, type Replica } from '../test/ha/world.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, lease: { type: 'string', default: '15' }, renew: { type: 'string', default: '10' }, retry: { type: 'string', default: '2' } },
});
const RUNS = Number(values.runs);
const [LEASE_S, RENEW_S, RETRY_S] = [values.lease, values.renew, values.retry].map(Number) as [number, number, number];
const ALERTMANAGER_TOKEN = 'bench-alertmanager-token-0123456789';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const h = await startHaWorld(
  (pd) => `
incidents:
  channel: C0INCIDENTS
escalation:
  routingKeys: {L1: ${pd.routingKeys.L1}, L2: ${pd.routingKeys.L2}, L3: ${pd.routingKeys.L3}}
  pageImmediately: [critical]
`,
  { ALERTMANAGER_TOKEN, LEADER_ELECTION_LEASE_DURATION: String(LEASE_S), LEADER_ELECTION_RENEW_DEADLINE: String(RENEW_S), LEADER_ELECTION_RETRY_PERIOD: String(RETRY_S), LOG_LEVEL: 'info' },
);

const alert = (run: number) => ({
  version: '4',
  groupKey: `{}:{alertname="FailoverBench", run="${run}"}`,
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'deploy-medic',
  groupLabels: { alertname: 'FailoverBench' },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'FailoverBench', run: String(run), severity: 'critical' },
      annotations: { summary: `failover run ${run}` },
      startsAt: new Date().toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example/graph',
      fingerprint: `fp-failover-${run}`,
    },
  ],
});

const firstAction: number[] = [];
const takeover: number[] = [];
try {
  let replicas = 0;
  const live = () => h.replicas.filter((r) => r.killedAt === undefined);
  const spawn = async (): Promise<Replica> => {
    const r = await h.replica(`medic-${replicas++}`);
    await until(`${r.name} ready`, async () => ((await r.readiness()).status === 200 ? true : undefined));
    return r;
  };
  for (let run = 0; run < RUNS; run++) {
    while (live().length < 2) await spawn();
    const leader = await h.leader();
    // The standby has read the Lease since the leader last renewed: a steady state, not a start-up.
    await new Promise((r) => setTimeout(r, 2 * RETRY_S * 1000));
    const survivor = live().find((r) => r !== leader)!;
    const pagesBefore = h.pd.events({ status: 202 }).length;
    await leader.kill();
    const killedAt = leader.killedAt!;
    const res = await fetch(`http://127.0.0.1:${survivor.process.port}/webhooks/alertmanager`, { method: 'POST', headers: { Authorization: `Bearer ${ALERTMANAGER_TOKEN}` }, body: JSON.stringify(alert(run)) });
    if (res.status !== 200) throw new Error(`the alert was answered ${res.status}`);
    await until('the page from the new leader', () => (h.pd.events({ status: 202 }).length > pagesBefore ? true : undefined));
    firstAction.push(Date.now() - killedAt);
    const became = survivor.process.logs.find((l) => /^became the leader/.test(String(l.msg)) && Number(l.time) > killedAt);
    if (!became) throw new Error(`${survivor.name} delivered a page without becoming the leader`);
    takeover.push(Number(became.time) - killedAt);
    console.log(`run ${run + 1}/${RUNS}: kill → leader ${seconds(takeover.at(-1)!)}, kill → first page ${seconds(firstAction.at(-1)!)}`);
  }
} finally {
  await h.stop();
}

const bound = (LEASE_S + RETRY_S) * 1000;
console.log(`\nfailover with lease ${LEASE_S} s, renew deadline ${RENEW_S} s, retry ${RETRY_S} s, ${RUNS} runs:`);
console.log(`  kill → new leader:              median ${seconds(median(takeover))} (min ${seconds(Math.min(...takeover))}, max ${seconds(Math.max(...takeover))})`);
console.log(`  kill → first leader action:     median ${seconds(median(firstAction))} (min ${seconds(Math.min(...firstAction))}, max ${seconds(Math.max(...firstAction))})`);
console.log(`  bound (lease + retry):          ${seconds(bound)}; median first action / bound = ${(median(firstAction) / bound).toFixed(2)}`);

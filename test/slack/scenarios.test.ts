import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/slack/blocks/actions.js';
import { SCENARIOS } from '../../src/sim/kube/catalog/scenarios.js';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { buttonsOf, codesIn, deploy, press, type Answer } from '../helpers/bot-commands.js';
import { startCatalogRegistry, type CatalogRegistry } from '../helpers/catalog-registry.js';

/**
 * The bot end to end: signed slash commands from the Slack emulator, the bot
 * as `deploy-medic serve` runs it, the Kubernetes simulator pulling from a
 * real registry that the bot's diagnosis checks too.
 */
let world: CatalogRegistry;
let b: BotFixture;
const status = new Map<string, Answer>();
const diagnosis = new Map<string, Answer>();

beforeAll(async () => {
  world = await startCatalogRegistry();
  b = await startBot({ sim: { images: world.source, scenarios: 'all' }, registryUrl: world.registry.url });
  for (const s of SCENARIOS) {
    status.set(s.name, await deploy(b, `status ${s.deployment} -n ${s.namespace}`));
    diagnosis.set(s.name, await deploy(b, `diagnose ${s.deployment} -n ${s.namespace}`));
  }
}, 300_000);

afterAll(async () => {
  await b?.stop();
  await world?.stop();
});

describe('/deploy status and diagnose on every catalog scenario', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_n, s) => {
    const st = status.get(s.name)!;
    expect(st.message, st.text).toBeDefined();
    expect(st.dispatch.withinDeadline).toBe(true);
    expect(st.text).toContain(`${s.namespace}/${s.deployment}`);
    // The rollout state in kubectl's own words.
    if (s.expect.includes('PROGRESS_DEADLINE_EXCEEDED') || s.expect.length > 1) expect(st.text).toContain(`deployment "${s.deployment}" exceeded its progress deadline`);
    if (s.name === 'healthy') expect(st.text).toContain(`deployment "${s.deployment}" successfully rolled out`);
    expect(st.text).toMatch(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    expect(buttonsOf(st.message!).map((x) => x.actionId)).toEqual(expect.arrayContaining([ACTION_IDS.diagnose, ACTION_IDS.logs, ACTION_IDS.proposeRollback]));

    const dg = diagnosis.get(s.name)!;
    expect(dg.message, dg.text).toBeDefined();
    if (s.expect.length) {
      expect(codesIn(dg.text)[0]).toBe(s.expect[0]);
      expect(codesIn(dg.text)).toEqual(expect.arrayContaining(s.expect));
      expect(dg.text).toContain('Evidence');
    } else {
      expect(dg.text).toContain('no problems found');
    }
  });

  it('the image card names the nearest tags the real registry has, and offers them as fixes', () => {
    const dg = diagnosis.get('image-tag-not-found')!;
    expect(dg.text).toContain('v2.0.1 does not exist in registry.example.com/api-server; v2.0.0 and v2.1.0 do');
    const labels = buttonsOf(dg.message!).map((x) => x.text);
    expect(labels.some((l) => /rollback to revision 1/i.test(l))).toBe(true);
    expect(labels.some((l) => l.includes('v2.0.0'))).toBe(true);
  });
});

describe('buttons', () => {
  it('Diagnose on a status card answers in its thread with the diagnosis', async () => {
    const card = status.get('crash-config-dns')!.message!;
    const answer = await press(b, card, ACTION_IDS.diagnose);
    expect(answer.message?.thread_ts).toBe(card.ts);
    expect(codesIn(answer.text)[0]).toBe('APP_CONFIG_DNS_ERROR');
  });

  it('Logs shows the failing container’s log, redacted and capped', async () => {
    const card = status.get('crash-config-dns')!.message!;
    const answer = await press(b, card, ACTION_IDS.logs);
    expect(answer.text).toContain('getaddrinfo ENOTFOUND database-new.production.svc.cluster.local');
    expect(answer.text).toContain('orders-api');
  });

  it('Propose rollback posts a proposal for an operator', async () => {
    const card = status.get('image-tag-not-found')!.message!;
    const answer = await press(b, card, ACTION_IDS.proposeRollback);
    expect(answer.text).toContain('Roll production/api-server back from revision 2 to revision 1 (registry.example.com/api-server:v2.0.0)');
    expect(answer.text).toContain('<@U0ALICE>');
    expect(answer.text).toContain('Waiting for approval');
  });

  it('a fix button on a diagnosis card proposes that fix', async () => {
    const card = diagnosis.get('oom-killed')!.message!;
    const memory = buttonsOf(card).find((x) => x.actionId.startsWith(ACTION_IDS.fixSetMemory))!;
    expect(memory).toBeDefined();
    const answer = await press(b, card, memory.actionId);
    expect(answer.text).toMatch(/Set the memory limit of container exchange-service of forex-prod\/exchange-service to \d+Mi/);
  });
});

describe('/deploy help', () => {
  it('lists every command with its usage', async () => {
    const answer = await deploy(b, 'help');
    expect(answer.ephemeral).toBeDefined();
    for (const cmd of ['status', 'diagnose', 'logs', 'history', 'rollback', 'restart', 'pause', 'resume', 'help']) {
      expect(answer.text).toContain(`/deploy ${cmd}`);
    }
    expect((await deploy(b, '')).text).toContain('/deploy diagnose');
  });

  it('history lists revisions with change causes', async () => {
    const answer = await deploy(b, 'history api-server -n production');
    expect(answer.text).toContain('deploy api-server v2.0.1 (pipeline #4812)');
    expect(answer.text).toContain('initial deploy of api-server v2.0.0');
  });
});

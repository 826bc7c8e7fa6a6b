import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { deploy } from '../helpers/bot-commands.js';

let b: BotFixture;
beforeAll(async () => {
  b = await startBot({ socketMode: true, sim: { scenarios: ['crash-missing-module'] } });
});
afterAll(() => b?.stop());

it('connects through apps.connections.open and a WebSocket, and serves /deploy the same way', async () => {
  expect(b.slack.calls('apps.connections.open').length).toBeGreaterThan(0);
  const answer = await deploy(b, 'diagnose checkout -n production');
  expect(answer.dispatch.transport).toBe('socket');
  expect(answer.dispatch.withinDeadline).toBe(true);
  expect(answer.text).toContain('APP_MISSING_DEPENDENCY');
  const help = await deploy(b, 'help');
  expect(help.ephemeral).toBeDefined();
});

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { deploy } from '../helpers/bot-commands.js';

/** The Web API methods the bot may call, and the bot scope each needs. */
const SCOPE_OF: Record<string, string | null> = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'usergroups.users.list': 'usergroups:read',
};

interface Manifest {
  features: { slash_commands: Array<{ command: string; url: string }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string } };
}

const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as Manifest;

let b: BotFixture;
beforeAll(async () => {
  b = await startBot({ sim: { scenarios: ['healthy'] }, policy: 'access:\n  readers: [S0LEADS, U0ALICE]\n  operators: [U0ALICE]\n' });
});
afterAll(() => b?.stop());

describe('manifest.yml', () => {
  it('declares /deploy and interactivity on the events URL', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/deploy']);
    expect(manifest.features.slash_commands[0]!.url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity).toMatchObject({ is_enabled: true, request_url: expect.stringMatching(/\/slack\/events$/) });
  });

  it('grants a scope for every Web API method the bot calls, and no scope it never uses', async () => {
    await deploy(b, 'status web-frontend -n production', 'U0CAROL'); // a group member: usergroups.users.list
    await deploy(b, 'rollback web-frontend -n production', 'U0CAROL'); // refused: an ephemeral
    await deploy(b, 'history web-frontend -n production', 'U0ALICE');
    const called = [...new Set(b.slack.calls().map((c) => c.method))].sort();
    for (const method of called) expect(Object.keys(SCOPE_OF), `unexpected Web API method ${method}`).toContain(method);
    const needed = new Set(called.map((m) => SCOPE_OF[m]).filter((s): s is string => Boolean(s)));
    const granted = manifest.oauth_config.scopes.bot;
    for (const scope of needed) expect(granted).toContain(scope);
    // commands: the slash command itself; chat:write.public: posting where the bot was not invited.
    expect(granted.filter((s) => !needed.has(s)).sort()).toEqual(['chat:write.public', 'commands']);
  });
});

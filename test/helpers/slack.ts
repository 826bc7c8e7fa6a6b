import { SlackEmulator, type SlackEmulatorOptions, type WaitOptions } from '../../src/sim/slack/emulator.js';
import { signedHeaders, type SignOptions } from '../../src/sim/slack/signing.js';
import type { EphemeralMessage, Json, StoredMessage } from '../../src/sim/slack/types.js';

/** Credentials the test app and the emulator share. */
export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a';
export const BOT_TOKEN = 'xoxb-0000000000-0000000000000-testbottoken';
export const APP_TOKEN = 'xapp-1-A0MEDIC-0000000000000-testapptoken';

/** An emulator with the default workspace (U0ALICE, U0BOB, U0CAROL; S0LEADS; C0PROD, C0INCIDENTS, C0STAGING). */
export function startSlackEmulator(opts: Partial<SlackEmulatorOptions> = {}): Promise<SlackEmulator> {
  return SlackEmulator.start({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, ...opts });
}

/** Headers Slack would sign `body` with, using the shared secret (or a wrong/missing signature, or an old timestamp). */
export function slackSignatureHeaders(body: string, opts: SignOptions = {}): Record<string, string> {
  return signedHeaders(SIGNING_SECRET, body, opts);
}

/** Posts an arbitrary form body to the app, signed as Slack signs it. */
export function postSigned(url: string, form: Record<string, string>, opts: SignOptions = {}): Promise<Response> {
  const body = new URLSearchParams(form).toString();
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(body, opts) },
    body,
  });
}

type Match = string | RegExp | ((text: string) => boolean);

/** Waits for a message in the channel's history whose text (including its blocks' text) matches. */
export function waitForMessage(emulator: SlackEmulator, channelId: string, match: Match, opts: WaitOptions = {}): Promise<StoredMessage> {
  return emulator.waitFor(() => emulator.messages(channelId).find((m) => matches(visibleText(m), match)), {
    description: `message matching ${String(match)} in ${channelId}`,
    ...opts,
  });
}

/** Waits for a reply in a thread whose text matches. */
export function waitForReply(emulator: SlackEmulator, channelId: string, threadTs: string, match: Match, opts: WaitOptions = {}): Promise<StoredMessage> {
  return emulator.waitFor(
    () => emulator.thread(channelId, threadTs).find((m) => m.ts !== threadTs && matches(visibleText(m), match)),
    { description: `reply matching ${String(match)} in thread ${channelId}/${threadTs}`, ...opts },
  );
}

/** Waits for an ephemeral message shown to a user. */
export function waitForEphemeral(
  emulator: SlackEmulator,
  filter: { userId?: string; channelId?: string },
  match: Match,
  opts: WaitOptions = {},
): Promise<EphemeralMessage> {
  return emulator.waitFor(() => emulator.ephemerals(filter).find((m) => matches(visibleText(m), match)), {
    description: `ephemeral matching ${String(match)} for ${JSON.stringify(filter)}`,
    ...opts,
  });
}

/** What a person would read: the message text followed by every text inside its blocks. */
export function visibleText(m: { text: string; blocks?: Json[] }): string {
  const parts = [m.text];
  const walk = (v: Json | undefined): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    if ((v.type === 'plain_text' || v.type === 'mrkdwn') && typeof v.text === 'string') parts.push(v.text);
    else Object.values(v).forEach(walk);
  };
  walk(m.blocks);
  return parts.filter(Boolean).join('\n');
}

function matches(text: string, match: Match): boolean {
  if (typeof match === 'string') return text.includes(match);
  if (match instanceof RegExp) return match.test(text);
  return match(text);
}

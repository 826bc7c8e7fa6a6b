import { randomBytes } from 'node:crypto';
import { findButton } from './blocks.js';
import type { WorkspaceState } from './state.js';
import type { ChannelFixture, EphemeralMessage, JsonObject, StoredMessage, UserFixture } from './types.js';
import { messageView } from './views.js';

/** What Slack sends the app when a user runs a slash command or clicks a button, field for field. */

export interface SlashCommandInput {
  command: string;
  text?: string;
  userId: string;
  channelId: string;
}

export interface ButtonClickInput {
  userId: string;
  channelId: string;
  messageTs: string;
  actionId: string;
  /** Narrows the search when several blocks carry the same action_id. */
  blockId?: string;
  /** If given, must equal the button's value: a guard against clicking the wrong button in a test. */
  value?: string;
}

/** The clicked message, as payloads describe it. */
export type ClickTarget = { kind: 'message'; message: StoredMessage } | { kind: 'ephemeral'; message: EphemeralMessage };

export interface PayloadContext {
  state: WorkspaceState;
  /** The legacy verification token Slack still puts in every payload. */
  verificationToken: string;
  now(): number;
}

export function slashCommandFields(ctx: PayloadContext, input: SlashCommandInput, responseUrl: string, triggerId: string): Record<string, string> {
  const { user, channel } = actor(ctx.state, input.userId, input.channelId);
  const { app } = ctx.state;
  return {
    token: ctx.verificationToken,
    team_id: app.teamId,
    team_domain: app.teamDomain,
    channel_id: channel.id,
    channel_name: channelName(channel),
    user_id: user.id,
    user_name: user.name,
    command: input.command,
    text: input.text ?? '',
    api_app_id: app.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
  };
}

/** Finds the message and button a click refers to; a click on something not on screen is a test bug. */
export function locateClick(state: WorkspaceState, input: ButtonClickInput): { target: ClickTarget; blockId: string; button: JsonObject } {
  actor(state, input.userId, input.channelId);
  const stored = state.find(input.channelId, input.messageTs);
  const eph = stored ? undefined : state.findEphemeral(input.channelId, input.messageTs);
  if (eph && eph.user !== input.userId) throw new Error(`ephemeral ${input.messageTs} is visible only to ${eph.user}, not ${input.userId}`);
  const target: ClickTarget | undefined = stored ? { kind: 'message', message: stored } : eph ? { kind: 'ephemeral', message: eph } : undefined;
  if (!target) throw new Error(`no message ${input.messageTs} in ${input.channelId}`);
  const found = findButton(target.message.blocks, input.actionId, input.blockId);
  if (!found) throw new Error(`message ${input.messageTs} has no button with action_id ${input.actionId}`);
  if (input.value !== undefined && found.button.value !== input.value) {
    throw new Error(`button ${input.actionId} has value ${JSON.stringify(found.button.value)}, not ${JSON.stringify(input.value)}`);
  }
  return { target, ...found };
}

export function blockActionsPayload(
  ctx: PayloadContext,
  input: ButtonClickInput,
  click: { target: ClickTarget; blockId: string; button: JsonObject },
  responseUrl: string,
  triggerId: string,
): JsonObject {
  const { user, channel } = actor(ctx.state, input.userId, input.channelId);
  const { app } = ctx.state;
  const msg = click.target.message;
  const ephemeral = click.target.kind === 'ephemeral';
  const action: JsonObject = {
    action_id: input.actionId,
    block_id: click.blockId,
    text: click.button.text ?? null,
    ...(click.button.value !== undefined ? { value: click.button.value } : {}),
    ...(click.button.style !== undefined ? { style: click.button.style } : {}),
    type: 'button',
    action_ts: slackTs(ctx.now()),
  };
  return {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: app.teamId },
    api_app_id: app.appId,
    token: ctx.verificationToken,
    container: {
      type: 'message',
      message_ts: msg.ts,
      channel_id: channel.id,
      is_ephemeral: ephemeral,
      ...(msg.thread_ts ? { thread_ts: msg.thread_ts } : {}),
    },
    trigger_id: triggerId,
    team: { id: app.teamId, domain: app.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel.id, name: channelName(channel) },
    // Slack leaves the message out when the clicked message was ephemeral.
    ...(click.target.kind === 'message' ? { message: JSON.parse(JSON.stringify(messageView(click.target.message))) as JsonObject } : {}),
    state: { values: {} },
    response_url: responseUrl,
    actions: [action],
  };
}

/** Slack's trigger_id: `<number>.<number>.<hex>`, valid for opening one modal within 3 seconds. */
export function newTriggerId(now: number): string {
  return `${now}.${Math.floor(Math.random() * 1e12)}.${randomBytes(16).toString('hex')}`;
}

function actor(state: WorkspaceState, userId: string, channelId: string): { user: UserFixture; channel: ChannelFixture } {
  const user = state.users.get(userId);
  if (!user || user.deleted) throw new Error(`unknown user ${userId}`);
  const channel = state.channels.get(channelId);
  if (!channel) throw new Error(`unknown channel ${channelId}`);
  if (!state.isMember(channel, userId)) throw new Error(`${userId} is not a member of ${channelId}`);
  return { user, channel };
}

/** Private channels and DMs have fixed names in payloads. */
function channelName(c: ChannelFixture): string {
  if (c.id.startsWith('D')) return 'directmessage';
  return c.isPrivate ? 'privategroup' : c.name;
}

function slackTs(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

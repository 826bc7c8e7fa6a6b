import { metadataMessages, parseBlocks, validateMessage, type ValidationFailure } from './limits.js';
import type { WorkspaceState } from './state.js';
import type { ChannelFixture, JsonObject } from './types.js';
import { channelView, messageView, permalink, userView } from './views.js';

/** Web API methods the bot uses, answering as Slack does: `{ok:true,…}` or `{ok:false,error}`. */

export type ApiArgs = Record<string, unknown>;
export type ApiResult = { ok: boolean; error?: string } & Record<string, unknown>;
export type TokenKind = 'bot' | 'app';

export interface WebApiContext {
  state: WorkspaceState;
  /** Issues a one-time Socket Mode URL (apps.connections.open). */
  openSocketUrl(): string;
}

interface MethodSpec {
  /** The token type the method accepts; any other valid token gets `not_allowed_token_type`. */
  token: TokenKind;
  handle(args: ApiArgs, ctx: WebApiContext): ApiResult;
}

const fail = (error: string, extra: Record<string, unknown> = {}): ApiResult => ({ ok: false, error, ...extra });

export const METHODS: Record<string, MethodSpec> = {
  'auth.test': {
    token: 'bot',
    handle: (_args, { state: { app } }) => ({
      ok: true,
      url: `https://${app.teamDomain}.slack.com/`,
      team: app.teamName,
      user: app.botName,
      team_id: app.teamId,
      user_id: app.botUserId,
      bot_id: app.botId,
      is_enterprise_install: false,
    }),
  },

  'chat.postMessage': {
    token: 'bot',
    handle(args, { state }) {
      const channel = state.resolveChannel(str(args.channel) ?? '');
      const blocked = postingBlocked(channel);
      if (blocked) return blocked;
      const content = messageContent(args);
      if ('error' in content) return failure(content);
      const thread = threadRoot(state, channel!.id, args.thread_ts);
      if (typeof thread === 'object') return thread;
      const msg = state.post({
        channel: channel!.id,
        text: content.text,
        ...(content.blocks ? { blocks: content.blocks } : {}),
        ...(thread ? { threadTs: thread, replyBroadcast: bool(args.reply_broadcast) } : {}),
        via: 'chat.postMessage',
      });
      return { ok: true, channel: channel!.id, ts: msg.ts, message: messageView(msg) };
    },
  },

  'chat.update': {
    token: 'bot',
    handle(args, { state }) {
      const channel = state.channels.get(str(args.channel) ?? '');
      if (!channel) return fail('channel_not_found');
      const msg = state.find(channel.id, str(args.ts) ?? '');
      if (!msg) return fail('message_not_found');
      if (msg.user !== state.app.botUserId) return fail('cant_update_message');
      const parsed = parseBlocks(args.blocks);
      if ('error' in parsed) return failure(parsed);
      const text = str(args.text);
      if (text === undefined && parsed.blocks === undefined) return fail('no_text');
      // Omitted fields keep their previous value, so validate the message as it will read afterwards.
      const next = { text: text ?? msg.text, blocks: parsed.blocks ?? msg.blocks };
      const invalid = validateMessage({ text: next.text, ...(next.blocks ? { blocks: next.blocks } : {}) });
      if (invalid) return failure(invalid);
      state.update(msg, { ...(text !== undefined ? { text } : {}), ...(parsed.blocks ? { blocks: parsed.blocks } : {}) }, 'chat.update');
      return { ok: true, channel: channel.id, ts: msg.ts, text: msg.text, message: messageView(msg) };
    },
  },

  'chat.postEphemeral': {
    token: 'bot',
    handle(args, { state }) {
      const channel = state.resolveChannel(str(args.channel) ?? '');
      const blocked = postingBlocked(channel);
      if (blocked) return blocked;
      const user = state.users.get(str(args.user) ?? '');
      if (!user || user.deleted) return fail('user_not_found');
      if (!state.isMember(channel!, user.id)) return fail('user_not_in_channel');
      const content = messageContent(args);
      if ('error' in content) return failure(content);
      const thread = threadRoot(state, channel!.id, args.thread_ts);
      if (typeof thread === 'object') return thread;
      const eph = state.postEphemeral({
        channel: channel!.id,
        user: user.id,
        text: content.text,
        ...(content.blocks ? { blocks: content.blocks } : {}),
        ...(thread ? { threadTs: thread } : {}),
        via: 'chat.postEphemeral',
      });
      return { ok: true, message_ts: eph.ts };
    },
  },

  'chat.getPermalink': {
    token: 'bot',
    handle(args, { state }) {
      const channel = state.channels.get(str(args.channel) ?? '');
      if (!channel) return fail('channel_not_found');
      const msg = state.find(channel.id, str(args.message_ts) ?? '');
      if (!msg) return fail('message_not_found');
      return { ok: true, channel: channel.id, permalink: permalink(state.app.teamDomain, msg) };
    },
  },

  'users.info': {
    token: 'bot',
    handle(args, { state }) {
      const user = state.users.get(str(args.user) ?? '');
      return user ? { ok: true, user: userView(user, state.app) } : fail('user_not_found');
    },
  },

  'usergroups.users.list': {
    token: 'bot',
    handle(args, { state }) {
      const group = state.userGroups.get(str(args.usergroup) ?? '');
      return group ? { ok: true, users: [...group.users] } : fail('no_such_subteam');
    },
  },

  'conversations.info': {
    token: 'bot',
    handle(args, { state }) {
      const channel = state.channels.get(str(args.channel) ?? '');
      if (!channel) return fail('channel_not_found');
      const count = bool(args.include_num_members) ? [...state.users.keys()].filter((u) => state.isMember(channel, u)).length : undefined;
      return { ok: true, channel: channelView(channel, count) };
    },
  },

  'apps.connections.open': {
    token: 'app',
    handle: (_args, ctx) => ({ ok: true, url: ctx.openSocketUrl() }),
  },
};

function postingBlocked(channel: ChannelFixture | undefined): ApiResult | undefined {
  if (!channel) return fail('channel_not_found');
  if (channel.isArchived) return fail('is_archived');
  if (channel.botIsMember === false) return fail('not_in_channel');
  return undefined;
}

function messageContent(args: ApiArgs): { text: string; blocks?: JsonObject[] } | ValidationFailure {
  const parsed = parseBlocks(args.blocks);
  if ('error' in parsed) return parsed;
  const content = { text: str(args.text) ?? '', ...(parsed.blocks ? { blocks: parsed.blocks } : {}) };
  return validateMessage(content) ?? content;
}

/**
 * The thread a reply joins. A malformed ts is `invalid_thread_ts`; a reply's ts
 * means its parent's thread; a well-formed ts of no message is accepted, as
 * Slack does, leaving a reply no one sees in the channel.
 */
function threadRoot(state: WorkspaceState, channel: string, raw: unknown): string | undefined | ApiResult {
  if (raw === undefined || raw === null) return undefined;
  const ts = String(raw);
  if (!/^\d+\.\d+$/.test(ts)) {
    return fail('invalid_thread_ts', { response_metadata: { messages: [`[ERROR] ${ts || '0'} is not a valid thread_ts`] } });
  }
  return state.find(channel, ts)?.thread_ts ?? ts;
}

function failure(v: ValidationFailure): ApiResult {
  if (!v.errors) return fail(v.error);
  return fail(v.error, { errors: v.errors, response_metadata: { messages: metadataMessages(v.errors) } });
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

/** Form bodies carry booleans as "true"/"1". */
function bool(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}

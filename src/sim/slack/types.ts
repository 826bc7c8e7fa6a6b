/** Shapes of the emulated workspace, shared by the emulator's parts. Field names follow Slack's wire format. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface UserFixture {
  id: string;
  name: string;
  realName?: string;
  email?: string;
  tz?: string;
  isAdmin?: boolean;
  isBot?: boolean;
  deleted?: boolean;
}

export interface UserGroupFixture {
  id: string;
  handle: string;
  name?: string;
  users: string[];
}

export interface ChannelFixture {
  id: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** User IDs in the channel; everyone when absent. */
  members?: string[];
  /** Whether the bot was invited; posting elsewhere fails with `not_in_channel`. Default true. */
  botIsMember?: boolean;
}

export interface WorkspaceFixture {
  users: UserFixture[];
  userGroups: UserGroupFixture[];
  channels: ChannelFixture[];
}

/** The installed app and its bot user, as auth.test reports them. */
export interface AppIdentity {
  teamId: string;
  teamDomain: string;
  teamName: string;
  appId: string;
  botId: string;
  botUserId: string;
  botName: string;
}

/** A message as conversations.history would return it (plus `deleted` for the emulator's own bookkeeping). */
export interface StoredMessage {
  type: 'message';
  subtype?: 'thread_broadcast';
  channel: string;
  ts: string;
  thread_ts?: string;
  user: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  text: string;
  blocks?: JsonObject[];
  edited?: { user: string; ts: string };
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  deleted?: boolean;
}

/** How a message version came to be: the first post, or a later edit. */
export type VersionSource = 'chat.postMessage' | 'chat.postEphemeral' | 'chat.update' | 'response_url' | 'ack';

export interface MessageVersion {
  at: number;
  via: VersionSource;
  text: string;
  blocks?: JsonObject[];
  deleted?: boolean;
}

/** An ephemeral message: seen by one user only, never in history, replaceable only through a response_url. */
export interface EphemeralMessage {
  channel: string;
  user: string;
  /** `message_ts` as chat.postEphemeral returns it; also the container's message_ts when a button on it is clicked. */
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: JsonObject[];
  via: VersionSource;
  deleted?: boolean;
  versions: MessageVersion[];
}

/** One recorded Web API request, with tokens removed. */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** HTTP status sent back (200 unless a 429 or 5xx was injected). */
  status: number;
  ok: boolean;
  error?: string;
}

export interface MessagePayload {
  text?: string;
  blocks?: JsonObject[];
}

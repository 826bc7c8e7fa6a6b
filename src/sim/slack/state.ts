import { EventEmitter } from 'node:events';
import { withGeneratedIds } from './blocks.js';
import type {
  AppIdentity, ChannelFixture, EphemeralMessage, JsonObject, MessageVersion, StoredMessage, UserFixture,
  UserGroupFixture, VersionSource, WorkspaceFixture,
} from './types.js';

export interface PostInput {
  channel: string;
  text: string;
  blocks?: JsonObject[];
  threadTs?: string;
  replyBroadcast?: boolean;
  via: VersionSource;
}

/**
 * The workspace the bot lives in: people, groups, channels and every message
 * the bot posted, with the full edit history of each. Emits `change` on every
 * write so tests and the playground can wait for something to appear.
 */
export class WorkspaceState extends EventEmitter<{ change: [] }> {
  readonly users = new Map<string, UserFixture>();
  readonly userGroups = new Map<string, UserGroupFixture>();
  readonly channels = new Map<string, ChannelFixture>();
  private readonly byChannel = new Map<string, StoredMessage[]>();
  private readonly versions = new Map<string, MessageVersion[]>();
  private readonly ephemeralList: EphemeralMessage[] = [];
  private lastTs = 0;

  constructor(
    fixture: WorkspaceFixture,
    readonly app: AppIdentity,
    private readonly now: () => number,
  ) {
    super();
    for (const u of fixture.users) this.users.set(u.id, u);
    for (const g of fixture.userGroups) this.userGroups.set(g.id, g);
    for (const c of fixture.channels) this.channels.set(c.id, c);
  }

  /**
   * Resolves what chat.postMessage accepts as `channel`: an ID, a name (with or
   * without `#`), or a user ID, which Slack turns into the app's DM with that user.
   */
  resolveChannel(ref: string): ChannelFixture | undefined {
    const byId = this.channels.get(ref);
    if (byId) return byId;
    const name = ref.replace(/^#/, '');
    for (const c of this.channels.values()) if (c.name === name) return c;
    const user = this.users.get(ref);
    if (!user || user.deleted) return undefined;
    const dm: ChannelFixture = { id: `D${user.id.slice(1)}`, name: user.name, isPrivate: true, members: [user.id] };
    this.channels.set(dm.id, dm);
    return dm;
  }

  isMember(channel: ChannelFixture, userId: string): boolean {
    return channel.members ? channel.members.includes(userId) : this.users.has(userId);
  }

  /** Slack's `ts`: seconds.microseconds, unique and increasing across the workspace. */
  nextTs(): string {
    const micros = Math.max(this.now() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  post(input: PostInput): StoredMessage {
    const ts = this.nextTs();
    const msg: StoredMessage = {
      type: 'message',
      channel: input.channel,
      ts,
      user: this.app.botUserId,
      bot_id: this.app.botId,
      app_id: this.app.appId,
      team: this.app.teamId,
      text: input.text,
      ...(input.blocks ? { blocks: withGeneratedIds(input.blocks) } : {}),
    };
    if (input.threadTs) {
      msg.thread_ts = input.threadTs;
      if (input.replyBroadcast) msg.subtype = 'thread_broadcast';
      this.noteReply(input.channel, input.threadTs, msg);
    }
    this.listFor(input.channel).push(msg);
    this.versions.set(key(input.channel, ts), [version(this.now(), input.via, msg)]);
    this.emit('change');
    return msg;
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.byChannel.get(channel)?.find((m) => m.ts === ts && !m.deleted);
  }

  /** Replaces text and/or blocks; omitted fields keep their previous value, as chat.update does. */
  update(msg: StoredMessage, change: { text?: string; blocks?: JsonObject[] }, via: VersionSource): StoredMessage {
    if (change.text !== undefined) msg.text = change.text;
    if (change.blocks !== undefined) {
      if (change.blocks.length) msg.blocks = withGeneratedIds(change.blocks);
      else delete msg.blocks;
    }
    msg.edited = { user: this.app.botUserId, ts: this.nextTs() };
    this.versions.get(key(msg.channel, msg.ts))?.push(version(this.now(), via, msg));
    this.emit('change');
    return msg;
  }

  delete(msg: StoredMessage, via: VersionSource): void {
    msg.deleted = true;
    this.versions.get(key(msg.channel, msg.ts))?.push({ at: this.now(), via, text: msg.text, deleted: true });
    this.emit('change');
  }

  postEphemeral(input: Omit<PostInput, 'replyBroadcast'> & { user: string }): EphemeralMessage {
    const eph: EphemeralMessage = {
      channel: input.channel,
      user: input.user,
      ts: this.nextTs(),
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
      text: input.text,
      ...(input.blocks ? { blocks: withGeneratedIds(input.blocks) } : {}),
      via: input.via,
      versions: [],
    };
    eph.versions.push(version(this.now(), input.via, eph));
    this.ephemeralList.push(eph);
    this.emit('change');
    return eph;
  }

  findEphemeral(channel: string, ts: string): EphemeralMessage | undefined {
    return this.ephemeralList.find((e) => e.channel === channel && e.ts === ts && !e.deleted);
  }

  /** A response_url replaces an ephemeral wholesale: its text and blocks become the new payload's. */
  replaceEphemeral(eph: EphemeralMessage, next: { text: string; blocks?: JsonObject[] }, via: VersionSource): void {
    eph.text = next.text;
    if (next.blocks) eph.blocks = withGeneratedIds(next.blocks);
    else delete eph.blocks;
    eph.versions.push(version(this.now(), via, eph));
    this.emit('change');
  }

  deleteEphemeral(eph: EphemeralMessage, via: VersionSource): void {
    eph.deleted = true;
    eph.versions.push({ at: this.now(), via, text: eph.text, deleted: true });
    this.emit('change');
  }

  /** Channel history as conversations.history shows it: top-level messages and broadcast replies, oldest first. */
  history(channel: string): StoredMessage[] {
    return (this.byChannel.get(channel) ?? []).filter((m) => !m.deleted && (!m.thread_ts || m.thread_ts === m.ts || m.subtype));
  }

  /** A thread as conversations.replies shows it: the parent, then every reply. */
  thread(channel: string, ts: string): StoredMessage[] {
    return (this.byChannel.get(channel) ?? []).filter((m) => !m.deleted && (m.ts === ts || m.thread_ts === ts));
  }

  /** Every live message in the channel, replies included, oldest first. */
  allMessages(channel: string): StoredMessage[] {
    return (this.byChannel.get(channel) ?? []).filter((m) => !m.deleted);
  }

  ephemerals(filter: { userId?: string; channelId?: string } = {}): EphemeralMessage[] {
    return this.ephemeralList.filter(
      (e) => !e.deleted && (!filter.userId || e.user === filter.userId) && (!filter.channelId || e.channel === filter.channelId),
    );
  }

  updates(channel: string, ts: string): MessageVersion[] {
    return this.versions.get(key(channel, ts)) ?? this.findEphemeral(channel, ts)?.versions ?? [];
  }

  private noteReply(channel: string, parentTs: string, reply: StoredMessage): void {
    const parent = this.find(channel, parentTs);
    if (!parent) return;
    parent.thread_ts = parent.ts;
    parent.reply_count = (parent.reply_count ?? 0) + 1;
    parent.reply_users = [...new Set([...(parent.reply_users ?? []), reply.user])];
    parent.latest_reply = reply.ts;
  }

  private listFor(channel: string): StoredMessage[] {
    let list = this.byChannel.get(channel);
    if (!list) this.byChannel.set(channel, (list = []));
    return list;
  }
}

const key = (channel: string, ts: string): string => `${channel}/${ts}`;

function version(at: number, via: VersionSource, m: { text: string; blocks?: JsonObject[] }): MessageVersion {
  return { at, via, text: m.text, ...(m.blocks ? { blocks: structuredClone(m.blocks) } : {}) };
}

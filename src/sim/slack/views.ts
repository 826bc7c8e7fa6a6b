import type { AppIdentity, ChannelFixture, StoredMessage, UserFixture } from './types.js';

/** Web API representations of workspace objects, with the fields Slack returns. */

export function userView(u: UserFixture, app: AppIdentity): Record<string, unknown> {
  const tz = u.tz ?? 'UTC';
  const realName = u.realName ?? u.name;
  return {
    id: u.id,
    team_id: app.teamId,
    name: u.name,
    deleted: u.deleted ?? false,
    real_name: realName,
    tz,
    tz_label: zoneLabel(tz),
    tz_offset: zoneOffsetSeconds(tz),
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: u.name,
      display_name_normalized: u.name,
      ...(u.email ? { email: u.email } : {}),
      team: app.teamId,
    },
    is_admin: u.isAdmin ?? false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: u.isBot ?? false,
    is_app_user: false,
  };
}

export function channelView(c: ChannelFixture, memberCount: number | undefined): Record<string, unknown> {
  if (c.id.startsWith('D')) {
    return { id: c.id, is_im: true, is_org_shared: false, user: c.members?.[0], is_archived: false };
  }
  return {
    id: c.id,
    name: c.name,
    name_normalized: c.name,
    is_channel: !c.isPrivate,
    is_group: Boolean(c.isPrivate),
    is_im: false,
    is_mpim: false,
    is_private: Boolean(c.isPrivate),
    is_archived: Boolean(c.isArchived),
    is_general: false,
    is_shared: false,
    is_org_shared: false,
    is_member: c.botIsMember !== false,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
    ...(memberCount !== undefined ? { num_members: memberCount } : {}),
  };
}

/** A message as it appears inside API responses: without the channel (given alongside) or the emulator's flags. */
export function messageView(m: StoredMessage): Record<string, unknown> {
  const { channel: _channel, deleted: _deleted, ...rest } = m;
  return rest;
}

/** Slack's permalink form; replies carry their thread and channel in the query. */
export function permalink(domain: string, m: StoredMessage): string {
  const base = `https://${domain}.slack.com/archives/${m.channel}/p${m.ts.replace('.', '')}`;
  return m.thread_ts && m.thread_ts !== m.ts ? `${base}?thread_ts=${m.thread_ts}&cid=${m.channel}` : base;
}

function zoneOffsetSeconds(tz: string): number {
  const part = zonePart(tz, 'longOffset'); // "GMT+05:30", or "GMT" for UTC
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part);
  if (!m) return 0;
  const secs = Number(m[2]) * 3600 + Number(m[3]) * 60;
  return m[1] === '-' ? -secs : secs;
}

function zoneLabel(tz: string): string {
  return zonePart(tz, 'long');
}

function zonePart(tz: string, style: 'long' | 'longOffset'): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style }).formatToParts(new Date());
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
}

import type { SlackEmulator } from '../../../sim/slack/emulator.js';
import type { EphemeralMessage, StoredMessage, UserFixture } from '../../../sim/slack/types.js';
import { PLAYGROUND_ROLES, ROLE_DESCRIPTION } from '../../policy.js';
import { blocksHtml } from '../blockkit/blocks.js';
import { mrkdwnHtml, type RenderContext } from '../blockkit/mrkdwn.js';
import { Html, html } from '../html.js';

/** The Slack side of the console: the sidebar (who you are, the channels), a channel, a thread. */

const APP_NAME = 'Deploy Medic';

export interface Viewer {
  user: UserFixture;
  channel: string;
  thread?: string;
}

export function renderContext(slack: SlackEmulator, viewer: UserFixture, now: Date): RenderContext {
  const { users, channels, userGroups } = slack.state;
  return {
    userName: (id) => (id === slack.state.app.botUserId ? APP_NAME : (users.get(id)?.realName ?? users.get(id)?.name)),
    channelName: (id) => channels.get(id)?.name,
    groupHandle: (id) => userGroups.get(id)?.handle,
    timeZone: viewer.tz ?? 'UTC',
    now,
  };
}

/** The users one can act as, each with the role the policy gives them. */
export function playgroundUsers(slack: SlackEmulator): UserFixture[] {
  return Object.keys(PLAYGROUND_ROLES).flatMap((id) => slack.state.users.get(id) ?? []);
}

export function sidebarHtml(slack: SlackEmulator, v: Viewer): Html {
  const channels = [...slack.state.channels.values()].filter((c) => !c.isArchived);
  return html`<div class="workspace">${slack.state.app.teamName}</div>
<section class="side-section"><h2>Acting as</h2>${playgroundUsers(slack).map((u) => {
    const role = PLAYGROUND_ROLES[u.id]!;
    const current = u.id === v.user.id;
    return html`<button type="button" class="user-switch${current ? ' current' : ''}" data-user-switch="${u.id}" aria-pressed="${current ? 'true' : 'false'}" title="${ROLE_DESCRIPTION[role]}"><span class="avatar small">${initials(u)}</span><span class="user-name">${u.realName ?? u.name}</span><span class="role role-${role}">${role}</span></button>`;
  })}</section>
<section class="side-section"><h2>Channels</h2>${channels.map((c) => {
    const count = slack.messages(c.id).length;
    return html`<a class="channel-link${c.id === v.channel ? ' current' : ''}" href="#/${c.id}" data-channel="${c.id}"><span># ${c.name}</span>${count ? html`<span class="count">${count}</span>` : ''}</a>`;
  })}</section>`;
}

/** The channel's messages and the viewer's ephemeral ones, oldest first. */
export function channelHtml(slack: SlackEmulator, v: Viewer, ctx: RenderContext): Html {
  const top = slack.messages(v.channel).map((m) => ({ ts: m.ts, h: messageHtml(m, v.channel, ctx, true) }));
  const mine = slack.ephemerals({ userId: v.user.id, channelId: v.channel }).filter((e) => !e.thread_ts).map((e) => ({ ts: e.ts, h: ephemeralHtml(e, ctx) }));
  const all = [...top, ...mine].sort((a, b) => Number(a.ts) - Number(b.ts));
  const name = slack.state.channels.get(v.channel)?.name ?? v.channel;
  if (!all.length) return html`<div class="empty">No messages in #${name} yet. Send a <code>/deploy</code> command below, or break a scenario in the cluster panel.</div>`;
  return html`${all.map((x) => x.h)}`;
}

export function threadHtml(slack: SlackEmulator, v: Viewer, ctx: RenderContext): Html {
  if (!v.thread) return html``;
  const [parent, ...replies] = slack.thread(v.channel, v.thread);
  if (!parent) return html`<div class="empty">This thread is not in #${slack.state.channels.get(v.channel)?.name ?? v.channel}.</div>`;
  const mine = slack.ephemerals({ userId: v.user.id, channelId: v.channel }).filter((e) => e.thread_ts === v.thread).map((e) => ({ ts: e.ts, h: ephemeralHtml(e, ctx) }));
  const rest = [...replies.map((m) => ({ ts: m.ts, h: messageHtml(m, v.channel, ctx, false) })), ...mine].sort((a, b) => Number(a.ts) - Number(b.ts));
  return html`${messageHtml(parent, v.channel, ctx, false)}<div class="reply-count">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>${rest.map((x) => x.h)}`;
}

function messageHtml(m: StoredMessage, channel: string, ctx: RenderContext, inChannel: boolean): Html {
  const author = m.bot_id ? APP_NAME : (ctx.userName(m.user) ?? m.user);
  const replies = inChannel && m.reply_count ? html`<a class="replies" href="#/${channel}/${m.ts}">${m.reply_count} ${m.reply_count === 1 ? 'reply' : 'replies'}</a>` : '';
  const broadcast = m.subtype === 'thread_broadcast' ? html`<div class="broadcast">replied to a thread</div>` : '';
  return html`<article class="msg" data-ts="${m.ts}" data-channel="${channel}"><div class="avatar">${m.bot_id ? '🩺' : author.slice(0, 1)}</div><div class="msg-body"><div class="msg-meta"><span class="author">${author}</span>${m.bot_id ? html`<span class="app-badge">APP</span>` : ''}<time>${timeOf(m.ts, ctx)}</time>${m.edited ? html`<span class="edited">(edited)</span>` : ''}</div>${broadcast}<div class="msg-content">${contentHtml(m, ctx)}</div>${replies}</div></article>`;
}

function ephemeralHtml(e: EphemeralMessage, ctx: RenderContext): Html {
  return html`<article class="msg ephemeral" data-ts="${e.ts}" data-channel="${e.channel}"><div class="avatar">🩺</div><div class="msg-body"><div class="msg-meta"><span class="author">${APP_NAME}</span><span class="app-badge">APP</span><time>${timeOf(e.ts, ctx)}</time></div><div class="eph-note">👁 Only visible to you</div><div class="msg-content">${contentHtml(e, ctx)}</div></div></article>`;
}

/** Blocks when there are any; otherwise the text, which Slack formats as mrkdwn. */
const contentHtml = (m: { text: string; blocks?: unknown[] }, ctx: RenderContext): Html => (m.blocks?.length ? blocksHtml(m.blocks, ctx) : mrkdwnHtml(m.text, ctx));

function timeOf(ts: string, ctx: RenderContext): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: ctx.timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(Number(ts) * 1000));
}

const initials = (u: UserFixture) => (u.realName ?? u.name).split(/\s+/).map((w) => w[0] ?? '').join('').slice(0, 2).toUpperCase();

import type { RenderContext } from './mrkdwn.js';

/**
 * Slack's date formatting (`<!date^SECONDS^FORMAT|fallback>`), in the
 * viewer's time zone as Slack shows it: {date_num} {date} {date_short}
 * {date_long}, their _pretty forms (Today, Yesterday, Tomorrow), {time}
 * {time_secs} and {ago}. Unknown tokens stay as written.
 */
export function slackDateText(seconds: number, format: string, fallback: string, ctx: Pick<RenderContext, 'timeZone' | 'now'>): string {
  if (!Number.isFinite(seconds) || !format) return fallback;
  const at = new Date(seconds * 1000);
  const part = (opts: Intl.DateTimeFormatOptions, d = at) => new Intl.DateTimeFormat('en-US', { timeZone: ctx.timeZone, ...opts }).format(d);
  const ymd = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: ctx.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const relativeDay = () => {
    const day = 86_400_000;
    const date = ymd(at);
    if (date === ymd(ctx.now)) return 'Today';
    if (date === ymd(new Date(ctx.now.getTime() - day))) return 'Yesterday';
    if (date === ymd(new Date(ctx.now.getTime() + day))) return 'Tomorrow';
    return undefined;
  };
  const tokens: Record<string, () => string> = {
    date_num: () => ymd(at),
    date: () => part({ month: 'long', day: 'numeric', year: 'numeric' }),
    date_short: () => part({ month: 'short', day: 'numeric', year: 'numeric' }),
    date_long: () => part({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
    date_pretty: () => relativeDay() ?? tokens.date!(),
    date_short_pretty: () => relativeDay() ?? tokens.date_short!(),
    date_long_pretty: () => relativeDay() ?? tokens.date_long!(),
    time: () => part({ hour: 'numeric', minute: '2-digit' }),
    time_secs: () => part({ hour: 'numeric', minute: '2-digit', second: '2-digit' }),
    ago: () => agoText(ctx.now.getTime() - at.getTime()),
  };
  return format.replace(/\{(\w+)\}/g, (whole, token: string) => tokens[token]?.() ?? whole);
}

function agoText(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const [n, unit] = s < 60 ? [s, 'second'] : s < 3600 ? [Math.round(s / 60), 'minute'] : s < 86_400 ? [Math.round(s / 3600), 'hour'] : [Math.round(s / 86_400), 'day'];
  const words = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return ms >= 0 ? `${words} ago` : `in ${words}`;
}

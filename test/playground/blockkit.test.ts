import { describe, expect, it } from 'vitest';
import { blocksHtml } from '../../src/playground/console/blockkit/blocks.js';
import { mrkdwnHtml, type RenderContext } from '../../src/playground/console/blockkit/mrkdwn.js';
import { header, section, context, divider, proposalButton, slackMessage, actions, button } from '../../src/slack/blocks/build.js';
import { escapeMrkdwn, fence, inlineCode, slackDate, userMention } from '../../src/slack/blocks/escape.js';

/**
 * The console's Block Kit renderer, fed what the bot's own block builders
 * make (src/slack/blocks/build.ts): Slack's layout and formatting, names for
 * mentions, and no way for message text to become markup.
 */
const ctx: RenderContext = {
  userName: (id) => ({ U0ALICE: 'Alice Anders', U0BOB: 'Bob Brown' })[id],
  channelName: (id) => ({ C0PROD: 'prod' })[id],
  groupHandle: (id) => ({ S0LEADS: 'leads' })[id],
  timeZone: 'America/New_York',
  now: new Date('2026-05-01T15:00:00Z'),
};
const md = (text: string) => mrkdwnHtml(text, ctx).value;

describe('mrkdwn', () => {
  it('formats bold, italic, strike, inline code and code blocks as Slack does', () => {
    expect(md('*Owner* _nobody_ ~old~ `kubectl get pods`')).toBe('<b>Owner</b> <i>nobody</i> <s>old</s> <code>kubectl get pods</code>');
    expect(md(`Logs\n${fence('line 1\nline *2*')}`)).toBe('Logs<br><pre class="code-block">line 1\nline *2*</pre>');
    expect(md('snake_case_name and 2*3*4 stay as they are')).toBe('snake_case_name and 2*3*4 stay as they are');
    expect(md('&gt; quoted\nafter')).toBe('<blockquote>quoted</blockquote>after');
  });

  it('shows mentions by name, channels and groups by their names, and dates in the viewer\'s time zone', () => {
    expect(md(`${userMention('U0ALICE')} asked ${userMention('U0NOBODY')}`)).toBe('<span class="mention" data-user="U0ALICE">@Alice Anders</span> asked <span class="mention" data-user="U0NOBODY">@U0NOBODY</span>');
    expect(md('<#C0PROD> <!subteam^S0LEADS> <!here>')).toBe('<a class="mention channel-link" href="#/C0PROD">#prod</a> <span class="mention">@leads</span> <span class="mention">@here</span>');
    expect(md(`opened ${slackDate('2026-05-01T13:04:05Z')}`)).toBe('opened <time>Today at 9:04:05 AM</time>');
    expect(md(`${slackDate('2026-04-30T13:04:05Z')}`)).toBe('<time>Yesterday at 9:04:05 AM</time>');
  });

  it('links http(s) URLs with their label; other schemes stay text', () => {
    expect(md('<https://example.com/runbook?a=1&amp;b=2|the runbook>')).toBe('<a href="https://example.com/runbook?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">the runbook</a>');
    expect(md('<javascript:alert(1)|click me>')).toBe('click me');
  });

  it('turns emoji shortcodes into emoji and leaves unknown ones alone', () => {
    expect(md(':white_check_mark: done :not_an_emoji:')).toBe('✅ done :not_an_emoji:');
  });

  it('escapes everything: cluster text the bot escaped stays text, raw markup never becomes HTML', () => {
    const hostile = '<img src=x onerror=alert(1)> "quoted" & \'single\'';
    expect(md(escapeMrkdwn(hostile))).toBe('&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &#39;single&#39;');
    expect(md(inlineCode('</code><script>alert(1)</script>'))).toBe('<code>&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code>');
    // Unescaped angle brackets are Slack entities; a made-up one is shown as its text, escaped.
    expect(md('<script>alert(1)</script>')).not.toMatch(/<script/);
    expect(md('<"onmouseover=alert(1)|x>')).toBe('x');
  });
});

describe('blocks', () => {
  const render = (blocks: unknown[]) => blocksHtml(blocks, ctx).value;

  it('header, section with fields and an accessory, context, divider', () => {
    const html = render([
      header('🔎 Investigating: production/api-server'),
      { type: 'section', text: { type: 'mrkdwn', text: '*Severity* error' }, fields: [{ type: 'mrkdwn', text: '*Revision*\n2' }, { type: 'plain_text', text: 'Images :package:', emoji: true }], accessory: button('Logs', 'deploy_logs', { cluster: 'default', namespace: 'production', name: 'api-server' }) },
      divider(),
      context('Incident `inc-0123456789`'),
    ]);
    expect(html).toContain('<h3 class="bk-header">🔎 Investigating: production/api-server</h3>');
    expect(html).toContain('<div class="bk-fields"><div class="bk-field"><b>Revision</b><br>2</div><div class="bk-field">Images 📦</div></div>');
    expect(html).toMatch(/<div class="bk-accessory"><span class="btn-wrap"><button type="button" class="btn" data-action="deploy_logs" data-confirm="no">Logs<\/button><\/span><\/div>/);
    expect(html).toContain('<hr class="bk-divider">');
    expect(html).toContain('<div class="bk-context"><span>Incident <code>inc-0123456789</code></span></div>');
  });

  it('actions: primary and danger buttons, and the confirm dialog a button asks for', () => {
    const { blocks } = slackMessage('x', [
      ...actions([
        proposalButton('Approve', 'deploy_approve', '0f8431b8-432d-4c74-8b37-d55eb96a550b', 'primary', { title: 'Roll back?', text: 'Roll *api-server* back to revision 1', yes: 'Roll back' }),
        proposalButton('Reject', 'deploy_reject', '0f8431b8-432d-4c74-8b37-d55eb96a550b', 'danger'),
      ]),
    ]);
    const html = render(blocks);
    expect(html).toContain('<button type="button" class="btn btn-primary" data-action="deploy_approve" data-confirm="yes">Approve</button><template class="confirm-dialog"><h4>Roll back?</h4><div class="confirm-text">Roll <b>api-server</b> back to revision 1</div>');
    expect(html).toContain('<button type="button" class="btn" value="deny">Cancel</button><button type="button" class="btn btn-primary" value="confirm">Roll back</button>');
    expect(html).toContain('<button type="button" class="btn btn-danger" data-action="deploy_reject" data-confirm="no">Reject</button>');
  });

  it('a header cannot inject markup, a malformed or unknown block is named, not thrown on', () => {
    expect(render([header('<b onclick=x>')])).toBe('<h3 class="bk-header">&lt;b onclick=x&gt;</h3>');
    expect(render([{ type: 'rich_text' }, 42, { type: 'section', text: 'not an object' }])).toBe(
      '<div class="bk-unsupported">[rich_text block: not shown in the playground]</div><div class="bk-unsupported">[not an object block: not shown in the playground]</div><div class="bk-section" data-block=""><div class="bk-section-body"><div class="bk-text"></div></div></div>',
    );
    expect(render([section('ok'), { type: 'image', image_url: 'javascript:alert(1)', alt_text: 'chart' }])).toContain('<span class="">[image: chart]</span>');
  });
});

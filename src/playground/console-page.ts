/**
 * The playground's Slack console: one channel's messages and threads, the
 * user's ephemeral notes, a box for /deploy and the buttons of every card,
 * all through the Slack emulator. Deliberately plain: a stand-in for Slack.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Deploy Medic playground</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;display:flex;height:100vh;color:#1d1c1d}
aside{width:220px;background:#3f0e40;color:#fff;padding:16px}aside h1{font-size:16px;margin:0 0 12px}
aside label{display:block;margin:12px 0 4px;font-size:12px;opacity:.8}aside select{width:100%}
main{flex:1;display:flex;flex-direction:column}#log{flex:1;overflow:auto;padding:16px}
.msg{border-bottom:1px solid #eee;padding:10px 0}.eph{background:#f8f8f8;border-left:3px solid #888;padding:8px;margin:8px 0}
.thread{margin-left:24px;border-left:2px solid #ddd;padding-left:12px}.who{font-weight:600;font-size:12px;color:#616061}
pre{background:#f6f6f6;border:1px solid #e4e4e4;padding:8px;overflow:auto;font-size:12px}
button{margin:4px 6px 4px 0;padding:4px 10px;border:1px solid #bbb;border-radius:4px;background:#fff;cursor:pointer}
form{display:flex;gap:8px;padding:12px;border-top:1px solid #ddd}form input{flex:1;padding:8px;font:inherit}
</style></head><body>
<aside><h1>Deploy Medic</h1><label for="user">You are</label><select id="user"></select>
<label for="channel">Channel</label><select id="channel"></select>
<p style="font-size:12px;opacity:.8">Try <code>/deploy status api-server -n production</code> or <code>/deploy diagnose checkout -n production</code>.</p></aside>
<main><div id="log"></div><form id="f"><input id="text" value="/deploy diagnose api-server -n production" autocomplete="off"><button>Send</button></form></main>
<script>
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
function mrkdwn(t) {
  return esc(t).split('\`\`\`').map((part, i) => i % 2 ? '<pre>' + part + '</pre>' :
    part.replace(/&lt;!date\\^\\d+\\^[^|]*\\|(.*?)&gt;/g, '$1').replace(/\\*([^*\\n]+)\\*/g, '<b>$1</b>').replace(/(^|\\s)_([^_\\n]+)_/g, '$1<i>$2</i>')
      .replace(/\`([^\`\\n]+)\`/g, '<code>$1</code>').replace(/\\n/g, '<br>')).join('');
}
function blocks(m) {
  if (!m.blocks || !m.blocks.length) return mrkdwn(m.text || '');
  return m.blocks.map((b) => {
    if (b.type === 'header') return '<h3>' + esc(b.text.text) + '</h3>';
    if (b.type === 'section') return '<div>' + mrkdwn((b.text && b.text.text) || '') + (b.fields || []).map((f) => '<div>' + mrkdwn(f.text) + '</div>').join('') + '</div>';
    if (b.type === 'context') return '<div style="font-size:12px;color:#616061">' + b.elements.map((e) => mrkdwn(e.text || '')).join(' ') + '</div>';
    if (b.type === 'actions') return '<div>' + b.elements.filter((e) => e.type === 'button').map((e) =>
      '<button data-ts="' + esc(m.ts) + '" data-action="' + esc(e.action_id) + '">' + esc(e.text.text) + '</button>').join('') + '</div>';
    if (b.type === 'divider') return '<hr>';
    return '';
  }).join('');
}
async function refresh() {
  const s = await (await fetch('api/state')).json();
  if (!$('user').options.length) {
    for (const u of s.users) $('user').add(new Option(u.realName || u.name, u.id));
    for (const c of s.channels) $('channel').add(new Option('#' + c.name, c.id));
  }
  const ch = $('channel').value, me = $('user').value;
  const msgs = (s.messages[ch] || []);
  const top = msgs.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  const html = top.map((m) => '<div class="msg"><div class="who">Deploy Medic</div>' + blocks(m) +
    '<div class="thread">' + msgs.filter((r) => r.thread_ts === m.ts && r.ts !== m.ts).map((r) => '<div class="msg">' + blocks(r) + '</div>').join('') + '</div></div>').join('');
  const eph = s.ephemerals.filter((e) => e.user === me && e.channel === ch && !e.deleted).map((e) => '<div class="eph"><div class="who">Only visible to you</div>' + blocks(e) + '</div>').join('');
  const log = $('log'); const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.innerHTML = html + eph; if (atBottom) log.scrollTop = log.scrollHeight;
}
$('f').onsubmit = async (e) => { e.preventDefault(); const text = $('text').value.replace(/^\\/deploy\\s*/, '');
  await fetch('api/command', { method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({ text, userId: $('user').value, channelId: $('channel').value }) }); refresh(); };
$('log').onclick = async (e) => { const b = e.target.closest('button'); if (!b) return;
  await fetch('api/click', { method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({ messageTs: b.dataset.ts, actionId: b.dataset.action, userId: $('user').value, channelId: $('channel').value }) }); refresh(); };
$('channel').onchange = refresh; $('user').onchange = refresh;
setInterval(refresh, 1000); refresh();
</script></body></html>`;

/**
 * The console's script (plain browser JavaScript, no framework): long-polls
 * GET /api/view for the panels the server rendered and escaped, swaps in
 * the ones that changed, and sends what the viewer does (commands, button
 * clicks after their confirm dialog, user and channel switches, break and
 * reset, PagerDuty acknowledgements) to the playground's API. It writes no
 * HTML of its own: text it sets goes through textContent.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var state = { as: sessionStorage.getItem('playground-as') || '', channel: 'C0INCIDENTS', thread: '' };
  var shown = {};
  var generation = 0;
  var current = null;
  var toBottom = { messages: true, thread: true };
  var toastTimer = null;

  function readHash() {
    var parts = location.hash.replace(/^#\/?/, '').split('/');
    if (parts[0]) state.channel = decodeURIComponent(parts[0]);
    state.thread = parts[1] ? decodeURIComponent(parts[1]) : '';
  }

  function toast(text) {
    var t = $('toast');
    t.textContent = text;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { t.hidden = true; }, 8000);
  }

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function put(id, html, stick) {
    if (shown[id] === html) return;
    var el = $(id);
    var atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    var top = el.scrollTop;
    el.innerHTML = html;
    shown[id] = html;
    if (stick && (atBottom || toBottom[id])) el.scrollTop = el.scrollHeight;
    else el.scrollTop = top;
    toBottom[id] = false;
  }

  function apply(v) {
    state.as = v.me.id;
    $('channel-name').textContent = '#' + v.channel.name;
    $('me').textContent = 'You are ' + v.me.name;
    $('composer-text').placeholder = 'Message #' + v.channel.name + ': /deploy …';
    $('thread-channel').textContent = '#' + v.channel.name;
    $('thread-close').href = '#/' + encodeURIComponent(v.channel.id);
    put('sidebar', v.panels.sidebar, false);
    put('messages', v.panels.messages, true);
    $('thread-pane').hidden = !state.thread;
    put('thread', v.panels.thread, true);
    put('incidents', v.panels.incidents, false);
    put('pagerduty', v.panels.pagerduty, false);
    put('cluster', v.panels.cluster, false);
  }

  async function loop(gen) {
    var since = null;
    while (gen === generation) {
      var ctl = new AbortController();
      current = ctl;
      var q = new URLSearchParams({ as: state.as, channel: state.channel });
      if (state.thread) q.set('thread', state.thread);
      if (since !== null) q.set('since', String(since));
      try {
        var res = await fetch('/api/view?' + q.toString(), { signal: ctl.signal, cache: 'no-store' });
        var v = await res.json();
        if (gen !== generation) return;
        if (!res.ok) {
          toast(v.error || ('HTTP ' + res.status));
          location.hash = '#/C0INCIDENTS';
          return;
        }
        apply(v);
        document.body.dataset.version = String(v.version);
        since = v.version;
      } catch (e) {
        if (gen !== generation) return;
        await sleep(1000);
        since = null;
      }
    }
  }

  function restart() {
    generation++;
    if (current) current.abort();
    loop(generation);
  }

  async function post(url, body, button) {
    if (button) button.classList.add('busy');
    try {
      var res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}) });
      var answer = await res.json().catch(function () { return {}; });
      if (!res.ok || answer.ok === false) {
        toast(answer.error || ('the playground answered HTTP ' + res.status));
        return false;
      }
      return true;
    } catch (e) {
      toast('the playground is not answering: ' + e.message);
      return false;
    } finally {
      if (button) button.classList.remove('busy');
    }
  }

  function confirmThen(template, go) {
    var d = $('confirm');
    d.innerHTML = template.innerHTML;
    d.onclick = function (e) {
      var b = e.target.closest('button');
      if (!b) return;
      d.close();
      if (b.value === 'confirm') go();
    };
    d.showModal();
  }

  function pressBlockButton(button) {
    var msg = button.closest('.msg');
    var body = { messageTs: msg.dataset.ts, actionId: button.dataset.action, userId: state.as, channelId: msg.dataset.channel };
    var go = function () { post('/api/click', body, button); };
    if (button.dataset.confirm === 'yes') confirmThen(button.nextElementSibling, go);
    else go();
  }

  document.addEventListener('click', function (e) {
    var t = e.target.closest('button, [data-fill]');
    if (!t || t.closest('dialog')) return;
    var d = t.dataset;
    if (d.userSwitch) {
      state.as = d.userSwitch;
      sessionStorage.setItem('playground-as', state.as);
      restart();
    } else if (d.action) pressBlockButton(t);
    else if (d.break) post('/api/scenarios/' + encodeURIComponent(d.break) + '/break', {}, t);
    else if (d.reset) post('/api/scenarios/' + encodeURIComponent(d.reset) + '/reset', {}, t);
    else if ('resetAll' in d) post('/api/scenarios/reset', {}, t);
    else if (d.pdAck) post('/api/pagerduty/incidents/' + encodeURIComponent(d.pdAck) + '/acknowledge', {}, t);
    else if (d.fill) {
      $('composer-text').value = d.fill;
      $('composer-text').focus();
    }
  });

  $('composer').addEventListener('submit', async function (e) {
    e.preventDefault();
    var input = $('composer-text');
    var m = /^\/deploy(?:\s+([\s\S]*))?$/.exec(input.value.trim());
    if (!m) {
      toast('The composer sends /deploy commands (Deploy Medic is the only app here): start with /deploy, for example /deploy help');
      return;
    }
    toBottom.messages = true;
    if (await post('/api/command', { text: m[1] || '', userId: state.as, channelId: state.channel })) input.value = '';
  });

  window.addEventListener('hashchange', function () {
    var before = state.channel + '/' + state.thread;
    readHash();
    if (before === state.channel + '/' + state.thread) return;
    toBottom.messages = true;
    toBottom.thread = true;
    restart();
  });

  readHash();
  restart();
})();
`;

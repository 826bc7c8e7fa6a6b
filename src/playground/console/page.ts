/**
 * The console's page: the frame of a Slack client (sidebar, channel,
 * thread) beside the test world's panels (incidents, PagerDuty, cluster).
 * It holds no data; console.js fills every panel from GET /api/view.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Deploy Medic playground</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/console.css"></head>
<body>
<div id="app">
  <nav id="sidebar" aria-label="Workspace"></nav>
  <main id="channel-pane" class="pane">
    <header class="pane-head"><h1 id="channel-name">#</h1><span id="me" class="me"></span></header>
    <div id="messages" class="messages" aria-label="Messages"></div>
    <form id="composer" class="composer" autocomplete="off">
      <div class="composer-row">
        <input id="composer-text" name="text" aria-label="Message" placeholder="/deploy help" spellcheck="false">
        <button class="btn btn-primary" type="submit">Send</button>
      </div>
      <div class="composer-hint">Try <code data-fill="/deploy status api-server -n production">/deploy status api-server -n production</code>
        <code data-fill="/deploy diagnose api-server -n production">/deploy diagnose …</code>
        <code data-fill="/deploy incident">/deploy incident</code> <code data-fill="/deploy help">/deploy help</code></div>
    </form>
  </main>
  <aside id="thread-pane" class="pane thread-pane" aria-label="Thread" hidden>
    <header class="pane-head"><h2>Thread</h2><span id="thread-channel" class="muted"></span><a id="thread-close" class="close" href="#" aria-label="Close thread">×</a></header>
    <div id="thread" class="messages"></div>
  </aside>
  <aside id="ops" aria-label="Test world">
    <section id="incidents" class="panel" aria-label="Incidents"></section>
    <section id="pagerduty" class="panel" aria-label="PagerDuty"></section>
    <section id="cluster" class="panel" aria-label="Cluster"></section>
  </aside>
</div>
<dialog id="confirm" aria-label="Confirm"></dialog>
<div id="toast" role="alert" hidden></div>
<script src="/console.js"></script>
</body></html>
`;

/** The console's styles: Slack's layout and Block Kit's look, plain CSS. */
export const CONSOLE_CSS = `
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:14px/1.46 -apple-system,BlinkMacSystemFont,"Segoe UI",Lato,Roboto,"Noto Sans","DejaVu Sans",sans-serif,"Apple Color Emoji","Noto Color Emoji";color:#1d1c1d;background:#fff}
#app{display:flex;height:100vh;overflow:hidden}
code,pre{font-family:Menlo,Monaco,Consolas,"DejaVu Sans Mono",monospace}
a{color:#1264a3;text-decoration:none}a:hover{text-decoration:underline}
.muted{color:#616061}
#sidebar{width:230px;flex:none;background:#3f0e40;color:#e8dde8;padding:12px 0;overflow:auto}
.workspace{font-weight:900;font-size:18px;color:#fff;padding:4px 16px 12px;border-bottom:1px solid #5d2c5d}
.side-section{padding:10px 0}.side-section h2{font-size:13px;font-weight:600;margin:0 16px 6px;color:#cfc3cf}
.user-switch{display:flex;align-items:center;gap:8px;width:100%;border:0;background:none;color:inherit;padding:5px 16px;font:inherit;text-align:left;cursor:pointer}
.user-switch:hover{background:#350d36}.user-switch.current{background:#1164a3;color:#fff}
.user-name{flex:1}
.role{font-size:11px;border-radius:9px;padding:0 7px;background:#5d2c5d;color:#fff}
.role-operator{background:#e8912d}.role-approver{background:#2bac76}.role-reader{background:#7a6a7a}
.channel-link{display:flex;justify-content:space-between;padding:4px 16px;color:#e8dde8}
.channel-link:hover{background:#350d36;text-decoration:none}.channel-link.current{background:#1164a3;color:#fff}
.count{font-size:11px;opacity:.8}
.pane{display:flex;flex-direction:column;min-width:0}
#channel-pane{flex:1 1 0}
.thread-pane{flex:0 0 440px;border-left:1px solid #ddd;background:#fff}
.thread-pane[hidden]{display:none}
.pane-head{display:flex;align-items:center;gap:10px;padding:10px 18px;border-bottom:1px solid #ddd;min-height:49px}
.pane-head h1,.pane-head h2{font-size:17px;margin:0;font-weight:800}
.me{margin-left:auto;font-size:12px;color:#616061}
.close{margin-left:auto;font-size:22px;color:#616061;line-height:1}
.messages{flex:1;overflow:auto;padding:8px 0}
.empty{color:#616061;padding:24px 18px}
.msg{display:flex;gap:8px;padding:8px 18px}.msg:hover{background:#f8f8f8}
.avatar{flex:none;width:36px;height:36px;border-radius:6px;background:#e8f5fa;display:flex;align-items:center;justify-content:center;font-size:20px}
.avatar.small{width:22px;height:22px;font-size:10px;font-weight:700;background:#9c6f9c;color:#fff;border-radius:4px}
.msg-body{flex:1;min-width:0}
.msg-meta{display:flex;align-items:baseline;gap:6px}.author{font-weight:900}
.app-badge{font-size:10px;background:#ddd;color:#616061;border-radius:2px;padding:0 3px;font-weight:700}
.msg-meta time,.edited{font-size:12px;color:#616061}
.ephemeral{background:#f4f9fc;border-left:3px solid #1264a3}
.eph-note{font-size:12px;color:#616061;margin:2px 0}
.broadcast{font-size:12px;color:#616061}
.replies{display:inline-block;margin-top:4px;font-weight:700;font-size:13px}
.reply-count{font-size:13px;color:#616061;border-bottom:1px solid #eee;margin:4px 18px;padding:4px 0}
.msg-content,.confirm-text{white-space:pre-wrap;overflow-wrap:anywhere}
.bk-header{font-size:17px;font-weight:900;margin:4px 0}
.bk-section{display:flex;gap:12px;margin:4px 0}.bk-section-body{flex:1;min-width:0}
.bk-fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px;margin-top:4px}
.bk-accessory{flex:none}
.bk-accessory-image{width:88px;height:88px;object-fit:cover;border-radius:4px}
.bk-context{display:flex;flex-wrap:wrap;gap:8px;align-items:center;font-size:12px;color:#616061;margin:4px 0}
.bk-context-image{width:16px;height:16px;border-radius:2px}
.bk-divider{border:0;border-top:1px solid #ddd;margin:8px 0}
.bk-actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.bk-image img{max-width:360px;border-radius:4px}
.bk-unsupported,.bk-element-unsupported{font-size:12px;color:#a0a0a0}
.code-block{background:#f8f8f8;border:1px solid #ddd;border-radius:4px;padding:8px;margin:4px 0;white-space:pre-wrap;font-size:12px;line-height:1.5}
code{background:#f6f6f6;border:1px solid #e1e1e1;border-radius:3px;padding:0 3px;font-size:12px;color:#c01343}
blockquote{border-left:4px solid #ddd;margin:4px 0;padding-left:10px}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
.btn{display:inline-block;font:inherit;font-weight:700;font-size:13px;border:1px solid #bbb;background:#fff;color:#1d1c1d;border-radius:4px;padding:3px 12px;cursor:pointer;line-height:1.6}
.btn:hover{background:#f8f8f8;text-decoration:none}.btn:disabled{opacity:.5;cursor:default}
.btn-primary{background:#007a5a;border-color:#007a5a;color:#fff}.btn-primary:hover{background:#148567}
.btn-danger{background:#e01e5a;border-color:#e01e5a;color:#fff}.btn-danger:hover{background:#e23067}
.btn.small{font-size:12px;padding:0 8px}
.btn.busy{opacity:.6}
.composer{border-top:1px solid #ddd;padding:10px 18px}
.composer-row{display:flex;gap:8px}
.composer input{flex:1;font:inherit;padding:8px 10px;border:1px solid #bbb;border-radius:6px}
.composer-hint{font-size:12px;color:#616061;margin-top:6px}.composer-hint code{cursor:pointer}
#ops{flex:0 0 400px;background:#f6f6f8;border-left:1px solid #ddd;overflow:auto}
.panel{padding:10px 14px;border-bottom:1px solid #e2e2e6}
.panel-head{display:flex;align-items:center;gap:8px}.panel-head h2{font-size:15px;margin:0 auto 0 0}
.hint{font-size:12px;color:#616061;margin:4px 0}
ul.deployments,ul.incidents,ul.pd-incidents{list-style:none;margin:6px 0 0;padding:0}
.deployment,.incident,.pd-incident{background:#fff;border:1px solid #e2e2e6;border-radius:6px;padding:6px 8px;margin-bottom:6px}
.dep-head{display:flex;align-items:center;gap:6px}.dep-head>*{flex:none}
.dep-name{flex:1 1 auto;font-size:13px;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.pd-title{font-size:13px;margin:2px 0;overflow-wrap:anywhere}
.dep-detail{font-size:12px;color:#616061}
.on-call{display:flex;gap:12px;flex-wrap:wrap;margin:4px 0}
.badge{font-size:11px;border-radius:9px;padding:0 7px;background:#e8e8ea;color:#444}
.rollout-complete{background:#d6f5e6;color:#0b6e3c}.rollout-progressing{background:#fdf0d0;color:#8a5a00}
.rollout-failed{background:#fbd9e2;color:#a3123e}.rollout-paused{background:#e1e6fb;color:#2a3b8f}
.pods{display:flex;flex-wrap:wrap;gap:4px;margin-top:4px}
.pod{font-size:11px;border-radius:3px;padding:0 5px;font-family:Menlo,Monaco,Consolas,monospace}
.pod-ok{background:#e3f6ec;color:#0b6e3c}.pod-bad{background:#fde4ea;color:#a3123e}
.incident.open{border-left:3px solid #e01e5a}.incident.resolved{opacity:.7;border-left:3px solid #2bac76}
.incident-link{font-weight:700;font-size:13px}
.pd-status{font-size:11px;font-weight:700;text-transform:uppercase;border-radius:3px;padding:0 5px;color:#fff}
.pd-triggered{background:#e01e5a}.pd-acknowledged{background:#e8912d}.pd-resolved{background:#2bac76}
.pd-incident .btn{margin-top:4px}
dialog{border:0;border-radius:8px;box-shadow:0 8px 32px rgba(0,0,0,.3);padding:20px 24px;max-width:480px}
dialog::backdrop{background:rgba(0,0,0,.4)}
dialog h4{margin:0 0 10px;font-size:18px}
.confirm-buttons{display:flex;justify-content:flex-end;gap:8px;margin-top:18px}
@media (max-width:1500px){.thread-pane{flex-basis:380px}#ops{flex-basis:340px}#sidebar{width:200px}}
#toast{position:fixed;bottom:18px;left:50%;transform:translateX(-50%);background:#1d1c1d;color:#fff;padding:8px 16px;border-radius:6px;max-width:70vw;white-space:pre-wrap;font-size:13px}
`;

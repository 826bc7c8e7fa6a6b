import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../object.js';
import type { ResourceType } from '../resources.js';
import { StatusError } from '../status-error.js';
import type { ObjectStore, Query, StoreEvent } from '../store.js';

export interface WatchOptions {
  query: Query;
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  /** Turns an object into what the client asked for (the object, or a one-row Table). */
  render: (obj: KubeObject) => unknown;
  dropAfterMs?: number;
}

const BOOKMARK_INTERVAL_MS = 5_000;
const MAX_WATCH_MS = 30 * 60_000;

/**
 * A watch stream: newline-delimited JSON events, as the apiserver writes them.
 * Selector semantics follow the watch cache: an object that stops matching is
 * sent as DELETED, one that starts matching as ADDED.
 */
export function serveWatch(req: IncomingMessage, res: ServerResponse, store: ObjectStore, resource: ResourceType, opts: WatchOptions): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const write = (type: string, object: unknown) => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const bookmark = (rv: number, initialEnd = false) =>
    write('BOOKMARK', {
      kind: resource.kind,
      apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version,
      metadata: { resourceVersion: String(rv), ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) },
    });

  let fromRv: number;
  const rvParam = opts.resourceVersion;
  if (!rvParam || rvParam === '0' || opts.sendInitialEvents) {
    // "Get state and start at most recent": synthetic ADDED events for what exists now.
    for (const obj of store.list(resource, opts.query)) write('ADDED', opts.render(obj));
    fromRv = store.resourceVersion;
    if (opts.sendInitialEvents) bookmark(fromRv, true);
  } else {
    fromRv = Number(rvParam);
    if (!Number.isInteger(fromRv) || fromRv < 0) {
      write('ERROR', new StatusError(400, 'BadRequest', `invalid resource version: ${rvParam}`).toStatus());
      res.end();
      return;
    }
  }

  let history: StoreEvent[];
  try {
    history = store.eventsSince(resource, fromRv);
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    write('ERROR', e.toStatus());
    res.end();
    return;
  }

  const deliver = (ev: StoreEvent) => {
    if (ev.resource !== resource) return;
    const now = ev.type !== 'DELETED' && store.matches(resource, ev.object, opts.query);
    const before = ev.prev !== undefined && store.matches(resource, ev.prev, opts.query);
    if (ev.type === 'ADDED' && now) write('ADDED', opts.render(ev.object));
    else if (ev.type === 'MODIFIED') {
      if (now && before) write('MODIFIED', opts.render(ev.object));
      else if (now) write('ADDED', opts.render(ev.object));
      else if (before) write('DELETED', opts.render(ev.object));
    } else if (ev.type === 'DELETED' && before) write('DELETED', opts.render(ev.object));
  };
  history.forEach(deliver);
  const unsubscribe = store.subscribe(deliver);
  const untrack = store.trackWatch(() => res.end());

  const timers: NodeJS.Timeout[] = [];
  if (opts.allowBookmarks) timers.push(setInterval(() => bookmark(store.resourceVersion), BOOKMARK_INTERVAL_MS));
  const limit = Math.min((opts.timeoutSeconds ?? Infinity) * 1000, MAX_WATCH_MS);
  timers.push(setTimeout(() => res.end(), limit));
  if (opts.dropAfterMs !== undefined) timers.push(setTimeout(() => res.destroy(), opts.dropAfterMs));
  const cleanup = () => {
    unsubscribe();
    untrack();
    timers.forEach((t) => clearTimeout(t));
  };
  res.on('close', cleanup);
  req.on('close', cleanup);
}

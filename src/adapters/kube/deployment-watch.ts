import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { MedicError, toMedicError } from '../../errors.js';
import type { DeploymentRef } from '../../ports.js';
import { KubeJsonReader, statusError, transportError } from './json-reader.js';

/** How a wait on one Deployment ended. */
export type DeploymentWaitEnd = 'done' | 'deleted' | 'aborted';

export interface DeploymentWaitOptions {
  /** Ends the wait ('aborted'): the caller's timeout or interrupt. */
  signal: AbortSignal;
  /** A read or watch failed and is tried again after a pause (the API server may come back). */
  onRetry?: (error: MedicError, delayMs: number) => void;
  /** How long the API server keeps one watch open before we re-watch (client-go picks 5 to 10 minutes). */
  watchSeconds?: number;
}

const RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000];

type WatchEnd = { kind: 'done' | 'deleted' | 'closed' | 'expired' } | { kind: 'failed'; error: MedicError };

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Deployment & { code?: number; message?: string; reason?: string };
}

/**
 * Follows one Deployment the way `kubectl rollout status` does (client-go's
 * UntilWithSync over a list and watch with `metadata.name=NAME`): `seen` gets
 * the Deployment from the list and then from every ADDED or MODIFIED event,
 * until it answers true ('done'), the Deployment is deleted ('deleted') or the
 * signal fires ('aborted'). A watch the server closes is resumed from the last
 * resourceVersion; one too old to resume (410 Gone) starts again with a list,
 * which shows the Deployment to `seen` again, as kubectl's re-list does. Read
 * and watch failures are retried with back-off until the signal fires.
 */
export async function waitForDeployment(kc: KubeConfig, ref: DeploymentRef, seen: (d: Deployment) => boolean, opts: DeploymentWaitOptions): Promise<DeploymentWaitEnd> {
  const server = kc.getCurrentCluster()!.server;
  const reader = new KubeJsonReader(kc, server, 30_000);
  const path = `/apis/apps/v1/namespaces/${ref.namespace}/deployments`;
  const fieldSelector = `metadata.name=${ref.name}`;
  const { signal } = opts;
  let resourceVersion: string | undefined;
  let failures = 0;
  const aborted = new Promise<'aborted'>((resolve) => (signal.aborted ? resolve('aborted') : signal.addEventListener('abort', () => resolve('aborted'), { once: true })));

  while (!signal.aborted) {
    let end: WatchEnd;
    if (resourceVersion === undefined) {
      const listed = await Promise.race([reader.get<{ metadata?: { resourceVersion?: string }; items?: Deployment[] }>(path, { fieldSelector }, `deployment ${ref.namespace}/${ref.name}`).then((list) => ({ list }), (error: unknown) => ({ error })), aborted]);
      if (listed === 'aborted') break;
      if ('error' in listed) end = { kind: 'failed', error: toMedicError(listed.error) };
      else {
        const d = listed.list.items?.[0];
        if (!d) return 'deleted';
        if (seen(d)) return 'done';
        resourceVersion = listed.list.metadata?.resourceVersion ?? d.metadata?.resourceVersion ?? '0';
        end = await watchFrom(resourceVersion);
      }
    } else {
      const opened = Date.now();
      end = await watchFrom(resourceVersion);
      // A server that ends every watch at once must not make us spin (client-go backs off the same way).
      if (end.kind === 'closed' && Date.now() - opened < 1_000 && (await Promise.race([sleep(1_000), aborted])) === 'aborted') break;
    }

    if (end.kind === 'done' || end.kind === 'deleted') return end.kind;
    if (end.kind === 'expired') resourceVersion = undefined;
    if (end.kind === 'failed') {
      if (end.error.code === 'NOT_FOUND' || end.error.code === 'FORBIDDEN') throw end.error;
      const delay = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]!;
      opts.onRetry?.(end.error, delay);
      if ((await Promise.race([sleep(delay), aborted])) === 'aborted') break;
    } else failures = 0;
  }
  return 'aborted';

  /** One watch request, from `rv`, until it ends one way or another. */
  async function watchFrom(rv: string): Promise<WatchEnd> {
    const query = { fieldSelector, resourceVersion: rv, allowWatchBookmarks: 'true', timeoutSeconds: String(opts.watchSeconds ?? 300 + Math.floor(Math.random() * 300)) };
    const request = new AbortController();
    const stop = () => request.abort();
    signal.addEventListener('abort', stop, { once: true });
    try {
      const res = await openWatch(kc, server, path, query, request.signal);
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        for await (const c of res) chunks.push(c as Buffer);
        return { kind: 'failed', error: statusError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), `the watch of deployment ${ref.namespace}/${ref.name}`) };
      }
      // Aborting the request when the wait ends makes the response (and its reader) emit errors nobody needs.
      res.on('error', () => {});
      const lines = createInterface({ input: res, crlfDelay: Infinity });
      lines.on('error', () => {});
      for await (const line of lines) {
        if (!line.trim()) continue;
        const { type, object } = JSON.parse(line) as WatchEvent;
        if (type === 'ERROR') {
          // 410 Gone: the resourceVersion is too old to resume from; list again.
          if (object?.code === 410) return { kind: 'expired' };
          return { kind: 'failed', error: new MedicError('KUBE_API', `watching deployment ${ref.namespace}/${ref.name}: ${object?.message ?? 'watch error'}`, { details: { httpStatus: object?.code, reason: object?.reason } }) };
        }
        if (object?.metadata?.resourceVersion) resourceVersion = object.metadata.resourceVersion;
        if (type === 'DELETED') return { kind: 'deleted' };
        if ((type === 'ADDED' || type === 'MODIFIED') && seen(object)) return { kind: 'done' };
      }
      return { kind: 'closed' };
    } catch (e) {
      return signal.aborted ? { kind: 'closed' } : { kind: 'failed', error: e instanceof MedicError ? e : transportError(e, `the watch of deployment ${ref.namespace}/${ref.name}`, server) };
    } finally {
      signal.removeEventListener('abort', stop);
      request.abort();
    }
  }
}

const sleep = (ms: number) => new Promise<'slept'>((resolve) => setTimeout(() => resolve('slept'), ms));

/** GET ?watch=true with the kubeconfig's credentials, TLS settings and proxy (as json-reader.ts reads). */
async function openWatch(kc: KubeConfig, server: string, path: string, query: Record<string, string>, signal: AbortSignal): Promise<http.IncomingMessage> {
  const url = new URL(server.replace(/\/$/, '') + path);
  for (const [k, v] of Object.entries({ ...query, watch: 'true' })) url.searchParams.set(k, v);
  const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(opts);
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(url, { ...opts, signal }, resolve);
    req.on('error', reject);
    req.end();
  });
}

import type { ContainerLogSource, LogLine } from '../api/logs.js';

const MAX_LINES_PER_INSTANCE = 5_000;

/**
 * Container output, kept per container instance: the current one and the
 * one before it, which is what `kubectl logs --previous` reads.
 */
export class LogStore implements ContainerLogSource {
  private readonly instances = new Map<string, { current: LogLine[]; previous?: LogLine[] }>();
  private readonly followers = new Map<string, Set<(l: LogLine) => void>>();

  private key(namespace: string, pod: string, container: string): string {
    return `${namespace}/${pod}/${container}`;
  }

  /** A new container instance starts; the old output becomes "previous". */
  rotate(namespace: string, pod: string, container: string): void {
    const k = this.key(namespace, pod, container);
    const cur = this.instances.get(k);
    this.instances.set(k, { current: [], previous: cur && cur.current.length ? cur.current : cur?.previous });
  }

  append(namespace: string, pod: string, container: string, line: LogLine): void {
    const k = this.key(namespace, pod, container);
    const entry = this.instances.get(k) ?? { current: [] };
    entry.current.push(line);
    if (entry.current.length > MAX_LINES_PER_INSTANCE) entry.current.splice(0, entry.current.length - MAX_LINES_PER_INSTANCE);
    this.instances.set(k, entry);
    for (const f of this.followers.get(k) ?? []) f(line);
  }

  /** Replaces one instance's output wholesale (a snapshot being loaded); followers see nothing of it. */
  replace(namespace: string, pod: string, container: string, previous: boolean, lines: LogLine[]): void {
    const k = this.key(namespace, pod, container);
    const entry = this.instances.get(k) ?? { current: [] };
    const kept = lines.slice(-MAX_LINES_PER_INSTANCE);
    this.instances.set(k, previous ? { ...entry, previous: kept } : { ...entry, current: kept });
  }

  forgetPod(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const k of [...this.instances.keys()]) if (k.startsWith(prefix)) this.instances.delete(k);
  }

  lines(namespace: string, pod: string, container: string, previous: boolean): LogLine[] {
    const entry = this.instances.get(this.key(namespace, pod, container));
    return (previous ? entry?.previous : entry?.current) ?? [];
  }

  follow(namespace: string, pod: string, container: string, onLine: (line: LogLine) => void): () => void {
    const k = this.key(namespace, pod, container);
    const set = this.followers.get(k) ?? new Set();
    set.add(onLine);
    this.followers.set(k, set);
    return () => set.delete(onLine);
  }
}

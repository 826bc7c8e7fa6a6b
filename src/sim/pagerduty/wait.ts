import type { EventEmitter } from 'node:events';

export interface WaitOptions {
  timeoutMs?: number;
  /** Named in the timeout error. */
  description?: string;
}

/** Resolves with the predicate's first truthy result, re-checking on every `change` the emitter emits. */
export function waitForChange<T>(emitter: EventEmitter, predicate: () => T | undefined | null | false, opts: WaitOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const value = predicate();
      if (!value) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`PagerDutyEmulator.waitFor timed out after ${timeoutMs} ms${opts.description ? `: ${opts.description}` : ''}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      emitter.off('change', check);
    };
    emitter.on('change', check);
    check();
  });
}

import { schedule } from 'node-cron';
import type { Logger } from '../log.js';

/**
 * Housekeeping on a node-cron tick: what is due lives in the store, so a
 * tick only asks; a missed one is caught up by the next. Ticks never overlap.
 */
export function everySeconds(seconds: number, name: string, job: () => Promise<void>, log: Logger): { stop(): void } {
  let running = false;
  const task = schedule(`*/${seconds} * * * * *`, async () => {
    if (running) return;
    running = true;
    try {
      await job();
    } catch (err) {
      log.warn({ err, job: name }, 'housekeeping tick failed; the next one tries again');
    } finally {
      running = false;
    }
  }, { name });
  return { stop: () => void task.stop() };
}

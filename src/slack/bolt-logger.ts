import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../log.js';

/** Bolt's logger interface over the bot's pino logger, so every line is JSON and redacted. */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' ');
  return {
    debug: (...args) => child.debug(text(args)),
    info: (...args) => child.info(text(args)),
    warn: (...args) => child.warn(text(args)),
    error: (...args) => child.error(text(args)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

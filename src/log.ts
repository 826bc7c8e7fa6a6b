import pino, { type Logger, type LoggerOptions, type DestinationStream } from 'pino';
import { REDACT_PATHS, REDACTION_MASK, redactText } from './redact.js';

export type { Logger };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * JSON logs with secrets removed twice: known fields by path, and free text
 * (messages, error messages and stacks) by pattern.
 */
export function createLogger(opts: { level?: LogLevel; name?: string; destination?: DestinationStream } = {}): Logger {
  const options: LoggerOptions = {
    name: opts.name ?? 'deploy-medic',
    level: opts.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: REDACTION_MASK },
    serializers: {
      err: (err: unknown) => {
        const s = pino.stdSerializers.err(err as Error);
        return { ...s, message: redactText(s.message ?? ''), stack: s.stack ? redactText(s.stack) : undefined };
      },
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? redactText(a) : a));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

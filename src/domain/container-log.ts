import { redactText } from '../redact.js';
import type { ContainerLog } from './snapshot.js';

/** How much of a container's log is read: the tail, capped in bytes so one chatty pod cannot flood Slack. */
export interface LogLimits {
  tailLines: number;
  limitBytes: number;
}

export const LOG_LIMITS: LogLimits = { tailLines: 100, limitBytes: 32 * 1024 };

/** The log as the API returned it, cut to the tail and redacted line by line. */
export function toContainerLog(pod: string, container: string, previous: boolean, text: string, limits: LogLimits): ContainerLog {
  const bytes = Buffer.byteLength(text);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const kept = lines.slice(-limits.tailLines).map(redactText);
  return { pod, container, previous, lines: kept, truncated: bytes >= limits.limitBytes || lines.length >= limits.tailLines };
}

/**
 * k8s.io/apimachinery/pkg/util/duration, on millisecond durations.
 * Go truncates toward zero when it turns a Duration into whole units, hence Math.trunc.
 */
import { parseMicroTime, parseTime } from './timestamp.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Up to 2 seconds in the future (exclusive) counts as "now" to tolerate clock
 * skew between machines; anything further is "<invalid>".
 */
function skewed(seconds: number): string | undefined {
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  return undefined;
}

/** duration.ShortHumanDuration: one unit, e.g. "45s", "5m", "3h", "12d", "2y". */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  const skew = skewed(seconds);
  if (skew) return skew;
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(ms / HOUR / 24 / 365)}y`;
}

/** duration.HumanDuration: ~2-3 significant figures, e.g. "90s", "3m12s", "2d3h", "2y45d". */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  const skew = skewed(seconds);
  if (skew) return skew;
  if (seconds < 60 * 2) return `${seconds}s`;

  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;

  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;

  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;

  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

function since(at: number | undefined, now: Date): string {
  return at === undefined ? '<unknown>' : humanDuration(now.getTime() - at);
}

/** The printers' translateTimestampSince for a metav1.Time field. */
export function translateTimestampSince(timestamp: string | null | undefined, now: Date): string {
  return since(parseTime(timestamp), now);
}

/** The printers' translateMicroTimestampSince for a metav1.MicroTime field. */
export function translateMicroTimestampSince(timestamp: string | null | undefined, now: Date): string {
  return since(parseMicroTime(timestamp), now);
}

/**
 * Parsing of metav1.Time / metav1.MicroTime strings into epoch milliseconds.
 * Undefined stands for Go's zero time, which the printers treat as unset.
 */

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** time.Time{} in Go: year 1, which metav1.Time.IsZero() reports as unset. */
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

function parse(value: string | null | undefined, keepFraction: boolean): number | undefined {
  if (!value) return undefined;
  const match = RFC3339.exec(value);
  if (!match) return undefined;
  const [, dateTime, fraction, zone] = match;
  const seconds = Date.parse(`${dateTime}${zone}`);
  if (Number.isNaN(seconds) || seconds === GO_ZERO_TIME_MS) return undefined;
  return keepFraction && fraction ? seconds + Number(`0${fraction}`) * 1000 : seconds;
}

/**
 * metav1.Time: the apiserver serialises it with whole seconds, so objects a
 * real cluster prints from storage never carry a fraction; drop it likewise.
 */
export function parseTime(value: string | null | undefined): number | undefined {
  return parse(value, false);
}

/** metav1.MicroTime keeps its sub-second part. */
export function parseMicroTime(value: string | null | undefined): number | undefined {
  return parse(value, true);
}

/** Go's t.UTC().Format(time.RFC3339): whole seconds, "Z" zone. */
export function formatRFC3339(ms: number | undefined): string {
  const at = ms ?? GO_ZERO_TIME_MS;
  return new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

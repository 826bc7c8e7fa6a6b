/** Row values: times as epoch milliseconds, absent values as NULL, JSON as text. */
export const toMs = (d: Date | undefined): number | null => (d ? d.getTime() : null);
export const fromMs = (ms: number): Date => new Date(ms);
export const json = (value: unknown): string => JSON.stringify(value ?? null);

/** An object without its undefined properties, so records read back equal what was written. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

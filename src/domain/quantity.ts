/**
 * Kubernetes resource quantities ("256Mi", "500m", "1.5Gi", "2e3") as numbers:
 * bytes for memory, cores for CPU. Pure; shared by the analyzers and the simulator.
 */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

export function parseQuantity(q: string | number | undefined | null): number | undefined {
  if (q === undefined || q === null) return undefined;
  if (typeof q === 'number') return q;
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[3] !== undefined) return n * 10 ** Number(m[3]);
  const suffix = m[2] ?? '';
  return n * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

export const isQuantity = (q: string): boolean => parseQuantity(q) !== undefined;

/** Bytes in the largest binary unit that divides them exactly ("3Gi", "768Mi"). */
export function formatBytes(bytes: number): string {
  if (bytes === 0) return '0';
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
    const size = BINARY[unit]!;
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(Math.round(bytes));
}

/** Bytes rounded up to a whole Mi (or Gi when exact): what you would write in a manifest. */
export function formatBytesRoundedUp(bytes: number): string {
  const mi = Math.ceil(bytes / BINARY.Mi!);
  return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}

/** Cores as Kubernetes prints them: "500m", "2". */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

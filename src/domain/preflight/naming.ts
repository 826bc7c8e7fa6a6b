/** rand.SafeEncodeString's alphabet: what ReplicaSet hashes and generated pod names are written in. */
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * A pod-template-hash for the would-be ReplicaSet, written as the
 * controller writes its own (FNV-32a, safe-encoded). It names the would-be
 * ReplicaSet; it is not the hash the controller will compute.
 */
export function wouldBeTemplateHash(template: unknown): string {
  return [...String(fnv32a(canonicalJson(template)))].map((c) => SAFE[c.charCodeAt(0) % SAFE.length]).join('');
}

/** The n-th would-be pod of a ReplicaSet: a generated-looking name, stable for the same input. */
export function wouldBePodName(replicaSet: string, n: number): string {
  let h = fnv32a(`${replicaSet}/${n}`);
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += SAFE[h % SAFE.length];
    h = (Math.floor(h / SAFE.length) ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  }
  return `${replicaSet}-${suffix}`;
}

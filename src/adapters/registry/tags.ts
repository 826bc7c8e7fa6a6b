/**
 * Nearest existing tags for one that does not exist, so a finding can say
 * "v2.0.1 does not exist; v2.0.0 and v2.1.0 do".
 *
 * When the wanted tag is version-like (optional "v", one to three numbers,
 * optional "-pre-release" and "+build"; a missing minor or patch counts as 0),
 * the order is:
 *   1. version-like tags sharing more leading numbers first: the same
 *      major.minor, then the same major, then other majors; within each, the
 *      smaller difference at the first number that differs;
 *   2. at the same distance: releases before pre-releases (unless a
 *      pre-release was asked for); on the same side of the wanted version, the
 *      one nearer along the version line (for v2.0.1: v1.2.0 before v1.0.0,
 *      v3.0.0 before v3.1.0); then the higher version; then the same "v" style;
 *   3. tags that are not version-like ("latest", "main") last, by edit distance.
 * So for v2.0.1 among v1.9.3, v2.1.0, v2.0.0: v2.0.0, v2.1.0, v1.9.3.
 * When the wanted tag is not version-like ("lastest"), tags within a typo's
 * edit distance come first, then version-like tags newest first, then the rest
 * by edit distance.
 */

export interface VersionTag {
  tag: string;
  prefixed: boolean;
  numbers: [number, number, number];
  preRelease?: string;
}

const VERSION = /^(v|V)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersionTag(tag: string): VersionTag | undefined {
  const m = VERSION.exec(tag);
  if (!m) return undefined;
  const num = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  return { tag, prefixed: m[1] !== undefined, numbers: [num(m[2]), num(m[3]), num(m[4])], preRelease: m[5] };
}

/** Semantic-version precedence; a release sorts above its pre-releases. */
export function compareVersions(a: VersionTag, b: VersionTag): number {
  for (let i = 0; i < 3; i++) {
    const d = a.numbers[i]! - b.numbers[i]!;
    if (d) return Math.sign(d);
  }
  if (a.preRelease === b.preRelease) return 0;
  if (a.preRelease === undefined) return 1;
  if (b.preRelease === undefined) return -1;
  return comparePreRelease(a.preRelease, b.preRelease);
}

function comparePreRelease(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn && Number(x) !== Number(y)) return Math.sign(Number(x) - Number(y));
    if (xn !== yn) return xn ? -1 : 1; // numeric identifiers sort below alphanumeric ones
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function nearestTags(wanted: string, existing: readonly string[], limit = 3): string[] {
  const candidates = [...new Set(existing)].filter((t) => t !== wanted);
  const target = parseVersionTag(wanted);
  const versions = candidates.map(parseVersionTag).filter((v): v is VersionTag => v !== undefined);
  const others = candidates.filter((t) => !parseVersionTag(t));
  const byEditDistance = (tags: string[]) =>
    tags
      .map((tag) => ({ tag, d: editDistance(wanted, tag) }))
      .sort((a, b) => a.d - b.d || a.tag.localeCompare(b.tag))
      .map((x) => x.tag);

  if (target) {
    const ranked = versions.sort((a, b) => compareNearness(target, a, b)).map((v) => v.tag);
    return [...ranked, ...byEditDistance(others)].slice(0, limit);
  }
  const typoBound = Math.max(2, Math.floor(wanted.length / 3));
  const all = byEditDistance(candidates);
  const typos = all.filter((t) => editDistance(wanted, t) <= typoBound);
  const newest = versions.sort((a, b) => compareVersions(b, a)).map((v) => v.tag);
  return [...new Set([...typos, ...newest, ...all])].slice(0, limit);
}

function compareNearness(target: VersionTag, a: VersionTag, b: VersionTag): number {
  const ia = firstDifference(a, target);
  const ib = firstDifference(b, target);
  if (ia !== ib) return ib - ia;
  const delta = (v: VersionTag) => (ia < 3 ? v.numbers[ia]! - target.numbers[ia]! : 0);
  const wantsPre = target.preRelease !== undefined;
  const preMismatch = (v: VersionTag) => Number((v.preRelease !== undefined) !== wantsPre);
  const sameSide = Math.sign(delta(a)) === Math.sign(delta(b));
  return (
    Math.abs(delta(a)) - Math.abs(delta(b)) ||
    preMismatch(a) - preMismatch(b) ||
    (sameSide && delta(a) > 0 ? compareVersions(a, b) : 0) || // above the wanted version, lower is nearer
    compareVersions(b, a) ||
    Number(a.prefixed !== target.prefixed) - Number(b.prefixed !== target.prefixed) ||
    a.tag.localeCompare(b.tag)
  );
}

/** Index of the first of major, minor, patch that differs; 3 when all are equal. */
function firstDifference(v: VersionTag, target: VersionTag): number {
  const i = v.numbers.findIndex((n, k) => n !== target.numbers[k]);
  return i < 0 ? 3 : i;
}

/** Levenshtein distance: the number of single-character edits between two strings. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Label and selector rendering as k8s.io/apimachinery/pkg/labels prints them,
 * including the validation that makes a selector print as invalid.
 */
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';

/** labels.FormatLabels: sorted "k=v" pairs, or "<none>". */
export function formatLabels(labels: Record<string, string> | undefined): string {
  // Go sorts the joined "k=v" strings, not the keys, so "a.b=1" precedes "a=1".
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return pairs.length === 0 ? '<none>' : pairs.sort().join(',');
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** validation.IsQualifiedName: an optional DNS-subdomain prefix, then a name of at most 63 characters. */
function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

interface Requirement {
  key: string;
  text: string;
}

/** labels.NewRequirement's checks plus Requirement.String(); undefined when invalid. */
function requirement(key: string, operator: string, values: string[]): Requirement | undefined {
  if (!isQualifiedName(key) || !values.every(isLabelValue)) return undefined;
  // Values print sorted without reordering the selector itself.
  const list = [...values].sort().join(',');
  switch (operator) {
    case 'Equals':
      return values.length === 1 ? { key, text: `${key}=${list}` } : undefined;
    case 'In':
    case 'NotIn':
      return values.length > 0 ? { key, text: `${key} ${operator.toLowerCase()} (${list})` } : undefined;
    case 'Exists':
      return values.length === 0 ? { key, text: key } : undefined;
    case 'DoesNotExist':
      return values.length === 0 ? { key, text: `!${key}` } : undefined;
    default:
      return undefined;
  }
}

/**
 * metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key,
 * "" for a nil or empty selector, undefined when the selector is invalid.
 */
export function labelSelectorString(selector: LabelSelector | undefined): string | undefined {
  const labels: Record<string, string> = selector?.matchLabels ?? {};
  const matchLabels = Object.entries(labels).map(([k, v]) => requirement(k, 'Equals', [v]));
  const expressions = (selector?.matchExpressions ?? []).map((e: LabelSelectorRequirement) =>
    requirement(e.key, e.operator, e.values ?? []),
  );
  const requirements = [...matchLabels, ...expressions];
  const valid = requirements.filter((r): r is Requirement => r !== undefined);
  if (valid.length !== requirements.length) return undefined;
  return valid
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: "<error>" when invalid, "<none>" when it selects everything. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  const text = labelSelectorString(selector);
  if (text === undefined) return '<error>';
  return text === '' ? '<none>' : text;
}

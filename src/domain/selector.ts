import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

/** A metav1.LabelSelector in the string form the API's labelSelector parameter takes. */
export function selectorString(sel: LabelSelector | undefined): string {
  const terms = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In':
        terms.push(`${e.key} in (${(e.values ?? []).join(',')})`);
        break;
      case 'NotIn':
        terms.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
        break;
      case 'Exists':
        terms.push(e.key);
        break;
      case 'DoesNotExist':
        terms.push(`!${e.key}`);
        break;
    }
  }
  return terms.join(',');
}

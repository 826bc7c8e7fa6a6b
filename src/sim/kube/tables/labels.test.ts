import { describe, expect, it } from 'vitest';
import { formatLabels, formatLabelSelector, labelSelectorString } from './labels.js';

describe('formatLabels', () => {
  it('sorts the joined pairs, so a dotted key precedes its prefix', () => {
    expect(formatLabels({ app: 'web', 'app.kubernetes.io/name': 'shop', tier: 'frontend' })).toBe(
      'app.kubernetes.io/name=shop,app=web,tier=frontend',
    );
  });

  it('is "<none>" without labels', () => {
    expect(formatLabels(undefined)).toBe('<none>');
    expect(formatLabels({})).toBe('<none>');
  });
});

describe('labelSelectorString', () => {
  it('orders requirements by key (not by their text) and sorts set values', () => {
    expect(
      labelSelectorString({
        matchLabels: { tier: 'backend', app: 'checkout' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['staging', 'prod'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'NotIn', values: ['us-east-1c'] },
          { key: 'billing', operator: 'Exists' },
        ],
      }),
    ).toBe('app=checkout,billing,!canary,env in (prod,staging),tier=backend,zone notin (us-east-1c)');
  });

  it('is empty for a missing or empty selector', () => {
    expect(labelSelectorString(undefined)).toBe('');
    expect(labelSelectorString({})).toBe('');
  });

  it('is undefined for selectors the apiserver could not build', () => {
    expect(labelSelectorString({ matchExpressions: [{ key: 'app', operator: 'Like', values: ['x'] }] })).toBeUndefined();
    expect(labelSelectorString({ matchExpressions: [{ key: 'app', operator: 'In', values: [] }] })).toBeUndefined();
    expect(labelSelectorString({ matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] })).toBeUndefined();
    expect(labelSelectorString({ matchLabels: { 'bad key': 'x' } })).toBeUndefined();
    expect(labelSelectorString({ matchLabels: { app: 'not valid!' } })).toBeUndefined();
    expect(labelSelectorString({ matchLabels: { 'Example.com/app': 'x' } })).toBeUndefined();
  });
});

describe('formatLabelSelector', () => {
  it('prints "<none>" for match-everything and "<error>" for invalid selectors', () => {
    expect(formatLabelSelector({ matchLabels: { app: 'web' } })).toBe('app=web');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] })).toBe('<error>');
  });
});

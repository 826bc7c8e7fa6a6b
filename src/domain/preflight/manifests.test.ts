import { describe, expect, it } from 'vitest';
import { parseManifests, preflightInput } from './manifests.js';

const deployment = (name: string, namespace?: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  selector: {matchLabels: {app: ${name}}}\n  template: {metadata: {labels: {app: ${name}}}, spec: {containers: [{name: app, image: app:1}]}}\n`;

describe('parseManifests', () => {
  it('reads several documents, skips empty ones, and unpacks a List', () => {
    const text = `${deployment('a')}---\n---\n${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }] })}\n`;
    const parsed = parseManifests(text, 'in.yaml');
    expect(parsed.ok && parsed.objects.map((o) => [o.source, o.object.kind, o.object.metadata.name])).toEqual([
      ['in.yaml document 1', 'Deployment', 'a'],
      ['in.yaml document 3 item 1', 'ConfigMap', 'c'],
    ]);
  });

  it('names the document and what it lacks', () => {
    expect(parseManifests(`${deployment('a')}---\nkind: Deployment\n`, 'x.yaml')).toEqual({ ok: false, problem: 'x.yaml document 2: Deployment has no apiVersion' });
    expect(parseManifests('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: Bad_Name}\nspec: {}\n', 'x.yaml')).toMatchObject({ ok: false, problem: expect.stringContaining('invalid deployment name "Bad_Name"') });
    expect(parseManifests('a: 1\na: 2\n', 'x.yaml')).toMatchObject({ ok: false, problem: expect.stringContaining('x.yaml document 1 is not valid YAML or JSON: Map keys must be unique') });
  });
});

describe('preflightInput', () => {
  const objects = (text: string) => {
    const p = parseManifests(text, 'in.yaml');
    if (!p.ok) throw new Error(p.problem);
    return p.objects;
  };

  it('puts each object in its namespace: its own, else the one asked for, else the context one', () => {
    const sorted = preflightInput(objects(`${deployment('a', 'shop')}---\n${deployment('b')}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n`), { fallback: 'default' });
    expect(sorted.ok && sorted.input.deployments.map((d) => d.deployment.metadata?.namespace)).toEqual(['shop', 'default']);
    expect(sorted.ok && sorted.input.namespaces).toEqual(['shop']);
  });

  it('refuses a Deployment given twice', () => {
    expect(preflightInput(objects(`${deployment('a')}---\n${deployment('a')}`), { fallback: 'default' })).toEqual({ ok: false, problem: 'in.yaml document 2: Deployment default/a is also in in.yaml document 1; give each Deployment once' });
  });
});

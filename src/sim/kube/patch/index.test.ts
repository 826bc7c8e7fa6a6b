import { describe, expect, it } from 'vitest';
import { applyPatch } from './index.js';

const deployment = { spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'v1' }] } } } };
const containerPatch = { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 's1' }] } } } };
const status = (code: number, reason: string, message: string) => expect.objectContaining({ code, reason, message });

describe('applyPatch', () => {
  it('strategic merge patch merges lists by key, ignoring Content-Type parameters', () => {
    expect(applyPatch('application/strategic-merge-patch+json; charset=utf-8', deployment, containerPatch, 'Deployment')).toStrictEqual({
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'sidecar', image: 's1' }, { name: 'app', image: 'v1' }] } } },
    });
  });

  it('merge patch replaces lists', () => {
    expect(applyPatch('application/merge-patch+json', deployment, containerPatch, 'Deployment')).toStrictEqual({
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'sidecar', image: 's1' }] } } },
    });
  });

  it('JSON patch applies operations', () => {
    const ops = [{ op: 'replace', path: '/spec/replicas', value: 3 }];
    expect(applyPatch('application/json-patch+json', deployment, ops, 'Deployment')).toStrictEqual({
      spec: { replicas: 3, template: deployment.spec.template },
    });
  });

  it.each(['application/apply-patch+yaml', 'application/json', ''])('refuses %j with 415 naming the accepted types', (contentType) => {
    expect(() => applyPatch(contentType, deployment, {}, 'Deployment')).toThrow(
      status(
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: ' +
          'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
      ),
    );
  });

  it.each([null, 'x', 1])('refuses a merge patch body %j with 400', (body) => {
    expect(() => applyPatch('application/merge-patch+json', deployment, body, 'Deployment')).toThrow(
      status(400, 'BadRequest', 'Invalid JSON Patch'),
    );
  });

  it('refuses a merge patch that would turn the object into an array with 422', () => {
    expect(() => applyPatch('application/merge-patch+json', deployment, [], 'Deployment')).toThrow(
      status(422, 'Invalid', 'the merge patch replaces the object with an array, which is not a valid object'),
    );
  });

  it('leaves the stored object untouched', () => {
    const before = structuredClone(deployment);
    applyPatch('application/strategic-merge-patch+json', deployment, containerPatch, 'Deployment');
    applyPatch('application/merge-patch+json', deployment, containerPatch, 'Deployment');
    applyPatch('application/json-patch+json', deployment, [{ op: 'remove', path: '/spec/template' }], 'Deployment');
    expect(deployment).toStrictEqual(before);
  });
});

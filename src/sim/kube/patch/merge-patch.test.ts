import { describe, expect, it } from 'vitest';
import { applyMergePatch } from './merge-patch.js';

describe('applyMergePatch', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('RFC 7386 appendix A: %j + %j', (doc, patch, expected) => {
    expect(applyMergePatch(doc, patch)).toStrictEqual(expected);
  });

  it('RFC 7386 section 3 example', () => {
    const doc = {
      title: 'Goodbye!',
      author: { givenName: 'John', familyName: 'Doe' },
      tags: ['example', 'sample'],
      content: 'This will be unchanged',
    };
    const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
    expect(applyMergePatch(doc, patch)).toStrictEqual({
      title: 'Hello!',
      author: { givenName: 'John' },
      tags: ['example'],
      content: 'This will be unchanged',
      phoneNumber: '+01-123-456-7890',
    });
  });

  it('replaces a Deployment container list wholesale, unlike a strategic merge', () => {
    const deployment = {
      metadata: { name: 'patch-demo', labels: { app: 'nginx' } },
      spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr', image: 'nginx' }] } } },
    };
    const patch = {
      metadata: { annotations: { team: 'web' } },
      spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-3', image: 'gcr.io/google-samples/node-hello:1.0' }] } } },
    };
    expect(applyMergePatch(deployment, patch)).toStrictEqual({
      metadata: { name: 'patch-demo', labels: { app: 'nginx' }, annotations: { team: 'web' } },
      spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-3', image: 'gcr.io/google-samples/node-hello:1.0' }] } } },
    });
  });

  it('never modifies its inputs or aliases the patch', () => {
    const doc = { a: { b: 1 }, keep: { c: 2 } };
    const patch = { a: { b: null, d: { e: [1] } } };
    const result = applyMergePatch(doc, patch) as { a: { d: { e: number[] } }; keep: object };
    result.a.d.e.push(2);
    expect(doc).toStrictEqual({ a: { b: 1 }, keep: { c: 2 } });
    expect(patch).toStrictEqual({ a: { b: null, d: { e: [1] } } });
    expect(result.keep).not.toBe(doc.keep);
  });
});

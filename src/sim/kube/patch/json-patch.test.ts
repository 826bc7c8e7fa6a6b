import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from './json-patch.js';

const REJECTED = 'the server rejected our request due to an error in our request';

/** The apiserver's 422 for a patch that cannot be applied, with our logged reason. */
const rejection = (cause: string) => expect.objectContaining({ code: 422, reason: 'Invalid', message: REJECTED, details: {}, cause });
const badRequest = (message: string) => expect.objectContaining({ code: 400, reason: 'BadRequest', message });

describe('applyJsonPatch: RFC 6902 appendix A', () => {
  it.each([
    ['A.1 add an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
    ['A.2 add an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['A.3 remove an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['A.4 remove an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['A.5 replace a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    [
      'A.6 move a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    [
      'A.7 move an array element',
      { foo: ['all', 'grass', 'cows', 'eat'] },
      [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      { foo: ['all', 'cows', 'eat', 'grass'] },
    ],
    [
      'A.8 test a value: success',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    [
      'A.10 add a nested member object',
      { foo: 'bar' },
      [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      { foo: 'bar', child: { grandchild: {} } },
    ],
    ['A.11 ignore unrecognized elements', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
    ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    ['A.16 add an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
  ])('%s', (_name, doc, ops, expected) => {
    expect(applyJsonPatch(doc, ops)).toStrictEqual(expected);
  });

  it('A.9 a failed test is a 422', () => {
    expect(() => applyJsonPatch({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }])).toThrow(
      rejection('testing value /baz failed: test failed'),
    );
  });

  it('A.12 adding to a nonexistent target is a 422', () => {
    expect(() => applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }])).toThrow(
      rejection('add operation does not apply: doc is missing path: "/baz/bat"'),
    );
  });

  it('A.15 compares strings and numbers strictly', () => {
    expect(() => applyJsonPatch({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }])).toThrow(
      rejection('testing value /~01 failed: test failed'),
    );
  });
});

describe('applyJsonPatch: apiserver behaviour', () => {
  it('applies the body kubectl rollout undo sends', () => {
    const deployment = {
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '3' } },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'img:v3' }] } } },
    };
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'img:v1' }] } };
    const annotations = { 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'v1' };
    expect(
      applyJsonPatch(deployment, [
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ]),
    ).toStrictEqual({ metadata: { name: 'web', annotations }, spec: { replicas: 2, template } });
  });

  it('replacing a missing object member adds it, as json-patch v4 does', () => {
    expect(applyJsonPatch({ metadata: { name: 'x' } }, [{ op: 'replace', path: '/metadata/annotations', value: { a: 'b' } }])).toStrictEqual({
      metadata: { name: 'x', annotations: { a: 'b' } },
    });
  });

  it('replace under a missing parent is a 422', () => {
    expect(() => applyJsonPatch({ spec: {} }, [{ op: 'replace', path: '/spec/template/spec', value: {} }])).toThrow(
      rejection('replace operation does not apply: doc is missing path: "/spec/template/spec"'),
    );
  });

  it('replace of a missing array element is a 422', () => {
    expect(() => applyJsonPatch({ a: [1] }, [{ op: 'replace', path: '/a/1', value: 2 }])).toThrow(
      rejection('Unable to access invalid index: 1: /a/1'),
    );
  });

  it('remove of a missing member is a 422', () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(rejection('Unable to remove nonexistent key: b: /b'));
  });

  it('copy and move need an existing source', () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'copy', from: '/b', path: '/c' }])).toThrow(
      rejection('copy operation does not apply: doc is missing from path: /b'),
    );
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'move', from: '/b', path: '/c' }])).toThrow(
      rejection('move operation does not apply: doc is missing from path: /b'),
    );
  });

  it('copies deeply, so later ops do not alias the source', () => {
    expect(
      applyJsonPatch({ a: { x: 1 } }, [
        { op: 'copy', from: '/a', path: '/b' },
        { op: 'replace', path: '/b/x', value: 2 },
      ]),
    ).toStrictEqual({ a: { x: 1 }, b: { x: 2 } });
  });

  it('counts negative array indexes from the end', () => {
    expect(
      applyJsonPatch({ a: ['x', 'y', 'z'] }, [
        { op: 'remove', path: '/a/-1' },
        { op: 'add', path: '/a/-1', value: 'end' },
        { op: 'replace', path: '/a/-2', value: 'Y' },
      ]),
    ).toStrictEqual({ a: ['x', 'Y', 'end'] });
  });

  it('rejects an insertion index past the end', () => {
    expect(() => applyJsonPatch({ a: [] }, [{ op: 'add', path: '/a/1', value: 1 }])).toThrow(
      rejection("error in add for path: '/a/1': invalid index 1"),
    );
  });

  it('replaces the whole document at the root pointer', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }])).toStrictEqual({ b: 2 });
  });

  it('treats a missing member and null alike in test, and an add without value as null', () => {
    expect(
      applyJsonPatch({ a: null }, [
        { op: 'test', path: '/missing', value: null },
        { op: 'test', path: '/a' },
        { op: 'add', path: '/b' },
      ]),
    ).toStrictEqual({ a: null, b: null });
  });

  it('rejects an unknown op with 422', () => {
    expect(() => applyJsonPatch({}, [{ op: 'frobnicate', path: '/a' }])).toThrow(rejection('Unexpected kind: frobnicate'));
  });

  it('rejects a body that is not a list of operations with 400', () => {
    expect(() => applyJsonPatch({}, { op: 'add' })).toThrow(
      badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch'),
    );
    expect(() => applyJsonPatch({}, ['add'])).toThrow(
      badRequest('json: cannot unmarshal string into Go value of type jsonpatch.Operation'),
    );
  });

  it('never modifies the document or the operations', () => {
    const doc = { a: { list: [1, 2] } };
    const ops = [
      { op: 'add', path: '/a/list/-', value: { deep: [3] } },
      { op: 'add', path: '/a/list/2/deep/-', value: 4 },
    ];
    const result = applyJsonPatch(doc, ops);
    expect(result).toStrictEqual({ a: { list: [1, 2, { deep: [3, 4] }] } });
    expect(doc).toStrictEqual({ a: { list: [1, 2] } });
    expect(ops[0]).toStrictEqual({ op: 'add', path: '/a/list/-', value: { deep: [3] } });
  });

  it('keeps "__proto__" keys as data', () => {
    const result = applyJsonPatch({}, JSON.parse('[{"op":"add","path":"/__proto__","value":{"polluted":true}}]'));
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.entries(result as object)).toStrictEqual([['__proto__', { polluted: true }]]);
  });
});

import { describe, expect, it } from 'vitest';
import { grantsOf, requestAttributes, ruleAllows, type RbacDoc } from '../helpers/rbac.js';

/**
 * The request → authorizer-attributes mapping rbac-calls.test.ts judges the
 * bot's calls with, on the cases of k8s.io/apiserver's requestinfo_test.go,
 * and RBAC's scoping of a RoleBinding to its namespace.
 */
const q = (s = '') => new URLSearchParams(s);
const attrs = (method: string, url: string) => {
  const [path, query] = url.split('?');
  return requestAttributes(method, path!, q(query));
};

describe('requestAttributes', () => {
  it.each([
    ['GET', '/api/v1/namespaces/other/pods', 'list', '', 'pods', '', 'other', ''],
    ['GET', '/api/v1/namespaces/other/pods?watch=true', 'watch', '', 'pods', '', 'other', ''],
    ['GET', '/api/v1/namespaces/other/pods?watch=1', 'watch', '', 'pods', '', 'other', ''],
    ['GET', '/api/v1/namespaces/other/pods?watch=false', 'list', '', 'pods', '', 'other', ''],
    ['GET', '/api/v1/watch/namespaces/other/pods', 'watch', '', 'pods', '', 'other', ''],
    ['GET', '/api/v1/namespaces/other/pods/foo', 'get', '', 'pods', '', 'other', 'foo'],
    ['GET', '/api/v1/namespaces/other/pods/foo/log?container=app', 'get', '', 'pods', 'log', 'other', 'foo'],
    ['GET', '/api/v1/pods', 'list', '', 'pods', '', '', ''],
    ['GET', '/api/v1/nodes', 'list', '', 'nodes', '', '', ''],
    ['GET', '/api/v1/namespaces/other', 'get', '', 'namespaces', '', 'other', 'other'],
    ['PUT', '/api/v1/namespaces/other/finalize', 'update', '', 'namespaces', 'finalize', 'other', 'other'],
    ['GET', '/apis/apps/v1/namespaces/other/deployments?fieldSelector=metadata.name%3Dweb', 'list', 'apps', 'deployments', '', 'other', 'web'],
    ['PATCH', '/apis/apps/v1/namespaces/other/deployments/web', 'patch', 'apps', 'deployments', '', 'other', 'web'],
    ['PUT', '/apis/apps/v1/namespaces/other/deployments/web/scale', 'update', 'apps', 'deployments', 'scale', 'other', 'web'],
    ['POST', '/api/v1/namespaces/other/pods', 'create', '', 'pods', '', 'other', ''],
    ['DELETE', '/api/v1/namespaces/other/pods', 'deletecollection', '', 'pods', '', 'other', ''],
    ['DELETE', '/api/v1/namespaces/other/pods/foo', 'delete', '', 'pods', '', 'other', 'foo'],
    ['GET', '/apis/metrics.k8s.io/v1beta1/namespaces/other/pods?labelSelector=app%3Dweb', 'list', 'metrics.k8s.io', 'pods', '', 'other', ''],
  ])('%s %s → %s', (method, url, verb, apiGroup, resource, subresource, namespace, name) => {
    expect(attrs(method, url)).toEqual({ kind: 'resource', verb, apiGroup, resource, subresource, namespace, name });
  });

  it.each(['/version', '/healthz', '/api', '/api/v1', '/apis', '/apis/apps/v1'])('%s is a non-resource URL', (path) => {
    expect(attrs('GET', path)).toEqual({ kind: 'nonResource', verb: 'get', path });
  });
});

describe('ruleAllows', () => {
  const docs: RbacDoc[] = [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods', 'pods/log', 'namespaces'], verbs: ['get'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'version' }, rules: [{ nonResourceURLs: ['/version'], verbs: ['get'] }] },
    ...['reader', 'version'].map((name) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: 'production' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'bots' }],
    })),
  ];
  const grants = grantsOf(docs, { namespace: 'bots', name: 'bot' });
  const allowed = (method: string, url: string) => grants.some((g) => ruleAllows(g, attrs(method, url)));

  it('a RoleBinding allows its namespace only (the namespace object itself included), never a non-resource URL', () => {
    expect(allowed('GET', '/api/v1/namespaces/production/pods/a')).toBe(true);
    expect(allowed('GET', '/api/v1/namespaces/production/pods/a/log')).toBe(true);
    expect(allowed('GET', '/api/v1/namespaces/production')).toBe(true);
    expect(allowed('GET', '/api/v1/namespaces/staging/pods/a')).toBe(false);
    expect(allowed('GET', '/api/v1/namespaces/staging')).toBe(false);
    expect(allowed('GET', '/api/v1/namespaces/production/pods')).toBe(false);
    expect(allowed('GET', '/version')).toBe(false);
  });

  it('a subject of another namespace is not the bot', () => {
    expect(grantsOf(docs, { namespace: 'default', name: 'bot' })).toEqual([]);
  });
});

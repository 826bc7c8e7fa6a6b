import { apiVersionOf, RESOURCES } from '../resources.js';

/**
 * Just enough OpenAPI v3 for kubectl's field-validation check: per group
 * version, one PATCH operation per kind carrying the GVK extension and the
 * fieldValidation parameter. With it kubectl sends ?fieldValidation=Strict
 * instead of downloading schemas to validate client-side.
 */
const gvPath = (apiVersion: string) => (apiVersion.includes('/') ? `apis/${apiVersion}` : `api/${apiVersion}`);
const HASH = 'deploy-medic-sim-1';

export function openApiV3(path: string): unknown | undefined {
  const versions = [...new Set(RESOURCES.filter((r) => !r.computed).map(apiVersionOf))];
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    return { paths: Object.fromEntries(versions.map((v) => [gvPath(v), { serverRelativeURL: `/openapi/v3/${gvPath(v)}?hash=${HASH}` }])) };
  }
  const version = versions.find((v) => path === `/openapi/v3/${gvPath(v)}`);
  if (!version) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of RESOURCES.filter((x) => apiVersionOf(x) === version)) {
    const prefix = `/${gvPath(version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
    paths[prefix] = {
      patch: {
        operationId: `patch${r.kind}`,
        'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}

/**
 * Kubernetes RBAC as the API server applies it, for tests that compare the
 * calls a process makes with the rules of rendered manifests: a request's
 * attributes (the apiserver's RequestInfo: verb, API group, resource,
 * subresource, namespace, name) and the RBAC authorizer's decision for a
 * ServiceAccount from the ClusterRoles, Roles and their bindings.
 */

export type RequestAttributes =
  | { kind: 'resource'; verb: string; apiGroup: string; resource: string; subresource: string; namespace: string; name: string }
  | { kind: 'nonResource'; verb: string; path: string };

/** Subresources of a namespace, addressed as /namespaces/NAME/SUB (k8s.io/apiserver requestinfo.go). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const VERB_OF_METHOD: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
/** strconv.ParseBool's true values: how the apiserver reads ?watch=. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/** What the authorizer is asked about one HTTP request (requestinfo.go's RequestInfoFactory). */
export function requestAttributes(method: string, path: string, query: URLSearchParams): RequestAttributes {
  const parts = path.split('/').filter(Boolean);
  const nonResource = { kind: 'nonResource' as const, verb: method.toLowerCase(), path };
  let rest: string[];
  let apiGroup: string;
  if (parts[0] === 'api' && parts.length >= 3) [apiGroup, rest] = ['', parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length >= 4) [apiGroup, rest] = [parts[1]!, parts.slice(3)];
  else return nonResource; // /version, /healthz, discovery (/api, /apis/GROUP/VERSION)

  let verb = VERB_OF_METHOD[method];
  if (!verb) throw new Error(`no RBAC verb for HTTP method ${method} (${path})`);
  if (rest[0] === 'watch') {
    verb = 'watch'; // the deprecated /watch/ prefix
    rest = rest.slice(1);
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1]!;
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) rest = rest.slice(2);
  }
  const [resource = '', nameInPath = '', subresource = ''] = rest;
  let name = nameInPath;
  if (!name && verb === 'get') {
    verb = TRUE.has(query.get('watch') ?? '') ? 'watch' : 'list';
    // A list or watch of one object by field selector is authorized as that object (resourceNames).
    const byName = /^metadata\.name==?([^,]+)$/.exec(query.get('fieldSelector') ?? '');
    if (byName) name = byName[1]!;
  }
  if (!name && verb === 'delete') verb = 'deletecollection';
  return { kind: 'resource', verb, apiGroup, resource, subresource, namespace, name };
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

export interface RbacDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: PolicyRule[];
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace?: string; apiGroup?: string }>;
}

/** One rule as granted to a subject: where it applies ('' = cluster-wide, through a ClusterRoleBinding) and the rule. */
export interface Grant {
  scope: string;
  via: string;
  rule: PolicyRule;
}

/** Every rule bound to the ServiceAccount NAMESPACE/NAME, with the scope of its binding. */
export function grantsOf(docs: RbacDoc[], sa: { namespace: string; name: string }): Grant[] {
  const role = (kind: string, name: string, namespace?: string) => {
    const found = docs.find((d) => d.kind === kind && d.metadata.name === name && (kind === 'ClusterRole' || d.metadata.namespace === namespace));
    if (!found) throw new Error(`a binding refers to ${kind} ${namespace ? `${namespace}/` : ''}${name}, which the manifests do not define`);
    return found;
  };
  const bound = (b: RbacDoc) => (b.subjects ?? []).some((s) => s.kind === 'ServiceAccount' && s.name === sa.name && s.namespace === sa.namespace);
  return docs.flatMap((b) => {
    if ((b.kind !== 'ClusterRoleBinding' && b.kind !== 'RoleBinding') || !bound(b)) return [];
    const scope = b.kind === 'ClusterRoleBinding' ? '' : b.metadata.namespace!;
    const r = role(b.roleRef!.kind, b.roleRef!.name, b.metadata.namespace);
    return (r.rules ?? []).map((rule) => ({ scope, via: `${b.kind} ${scope ? `${scope}/` : ''}${b.metadata.name} → ${r.kind} ${r.metadata.name}`, rule }));
  });
}

const has = (list: string[] | undefined, value: string) => Boolean(list?.includes('*') || list?.includes(value));

/** Whether one granted rule allows the request (rbac/v1 rule matching, including a RoleBinding's namespace). */
export function ruleAllows(grant: Grant, a: RequestAttributes): boolean {
  const { rule } = grant;
  if (!has(rule.verbs, a.verb)) return false;
  if (a.kind === 'nonResource') {
    // Only ClusterRoleBindings grant non-resource URLs; "/prefix/*" matches below the prefix.
    return grant.scope === '' && Boolean(rule.nonResourceURLs?.some((u) => u === '*' || u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1)))));
  }
  if (grant.scope !== '' && grant.scope !== a.namespace) return false;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return (
    has(rule.apiGroups, a.apiGroup) &&
    Boolean(rule.resources?.some((r) => r === '*' || r === resource || (a.subresource && r === `*/${a.subresource}`))) &&
    (!rule.resourceNames?.length || rule.resourceNames.includes(a.name))
  );
}

/** "list apps/deployments", "get /pods/log", "get /version": a request or a rule, as one line of a diff. */
export function describeAttributes(a: RequestAttributes): string {
  if (a.kind === 'nonResource') return `${a.verb} ${a.path}`;
  return `${a.verb} ${a.apiGroup}/${a.resource}${a.subresource ? `/${a.subresource}` : ''}`;
}

/** What one grant allows, one line per verb × group × resource (or URL), in describeAttributes' form. */
export function describeGrant(g: Grant): string[] {
  const { rule } = g;
  if (rule.nonResourceURLs?.length) return rule.verbs.flatMap((v) => rule.nonResourceURLs!.map((u) => `${v} ${u}`));
  return rule.verbs.flatMap((v) => (rule.apiGroups ?? []).flatMap((grp) => (rule.resources ?? []).map((r) => `${v} ${grp}/${r}`)));
}

/** Any "*" in a rule: a verb, group, resource, resource name or URL. */
export const hasWildcard = (rule: PolicyRule): boolean =>
  [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...(rule.resourceNames ?? []), ...(rule.nonResourceURLs ?? []), ...rule.verbs].some((v) => v.includes('*'));

import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { parseAllDocuments } from 'yaml';
import { isPlainObject } from '../json.js';
import { deploymentNameProblem, namespaceNameProblem } from '../names.js';

/** One Kubernetes object of the input, with where it came from. */
export interface InputObject {
  /** "app.yaml document 2", "- document 1 item 3". */
  source: string;
  object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };
}

export type ParsedDocuments = { ok: true; objects: InputObject[] } | { ok: false; problem: string };

/** Kinds that live in a namespace; anything else in the input is cluster-scoped or unknown and is left alone. */
const NAMESPACED = new Set(['Deployment', 'ConfigMap', 'Secret', 'Service', 'PersistentVolumeClaim', 'ServiceAccount', 'ResourceQuota', 'LimitRange', 'Endpoints']);

/**
 * The objects of a YAML or JSON text: several documents, a kind: List's
 * items, empty documents skipped. The first problem is reported, naming the
 * document and what a document must be.
 */
export function parseManifests(text: string, file: string): ParsedDocuments {
  const objects: InputObject[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const [i, doc] of list.entries()) {
    const where = `${file} document ${i + 1}`;
    if (doc.errors.length) return { ok: false, problem: `${where} is not valid YAML or JSON: ${doc.errors[0]!.message.split('\n')[0]}` };
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const items = isPlainObject(value) && value.kind === 'List' && Array.isArray(value.items) ? value.items.map((item, j) => ({ item, where: `${where} item ${j + 1}` })) : [{ item: value, where }];
    for (const { item, where: at } of items) {
      const problem = objectProblem(item);
      if (problem) return { ok: false, problem: `${at}: ${problem}` };
      objects.push({ source: at, object: item as InputObject['object'] });
    }
  }
  return { ok: true, objects };
}

function objectProblem(v: unknown): string | undefined {
  if (!isPlainObject(v)) return `expected a Kubernetes object (a mapping with apiVersion, kind and metadata), got ${Array.isArray(v) ? 'a list' : typeof v === 'string' ? 'a string' : typeof v}`;
  if (typeof v.kind !== 'string' || !v.kind) return 'not a Kubernetes object: it has no kind (a Deployment needs apiVersion: apps/v1 and kind: Deployment)';
  if (typeof v.apiVersion !== 'string' || !v.apiVersion) return `${v.kind} has no apiVersion`;
  const meta = v.metadata;
  if (!isPlainObject(meta) || typeof meta.name !== 'string' || !meta.name) return `${v.kind} has no metadata.name`;
  if (meta.namespace !== undefined && (typeof meta.namespace !== 'string' || namespaceNameProblem(meta.namespace))) return `${v.kind} ${meta.name}: ${namespaceNameProblem(String(meta.namespace))}`;
  if (v.kind !== 'Deployment') return undefined;
  if (v.apiVersion !== 'apps/v1') return `Deployment ${meta.name} has apiVersion ${v.apiVersion}; Deployments are served as apps/v1`;
  const nameProblem = deploymentNameProblem(meta.name);
  if (nameProblem) return nameProblem;
  if (!isPlainObject(v.spec)) return `Deployment ${meta.name} has no spec`;
  return undefined;
}

export interface PreflightInput {
  deployments: Array<{ source: string; deployment: Deployment }>;
  /** The input's other namespaced objects, namespace resolved: they are applied alongside, so they count as existing. */
  objects: InputObject[];
  /** Namespaces the input creates. */
  namespaces: string[];
}

/**
 * Sorts the input's objects into the Deployments to check and the objects
 * that go with them, each in its namespace: its own, else the one asked for,
 * else the context's. A namespace of its own that differs from the one asked
 * for is refused, as kubectl does.
 */
export function preflightInput(objects: InputObject[], namespace: { requested?: string; fallback: string }): { ok: true; input: PreflightInput } | { ok: false; problem: string } {
  const deployments: PreflightInput['deployments'] = [];
  const others: InputObject[] = [];
  const namespaces = objects.filter((o) => o.object.kind === 'Namespace').map((o) => o.object.metadata.name);
  for (const o of objects) {
    if (!NAMESPACED.has(o.object.kind)) continue;
    const own = o.object.metadata.namespace;
    if (own && namespace.requested && own !== namespace.requested) {
      return { ok: false, problem: `${o.source}: the namespace of ${o.object.kind} ${o.object.metadata.name} is "${own}", not "${namespace.requested}": pass -n ${own}, or leave -n out` };
    }
    const resolved = { ...o, object: { ...o.object, metadata: { ...o.object.metadata, namespace: own ?? namespace.requested ?? namespace.fallback } } };
    if (o.object.kind === 'Deployment') deployments.push({ source: o.source, deployment: resolved.object as unknown as Deployment });
    else others.push(resolved);
  }
  if (!deployments.length) {
    const found = objects.map((o) => `${o.object.kind} ${o.object.metadata.name}`);
    return { ok: false, problem: `the input holds no Deployment${found.length ? ` (found: ${found.slice(0, 8).join(', ')}${found.length > 8 ? ', ...' : ''})` : ''}; preflight checks Deployments (apiVersion: apps/v1, kind: Deployment)` };
  }
  const seen = new Map<string, string>();
  for (const d of deployments) {
    const key = `${d.deployment.metadata!.namespace}/${d.deployment.metadata!.name}`;
    if (seen.has(key)) return { ok: false, problem: `${d.source}: Deployment ${key} is also in ${seen.get(key)}; give each Deployment once` };
    seen.set(key, d.source);
  }
  return { ok: true, input: { deployments, objects: others, namespaces } };
}

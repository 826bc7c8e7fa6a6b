/**
 * Which lists a strategic merge patch merges instead of replacing: the
 * `patchStrategy:"merge"` / `patchMergeKey` tags of the k8s.io/api core/v1,
 * apps/v1 and meta/v1 Go types, written as field paths
 * (`spec.template.spec.containers[].env`).
 *
 * Each entry maps a path pattern to its merge key; '' marks a list of
 * primitives merged as a set. `<pod>` stands for wherever the kind keeps its
 * PodSpec and `<container>` for each of that PodSpec's container lists;
 * `Kind:` limits an entry to one kind. Lists not listed (tolerations, args,
 * command, envFrom, ...) are atomic and replaced, as in the Go types.
 */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  'metadata.finalizers': '',
  'metadata.ownerReferences': 'uid',
  'status.conditions': 'type',
  '<pod>.containers': 'name',
  '<pod>.initContainers': 'name',
  '<pod>.ephemeralContainers': 'name',
  '<pod>.volumes': 'name',
  '<pod>.imagePullSecrets': 'name',
  '<pod>.hostAliases': 'ip',
  '<pod>.topologySpreadConstraints': 'topologyKey',
  '<pod>.schedulingGates': 'name',
  '<pod>.resourceClaims': 'name',
  '<container>.ports': 'containerPort',
  '<container>.env': 'name',
  '<container>.volumeMounts': 'mountPath',
  '<container>.volumeDevices': 'devicePath',
  'Pod:status.podIPs': 'ip',
  'Pod:status.hostIPs': 'ip',
  'Service:spec.ports': 'port',
  'Node:spec.podCIDRs': '',
  'Node:status.addresses': 'type',
  'ServiceAccount:secrets': 'name',
};

/** Where each workload kind embeds its PodSpec. */
const POD_SPEC_PATHS: Readonly<Record<string, string>> = {
  Pod: 'spec',
  PodTemplate: 'template.spec',
  ReplicationController: 'spec.template.spec',
  Deployment: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** The merge key of the list at `path` in a `kind` object ('' for a set of primitives), or undefined if the list is atomic. */
export function listMergeKey(kind: string, path: string): string | undefined {
  return expandFor(kind).get(path);
}

/** The table's patterns made concrete for one kind; small enough to rebuild per lookup. */
function expandFor(kind: string): Map<string, string> {
  const podSpec = Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
  const table = new Map<string, string>();
  for (const [pattern, mergeKey] of Object.entries(MERGE_KEYS)) {
    const colon = pattern.indexOf(':');
    if (colon >= 0 && pattern.slice(0, colon) !== kind) continue;
    const path = pattern.slice(colon + 1);
    if (path.startsWith('<pod>')) {
      if (podSpec) table.set(path.replace('<pod>', podSpec), mergeKey);
    } else if (path.startsWith('<container>')) {
      for (const list of podSpec ? CONTAINER_LISTS : []) {
        table.set(path.replace('<container>', `${podSpec}.${list}[]`), mergeKey);
      }
    } else {
      table.set(path, mergeKey);
    }
  }
  return table;
}

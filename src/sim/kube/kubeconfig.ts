import { stringify } from 'yaml';

/** A kubeconfig whose current context points kubectl and client-node at the simulator. */
export function simKubeconfig(url: string, contextName = 'deploy-medic-sim'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: contextName, cluster: { server: url } }],
    users: [{ name: contextName, user: { token: 'deploy-medic-sim-token' } }],
    contexts: [{ name: contextName, context: { cluster: contextName, user: contextName, namespace: 'default' } }],
    'current-context': contextName,
    preferences: {},
  });
}

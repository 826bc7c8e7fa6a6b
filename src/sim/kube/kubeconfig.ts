import { stringify } from 'yaml';

/**
 * A kubeconfig whose current context points kubectl and client-node at the
 * simulator. It serves plain HTTP on loopback; client-node only accepts an
 * http:// server when the cluster is marked insecure-skip-tls-verify.
 */
export function simKubeconfig(url: string, contextName = 'deploy-medic-sim'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: contextName, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: contextName, user: { token: 'deploy-medic-sim-token' } }],
    contexts: [{ name: contextName, context: { cluster: contextName, user: contextName, namespace: 'default' } }],
    'current-context': contextName,
    preferences: {},
  });
}

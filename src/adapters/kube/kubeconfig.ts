import { KubeConfig } from './client-node.js';
import { MedicError } from '../../errors.js';

export interface KubeconfigChoice {
  /** Path of a kubeconfig file; default: $KUBECONFIG, ~/.kube/config, or in-cluster. */
  kubeconfig?: string;
  context?: string;
}

/** Loads a kubeconfig and selects the context, with errors that say what to fix. */
export function loadKubeConfig(choice: KubeconfigChoice): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (choice.kubeconfig) kc.loadFromFile(choice.kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw new MedicError('CONFIG_INVALID', `cannot load kubeconfig ${choice.kubeconfig ?? '(default)'}: ${(e as Error).message}`, { cause: e });
  }
  if (choice.context) {
    if (!kc.getContexts().some((c) => c.name === choice.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new MedicError('CONFIG_INVALID', `context "${choice.context}" is not in the kubeconfig (known: ${known.join(', ') || 'none'})`);
    }
    kc.setCurrentContext(choice.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new MedicError('CONFIG_INVALID', 'no cluster configured: set KUBECONFIG, pass --kubeconfig, or run inside a cluster');
  }
  return kc;
}

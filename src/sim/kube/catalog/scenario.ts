import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { NodeShape } from '../nodes.js';
import type { KubeObject } from '../object.js';

/**
 * The failure catalog: each scenario is a Deployment whose first revision is
 * healthy and whose latest revision fails in one named way, taken from the
 * runbooks in shared/seeds. `expect` lists the finding codes a diagnosis must
 * report, root cause first.
 */
export interface Scenario {
  name: string;
  description: string;
  namespace: string;
  deployment: string;
  expect: string[];
  replicas?: number;
  /** The healthy revision's image tag. */
  tag: string;
  /** Objects that exist before the deployment: configuration, services, quotas, helpers. */
  setup?: KubeObject[];
  /** Tweaks to revision 1 beyond the standard template. */
  base?: (d: Deployment, c: Container) => void;
  /** The change that makes the failing revision. */
  change: (d: Deployment, c: Container) => void;
  changeCause: string;
  /** Pause the rollout before the change, as `kubectl rollout pause` would. */
  pauseFirst?: boolean;
  /** Labels of the scenario's namespace (Pod Security levels, webhook selectors). */
  namespaceLabels?: Record<string, string>;
  /** Nodes the cluster has for this scenario besides the default ones (a dedicated pool). */
  nodes?: NodeShape[];
}


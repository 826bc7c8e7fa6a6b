import { composeClusterServices, type ClusterServices } from '../compose.js';
import { ClusterDirectory, DEFAULT_CLUSTER } from '../adapters/kube/clusters.js';
import { loadKubeConfig } from '../adapters/kube/kubeconfig.js';
import { loadConfig } from '../config.js';
import { deploymentNameProblem, namespaceNameProblem } from '../domain/names.js';
import { MedicError } from '../errors.js';
import { systemClock, type DeploymentTarget } from '../ports.js';
import { choiceOption, parseCommandArgs, type OptionSpec } from './args.js';
import type { CliIO } from './io.js';
import { makeStyle, type Style } from './style.js';

/** Options every deployment command takes, as DESIGN.md lists them. */
export const KUBE_OPTIONS: OptionSpec = {
  namespace: { type: 'string', short: 'n' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  output: { type: 'string', short: 'o' },
};

export interface KubeCommand {
  target: DeploymentTarget;
  services: ClusterServices;
  output: 'text' | 'json';
  style: Style;
}

/** Parses `NAME -n NS [--kubeconfig F] [--context C] [--output text|json]` plus extras, and wires the services to that cluster. */
export function parseKubeCommand(command: string, argv: string[], io: CliIO, env: Record<string, string | undefined> | undefined, extra: OptionSpec = {}) {
  const args = parseCommandArgs(command, argv, { ...KUBE_OPTIONS, ...extra }, 1);
  const name = args.positionals[0];
  if (!name) throw new MedicError('USAGE', `${command}: missing the deployment name (usage: deploy-medic ${command} NAME -n NAMESPACE)`);
  const nameProblem = deploymentNameProblem(name);
  if (nameProblem) throw new MedicError('USAGE', nameProblem);
  const output = choiceOption('output', args.string('output'), ['text', 'json'] as const) ?? 'text';
  const config = loadConfig(env, 'cli');
  const kc = loadKubeConfig({ kubeconfig: args.string('kubeconfig') ?? config.kube.kubeconfig, context: args.string('context') });
  const namespace = args.string('namespace') ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  const nsProblem = namespaceNameProblem(namespace);
  if (nsProblem) throw new MedicError('USAGE', nsProblem);
  const cmd: KubeCommand = {
    target: { cluster: DEFAULT_CLUSTER, namespace, name },
    services: composeClusterServices(ClusterDirectory.single(kc), config, systemClock),
    output,
    style: makeStyle(io.isTTY && !config.noColor && output === 'text'),
  };
  return { cmd, args, config, kc };
}

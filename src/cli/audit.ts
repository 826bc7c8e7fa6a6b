import { DEFAULT_CLUSTER } from '../adapters/kube/clusters.js';
import { openStore } from '../adapters/store/index.js';
import { loadConfig } from '../config.js';
import { auditSentence } from '../domain/audit-text.js';
import { deploymentNameProblem, namespaceNameProblem } from '../domain/names.js';
import { EXIT, MedicError } from '../errors.js';
import { storeAuditTrail } from '../services/audit.js';
import { choiceOption, parseCommandArgs } from './args.js';
import type { CliIO } from './io.js';

/** `deploy-medic audit`: the deployment's proposals, votes, executions and results, from the store `serve` writes. */
export async function auditCommand(argv: string[], io: CliIO, env?: Record<string, string | undefined>): Promise<number> {
  const args = parseCommandArgs('audit', argv, { namespace: { type: 'string', short: 'n' }, cluster: { type: 'string' }, output: { type: 'string', short: 'o' } }, 1);
  const name = args.positionals[0];
  if (!name) throw new MedicError('USAGE', 'audit: missing the deployment name (usage: deploy-medic audit NAME -n NAMESPACE)');
  const namespace = args.string('namespace');
  if (!namespace) throw new MedicError('USAGE', 'audit: which namespace? add -n NAMESPACE');
  const problem = deploymentNameProblem(name) ?? namespaceNameProblem(namespace);
  if (problem) throw new MedicError('USAGE', problem);
  const output = choiceOption('output', args.string('output'), ['text', 'json'] as const) ?? 'text';
  const config = loadConfig(env, 'cli');
  const store = await openStore(config.databaseUrl);
  try {
    const entries = await storeAuditTrail(store).list({ cluster: args.string('cluster') ?? DEFAULT_CLUSTER, namespace, name });
    if (output === 'json') io.out(JSON.stringify(entries, null, 2));
    else if (!entries.length) io.out(`No proposals, votes or executions recorded for ${namespace}/${name}.`);
    else for (const e of entries) io.out(`${e.at.toISOString()}  ${e.actor.padEnd(12)}  ${auditSentence(e.kind, e.detail)}${e.proposalId ? `  [${e.proposalId.slice(0, 8)}]` : ''}`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

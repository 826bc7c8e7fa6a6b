import { openStore } from '../adapters/store/index.js';
import { loadConfig } from '../config.js';
import { reportMarkdown } from '../domain/incident-report.js';
import { EXIT, MedicError } from '../errors.js';
import { storedIncidentReport } from '../services/incident-report.js';
import { choiceOption, parseCommandArgs } from './args.js';
import type { CliIO } from './io.js';

const INCIDENT_ID = /^inc-[0-9a-f]{10}$/;
const USAGE = 'usage: deploy-medic incident report ID [--output markdown|json]';

/** `deploy-medic incident report ID`: the post-incident report from the store `serve` writes, as Markdown or JSON. */
export async function incidentCommand(argv: string[], io: CliIO, env?: Record<string, string | undefined>): Promise<number> {
  const args = parseCommandArgs('incident', argv, { output: { type: 'string', short: 'o' } }, 2);
  const [sub, id] = args.positionals;
  if (sub !== 'report') throw new MedicError('USAGE', sub ? `incident: unknown subcommand "${sub}" (${USAGE})` : `incident: missing the subcommand (${USAGE})`);
  if (!id) throw new MedicError('USAGE', `incident report: missing the incident ID (${USAGE})`);
  if (!INCIDENT_ID.test(id)) throw new MedicError('USAGE', `incident report: "${id.slice(0, 60)}" is not an incident ID (inc- and 10 hex digits, for example inc-0a1b2c3d4e)`);
  const output = choiceOption('output', args.string('output'), ['markdown', 'json'] as const) ?? 'markdown';
  const config = loadConfig(env, 'cli');
  const store = await openStore(config.databaseUrl);
  try {
    const report = await storedIncidentReport(store, id);
    if (!report) throw new MedicError('NOT_FOUND', `there is no incident ${id} in ${config.databaseUrl}`);
    io.out(output === 'json' ? JSON.stringify(report, null, 2) : reportMarkdown(report));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

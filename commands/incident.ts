import { reportMarkdown } from '../src/domain/incident-report.js';
import { MedicError } from '../src/errors.js';
import { decodeIncidentId } from '../src/slack/blocks/actions.js';
import { section, slackMessage } from '../src/slack/blocks/build.js';
import { errorMessage } from '../src/slack/blocks/error.js';
import { escapeMrkdwn } from '../src/slack/blocks/escape.js';
import { incidentDetailMessage, incidentListMessage, incidentReportMessage } from '../src/slack/blocks/incident-views.js';
import type { Command, CommandContext, CommandResult, PreparedUntargeted } from './types.js';

const USAGE = '/deploy incident [ID] | incident note ID TEXT | incident report ID';

type IncidentArgs = { kind: 'list' } | { kind: 'show'; id: string } | { kind: 'note'; id: string; text: string } | { kind: 'report'; id: string };

/** The most a note may say: it goes in the thread and the timeline as written. */
const MAX_NOTE = 2000;

/** Tokens → what was asked, or one USAGE error naming the problem. */
export function parseIncidentArgs(tokens: string[]): IncidentArgs {
  const [first, second, ...rest] = tokens;
  if (first === undefined) return { kind: 'list' };
  if (first === 'note') {
    if (second === undefined) throw new MedicError('USAGE', 'incident note: missing the incident ID (usage: /deploy incident note ID TEXT)');
    const text = rest.join(' ').trim();
    if (!text) throw new MedicError('USAGE', 'incident note: missing the TEXT of the note (usage: /deploy incident note ID TEXT)');
    if (text.length > MAX_NOTE) throw new MedicError('USAGE', `incident note: the note is ${text.length} characters; at most ${MAX_NOTE}`);
    return { kind: 'note', id: decodeIncidentId(second), text };
  }
  if (first === 'report') {
    if (second === undefined) throw new MedicError('USAGE', 'incident report: missing the incident ID (usage: /deploy incident report ID)');
    if (rest.length) throw new MedicError('USAGE', `incident report: unexpected ${JSON.stringify(rest[0]!.slice(0, 40))} after the ID`);
    return { kind: 'report', id: decodeIncidentId(second) };
  }
  if (second !== undefined) throw new MedicError('USAGE', `incident: unexpected ${JSON.stringify(second.slice(0, 40))} after the ID (usage: ${USAGE})`);
  return { kind: 'show', id: decodeIncidentId(first) };
}

const noSuch = (id: string): CommandResult => ({ visibility: 'ephemeral', message: errorMessage('No such incident', `There is no incident ${id}.`, '`/deploy incident` lists the open ones.') });

async function runIncident(ctx: CommandContext, args: IncidentArgs): Promise<CommandResult> {
  const { incidents } = ctx.services;
  switch (args.kind) {
    case 'list': {
      const open = await incidents.listOpen();
      return { visibility: 'ephemeral', message: incidentListMessage(open.incidents, open.asOf) };
    }
    case 'show': {
      const incident = await incidents.get(args.id);
      if (!incident) return noSuch(args.id);
      return { visibility: 'ephemeral', message: incidentDetailMessage(incident, await incidents.timeline(args.id), await incidents.onCall(incident)) };
    }
    case 'note': {
      const result = await incidents.act(args.id, { kind: 'note', by: ctx.userId, text: args.text });
      if (result.ok) {
        const said = `Your note is on incident ${args.id}'s timeline and in its thread.`;
        return { visibility: 'ephemeral', message: slackMessage(said, [section(`📝 ${said}`)]) };
      }
      const head = `Your note was not added to incident ${args.id}`;
      return { visibility: 'ephemeral', message: slackMessage(`${head}: ${result.reason}`, [section(`⛔ ${head}: ${escapeMrkdwn(result.reason)}`)]) };
    }
    case 'report': {
      const report = await incidents.report(args.id);
      if (!report) return noSuch(args.id);
      return { visibility: 'channel', message: incidentReportMessage(report, reportMarkdown(report)) };
    }
  }
}

/**
 * `/deploy incident`: open incidents, one incident, a note on one, its
 * post-incident report. About no one deployment, so no channel binding is
 * needed: incidents open in incidents.channel.
 */
export const incident: Command = {
  name: 'incident',
  usage: `/deploy ${USAGE}`,
  description: 'Open incidents; one incident with its latest timeline; add a note to its timeline and thread; post its post-incident report.',
  access: 'read',
  prepare(tokens): PreparedUntargeted {
    const args = parseIncidentArgs(tokens);
    return { untargeted: true, run: (ctx) => runIncident(ctx, args) };
  },
};

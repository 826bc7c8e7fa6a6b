import { DEFAULT_CLUSTER } from '../adapters/kube/clusters.js';
import { MedicError } from '../errors.js';
import type { IncidentChat, IncidentRecord, IncidentThreadItem } from '../ports.js';
import type { ProposalView } from '../services/views.js';
import { section, slackMessage } from './blocks/build.js';
import { diagnosisCard } from './blocks/diagnosis-card.js';
import { inlineCode } from './blocks/escape.js';
import { incidentCard } from './blocks/incident-card.js';
import { incidentNoticeMessage } from './blocks/incident-notes.js';
import { proposalCard } from './blocks/proposal-card.js';
import type { SlackMessage } from './blocks/types.js';
import type { ChannelQueues } from './channel-queue.js';

export interface IncidentChatDeps {
  /** The proposal as it is now (the store record's proposalView), or undefined when there is none. */
  proposals: (proposalId: string) => Promise<ProposalView | undefined>;
  /** Keeps the proposal card's ts, so its later updates and thread go to that message (Approvals.attachCard). */
  attachCard: (proposalId: string, ts: string) => Promise<void>;
}

function channelOf(incident: IncidentRecord): string {
  if (!incident.channel) throw new MedicError('CONFIG_INVALID', `incident ${incident.id} has no channel: set incidents.channel in the policy file`);
  return incident.channel;
}

function threadOf(incident: IncidentRecord): string {
  if (!incident.parentTs) throw new MedicError('CONFLICT', `incident ${incident.id} has no parent message yet`);
  return incident.parentTs;
}

/**
 * The IncidentChat port over Slack: the parent message is the incident card
 * (updated in place), the thread gets notices, the diagnosis and the
 * proposal card. Everything goes through the per-channel queues, so the
 * thread reads in order and Slack's rate is kept; a failure throws, and the
 * outbox relay retries it.
 */
export function slackIncidentChat(queues: ChannelQueues, deps: IncidentChatDeps): IncidentChat {
  const postInThread = async (incident: IncidentRecord, message: SlackMessage): Promise<string> => {
    const ts = await queues.post(channelOf(incident), message, threadOf(incident));
    if (!ts) throw new MedicError('SLACK_API', `Slack gave no ts for a message in the thread of incident ${incident.id}`);
    return ts;
  };
  return {
    async postParent(incident) {
      const ts = await queues.post(channelOf(incident), incidentCard(incident));
      if (!ts) throw new MedicError('SLACK_API', `Slack gave no ts for the parent message of incident ${incident.id}`);
      return ts;
    },
    async updateParent(incident) {
      await queues.update(channelOf(incident), threadOf(incident), incidentCard(incident));
    },
    async postInThread(incident, item: IncidentThreadItem) {
      switch (item.kind) {
        case 'notice':
          await postInThread(incident, incidentNoticeMessage(item.notice));
          return;
        case 'diagnosis': {
          const cluster = incident.subject.kind === 'rollout' ? incident.subject.cluster : DEFAULT_CLUSTER;
          await postInThread(incident, diagnosisCard(item.report, cluster));
          return;
        }
        case 'proposal': {
          const view = await deps.proposals(item.proposalId);
          if (!view) {
            const text = `The proposal ${inlineCode(item.proposalId)} made for this incident is no longer in the store.`;
            await postInThread(incident, slackMessage(text, [section(`⚠️ ${text}`)]));
            return;
          }
          await deps.attachCard(view.id, await postInThread(incident, proposalCard(view)));
          return;
        }
      }
    },
  };
}

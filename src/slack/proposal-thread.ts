import type { Logger } from '../log.js';
import type { Clock, ProposalRecord, ProposalThread } from '../ports.js';
import { proposalView } from '../services/proposal-view.js';
import { proposalCard } from './blocks/proposal-card.js';
import { threadNoteMessage } from './blocks/thread-notes.js';
import type { ChannelQueues } from './channel-queue.js';

/**
 * The proposal's card and thread in Slack: the card is updated in place,
 * notes go in the thread under it (or under the message it was proposed in),
 * all through the channel's queue, so they arrive in the order they were
 * written. WebClient retries 429s and 5xx itself; what still fails is logged.
 */
export function slackProposalThread(queues: ChannelQueues, clock: Clock, log: Logger): ProposalThread {
  return {
    async refreshCard(p: ProposalRecord) {
      if (!p.messageTs) return;
      const card = proposalCard(proposalView(p, clock.now()));
      await queues.update(p.channel, p.messageTs, card).catch((err: unknown) => log.warn({ err, proposal: p.id }, 'could not update the proposal card'));
    },
    async note(p, note, ts) {
      const message = threadNoteMessage(note, p.cluster, p.id);
      try {
        return ts ? await queues.update(p.channel, ts, message) : await queues.post(p.channel, message, p.threadTs ?? p.messageTs);
      } catch (err) {
        log.warn({ err, proposal: p.id, note: note.kind }, 'could not post in the proposal thread');
        return ts;
      }
    },
  };
}

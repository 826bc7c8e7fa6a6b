import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { Clock, ProposalRecord, ProposalThread } from '../ports.js';
import { proposalView } from '../services/proposal-view.js';
import { proposalCard } from './blocks/proposal-card.js';
import { threadNoteMessage } from './blocks/thread-notes.js';

/**
 * The proposal's card and thread in Slack: the card is updated in place,
 * notes go in the thread under it (or under the message it was proposed in).
 * WebClient retries 429s and 5xx itself; what still fails is logged.
 */
export function slackProposalThread(client: WebClient, clock: Clock, log: Logger): ProposalThread {
  return {
    async refreshCard(p: ProposalRecord) {
      if (!p.messageTs) return;
      const card = proposalCard(proposalView(p, clock.now()));
      await client.chat.update({ channel: p.channel, ts: p.messageTs, text: card.text, blocks: card.blocks }).catch((err: unknown) => log.warn({ err, proposal: p.id }, 'could not update the proposal card'));
    },
    async note(p, note, ts) {
      const message = threadNoteMessage(note, p.cluster);
      try {
        if (ts) {
          await client.chat.update({ channel: p.channel, ts, text: message.text, blocks: message.blocks });
          return ts;
        }
        const threadTs = p.threadTs ?? p.messageTs;
        const res = await client.chat.postMessage({ channel: p.channel, text: message.text, blocks: message.blocks, ...(threadTs ? { thread_ts: threadTs } : {}) });
        return res.ts;
      } catch (err) {
        log.warn({ err, proposal: p.id, note: note.kind }, 'could not post in the proposal thread');
        return ts;
      }
    },
  };
}

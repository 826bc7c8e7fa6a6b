import type { HistoryView } from '../../services/views.js';
import { ACTION_IDS } from './actions.js';
import { actions, andMore, button, context, header, section, slackMessage } from './build.js';
import { inlineCode } from './escape.js';
import { MAX_SECTION_TEXT } from './limits.js';
import { codeTable } from './table.js';
import type { SlackMessage } from './types.js';

/** Rollback buttons for the newest few revisions: older ones are a CLI job. */
const ROLLBACK_BUTTONS = 5;

/**
 * `/deploy history`: `kubectl rollout history` with images and dates,
 * newest first (the revisions worth rolling back to), and a button to
 * propose a rollback to each of the latest.
 */
export function historyCard(view: HistoryView): SlackMessage {
  const ref = { cluster: view.cluster, namespace: view.namespace, name: view.name };
  const newestFirst = [...view.revisions].sort((a, b) => b.revision - a.revision);
  const current = newestFirst.find((r) => r.current);
  const title = `*Revisions* (${newestFirst.length})\n`;
  const more = (n: number) => `\n${andMore(n, 'older revision')}`;
  const table = codeTable(
    ['REVISION', 'CREATED', 'IMAGES', 'CHANGE-CAUSE'],
    newestFirst.map((r) => [`${r.revision}${r.current ? ' (current)' : ''}`, shortDate(r.createdAt), r.images.join(','), r.changeCause ?? '<none>']),
    MAX_SECTION_TEXT - title.length - more(newestFirst.length).length,
  );
  const body = newestFirst.length
    ? title + table.text + (table.hidden ? more(table.hidden) : '')
    : `No rollout history found for deployment ${inlineCode(view.name)}.`;
  const blocks = [
    header(`📜 History of ${view.namespace}/${view.name}`),
    section(body),
    ...actions(
      newestFirst
        .filter((r) => !r.current)
        .slice(0, ROLLBACK_BUTTONS)
        .map((r) => button(`Propose rollback to revision ${r.revision}`, ACTION_IDS.proposeRollback, { ...ref, toRevision: r.revision })),
    ),
    context(`Cluster ${inlineCode(view.cluster)}${current ? ` · current revision ${current.revision}` : ''}`),
  ];
  const fallback = `Rollout history of ${view.namespace}/${view.name}: ${newestFirst.length} revisions${current ? `, current ${current.revision}` : ''}`;
  return slackMessage(fallback, blocks);
}

/** "2024-05-01 03:12Z": the minute is enough to tell deploys apart, and a table cell wants no zone names. */
function shortDate(iso: string | null): string {
  if (!iso) return '<unknown>';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

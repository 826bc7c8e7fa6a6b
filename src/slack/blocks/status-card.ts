import type { PodRow, StatusView, WarningEvent } from '../../services/views.js';
import { ACTION_IDS } from './actions.js';
import { actions, andMore, button, context, header, listText, oneLine, section, slackMessage } from './build.js';
import { escapeMrkdwn, inlineCode, slackDate } from './escape.js';
import { STATE_EMOJI, STATE_WORD, replicasLine } from './labels.js';
import { MAX_SECTION_TEXT } from './limits.js';
import { codeTable } from './table.js';
import type { SlackMessage } from './types.js';

/** `/deploy status`: where the rollout stands, its pods and what Kubernetes complained about. */
export function statusCard(view: StatusView): SlackMessage {
  const { rollout, replicas: r } = view;
  const ref = { cluster: view.cluster, namespace: view.namespace, name: view.name };
  const firstFailing = view.pods.find(isFailing);
  const summary = [
    `${STATE_EMOJI[rollout.state]} *${STATE_WORD[rollout.state]}*: ${escapeMrkdwn(rollout.message)}`,
    `*Revision* ${view.revision}${view.paused && rollout.state !== 'paused' ? ' (paused)' : ''}   *Replicas* ${replicasLine(r)}`,
    `*Images* ${view.images.map(inlineCode).join(', ') || '_none_'}`,
  ].join('\n');
  const blocks = [
    header(`${STATE_EMOJI[rollout.state]} ${view.namespace}/${view.name}`),
    section(summary),
    section(podsText(view.pods)),
    section(warningsText(view.warnings)),
    ...actions([
      button('Diagnose', ACTION_IDS.diagnose, ref, 'primary'),
      button('Logs', ACTION_IDS.logs, firstFailing ? { ...ref, pod: firstFailing.name } : ref),
      button('Propose rollback', ACTION_IDS.proposeRollback, ref),
    ]),
    context(`Cluster ${inlineCode(view.cluster)} · collected ${slackDate(view.collectedAt)}`),
  ];
  const fallback = `${STATE_EMOJI[rollout.state]} ${view.namespace}/${view.name}: ${rollout.message} (revision ${view.revision}, ${r.ready}/${r.desired} ready)`;
  return slackMessage(fallback, blocks);
}

/** A pod that needs looking at: not running and ready, and not on its way out. */
function isFailing(pod: PodRow): boolean {
  if (pod.status === 'Terminating' || pod.status === 'Completed') return false;
  const [ready, total] = pod.ready.split('/');
  return pod.status !== 'Running' || ready !== total;
}

function podsText(pods: PodRow[]): string {
  if (!pods.length) return '*Pods*: none';
  const title = `*Pods* (${pods.length})\n`;
  const more = (n: number) => `\n${andMore(n, 'pod')}`;
  const budget = MAX_SECTION_TEXT - title.length - more(pods.length).length;
  const rowsOf = (ps: PodRow[]) => ps.map((p) => [p.name, p.ready, p.status, p.restarts, p.age]);
  const head = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
  let table = codeTable(head, rowsOf(pods), budget);
  // Only when some must be left out do the failing ones go first: those are the ones to see.
  if (table.hidden) table = codeTable(head, rowsOf([...pods.filter(isFailing), ...pods.filter((p) => !isFailing(p))]), budget);
  return title + table.text + (table.hidden ? more(table.hidden) : '');
}

function warningsText(warnings: WarningEvent[]): string {
  if (!warnings.length) return '*Recent warnings*: none';
  // One warning is one line, however long Kubernetes made its parts.
  const lines = warnings.map(
    (w) => `• *${oneLine(w.reason, 80)}* ${oneLine(w.object, 120)}: ${oneLine(w.message, 300)}${w.count > 1 ? ` (x${w.count})` : ''} · ${oneLine(w.lastSeen, 20)} ago`,
  );
  return listText('*Recent warnings*', lines, 'warning');
}

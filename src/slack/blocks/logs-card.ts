import type { LogsView } from '../../services/views.js';
import { ACTION_IDS } from './actions.js';
import { actions, button, context, header, section, slackMessage } from './build.js';
import { escapeMrkdwn, fence, inlineCode } from './escape.js';
import { MAX_ACTIONS_ELEMENTS, MAX_SECTION_TEXT, clipMrkdwn, fitLines } from './limits.js';
import type { SlackMessage } from './types.js';

/** A 10 kB line shows its start; the lines after it still fit. */
const MAX_LINE = 500;

/** `/deploy logs`: the last lines that fit in one message, and buttons for the other views of the pod. */
export function logsCard(view: LogsView): SlackMessage {
  const where = `${inlineCode(view.pod)} container ${inlineCode(view.container)}`;
  const kubectl = `kubectl logs ${view.pod} -n ${view.namespace} -c ${view.container}${view.previous ? ' --previous' : ''}`;
  const title = `*Logs* of ${where}${view.previous ? ' (previous instance)' : ''}\n`;
  const lines = view.lines.map((l) => clipMrkdwn(escapeMrkdwn(l), MAX_LINE));
  const { kept, hidden } = fitLines(lines, MAX_SECTION_TEXT - title.length - fence('').length, 'end');
  const body = view.lines.length
    ? title + fence(kept.join('\n'))
    : view.previous
      ? `The previous instance of ${where} left no log lines.`
      : `${where} has not written any log lines yet.`;
  const notes = [
    ...(hidden ? [`${hidden} earlier lines cut to fit Slack`] : []),
    ...(view.truncated ? ['older lines were not fetched'] : []),
  ];
  const blocks = [
    header(`📄 Logs of ${view.namespace}/${view.pod}`),
    section(body),
    ...actions(logButtons(view)),
    context(`${notes.length ? `${notes.join('; ')} · ` : ''}All of it: ${inlineCode(kubectl)} · cluster ${inlineCode(view.cluster)}`),
  ];
  const fallback = view.lines.length
    ? `Logs of ${view.pod} container ${view.container}${view.previous ? ' (previous)' : ''}: last line: ${view.lines[view.lines.length - 1]}`
    : `Logs of ${view.pod} container ${view.container}${view.previous ? ' (previous)' : ''}: no log lines`;
  return slackMessage(fallback, blocks);
}

function logButtons(view: LogsView) {
  const at = { cluster: view.cluster, namespace: view.namespace, name: view.name, pod: view.pod };
  const toggle = button(view.previous ? 'Current logs' : 'Previous logs', ACTION_IDS.logs, { ...at, container: view.container, previous: !view.previous });
  const others = view.containers
    .filter((c) => c !== view.container)
    .slice(0, MAX_ACTIONS_ELEMENTS - 1)
    .map((c) => button(`Logs of ${c}`, ACTION_IDS.logs, { ...at, container: c, previous: false }));
  return [toggle, ...others];
}

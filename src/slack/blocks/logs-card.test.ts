import { describe, expect, it } from 'vitest';
import type { LogsView } from '../../services/views.js';
import { logsCard } from './logs-card.js';
import { allText, buttonsOf, messageProblems } from '../../../test/helpers/blocks.js';

const view = (over: Partial<LogsView> = {}): LogsView => ({
  cluster: 'prod',
  namespace: 'production',
  name: 'api-server',
  pod: 'api-server-6dc5b6999b-tgcw8',
  container: 'api',
  previous: true,
  lines: ['Starting', 'Error: getaddrinfo ENOTFOUND db-new'],
  truncated: false,
  containers: ['api', 'envoy'],
  ...over,
});
const at = { cluster: 'prod', namespace: 'production', name: 'api-server', pod: 'api-server-6dc5b6999b-tgcw8' };
const section = (m: ReturnType<typeof logsCard>) => {
  const b = m.blocks[1]!;
  return b.type === 'section' ? b.text!.text : '';
};

describe('logsCard', () => {
  it('shows the lines in a code block, with buttons for the current instance and the other containers', () => {
    const m = logsCard(view());
    expect(m.blocks.map((b) => b.type)).toEqual(['header', 'section', 'actions', 'context']);
    expect(section(m)).toBe('*Logs* of `api-server-6dc5b6999b-tgcw8` container `api` (previous instance)\n```\nStarting\nError: getaddrinfo ENOTFOUND db-new\n```');
    expect(buttonsOf(m)).toEqual([
      { text: 'Current logs', actionId: 'deploy_logs', value: { ...at, container: 'api', previous: false } },
      { text: 'Logs of envoy', actionId: 'deploy_logs:2', value: { ...at, container: 'envoy', previous: false } },
    ]);
    expect(allText(m)).toContain('All of it: `kubectl logs api-server-6dc5b6999b-tgcw8 -n production -c api --previous`');
    expect(m.text).toBe('Logs of api-server-6dc5b6999b-tgcw8 container api (previous): last line: Error: getaddrinfo ENOTFOUND db-new');
    expect(messageProblems(m)).toEqual([]);
  });

  it('offers the previous instance when showing the current one', () => {
    expect(buttonsOf(logsCard(view({ previous: false, containers: ['api'] })))).toEqual([{ text: 'Previous logs', actionId: 'deploy_logs', value: { ...at, container: 'api', previous: true } }]);
  });

  it.each([
    [true, 'The previous instance of `api-server-6dc5b6999b-tgcw8` container `api` left no log lines.'],
    [false, '`api-server-6dc5b6999b-tgcw8` container `api` has not written any log lines yet.'],
  ])('says so when the log is empty (previous: %s)', (previous, text) => {
    const m = logsCard(view({ previous, lines: [] }));
    expect(section(m)).toBe(text);
    expect(m.text).toMatch(/: no log lines$/);
    expect(messageProblems(m)).toEqual([]);
  });

  it('keeps the last lines that fit in 3000 characters and says how many were cut', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`);
    const m = logsCard(view({ lines, truncated: true }));
    const shown = section(m).split('\n').filter((l) => l.startsWith('line '));
    expect(shown[shown.length - 1]).toBe('line 999');
    expect(shown.every((l, i) => l === `line ${1000 - shown.length + i}`)).toBe(true);
    expect(allText(m)).toContain(`${1000 - shown.length} earlier lines cut to fit Slack; older lines were not fetched`);
    expect(messageProblems(m)).toEqual([]);
  });

  it('survives 10 kB lines, fence-breaking and mention-shaped content, and 40 containers', () => {
    const lines = ['<!channel> ```', ...Array.from({ length: 20 }, () => `${'🚀'.repeat(5000)}`), 'x'.repeat(10_000)];
    const m = logsCard(view({ lines, containers: Array.from({ length: 40 }, (_, i) => `c${i}`) }));
    expect(messageProblems(m)).toEqual([]);
    expect(section(m)).toMatch(/\nx{400,}…\n```$/);
    expect(buttonsOf(m)).toHaveLength(25);
    expect(m.text).not.toContain('<');
  });
});

import type { CommandHelp } from '../../services/views.js';
import { context, header, oneLine, section, slackMessage } from './build.js';
import { inlineCode } from './escape.js';
import { clipPlain, fitBlocks, type BlockGroup } from './limits.js';
import type { SlackMessage } from './types.js';

const WHO: Record<CommandHelp['access'], string> = {
  read: 'anyone with the readers role',
  act: 'operators only',
};

/**
 * `/deploy help`, and the answer to a command that could not be understood:
 * then the problem comes first, in the words of the parser.
 */
export function helpMessage(commands: CommandHelp[], invalid?: { input: string; problem: string }): SlackMessage {
  const groups: BlockGroup[] = [
    ...(invalid ? [{ priority: 0, blocks: [section(`⚠️ ${inlineCode(clipPlain(`/deploy ${invalid.input}`, 200))}: ${oneLine(invalid.problem, 1000)}`)] }] : []),
    { priority: 0, blocks: [header('Deploy Medic commands')] },
    ...commands.map((c) => ({
      priority: 1,
      blocks: [section(`*${oneLine(c.name, 100)}* — ${oneLine(c.description, 1000)}\n${inlineCode(clipPlain(c.usage, 500))} · ${WHO[c.access]}`)],
    })),
    { priority: 0, blocks: [context('Roles come from the policy file (`access.readers`, `access.operators`). NAME is a deployment; -n picks the namespace when the channel is bound to several.')] },
  ];
  const names = commands.map((c) => c.name).join(', ');
  const fallback = invalid ? `${invalid.problem}. Commands: ${names}` : `Deploy Medic commands: ${names}`;
  return slackMessage(fallback, fitBlocks(groups, { one: 'command' }));
}

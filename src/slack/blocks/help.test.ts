import { describe, expect, it } from 'vitest';
import type { CommandHelp } from '../../services/views.js';
import { helpMessage } from './help.js';
import { allText, messageProblems } from '../../../test/helpers/blocks.js';

const commands: CommandHelp[] = [
  { name: 'status', usage: '/deploy status NAME [-n NAMESPACE]', description: 'Where the rollout stands.', access: 'read' },
  { name: 'rollback', usage: '/deploy rollback NAME [--to-revision N]', description: 'Propose a rollback.', access: 'act' },
];
const texts = (m: ReturnType<typeof helpMessage>) => m.blocks.map((b) => (b.type === 'section' || b.type === 'header' ? b.text!.text : b.type));

describe('helpMessage', () => {
  it('lists every command with its usage and who may run it', () => {
    const m = helpMessage(commands);
    expect(texts(m).slice(0, 3)).toEqual([
      'Deploy Medic commands',
      '*status* — Where the rollout stands.\n`/deploy status NAME [-n NAMESPACE]` · anyone with the readers role',
      '*rollback* — Propose a rollback.\n`/deploy rollback NAME [--to-revision N]` · operators only',
    ]);
    expect(m.text).toBe('Deploy Medic commands: status, rollback');
    expect(messageProblems(m)).toEqual([]);
  });

  it('starts with the problem when the input was invalid, escaped', () => {
    const m = helpMessage(commands, { input: 'stauts <!channel>', problem: 'unknown subcommand "stauts"' });
    expect(texts(m)[0]).toBe('⚠️ `/deploy stauts &lt;!channel&gt;`: unknown subcommand "stauts"');
    expect(m.text).toBe('unknown subcommand "stauts". Commands: status, rollback');
    expect(messageProblems(m)).toEqual([]);
  });

  it('stays within limits for absurd input and a hundred commands', () => {
    const many = Array.from({ length: 100 }, (_, i): CommandHelp => ({ name: `c${i}`, usage: 'u'.repeat(499) + '🚀'.repeat(100), description: 'd'.repeat(3000), access: 'read' }));
    const m = helpMessage(many, { input: `${'`'.repeat(5000)}${'🚀'.repeat(200)}`, problem: 'p'.repeat(5000) });
    expect(messageProblems(m)).toEqual([]);
    expect(allText(m)).toMatch(/…\d+ more commands not shown/);
  });
});

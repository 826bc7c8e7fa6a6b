import type { CliIO } from './io.js';
import { parseKubeCommand } from './kube-command.js';

/** `deploy-medic history`: the revisions kubectl rollout history lists, with images and the current one marked. */
export async function historyCommand(argv: string[], io: CliIO, env?: Record<string, string | undefined>): Promise<number> {
  const { cmd } = parseKubeCommand('history', argv, io, env);
  const { revisions } = await cmd.services.reading.history(cmd.target);
  if (cmd.output === 'json') {
    io.out(JSON.stringify({ namespace: cmd.target.namespace, name: cmd.target.name, revisions }, null, 2));
    return 0;
  }
  if (!revisions.length) {
    io.out('No rollout history found.');
    return 0;
  }
  const rows = revisions.map((r) => [`${r.revision}${r.current ? '*' : ''}`, r.images.join(','), r.changeCause ?? '<none>']);
  const header = ['REVISION', 'IMAGES', 'CHANGE-CAUSE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  io.out(`deployment.apps/${cmd.target.name} (* current)`);
  for (const r of [header, ...rows]) io.out(r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('  '));
  return 0;
}

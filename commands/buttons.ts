import { ACTION_IDS, type ActionId, type ButtonValue, type IncidentActionId, type ProposalActionId } from '../src/slack/blocks/actions.js';
import { diagnose } from './diagnose.js';
import { logs } from './logs.js';
import { restart, resume, rollback, setImage, setMemoryLimit, setProbe } from './proposals.js';
import type { Command } from './types.js';

/** What a button runs: a command, and the arguments its value fills in after NAME. */
interface ButtonCommand {
  /** How an error names it: "the Logs button". */
  label: string;
  command: Command;
  args(v: ButtonValue): string[];
}

const none = () => [];
const toRevision = (v: ButtonValue) => (v.toRevision ? ['--to-revision', String(v.toRevision)] : []);
const assign = (v: ButtonValue, value: string | undefined) => (v.container && value ? [`${v.container}=${value}`] : []);
const flag = (name: string, value: string | number | undefined) => (value !== undefined ? [`--${name}`, String(value)] : []);
const probeArgs = (v: ButtonValue) => [...(v.container ? [v.container] : []), ...flag('probe', v.probe), ...flag('port', v.port), ...flag('initial-delay', v.initialDelaySeconds)];

/** A button is a command with its arguments filled in: parsed, checked and run exactly as typed. */
export const BUTTONS: Record<Exclude<ActionId, ProposalActionId | IncidentActionId>, ButtonCommand> = {
  [ACTION_IDS.diagnose]: { label: 'the Diagnose button', command: diagnose, args: none },
  [ACTION_IDS.logs]: {
    label: 'the Logs button',
    command: logs,
    args: (v) => [...(v.pod ? ['--pod', v.pod] : []), ...(v.container ? ['-c', v.container] : []), ...(v.previous ? ['--previous'] : [])],
  },
  [ACTION_IDS.proposeRollback]: { label: 'the Propose rollback button', command: rollback, args: toRevision },
  [ACTION_IDS.fixRollback]: { label: 'the rollback fix', command: rollback, args: toRevision },
  [ACTION_IDS.fixSetImage]: { label: 'the image fix', command: setImage, args: (v) => assign(v, v.image) },
  [ACTION_IDS.fixSetMemory]: { label: 'the memory fix', command: setMemoryLimit, args: (v) => assign(v, v.memory) },
  [ACTION_IDS.fixSetProbe]: { label: 'the probe fix', command: setProbe, args: probeArgs },
  [ACTION_IDS.fixResume]: { label: 'the resume fix', command: resume, args: none },
  [ACTION_IDS.fixRestart]: { label: 'the restart fix', command: restart, args: none },
};

/** The command line a button stands for: its target, then its arguments. */
export function buttonTokens(button: ButtonCommand, v: ButtonValue): string[] {
  return [v.name, '-n', v.namespace, '--cluster', v.cluster, ...button.args(v)];
}

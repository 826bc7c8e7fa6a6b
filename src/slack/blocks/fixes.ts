import type { Button } from '@slack/types';
import { fixCommand, isActionFix, type ActionFix, type Fix } from '../../domain/finding.js';
import { FIX_ACTION_IDS, type ButtonValue } from './actions.js';
import { button } from './build.js';
import { escapeMrkdwn, inlineCode } from './escape.js';
import { MAX_BUTTON_TEXT, clipPlain } from './limits.js';

type Ref = Pick<ButtonValue, 'cluster' | 'namespace' | 'name'>;

/** What the button of a fix carries: all the listener needs to propose it. */
function fixValue(fix: ActionFix, ref: Ref): ButtonValue {
  switch (fix.kind) {
    case 'rollback':
      return { ...ref, toRevision: fix.toRevision };
    case 'set-image':
      return { ...ref, container: fix.container, image: fix.image };
    case 'set-memory-limit':
      return { ...ref, container: fix.container, memory: fix.memory };
    case 'set-probe':
      return { ...ref, container: fix.container, probe: fix.probe, port: fix.port, initialDelaySeconds: fix.initialDelaySeconds };
    case 'resume':
    case 'restart':
      return ref;
  }
}

function fixLabel(fix: ActionFix): string {
  switch (fix.kind) {
    case 'rollback':
      return `Propose rollback to revision ${fix.toRevision}`;
    case 'set-image': {
      // A registry host and path can push the tag out of 75 characters; the tag is what tells fixes apart.
      const full = `Propose image ${fix.image}`;
      return full.length <= MAX_BUTTON_TEXT ? full : `Propose image ${fix.image.slice(fix.image.lastIndexOf('/') + 1)}`;
    }
    case 'set-memory-limit':
      return `Propose memory limit ${fix.memory} for ${fix.container}`;
    case 'set-probe':
      return `Propose ${fix.probe} probe ${[fix.port !== undefined ? `port ${fix.port}` : '', fix.initialDelaySeconds !== undefined ? `delay ${fix.initialDelaySeconds}s` : ''].filter(Boolean).join(', ')} for ${fix.container}`;
    case 'resume':
      return 'Propose resume';
    case 'restart':
      return 'Propose restart';
  }
}

/** A "Propose …" button, or undefined when the fix is a command for a human (or cannot ride on a button). */
export function fixButton(fix: Fix, ref: Ref): Button | undefined {
  if (!isActionFix(fix)) return undefined;
  return button(fixLabel(fix), FIX_ACTION_IDS[fix.kind], fixValue(fix, ref));
}

/** Longest command shown inline; longer ones are cut, and the CLI prints them whole. */
const MAX_COMMAND = 500;

/** "• Title: `command`" for a fix without a button. */
export function fixLine(fix: Fix, d: { namespace: string; name: string }): string {
  const command = fixCommand(fix, d);
  const title = escapeMrkdwn(clipPlain(fix.title.replace(/\s*\n\s*/g, ' '), 300));
  return `• ${title}${command ? `: ${inlineCode(clipPlain(command, MAX_COMMAND))}` : ''}`;
}

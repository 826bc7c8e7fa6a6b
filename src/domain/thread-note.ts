import type { ApprovalNotice } from './approval.js';

/** How one deployment of an executed proposal ended. */
export interface DeploymentOutcomeNote {
  namespace: string;
  name: string;
  outcome: 'verified' | 'failed' | 'refused';
  message: string;
  warnings: string[];
  /** Pods as they are now, when it failed. */
  stillRunning: string[];
  /** Where to go next when it failed: the revision before the one rolled back to, if any. */
  previousRevision?: number;
}

/**
 * What the write path tells a proposal's thread, as data; the chat adapter
 * renders it. Progress notes are updated in place, one per deployment.
 */
export type ThreadNote =
  | { kind: 'approval'; notice: ApprovalNotice }
  | { kind: 'progress'; namespace: string; name: string; message: string }
  | { kind: 'outcome'; deployments: DeploymentOutcomeNote[] };

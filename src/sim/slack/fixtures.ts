import type { AppIdentity, WorkspaceFixture } from './types.js';

/** The app as installed in the emulated workspace. */
export const DEFAULT_APP: AppIdentity = {
  teamId: 'T0MEDIC',
  teamDomain: 'deploy-medic',
  teamName: 'Deploy Medic',
  appId: 'A0MEDIC',
  botId: 'B0MEDIC',
  botUserId: 'U0MEDICBOT',
  botName: 'deploy-medic',
};

/**
 * The workspace the project's tests and playground use: an operator (Alice),
 * an approver (Bob), a lead (Carol, approving through the S0LEADS group), and
 * the channels the example policy binds.
 */
export function defaultWorkspace(): WorkspaceFixture {
  return {
    users: [
      { id: 'U0ALICE', name: 'alice', realName: 'Alice Anders', email: 'alice@example.com', tz: 'Europe/Berlin' },
      { id: 'U0BOB', name: 'bob', realName: 'Bob Brown', email: 'bob@example.com', tz: 'America/New_York' },
      { id: 'U0CAROL', name: 'carol', realName: 'Carol Chen', email: 'carol@example.com', tz: 'Asia/Singapore', isAdmin: true },
    ],
    userGroups: [{ id: 'S0LEADS', handle: 'leads', name: 'Deploy leads', users: ['U0CAROL'] }],
    channels: [
      { id: 'C0PROD', name: 'prod' },
      { id: 'C0INCIDENTS', name: 'incidents' },
      { id: 'C0STAGING', name: 'staging' },
    ],
  };
}

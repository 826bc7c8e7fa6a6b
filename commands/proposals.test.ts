import { describe, expect, it } from 'vitest';
import type { ActionRequest } from '../src/domain/actions/index.js';
import { ACTION_IDS } from '../src/slack/blocks/actions.js';
import { BUTTONS, buttonTokens } from './buttons.js';
import { findSubcommand } from './index.js';
import type { CommandContext } from './types.js';

/** The action request a command line becomes (the service is stopped right there). */
async function requestOf(command: string, tokens: string[]): Promise<ActionRequest> {
  let asked: ActionRequest | undefined;
  const stop = (request: ActionRequest) => ((asked = request), Promise.reject(new Error('stop')));
  // Proposing moves from the remediation service to the approvals service (issue 9): either is stopped.
  const services = { remediation: { propose: (_t: unknown, request: ActionRequest) => stop(request) }, approvals: { propose: (input: { request: ActionRequest }) => stop(input.request) } };
  const prepared = findSubcommand(command)!.prepare(tokens);
  await prepared.run({ userId: 'U1', services, found: () => undefined } as unknown as CommandContext, { cluster: 'default', namespace: 'prod', name: 'web' }).catch(() => undefined);
  return asked!;
}
const usage = (command: string, tokens: string[]) => () => findSubcommand(command)!.prepare(tokens);

describe('/deploy scale', () => {
  it('proposes the replica count given', async () => {
    expect(await requestOf('scale', ['web', '--replicas', '0'])).toEqual({ kind: 'scale', replicas: 0 });
  });

  it('says what is wrong with the count', () => {
    expect(usage('scale', ['web'])).toThrow('--replicas: missing; give the replica count, for example --replicas 3');
    expect(usage('scale', ['web', '--replicas', 'three'])).toThrow('--replicas "three": expected a replica count from 0 to 10000');
  });
});

describe('/deploy set-probe', () => {
  it('proposes the probe change given', async () => {
    expect(await requestOf('set-probe', ['web', 'api', '--probe', 'liveness', '--port', '3000', '--initial-delay', '120'])).toEqual({
      kind: 'set-probe',
      container: 'api',
      probe: 'liveness',
      port: 3000,
      initialDelaySeconds: 120,
    });
  });

  it('says what is missing or wrong', () => {
    expect(usage('set-probe', ['web'])).toThrow('missing CONTAINER (for example /deploy set-probe api-server api --probe liveness --port 8080)');
    expect(usage('set-probe', ['web', 'api', '--port', '3000'])).toThrow('--probe: expected liveness, readiness or startup');
    expect(usage('set-probe', ['web', 'api', '--probe', 'liveness'])).toThrow('--port: give --port, --initial-delay or both: what should change');
    expect(usage('set-probe', ['web', 'api', '--probe', 'liveness', '--port', '0'])).toThrow('--port "0": expected a port from 1 to 65535');
  });

  it('is what the probe fix button runs', async () => {
    const button = BUTTONS[ACTION_IDS.fixSetProbe];
    const tokens = buttonTokens(button, { cluster: 'default', namespace: 'prod', name: 'web', container: 'api', probe: 'startup', initialDelaySeconds: 90 });
    expect(tokens).toEqual(['web', '-n', 'prod', '--cluster', 'default', 'api', '--probe', 'startup', '--initial-delay', '90']);
    expect(await requestOf(button.command.name, tokens)).toEqual({ kind: 'set-probe', container: 'api', probe: 'startup', initialDelaySeconds: 90 });
  });
});

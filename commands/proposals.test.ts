import { describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../src/slack/blocks/actions.js';
import { BUTTONS, buttonTokens } from './buttons.js';
import { findSubcommand } from './index.js';

const usage = (command: string, tokens: string[]) => () => findSubcommand(command)!.prepare(tokens);

describe('/deploy scale', () => {
  it('says what is wrong with the count', () => {
    expect(usage('scale', ['web'])).toThrow('--replicas: missing; give the replica count, for example --replicas 3');
    expect(usage('scale', ['web', '--replicas', 'three'])).toThrow('--replicas "three": expected a replica count from 0 to 10000');
  });
});

describe('/deploy set-probe', () => {
  it('says what is missing or wrong', () => {
    expect(usage('set-probe', ['web'])).toThrow('missing CONTAINER (for example /deploy set-probe api-server api --probe liveness --port 8080)');
    expect(usage('set-probe', ['web', 'api', '--port', '3000'])).toThrow('--probe: expected liveness, readiness or startup');
    expect(usage('set-probe', ['web', 'api', '--probe', 'liveness'])).toThrow('--port: give --port, --initial-delay or both: what should change');
    expect(usage('set-probe', ['web', 'api', '--probe', 'liveness', '--port', '0'])).toThrow('--port "0": expected a port from 1 to 65535');
  });

  it('is what the probe fix button runs', () => {
    const button = BUTTONS[ACTION_IDS.fixSetProbe];
    const tokens = buttonTokens(button, { cluster: 'default', namespace: 'prod', name: 'web', container: 'api', probe: 'startup', initialDelaySeconds: 90 });
    expect(tokens).toEqual(['web', '-n', 'prod', '--cluster', 'default', 'api', '--probe', 'startup', '--initial-delay', '90']);
    expect(() => button.command.prepare(tokens)).not.toThrow();
  });
});

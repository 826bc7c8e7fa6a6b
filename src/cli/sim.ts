import { writeFileSync } from 'node:fs';
import { MedicError } from '../errors.js';
import { SCENARIOS } from '../sim/kube/catalog/scenarios.js';
import { KubeSimulator, resolveScenarios } from '../sim/kube/simulator.js';
import { choiceOption, intOption, parseCommandArgs } from './args.js';
import type { CliIO } from './io.js';

/** `deploy-medic sim`: the Kubernetes API simulator, until interrupted. */
export async function simCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('sim', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'kubeconfig-out': { type: 'string' },
    scenario: { type: 'string', multiple: true },
    'list-scenarios': { type: 'boolean' },
    output: { type: 'string', short: 'o' },
    'no-controllers': { type: 'boolean' },
    clock: { type: 'string' },
    'time-scale': { type: 'string' },
    seed: { type: 'string' },
  });
  const output = choiceOption('output', args.string('output'), ['text', 'json'] as const) ?? 'text';
  if (args.flag('list-scenarios')) {
    const rows = SCENARIOS.map((s) => ({ name: s.name, namespace: s.namespace, deployment: s.deployment, expect: s.expect }));
    if (output === 'json') io.out(JSON.stringify(rows, null, 2));
    else {
      const name = Math.max(...SCENARIOS.map((s) => s.name.length));
      const target = Math.max(...SCENARIOS.map((s) => s.namespace.length + s.deployment.length + 1));
      for (const s of SCENARIOS) io.out(`${s.name.padEnd(name)}  ${`${s.namespace}/${s.deployment}`.padEnd(target)}  ${s.description}`);
    }
    return 0;
  }
  let scenarios;
  try {
    scenarios = resolveScenarios(args.strings('scenario'));
  } catch (e) {
    throw new MedicError('USAGE', `--scenario: ${(e as Error).message}`);
  }
  const timeScale = args.string('time-scale') === undefined ? undefined : Number(args.string('time-scale'));
  if (timeScale !== undefined && !(timeScale > 0 && timeScale <= 1000)) {
    throw new MedicError('USAGE', `--time-scale: expected a number above 0 and at most 1000, got "${args.string('time-scale')}"`);
  }
  if (args.flag('no-controllers') && scenarios.length) throw new MedicError('USAGE', 'scenarios need the controllers: --scenario cannot be combined with --no-controllers');
  const sim = await KubeSimulator.start({
    port: intOption('port', args.string('port'), 0, 65535) ?? 0,
    host: args.string('host') ?? '127.0.0.1',
    scenarios: scenarios.map((s) => s.name),
    controllers: !args.flag('no-controllers'),
    clock: choiceOption('clock', args.string('clock'), ['real', 'manual'] as const),
    timeScale,
    seed: intOption('seed', args.string('seed'), 0, 2 ** 31 - 1),
  });
  const kubeconfigOut = args.string('kubeconfig-out');
  if (kubeconfigOut) {
    try {
      writeFileSync(kubeconfigOut, sim.kubeconfig(), { mode: 0o600 });
    } catch (e) {
      await sim.stop();
      throw new MedicError('USAGE', `--kubeconfig-out: cannot write ${kubeconfigOut}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  io.out(`listening on ${sim.url}`);
  await io.untilInterrupted();
  await sim.stop();
  return 0;
}

import { isFailing } from '../domain/diagnosis.js';
import { EXIT } from '../errors.js';
import { diagnoseDeployment } from '../services/diagnose.js';
import type { CliIO } from './io.js';
import { parseKubeCommand } from './kube-command.js';
import { renderDiagnosisText } from './render/diagnosis-text.js';
import { snapshotSource } from './snapshot-source.js';

export const DIAGNOSE_USAGE = 'deploy-medic diagnose NAME -n NS [--kubeconfig F] [--context C] [--output text|json]';

/** `deploy-medic diagnose`: exit 1 when the deployment is failing (a critical or error finding). */
export async function diagnoseCommand(argv: string[], io: CliIO, env?: Record<string, string | undefined>): Promise<number> {
  const { cmd, config } = parseKubeCommand('diagnose', argv, io, env);
  const report = await diagnoseDeployment(snapshotSource(cmd.cluster, config), cmd.ref);
  io.out(cmd.output === 'json' ? JSON.stringify(report, null, 2) : renderDiagnosisText(report, cmd.style));
  return isFailing(report) ? EXIT.failing : EXIT.ok;
}
